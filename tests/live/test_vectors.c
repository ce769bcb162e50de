/*
 * Policy vectors, each checked three ways: the policy's own semantics
 * (syscage_policy_evaluate), the compiled program in syscage's emulator
 * (syscage_program_emulate) and the compiled program loaded into a child
 * process, where the kernel decides (live.h). All three must give the
 * table's expected seccomp return value.
 *
 * Every rule that can decide has its own errno, so the verdict names the
 * rule. The calls are harmless whatever happens: getpid, getppid, gettid and
 * sched_yield ignore their arguments; write, ioctl, lseek and fchmod get fd
 * -1 (EBADF); openat gets a NULL path (EFAULT); kill always has signal 0.
 *
 * Run from the repository root, as root or not (no privilege is needed).
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "live.h"

#define ALLOW SECCOMP_RET_ALLOW
#define KILL SECCOMP_RET_KILL_PROCESS
#define KILL_THREAD SECCOMP_RET_KILL_THREAD
#define TRAP SECCOMP_RET_TRAP
#define LOG SECCOMP_RET_LOG
#define NOTIFY SECCOMP_RET_USER_NOTIF
#define ERR(n) (SECCOMP_RET_ERRNO | (n))
#define TRACE(n) (SECCOMP_RET_TRACE | (n))

#define NATIVE LIVE_NATIVE
#define I386 LIVE_I386
#define X32 LIVE_X32

#define NEG(x) ((uint64_t)(int64_t)(x))	/* a negative value, all 64 bits */
#define HI(x) ((uint64_t)(x) << 32)	/* a value in the upper half only */

/* ---- policies ------------------------------------------------------------- */

enum policy_id {
	P_ACTIONS,
	P_ORDER,
	P_DEFAULT_ERRNO,
	P_DEFAULT_KILL,
	P_DEFAULT_KILL_THREAD,
	P_DEFAULT_TRAP,
	P_DEFAULT_LOG,
	P_DEFAULT_TRACE,
	P_DEFAULT_NOTIFY,
	P_WIDTHS,
	P_SIGNED,
	P_SIGNED_RANGES,
	P_LOGIC,
	P_I386,
	P_X32,
	P_BITS,
	P_BITS_BROKEN,
	P_COUNT
};

static const char *const policy_text[P_COUNT] = {
	[P_ACTIONS] =
		"# one rule per action kind\n"
		"default allow\n"
		"allow getppid if arg0 == 1\n"
		"kill getppid if arg0 == 2\n"
		"kill-thread getppid if arg0 == 3\n"
		"trap getppid if arg0 == 4\n"
		"errno 101 getppid if arg0 == 5\n"
		"log getppid if arg0 == 6\n"
		"notify getppid if arg0 == 7\n"
		"trace 7 getppid if arg0 == 8\n"
		"errno EPERM getppid if arg0 == 9\n"
		"errno 4095 getppid if arg0 == 10\n"
		"trace 65535 getppid if arg0 == 11\n"
		"errno 1 getppid if arg0 == 12\n",
	[P_ORDER] =
		"# the first matching rule decides\n"
		"default errno 120\n"
		"allow write, exit_group\n"
		"kill kill\n"
		"errno 101 kill\n"
		"errno 102 getpid if arg0 == 1\n"
		"errno 103 getpid if arg0 == 1\n"
		"errno 104 getpid if arg0 < 10\n"
		"trap getpid if arg1 == 1\n"
		"allow getpid\n"
		"errno 105 getpid\n",
	[P_DEFAULT_ERRNO] =
		"default errno 110\n"
		"allow write, exit_group\n"
		"errno 101 getppid\n",
	[P_DEFAULT_KILL] =
		"default kill\n"
		"allow write, exit_group\n"
		"errno 101 getppid\n"
		"trap gettid\n",
	[P_DEFAULT_KILL_THREAD] =
		"default kill-thread\n"
		"allow write, exit_group\n"
		"errno 101 getppid\n",
	[P_DEFAULT_TRAP] =
		"default trap\n"
		"allow write, exit_group\n"
		"errno 101 getppid\n",
	[P_DEFAULT_LOG] =
		"default log\n"
		"errno 101 getppid\n",
	[P_DEFAULT_TRACE] =
		"default trace 9\n"
		"allow write, exit_group\n"
		"errno 101 getppid\n",
	[P_DEFAULT_NOTIFY] =
		"default notify\n"
		"allow write, exit_group\n"
		"errno 101 getppid\n",
	[P_WIDTHS] =
		"# 16-, 32- and 64-bit arguments\n"
		"default allow\n"
		"errno EPERM ioctl if cmd == TIOCSTI\n"
		"errno 102 lseek if offset == 0x100000005\n"
		"errno 103 lseek if offset < 0\n"
		"errno 104 lseek if whence > 2\n"
		"errno EPERM fchmod if mode == 04755\n"
		"errno 105 fchmod if mode & S_ISUID\n"
		"errno 106 write if fd == 0xffffffff && count > 0xffffffff\n"
		"errno 107 write if count == 0\n",
	[P_SIGNED] =
		"default errno 111\n"
		"allow write, exit_group\n"
		"allow kill if pid > 0 && sig == 0\n"
		"errno 112 getpid if arg0 < 5\n",
	[P_SIGNED_RANGES] =
		"default allow\n"
		"errno 113 kill if pid <= -2\n"
		"errno 114 kill if pid >= 0x40000000\n"
		"errno 115 kill if sig != 0\n"
		"errno 116 lseek if offset <= -0x100000000\n"
		"errno 117 lseek if offset >= 0x7fffffff00000000\n"
		"# compiled as one unsigned comparison each\n"
		"errno 118 getpgid if pid >= 0 && pid < 5\n"
		"errno 119 lseek if whence == 4 && (offset >= 0 && offset <= 9)\n",
	[P_LOGIC] =
		"# masks, in, not in, !, ||, &&\n"
		"default allow\n"
		"errno 121 openat if flags & O_ACCMODE == O_RDONLY\n"
		"errno 122 openat if flags & (O_CREAT | O_TRUNC)\n"
		"errno 123 openat if flags in (O_WRONLY, O_RDWR | O_APPEND)\n"
		"errno 124 openat if flags & O_ACCMODE not in (O_WRONLY, O_RDWR)\n"
		"errno 131 gettid if arg0 not in (1, 2, 3) && arg1 == 7\n"
		"errno 132 gettid if !(arg0 == 1) || arg2 == 9\n"
		"errno 133 gettid if arg0 in (1, 2) and not arg1 == 5\n"
		"errno 134 gettid if arg3 & 0xf0 == 0x30 or arg4 & ~0xff == 0x100\n",
	[P_I386] =
		"arch x86_64, i386\n"
		"default errno 140\n"
		"allow write, exit_group\n"
		"errno 141 getppid\n"
		"errno 142 ioctl if cmd == TIOCSTI\n"
		"allow ioctl\n"
		"errno 143 kill if pid < 0\n"
		"allow kill if pid > 0 && sig == 0\n"
		"errno 144 fchmod if mode == 04755\n"
		"allow fchmod, getpid\n"
		"trap gettid if arg0 == 0x12345678\n"
		"errno 145 gettid if arg5 == 0xfffffffe\n",
	[P_X32] =
		"arch x86_64, x32\n"
		"default errno 150\n"
		"allow write, exit_group\n"
		"errno 151 getppid\n"
		"errno 152 getpid if arg0 == 7\n"
		"allow getpid\n"
		"errno 153 ioctl if cmd == TIOCSTI\n"
		"allow ioctl\n",
	[P_BITS] =
		"# refused: 36 and 40, the numbers of 36..43 with nr % 4 == 0 (one jset)\n"
		"default allow\n"
		"errno 201 getitimer, sendfile\n",
	[P_BITS_BROKEN] =
		"# the same but 42 too, which breaks the pattern\n"
		"default allow\n"
		"errno 201 getitimer, sendfile, connect\n",
};

static struct syscage_policy *policies[P_COUNT];
static struct syscage_program *programs[P_COUNT];

/* ---- vectors -------------------------------------------------------------- */

struct vector {
	enum policy_id policy;
	enum live_mode mode;
	const char *sys;	/* looked up for the mode's arch; NULL: use nr */
	uint64_t nr;		/* a raw number (x32 mode adds the x32 bit) */
	uint64_t args[6];
	uint32_t expect;	/* the SECCOMP_RET_* value */
};

#define V(pol, mode, sys, expect, ...) { pol, mode, sys, 0, { __VA_ARGS__ }, expect }
#define N(pol, mode, nr, expect, ...) { pol, mode, NULL, nr, { __VA_ARGS__ }, expect }

static const struct vector action_vectors[] = {
	V(P_ACTIONS, NATIVE, "getppid", ALLOW, 0),
	V(P_ACTIONS, NATIVE, "getppid", ALLOW, 1),
	V(P_ACTIONS, NATIVE, "getppid", KILL, 2),
	V(P_ACTIONS, NATIVE, "getppid", KILL_THREAD, 3),
	V(P_ACTIONS, NATIVE, "getppid", TRAP, 4),
	V(P_ACTIONS, NATIVE, "getppid", ERR(101), 5),
	V(P_ACTIONS, NATIVE, "getppid", LOG, 6),
	V(P_ACTIONS, NATIVE, "getppid", NOTIFY, 7),
	V(P_ACTIONS, NATIVE, "getppid", TRACE(7), 8),
	V(P_ACTIONS, NATIVE, "getppid", ERR(1), 9),
	V(P_ACTIONS, NATIVE, "getppid", ERR(4095), 10),
	V(P_ACTIONS, NATIVE, "getppid", TRACE(65535), 11),
	V(P_ACTIONS, NATIVE, "getppid", ERR(1), 12),
	V(P_ACTIONS, NATIVE, "getppid", ALLOW, 13),
	/* Syscalls without parameters compare arg0..arg5 on all 64 bits. */
	V(P_ACTIONS, NATIVE, "getppid", ALLOW, HI(1) | 2),
	V(P_ACTIONS, NATIVE, "getppid", ALLOW, HI(1) | 5),
	V(P_ACTIONS, NATIVE, "getpid", ALLOW, 2),
	/* The defaults. */
	V(P_DEFAULT_ERRNO, NATIVE, "getppid", ERR(101)),
	V(P_DEFAULT_ERRNO, NATIVE, "getpid", ERR(110)),
	V(P_DEFAULT_ERRNO, NATIVE, "sched_yield", ERR(110), 1, 2, 3, 4, 5, 6),
	V(P_DEFAULT_KILL, NATIVE, "getppid", ERR(101)),
	V(P_DEFAULT_KILL, NATIVE, "getpid", KILL),
	V(P_DEFAULT_KILL, NATIVE, "gettid", TRAP),
	V(P_DEFAULT_KILL, NATIVE, "sched_yield", KILL),
	V(P_DEFAULT_KILL_THREAD, NATIVE, "getppid", ERR(101)),
	V(P_DEFAULT_KILL_THREAD, NATIVE, "getpid", KILL_THREAD),
	V(P_DEFAULT_TRAP, NATIVE, "getppid", ERR(101)),
	V(P_DEFAULT_TRAP, NATIVE, "getpid", TRAP),
	V(P_DEFAULT_LOG, NATIVE, "getppid", ERR(101)),
	V(P_DEFAULT_LOG, NATIVE, "getpid", LOG),
	V(P_DEFAULT_LOG, NATIVE, "write", LOG, NEG(-1), 0, 1),
	V(P_DEFAULT_TRACE, NATIVE, "getppid", ERR(101)),
	V(P_DEFAULT_TRACE, NATIVE, "getpid", TRACE(9)),
	V(P_DEFAULT_NOTIFY, NATIVE, "getppid", ERR(101)),
	V(P_DEFAULT_NOTIFY, NATIVE, "getpid", NOTIFY),
};

static const struct vector order_vectors[] = {
	/* `kill kill`: the action kill on the syscall kill, whatever the args;
	 * the errno rule after it never decides. */
	V(P_ORDER, NATIVE, "kill", KILL, 1, 0),
	V(P_ORDER, NATIVE, "kill", KILL, NEG(-1), 0),
	V(P_ORDER, NATIVE, "getpid", ERR(102), 1),
	V(P_ORDER, NATIVE, "getpid", ERR(104), 5),
	V(P_ORDER, NATIVE, "getpid", ERR(104), 0, 1),
	V(P_ORDER, NATIVE, "getpid", ERR(104), 9, 1),
	V(P_ORDER, NATIVE, "getpid", TRAP, 10, 1),
	V(P_ORDER, NATIVE, "getpid", TRAP, HI(1) | 1, 1),
	V(P_ORDER, NATIVE, "getpid", ALLOW, 10),
	V(P_ORDER, NATIVE, "getpid", ALLOW, HI(1) | 1),
	V(P_ORDER, NATIVE, "getpid", ALLOW, NEG(-1), HI(1) | 1),
	V(P_ORDER, NATIVE, "getppid", ERR(120)),
	V(P_ORDER, NATIVE, "sched_yield", ERR(120)),
};

static const struct vector number_vectors[] = {
	/* Unknown numbers inside the covered arch: the default. */
	N(P_DEFAULT_ERRNO, NATIVE, 1000, ERR(110)),
	N(P_DEFAULT_ERRNO, NATIVE, 0x3fffffff, ERR(110)),
	N(P_DEFAULT_KILL, NATIVE, 1000, KILL),
	N(P_DEFAULT_TRAP, NATIVE, 0x3fffffff, TRAP),
	/* The x32 range of AUDIT_ARCH_X86_64, not covered: killed. */
	N(P_DEFAULT_ERRNO, NATIVE, 0x40000000, KILL),
	N(P_DEFAULT_ERRNO, NATIVE, 0x40000000 | 39, KILL),
	N(P_DEFAULT_ERRNO, NATIVE, 0x7fffffff, KILL),
	N(P_DEFAULT_ERRNO, NATIVE, 0x80000000, KILL),
	N(P_DEFAULT_ERRNO, NATIVE, 0xffffffff, KILL),
	N(P_DEFAULT_ERRNO, NATIVE, NEG(-1), KILL),
	N(P_DEFAULT_LOG, NATIVE, 0x7fffffff, KILL),
	V(P_DEFAULT_ERRNO, X32, "getppid", KILL),
	V(P_DEFAULT_ERRNO, X32, "getpid", KILL),
	V(P_DEFAULT_LOG, X32, "getpid", KILL),
	/* The upper half of rax is not part of the number. */
	N(P_DEFAULT_ERRNO, NATIVE, HI(1) | 110, ERR(101)),
	N(P_DEFAULT_ERRNO, NATIVE, HI(0xdead) | 39, ERR(110)),
	/* An arch the policy does not cover: killed, whatever the default. */
	V(P_DEFAULT_ERRNO, I386, "getppid", KILL),
	V(P_DEFAULT_ERRNO, I386, "getpid", KILL),
	V(P_DEFAULT_LOG, I386, "getpid", KILL),
	V(P_ACTIONS, I386, "getppid", KILL, 5),
	N(P_ACTIONS, I386, 1000, KILL),
};

static const struct vector width_vectors[] = {
	/* ioctl cmd is unsigned int: only the low 32 bits count. */
	V(P_WIDTHS, NATIVE, "ioctl", ERR(EPERM), NEG(-1), TIOCSTI),
	V(P_WIDTHS, NATIVE, "ioctl", ERR(EPERM), NEG(-1), HI(1) | TIOCSTI),
	V(P_WIDTHS, NATIVE, "ioctl", ERR(EPERM), NEG(-1), HI(0xffffffff) | TIOCSTI),
	V(P_WIDTHS, NATIVE, "ioctl", ALLOW, NEG(-1), TIOCSTI + 1),
	V(P_WIDTHS, NATIVE, "ioctl", ALLOW, NEG(-1), HI(TIOCSTI)),
	/* lseek offset is off_t, 64 bits: both halves must match. */
	V(P_WIDTHS, NATIVE, "lseek", ERR(102), NEG(-1), 0x100000005, 0),
	V(P_WIDTHS, NATIVE, "lseek", ALLOW, NEG(-1), 0x5, 0),
	V(P_WIDTHS, NATIVE, "lseek", ALLOW, NEG(-1), 0x100000000, 0),
	V(P_WIDTHS, NATIVE, "lseek", ALLOW, NEG(-1), 0x100000004, 0),
	V(P_WIDTHS, NATIVE, "lseek", ALLOW, NEG(-1), 0x200000005, 0),
	V(P_WIDTHS, NATIVE, "lseek", ALLOW, NEG(-1), 0x1100000005, 0),
	/* ... and it is signed. */
	V(P_WIDTHS, NATIVE, "lseek", ERR(103), NEG(-1), NEG(-5), 0),
	V(P_WIDTHS, NATIVE, "lseek", ERR(103), NEG(-1), 0x8000000000000000, 0),
	V(P_WIDTHS, NATIVE, "lseek", ERR(103), NEG(-1), 0xfffffffe00000005, 0),
	V(P_WIDTHS, NATIVE, "lseek", ALLOW, NEG(-1), 0xffffffff, 0),
	V(P_WIDTHS, NATIVE, "lseek", ALLOW, NEG(-1), 0x80000000, 0),
	V(P_WIDTHS, NATIVE, "lseek", ALLOW, NEG(-1), 0x7fffffffffffffff, 0),
	/* whence is unsigned int. */
	V(P_WIDTHS, NATIVE, "lseek", ERR(104), NEG(-1), 0, 3),
	V(P_WIDTHS, NATIVE, "lseek", ERR(104), NEG(-1), 0, 0xffffffff),
	V(P_WIDTHS, NATIVE, "lseek", ERR(104), NEG(-1), 0, HI(1) | 3),
	V(P_WIDTHS, NATIVE, "lseek", ALLOW, NEG(-1), 0, HI(1)),
	V(P_WIDTHS, NATIVE, "lseek", ALLOW, NEG(-1), 0, HI(0xffffffff) | 2),
	/* fchmod mode is umode_t, 16 bits. */
	V(P_WIDTHS, NATIVE, "fchmod", ERR(EPERM), NEG(-1), 04755),
	V(P_WIDTHS, NATIVE, "fchmod", ERR(EPERM), NEG(-1), 0x10000 | 04755),
	V(P_WIDTHS, NATIVE, "fchmod", ERR(EPERM), NEG(-1), 0xffffffffffff0000 | 04755),
	V(P_WIDTHS, NATIVE, "fchmod", ERR(105), NEG(-1), 04644),
	V(P_WIDTHS, NATIVE, "fchmod", ERR(105), NEG(-1), 0x10000 | 04000),
	V(P_WIDTHS, NATIVE, "fchmod", ALLOW, NEG(-1), 0755),
	V(P_WIDTHS, NATIVE, "fchmod", ALLOW, NEG(-1), 0x10000 | 0755),
	V(P_WIDTHS, NATIVE, "fchmod", ALLOW, NEG(-1), 04000 << 16),
	/* write: fd unsigned int, count size_t (64 bits). */
	V(P_WIDTHS, NATIVE, "write", ERR(106), NEG(-1), 0, 0x100000000),
	V(P_WIDTHS, NATIVE, "write", ERR(106), 0xffffffff, 0, NEG(-1)),
	V(P_WIDTHS, NATIVE, "write", ERR(106), HI(7) | 0xffffffff, 0, 0x100000000),
	V(P_WIDTHS, NATIVE, "write", ALLOW, NEG(-1), 0, 0xffffffff),
	V(P_WIDTHS, NATIVE, "write", ALLOW, NEG(-1), 0, 5),
	V(P_WIDTHS, NATIVE, "write", ERR(107), NEG(-1), 0, 0),
	V(P_WIDTHS, NATIVE, "write", ERR(106), NEG(-1), 0, HI(1)),
	V(P_WIDTHS, NATIVE, "write", ALLOW, NEG(-2), 0, HI(1)),
};

static const struct vector signed_vectors[] = {
	/* allow kill if pid > 0 && sig == 0; pid_t is a signed 32-bit int */
	V(P_SIGNED, NATIVE, "kill", ALLOW, 1, 0),
	V(P_SIGNED, NATIVE, "kill", ALLOW, 0x7fffffff, 0),
	V(P_SIGNED, NATIVE, "kill", ALLOW, HI(0xffffffff) | 1, 0),
	V(P_SIGNED, NATIVE, "kill", ALLOW, 1, HI(1)),
	V(P_SIGNED, NATIVE, "kill", ERR(111), NEG(-1), 0),
	V(P_SIGNED, NATIVE, "kill", ERR(111), 0xffffffff, 0),
	V(P_SIGNED, NATIVE, "kill", ERR(111), HI(1) | 0xffffffff, 0),
	V(P_SIGNED, NATIVE, "kill", ERR(111), 0x80000000, 0),
	V(P_SIGNED, NATIVE, "kill", ERR(111), 0, 0),
	V(P_SIGNED, NATIVE, "kill", ERR(111), HI(1), 0),
	V(P_SIGNED, NATIVE, "getpid", ERR(112), 4),
	V(P_SIGNED, NATIVE, "getpid", ERR(111), NEG(-1)),
	V(P_SIGNED, NATIVE, "getpid", ERR(111), HI(1)),
	/* <=, >= on signed 32 and 64 bits */
	V(P_SIGNED_RANGES, NATIVE, "kill", ERR(113), NEG(-2), 0),
	V(P_SIGNED_RANGES, NATIVE, "kill", ERR(113), 0xfffffffe, 0),
	V(P_SIGNED_RANGES, NATIVE, "kill", ERR(113), 0x80000000, 0),
	V(P_SIGNED_RANGES, NATIVE, "kill", ERR(113), NEG(-12345), 0),
	V(P_SIGNED_RANGES, NATIVE, "kill", ALLOW, NEG(-1), 0),
	V(P_SIGNED_RANGES, NATIVE, "kill", ALLOW, HI(5) | 0xffffffff, 0),
	V(P_SIGNED_RANGES, NATIVE, "kill", ALLOW, 1, 0),
	V(P_SIGNED_RANGES, NATIVE, "kill", ERR(114), 0x40000000, 0),
	V(P_SIGNED_RANGES, NATIVE, "kill", ERR(114), 0x7fffffff, 0),
	V(P_SIGNED_RANGES, NATIVE, "kill", ERR(114), HI(1) | 0x40000000, 0),
	V(P_SIGNED_RANGES, NATIVE, "kill", ALLOW, 0x3fffffff, 0),
	V(P_SIGNED_RANGES, NATIVE, "kill", ERR(115), 0x3fffffff, 0xffffffff),
	V(P_SIGNED_RANGES, NATIVE, "lseek", ERR(116), NEG(-1), NEG(-0x100000000), 0),
	V(P_SIGNED_RANGES, NATIVE, "lseek", ERR(116), NEG(-1), 0x8000000000000000, 0),
	V(P_SIGNED_RANGES, NATIVE, "lseek", ALLOW, NEG(-1), NEG(-0xffffffff), 0),
	V(P_SIGNED_RANGES, NATIVE, "lseek", ALLOW, NEG(-1), NEG(-1), 0),
	V(P_SIGNED_RANGES, NATIVE, "lseek", ERR(117), NEG(-1), 0x7fffffff00000000, 0),
	V(P_SIGNED_RANGES, NATIVE, "lseek", ERR(117), NEG(-1), 0x7fffffffffffffff, 0),
	V(P_SIGNED_RANGES, NATIVE, "lseek", ALLOW, NEG(-1), 0x7ffffffeffffffff, 0),
	V(P_SIGNED_RANGES, NATIVE, "getpgid", ERR(118), 0),
	V(P_SIGNED_RANGES, NATIVE, "getpgid", ERR(118), 4),
	V(P_SIGNED_RANGES, NATIVE, "getpgid", ERR(118), HI(1) | 4),
	V(P_SIGNED_RANGES, NATIVE, "getpgid", ALLOW, 5),
	V(P_SIGNED_RANGES, NATIVE, "getpgid", ALLOW, NEG(-1)),
	V(P_SIGNED_RANGES, NATIVE, "getpgid", ALLOW, 0xffffffff),
	V(P_SIGNED_RANGES, NATIVE, "getpgid", ALLOW, 0x80000000),
	V(P_SIGNED_RANGES, NATIVE, "lseek", ERR(119), NEG(-1), 0, 4),
	V(P_SIGNED_RANGES, NATIVE, "lseek", ERR(119), NEG(-1), 9, 4),
	V(P_SIGNED_RANGES, NATIVE, "lseek", ALLOW, NEG(-1), 10, 4),
	V(P_SIGNED_RANGES, NATIVE, "lseek", ALLOW, NEG(-1), HI(1), 4),
	V(P_SIGNED_RANGES, NATIVE, "lseek", ALLOW, NEG(-1), HI(1) | 5, 4),
	V(P_SIGNED_RANGES, NATIVE, "lseek", ALLOW, NEG(-1), NEG(-5), 4),
	V(P_SIGNED_RANGES, NATIVE, "lseek", ALLOW, NEG(-1), 0xffffffff00000003, 4),
};

static const struct vector logic_vectors[] = {
	V(P_LOGIC, NATIVE, "openat", ERR(121), NEG(-1), 0, O_RDONLY),
	V(P_LOGIC, NATIVE, "openat", ERR(121), NEG(-1), 0, O_RDONLY | O_CLOEXEC | O_CREAT),
	V(P_LOGIC, NATIVE, "openat", ERR(121), NEG(-1), 0, HI(1) | O_RDONLY),
	V(P_LOGIC, NATIVE, "openat", ERR(122), NEG(-1), 0, O_WRONLY | O_CREAT),
	V(P_LOGIC, NATIVE, "openat", ERR(122), NEG(-1), 0, O_RDWR | O_TRUNC),
	V(P_LOGIC, NATIVE, "openat", ERR(123), NEG(-1), 0, O_WRONLY),
	V(P_LOGIC, NATIVE, "openat", ERR(123), NEG(-1), 0, HI(1) | O_WRONLY),
	V(P_LOGIC, NATIVE, "openat", ERR(123), NEG(-1), 0, O_RDWR | O_APPEND),
	V(P_LOGIC, NATIVE, "openat", ALLOW, NEG(-1), 0, O_WRONLY | O_APPEND),
	V(P_LOGIC, NATIVE, "openat", ALLOW, NEG(-1), 0, O_WRONLY | O_CLOEXEC),
	V(P_LOGIC, NATIVE, "openat", ALLOW, NEG(-1), 0, O_RDWR),
	V(P_LOGIC, NATIVE, "openat", ERR(124), NEG(-1), 0, O_ACCMODE),
	V(P_LOGIC, NATIVE, "openat", ERR(124), NEG(-1), 0, O_ACCMODE | O_APPEND),
	V(P_LOGIC, NATIVE, "gettid", ERR(131), 0, 7),
	V(P_LOGIC, NATIVE, "gettid", ERR(131), HI(1) | 1, 7),
	V(P_LOGIC, NATIVE, "gettid", ERR(133), 1, 7),
	V(P_LOGIC, NATIVE, "gettid", ERR(132), 4, 0),
	V(P_LOGIC, NATIVE, "gettid", ERR(132), 2, 5),
	V(P_LOGIC, NATIVE, "gettid", ERR(132), 1, 0, 9),
	V(P_LOGIC, NATIVE, "gettid", ERR(133), 1, 0, 8),
	V(P_LOGIC, NATIVE, "gettid", ALLOW, 1, 5),
	V(P_LOGIC, NATIVE, "gettid", ERR(134), 1, 5, 0, 0x35),
	V(P_LOGIC, NATIVE, "gettid", ERR(134), 1, 5, 0, 0x135),
	V(P_LOGIC, NATIVE, "gettid", ALLOW, 1, 5, 0, 0x25),
	V(P_LOGIC, NATIVE, "gettid", ERR(134), 1, 5, 0, 0x25, 0x1ff),
	V(P_LOGIC, NATIVE, "gettid", ALLOW, 1, 5, 0, 0x25, 0x1000001ff),
	V(P_LOGIC, NATIVE, "gettid", ALLOW, 1, 5, 0, 0x25, 0x2ff),
};

static const struct vector i386_vectors[] = {
	V(P_I386, I386, "getppid", ERR(141)),
	V(P_I386, I386, "getpid", ALLOW),
	V(P_I386, I386, "getpid", ALLOW, NEG(-1), NEG(-1), NEG(-1), NEG(-1), NEG(-1), NEG(-1)),
	V(P_I386, I386, "ioctl", ERR(142), NEG(-1), TIOCSTI),
	V(P_I386, I386, "ioctl", ERR(142), HI(0xdeadbeef) | 0xffffffff, HI(0xdeadbeef) | TIOCSTI),
	V(P_I386, I386, "ioctl", ERR(142), NEG(-1), HI(1) | TIOCSTI),
	V(P_I386, I386, "ioctl", ALLOW, NEG(-1), TIOCSTI + 1),
	V(P_I386, I386, "ioctl", ALLOW, NEG(-1), HI(TIOCSTI)),
	V(P_I386, I386, "kill", ERR(143), NEG(-1), 0),
	V(P_I386, I386, "kill", ERR(143), 0xffffffff, 0),
	V(P_I386, I386, "kill", ERR(143), HI(1) | 0xffffffff, 0),
	V(P_I386, I386, "kill", ERR(143), HI(0x7fffffff) | 0x80000000, 0),
	V(P_I386, I386, "kill", ALLOW, HI(0xffffffff) | 1, HI(0xffffffff)),
	V(P_I386, I386, "kill", ALLOW, 1, 0),
	V(P_I386, I386, "kill", ERR(140), HI(1), 0),
	V(P_I386, I386, "kill", ERR(140), 1, 0xffffffff),
	V(P_I386, I386, "fchmod", ERR(144), NEG(-1), 04755),
	V(P_I386, I386, "fchmod", ERR(144), NEG(-1), 0x10000 | 04755),
	V(P_I386, I386, "fchmod", ERR(144), NEG(-1), HI(1) | 04755),
	V(P_I386, I386, "fchmod", ERR(144), NEG(-1), NEG(-0x10000) | 04755),
	V(P_I386, I386, "fchmod", ALLOW, NEG(-1), 0755),
	V(P_I386, I386, "gettid", TRAP, 0x12345678),
	V(P_I386, I386, "gettid", TRAP, HI(0xabcd) | 0x12345678),
	V(P_I386, I386, "gettid", ERR(145), 0, 0, 0, 0, 0, 0xfffffffe),
	V(P_I386, I386, "gettid", ERR(145), 0, 0, 0, 0, 0, HI(1) | 0xfffffffe),
	V(P_I386, I386, "gettid", ERR(145), 0, 0, 0, 0, 0, NEG(-2)),
	V(P_I386, I386, "gettid", ERR(140), 0, 0, 0, 0, 0, 0xfffffffd),
	V(P_I386, I386, "gettid", ERR(140), 0, 0, 0, 0, 0xfffffffe, 0),
	V(P_I386, I386, "mkdir", ERR(140), 0, 0),
	N(P_I386, I386, HI(1) | 64, ERR(141)),
	N(P_I386, I386, 1000, ERR(140)),
	N(P_I386, I386, 0x3fffffff, ERR(140)),
	N(P_I386, I386, 0x7fffffff, ERR(140)),
	N(P_I386, I386, 0xffffffff, ERR(140)),
	/* The same policy, natively. */
	V(P_I386, NATIVE, "getppid", ERR(141)),
	V(P_I386, NATIVE, "ioctl", ERR(142), NEG(-1), HI(1) | TIOCSTI),
	V(P_I386, NATIVE, "kill", ERR(143), NEG(-1), 0),
	V(P_I386, NATIVE, "fchmod", ERR(144), NEG(-1), 0x10000 | 04755),
	V(P_I386, NATIVE, "gettid", ERR(140), HI(0xabcd) | 0x12345678),
	V(P_I386, NATIVE, "gettid", TRAP, 0x12345678),
	V(P_I386, X32, "getppid", KILL),
	N(P_I386, NATIVE, 0x7fffffff, KILL),
};

static const struct vector x32_vectors[] = {
	V(P_X32, X32, "getppid", ERR(151)),
	V(P_X32, X32, "getpid", ERR(152), 7),
	V(P_X32, X32, "getpid", ALLOW, 0),
	V(P_X32, X32, "getpid", ALLOW, HI(1) | 7),
	V(P_X32, X32, "ioctl", ERR(153), NEG(-1), TIOCSTI),
	V(P_X32, X32, "ioctl", ERR(153), NEG(-1), HI(1) | TIOCSTI),
	V(P_X32, X32, "ioctl", ALLOW, NEG(-1), TIOCSTI + 1),
	V(P_X32, X32, "gettid", ERR(150)),
	N(P_X32, X32, 1000, ERR(150)),
	N(P_X32, X32, 0x3fffffff, ERR(150)),
	N(P_X32, NATIVE, 0x7fffffff, ERR(150)),
	N(P_X32, NATIVE, 0xffffffff, ERR(150)),
	N(P_X32, NATIVE, 0x80000000, ERR(150)),
	/* x86_64 numbers are still x86_64 ones. */
	V(P_X32, NATIVE, "getppid", ERR(151)),
	V(P_X32, NATIVE, "getpid", ERR(152), 7),
	V(P_X32, NATIVE, "getpid", ALLOW, 0),
	V(P_X32, NATIVE, "ioctl", ERR(153), NEG(-1), HI(1) | TIOCSTI),
	N(P_X32, NATIVE, 1000, ERR(150)),
	V(P_X32, I386, "getppid", KILL),
};

/* Bit tests in the dispatch: every number of the pattern's neighbourhood.
 * The allowed calls fail harmlessly: alarm(0) cancels nothing, the others
 * get invalid arguments (EINVAL, EAFNOSUPPORT, EBADF). */
static const struct vector bit_vectors[] = {
	V(P_BITS, NATIVE, "getitimer", ERR(201), NEG(-1)),
	V(P_BITS, NATIVE, "alarm", ALLOW, 0),
	V(P_BITS, NATIVE, "setitimer", ALLOW, NEG(-1)),
	V(P_BITS, NATIVE, "getpid", ALLOW),
	V(P_BITS, NATIVE, "sendfile", ERR(201), NEG(-1), NEG(-1)),
	V(P_BITS, NATIVE, "socket", ALLOW, NEG(-1), NEG(-1)),
	V(P_BITS, NATIVE, "connect", ALLOW, NEG(-1)),
	V(P_BITS, NATIVE, "accept", ALLOW, NEG(-1)),
	V(P_BITS, NATIVE, "sendto", ALLOW, NEG(-1)),
	V(P_BITS_BROKEN, NATIVE, "getitimer", ERR(201), NEG(-1)),
	V(P_BITS_BROKEN, NATIVE, "alarm", ALLOW, 0),
	V(P_BITS_BROKEN, NATIVE, "getpid", ALLOW),
	V(P_BITS_BROKEN, NATIVE, "sendfile", ERR(201), NEG(-1), NEG(-1)),
	V(P_BITS_BROKEN, NATIVE, "socket", ALLOW, NEG(-1), NEG(-1)),
	V(P_BITS_BROKEN, NATIVE, "connect", ERR(201), NEG(-1)),
	V(P_BITS_BROKEN, NATIVE, "accept", ALLOW, NEG(-1)),
	V(P_BITS_BROKEN, NATIVE, "sendto", ALLOW, NEG(-1)),
};

/* ---- running them ----------------------------------------------------------- */

static size_t vectors_run;

static int setup(void **state)
{
	(void)state;
	for (int p = 0; p < P_COUNT; p++)
		programs[p] = live_compile(policy_text[p], &policies[p]);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (int p = 0; p < P_COUNT; p++) {
		syscage_program_free(programs[p]);
		syscage_policy_free(policies[p]);
	}
	fprintf(stderr, "[ vectors  ] %zu vectors, each checked three ways\n", vectors_run);
	return 0;
}

static const char *policy_name(enum policy_id p)
{
	static const char *const names[P_COUNT] = {
		"P_ACTIONS", "P_ORDER", "P_DEFAULT_ERRNO", "P_DEFAULT_KILL",
		"P_DEFAULT_KILL_THREAD", "P_DEFAULT_TRAP", "P_DEFAULT_LOG", "P_DEFAULT_TRACE",
		"P_DEFAULT_NOTIFY", "P_WIDTHS", "P_SIGNED", "P_SIGNED_RANGES", "P_LOGIC", "P_I386",
		"P_X32", "P_BITS", "P_BITS_BROKEN",
	};
	return names[p];
}

/* Checks one vector three ways; prints every disagreement. */
static bool check_vector(const struct vector *v, size_t index, const char *table)
{
	const char *arch = live_mode_name(v->mode);
	uint64_t nr = v->nr;
	char where[256];
	bool ok;

	if (v->sys) {
		long n = syscage_syscall_number(arch, v->sys);

		if (n < 0) {
			fprintf(stderr, "%s[%zu]: no syscall %s on %s\n", table, index, v->sys, arch);
			return false;
		}
		nr = (uint64_t)n;
	}
	snprintf(where, sizeof(where),
		 "%s[%zu] %s: %s %s (nr %#x) args %#llx %#llx %#llx %#llx %#llx %#llx", table,
		 index, policy_name(v->policy), arch, v->sys ? v->sys : "raw",
		 live_seen_nr(v->mode, nr), (unsigned long long)v->args[0],
		 (unsigned long long)v->args[1], (unsigned long long)v->args[2],
		 (unsigned long long)v->args[3], (unsigned long long)v->args[4],
		 (unsigned long long)v->args[5]);
	ok = live_agree(policies[v->policy], programs[v->policy], v->mode, nr, v->args, v->expect,
			where, NULL);
	vectors_run++;
	return ok;
}

static void run_table(const struct vector *table, size_t n, const char *name)
{
	size_t failed = 0;

	for (size_t i = 0; i < n; i++)
		failed += !check_vector(&table[i], i, name);
	if (failed)
		fail_msg("%zu of %zu vectors of %s disagree (see above)", failed, n, name);
}

#define RUN_TABLE(t) run_table(t, sizeof(t) / sizeof(t[0]), #t)

static void test_actions(void **state)
{
	(void)state;
	RUN_TABLE(action_vectors);
}

static void test_order(void **state)
{
	(void)state;
	RUN_TABLE(order_vectors);
}

static void test_numbers(void **state)
{
	(void)state;
	RUN_TABLE(number_vectors);
}

static void test_widths(void **state)
{
	(void)state;
	RUN_TABLE(width_vectors);
}

static void test_signed(void **state)
{
	(void)state;
	RUN_TABLE(signed_vectors);
}

static void test_logic(void **state)
{
	(void)state;
	RUN_TABLE(logic_vectors);
}

static void test_i386(void **state)
{
	(void)state;
	RUN_TABLE(i386_vectors);
}

static void test_bits(void **state)
{
	(void)state;
	RUN_TABLE(bit_vectors);
}

static void test_x32(void **state)
{
	(void)state;
	RUN_TABLE(x32_vectors);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_widths),
		cmocka_unit_test(test_signed),
		cmocka_unit_test(test_logic),
		cmocka_unit_test(test_i386),
		cmocka_unit_test(test_x32),
		cmocka_unit_test(test_bits),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
