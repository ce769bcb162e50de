/* syscage syscalls: names, numbers and signatures per arch. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "cli.h"
#include "diag.h"
#include "syscall_table.h"

static const char usage_text[] =
	"usage: syscage syscalls [--arch ARCH] [NAME|NUMBER...]\n\n"
	"Lists the syscalls of ARCH (default: the native one) with their numbers, the\n"
	"arguments the kernel declares (width, sign, pointers: the x86_64 prototypes, and a\n"
	"32-bit arch's own where its entry differs), what each register holds where a\n"
	"64-bit value takes two, and the kernel release that added them; or looks up the\n"
	"NAMEs and NUMBERs given.\n\n"
	"      --arch ARCH   x86_64, i386, x32, aarch64, arm, riscv64\n";

static void print_signature(int arch, int idx)
{
	struct syscall_signature on_arch;
	const struct syscall_signature *sig = &on_arch;

	syscall_signature_on(arch, idx, &on_arch);
	printf("%s(", syscall_name(idx));
	if (sig->nparams < 0) {
		printf("?)");
		return;
	}
	for (int i = 0; i < sig->nparams; i++) {
		const struct syscall_param *p = &sig->params[i];
		size_t tl = strlen(p->ctype);

		printf("%s%s%s%s", i ? ", " : "", p->ctype, tl && p->ctype[tl - 1] == '*' ? "" : " ",
		       p->name);
	}
	printf(")");
	/* Where registers and arguments part (a 64-bit value in two on a
	 * 32-bit arch): what arg0 to arg5 hold. */
	const char *held[6] = { NULL }, *part[6] = { NULL };
	int used = 0;
	bool moved = false;

	for (int i = 0; i < sig->nparams; i++) {
		bool two;
		int r = syscall_param_register(arch, sig, i, &two);

		moved |= r != i || two;
		for (int h = 0; r >= 0 && h < (two ? 2 : 1) && r + h < 6; h++) {
			held[r + h] = sig->params[i].name;
			part[r + h] = two ? (h ? ".hi" : ".lo") : "";
			used = r + h + 1;
		}
	}
	if (!moved)
		return;
	printf("  registers:");
	for (int r = 0; r < used; r++)
		printf(" %s%s", held[r] ? held[r] : "(unused)", held[r] ? part[r] : "");
}

static void print_one(int arch, int idx)
{
	unsigned since = syscall_since(idx);
	int64_t nr = syscall_number(arch, idx);

	printf("%-10lld ", (long long)nr);
	print_signature(arch, idx);
	if (since)
		printf("  [since %u.%u]", since / 1000, since % 1000);
	printf("\n");
}

static int lookup(int arch, const char *what)
{
	char *end;
	unsigned long nr = strtoul(what, &end, 0);
	int idx;

	if (*end == '\0' && end != what) {
		idx = nr <= UINT32_MAX ? syscall_by_number(arch, (uint32_t)nr) : -1;
		if (idx < 0)
			return cli_error("syscalls: %s has no syscall number %s", arch_info(arch)->name,
					 what);
	} else {
		idx = syscall_lookup(what);
		if (idx < 0) {
			struct spelling sp;

			spelling_init(&sp, what);
			for (size_t i = 0; i < syscall_count(); i++)
				spelling_consider(&sp, syscall_name((int)i));
			if (sp.best)
				return cli_error("syscalls: unknown syscall '%s'; did you mean '%s'?", what,
						 sp.best);
			return cli_error("syscalls: unknown syscall '%s'", what);
		}
		if (syscall_number(arch, idx) < 0) {
			cli_error("syscalls: %s does not exist on %s; where it does:", what,
				  arch_info(arch)->name);
			for (int a = 0; a < ARCH_COUNT; a++) {
				if (syscall_number(a, idx) >= 0)
					fprintf(stderr, "  %s: %lld\n", arch_info(a)->name,
						(long long)syscall_number(a, idx));
			}
			return EXIT_USAGE;
		}
	}
	print_one(arch, idx);
	return 0;
}

int cmd_syscalls(int argc, char **argv)
{
	static const struct option options[] = {
		{ "arch", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c, arch = (int)arch_native(), status = 0;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'a':
			arch = arch_from_name(optarg);
			if (arch < 0)
				return cli_error("syscalls: unknown architecture '%s'; known: x86_64, "
						 "i386, x32, aarch64, arm, riscv64", optarg);
			break;
		case 'h': fputs(usage_text, stdout); return 0;
		default: fputs(usage_text, stderr); return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		for (int i = optind; i < argc; i++)
			status |= lookup(arch, argv[i]);
		return status ? EXIT_USAGE : 0;
	}
	for (size_t i = 0; i < syscall_arch_count(arch); i++)
		print_one(arch, syscall_by_number(arch, syscall_arch_number_at(arch, i)));
	return 0;
}
