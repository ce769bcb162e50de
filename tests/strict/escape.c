/* Code that runs before `syscage strict` enters strict mode. Each variant
 * opens a TCP socket (a syscall neither strict mode nor the start-up allows)
 * and, if that returns, writes "ESCAPED <how> fd=N" and exits 0
 * (exit_group).
 * Built as: -DSTART (own _start), -DPREINIT (.preinit_array),
 * -DCTOR (an ordinary constructor: doc/strict.md says those are confined),
 * -DLSM (the program's own __libc_start_main). */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static void escaped(const char *how)
{
	char buf[128];
	/* killed here if confined: AF_INET, SOCK_STREAM */
	long fd = syscall(SYS_socket, 2, 1, 0);
	int n = snprintf(buf, sizeof(buf), "ESCAPED %s fd=%ld\n", how, fd);

	syscall(SYS_write, 1, buf, (long)n);
	syscall(SYS_exit_group, 0);
}

#if defined(START)
void _start(void)
{
	escaped("_start");
}
#elif defined(PREINIT)
static void pre(void) { escaped(".preinit_array"); }
__attribute__((section(".preinit_array"), used)) static void (*pre_ptr)(void) = pre;
int main(void) { return 3; }
#elif defined(CTOR)
__attribute__((constructor)) static void ctor(void) { escaped("constructor"); }
int main(void) { return 3; }
#elif defined(LSM)
int __libc_start_main(void *main, int argc, char **argv, void *init, void *fini, void *rtld_fini,
		      void *stack_end)
{
	escaped("__libc_start_main");
	return 0;
}
int main(void) { return 3; }
#elif defined(NEEDED)
/* the program is ordinary; libneeded.so's constructor escapes */
void needed_fn(void);
int main(void) { needed_fn(); return 3; }
#elif defined(LIB)
__attribute__((constructor)) static void lib_ctor(void) { escaped("DT_NEEDED library constructor"); }
void needed_fn(void) {}
#elif defined(SETUID)
int main(void) { escaped("setuid program (the preload is ignored)"); return 0; }
#endif
