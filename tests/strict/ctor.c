/*
 * A constructor runs before main: under `syscage strict` it is confined
 * too, so its getpid ends the program before main. Natively it prints
 * "constructor pid ok" and main prints "main".
 */
#include <stdio.h>
#include <unistd.h>

static int pid_seen;

__attribute__((constructor)) static void before_main(void)
{
	pid_seen = getpid() > 0;
}

int main(void)
{
	printf("constructor pid %s\nmain\n", pid_seen ? "ok" : "missing");
	return 0;
}
