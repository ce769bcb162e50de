/*
 * Decoding a syscall for people: openat(AT_FDCWD, "/etc/shadow", O_RDONLY).
 * Pure: the caller supplies a function that reads strings from the process,
 * for display only (what a filter decides never depends on it).
 */
#include "decode.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "constants.h"
#include "syscall_table.h"

/* How to show one parameter. */
enum shape {
	SHAPE_NUMBER,	/* decimal when small, else hex */
	SHAPE_FD,	/* an fd or dirfd: AT_FDCWD */
	SHAPE_STRING,	/* a path or name read from the process */
	SHAPE_POINTER,	/* an address */
	SHAPE_OCTAL,	/* a mode */
	SHAPE_ENUM,	/* one constant of a family */
	SHAPE_FLAGS,	/* a set of bits of a family */
};

struct param_shape {
	const char *syscall;	/* NULL: any syscall */
	const char *param;
	enum shape shape;
	const char *family;
};

/* Where the generic rules (by type and name) are not enough. */
static const struct param_shape shapes[] = {
	{ NULL, "flags", SHAPE_FLAGS, "O_" },	/* narrowed below for the open family */
	{ "socket", "family", SHAPE_ENUM, "AF_" },
	{ "socket", "type", SHAPE_FLAGS, "SOCK_" },
	{ "socketpair", "family", SHAPE_ENUM, "AF_" },
	{ "socketpair", "type", SHAPE_FLAGS, "SOCK_" },
	{ "mmap", "prot", SHAPE_FLAGS, "PROT_" },
	{ "mmap", "flags", SHAPE_FLAGS, "MAP_" },
	{ "mprotect", "prot", SHAPE_FLAGS, "PROT_" },
	{ "pkey_mprotect", "prot", SHAPE_FLAGS, "PROT_" },
	{ "clone", "clone_flags", SHAPE_FLAGS, "CLONE_" },
	{ "unshare", "unshare_flags", SHAPE_FLAGS, "CLONE_" },
	{ "setns", "nstype", SHAPE_FLAGS, "CLONE_" },
	{ "ioctl", "cmd", SHAPE_ENUM, "ioctl" },
	{ "prctl", "option", SHAPE_ENUM, "PR_" },
	{ "fcntl", "cmd", SHAPE_ENUM, "F_" },
	{ "kill", "sig", SHAPE_ENUM, "SIG" },
	{ "tkill", "sig", SHAPE_ENUM, "SIG" },
	{ "tgkill", "sig", SHAPE_ENUM, "SIG" },
	{ "madvise", "behavior", SHAPE_ENUM, "MADV_" },
	{ "ptrace", "request", SHAPE_ENUM, "PTRACE_" },
	{ "lseek", "whence", SHAPE_ENUM, "SEEK_" },
	{ "seccomp", "op", SHAPE_ENUM, "SECCOMP_" },
	{ "seccomp", "flags", SHAPE_FLAGS, "SECCOMP_FILTER_FLAG_" },
};

static const char *const open_family[] = { "open", "openat", "creat", NULL };

static bool in_list(const char *name, const char *const *list)
{
	for (; *list; list++) {
		if (strcmp(name, *list) == 0)
			return true;
	}
	return false;
}

static bool is_fd_name(const char *name)
{
	static const char *const names[] = { "fd", "dfd", "dirfd", "olddfd", "newdfd", "fd_in",
					     "fd_out", "oldfd", "newfd", "epfd", "pidfd", NULL };
	return in_list(name, names);
}

static bool is_string_name(const char *name)
{
	static const char *const names[] = { "filename", "pathname", "path", "oldname", "newname",
					     "name", "oldpath", "newpath", "special_name", "dir_name",
					     "dev_name", "type", "uname", NULL };
	return in_list(name, names);
}

static enum shape shape_of(const char *sname, const struct syscall_param *p, const char **family)
{
	*family = NULL;
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		const struct param_shape *s = &shapes[i];

		if (strcmp(s->param, p->name) != 0 || (s->syscall && strcmp(s->syscall, sname) != 0))
			continue;
		if (!s->syscall && !in_list(sname, open_family))
			continue;
		*family = s->family;
		return s->shape;
	}
	if (p->kind == PARAM_POINTER)
		return strstr(p->ctype, "char") && is_string_name(p->name) ? SHAPE_STRING : SHAPE_POINTER;
	if (is_fd_name(p->name))
		return SHAPE_FD;
	if (strcmp(p->ctype, "umode_t") == 0)
		return SHAPE_OCTAL;
	return SHAPE_NUMBER;
}

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->len >= o->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, o->size - o->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
	if (o->len >= o->size)
		o->len = o->size - 1;
}

static void put_number(struct out *o, uint64_t v, const struct syscall_param *p)
{
	int64_t s = p->bits == 64 ? (int64_t)v : p->bits == 32 ? (int32_t)v : (int16_t)v;

	/* Signed values (pids, counts) read best in decimal, whatever their size. */
	if (p->kind == PARAM_SIGNED)
		put(o, "%lld", (long long)s);
	else if (v < 4096)
		put(o, "%llu", (unsigned long long)v);
	else
		put(o, "%#llx", (unsigned long long)v);
}

/* Older names of the same values, never shown. */
static bool is_alias(const char *name)
{
	static const char *const aliases[] = { "O_NDELAY", "O_FSYNC", "O_RSYNC", "SIGCLD", "SIGIOT",
					       "SIGPOLL", "MAP_FILE", "MAP_ANON", "AF_FILE", "AF_LOCAL",
					       NULL };
	return in_list(name, aliases);
}

/* Whether c is of family: most constants are not, and differ at once. */
static bool of_family(const struct named_constant *c, const char *family)
{
	return c->family[0] == family[0] && strcmp(c->family, family) == 0;
}

static const struct named_constant *exact(const char *family, uint64_t v)
{
	for (size_t i = 0, n = constant_count(); i < n; i++) {
		const struct named_constant *c = constant_at(i);

		if (c->value == v && of_family(c, family) && !is_alias(c->name))
			return c;
	}
	return NULL;
}

static void put_flags(struct out *o, const char *family, uint64_t v)
{
	uint64_t left = v;
	bool any = false;

	/* The values below the first flag bit are a number, not bits. */
	if (strcmp(family, "O_") == 0) {
		const struct named_constant *mode = exact("O_", v & 3);

		put(o, "%s", mode ? mode->name : "3");
		left &= ~(uint64_t)3;
		any = true;
	} else if (strcmp(family, "CLONE_") == 0 && (v & 0xff)) {
		/* clone's low byte is the signal sent to the parent at exit */
		const struct named_constant *sig = exact("SIG", v & 0xff);

		if (sig)
			put(o, "%s", sig->name);
		else
			put(o, "%llu", (unsigned long long)(v & 0xff));
		left &= ~(uint64_t)0xff;
		any = true;
	} else if (strcmp(family, "SOCK_") == 0 || strcmp(family, "MAP_") == 0) {
		uint64_t low = v & (strcmp(family, "SOCK_") == 0 ? 0xf : 0x3);
		const struct named_constant *c = low ? exact(family, low) : NULL;

		if (c) {
			put(o, "%s", c->name);
			left &= ~low;
			any = true;
		}
	}
	for (size_t i = 0, n = constant_count(); i < n && left; i++) {
		const struct named_constant *c = constant_at(i);
		uint64_t bit = c->value;

		if (!bit || (bit & (bit - 1)) || !(left & bit) || !of_family(c, family) ||
		    is_alias(c->name))
			continue;
		put(o, "%s%s", any ? "|" : "", c->name);
		left &= ~bit;
		any = true;
	}
	if (left || !any)
		put(o, "%s%#llx", any ? "|" : "", (unsigned long long)left);
}

static void put_string(struct out *o, uint64_t addr, decode_read_fn read, void *ctx)
{
	char raw[80];
	int n = addr && read ? read(ctx, addr, raw, sizeof(raw)) : -1;

	if (!addr) {
		put(o, "NULL");
		return;
	}
	if (n < 0) {
		put(o, "%#llx", (unsigned long long)addr);
		return;
	}
	put(o, "\"");
	int i;
	for (i = 0; i < n && raw[i]; i++) {
		unsigned char c = (unsigned char)raw[i];

		if (i == 64) {
			put(o, "\"...");
			return;
		}
		if (c == '"' || c == '\\')
			put(o, "\\%c", c);
		else if (isprint(c))
			put(o, "%c", c);
		else
			put(o, "\\x%02x", c);
	}
	/* No end before memory that cannot be read: not the whole string. */
	put(o, i == n ? "\"..." : "\"");
}

void decode_call(enum arch_id arch, uint32_t nr, const uint64_t args[6], decode_read_fn read,
		 void *ctx, char *buf, size_t size)
{
	struct out o = { .buf = buf, .size = size };
	int idx = syscall_by_number(arch, nr);
	struct syscall_signature on_arch;
	const struct syscall_signature *sig = &on_arch;

	buf[0] = '\0';
	if (idx < 0) {
		put(&o, "syscall %u(%#llx, %#llx, %#llx, %#llx, %#llx, %#llx)", nr,
		    (unsigned long long)args[0], (unsigned long long)args[1],
		    (unsigned long long)args[2], (unsigned long long)args[3],
		    (unsigned long long)args[4], (unsigned long long)args[5]);
		return;
	}
	const char *sname = syscall_name(idx);
	syscall_signature_on(arch, idx, &on_arch);
	put(&o, "%s(", sname);
	if (sig->nparams < 0) {
		put(&o, "%#llx, %#llx, %#llx, ...)", (unsigned long long)args[0],
		    (unsigned long long)args[1], (unsigned long long)args[2]);
		return;
	}
	for (int i = 0; i < sig->nparams; i++) {
		struct syscall_param p = sig->params[i];
		const char *family;
		uint64_t v = args[i];

		/* 32-bit arches see every argument at 32 bits. */
		if (arch_info(arch)->arg_bits == 32 && p.bits > 32)
			p.bits = 32;
		if (p.bits < 64)
			v &= ((uint64_t)1 << p.bits) - 1;
		if (i)
			put(&o, ", ");
		switch (shape_of(sname, &p, &family)) {
		case SHAPE_FD:
			if ((int32_t)v == -100)
				put(&o, "AT_FDCWD");
			else
				put(&o, "%d", (int32_t)v);
			break;
		case SHAPE_STRING:
			put_string(&o, v, read, ctx);
			break;
		case SHAPE_POINTER:
			put(&o, v ? "%#llx" : "NULL", (unsigned long long)v);
			break;
		case SHAPE_OCTAL:
			put(&o, "0%llo", (unsigned long long)v);
			break;
		case SHAPE_ENUM: {
			const struct named_constant *c = exact(family, v);

			if (c)
				put(&o, "%s", c->name);
			else
				put_number(&o, v, &p);
			break;
		}
		case SHAPE_FLAGS:
			put_flags(&o, family, v);
			break;
		default:
			put_number(&o, v, &p);
			break;
		}
	}
	put(&o, ")");
}
