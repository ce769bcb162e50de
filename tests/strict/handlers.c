/*
 * Exit handlers of every kind, in the order glibc's exit runs them (the
 * reverse of their registration, whatever the kind), then the program's
 * __attribute__((destructor)). Registered: on_exit "first", atexit,
 * on_exit "third". Natively, returning 3 from main prints:
 *   on_exit 3 third / atexit / on_exit 3 first / destructor attribute
 */
#include <stdio.h>
#include <stdlib.h>

static void on_exit_handler(int status, void *arg)
{
	printf("on_exit %d %s\n", status, (const char *)arg);
}

static void atexit_handler(void)
{
	printf("atexit\n");
}

__attribute__((destructor)) static void destructor(void)
{
	printf("destructor attribute\n");
}

int main(void)
{
	on_exit(on_exit_handler, "first");
	atexit(atexit_handler);
	on_exit(on_exit_handler, "third");
	printf("main\n");
	return 3;
}
