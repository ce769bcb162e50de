/* syscage: the command line. One file per subcommand, dispatched from a table. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct command commands[] = {
	{ "run", cmd_run, "run a command under a policy, explaining every refusal" },
	{ "strict", cmd_strict, "run compute code in seccomp strict mode (read, write, exit)" },
	{ "compile", cmd_compile, "compile a policy to seccomp-BPF (raw, C or a listing)" },
	{ "check", cmd_check, "say what a policy decides for one syscall" },
	{ "syscalls", cmd_syscalls, "list syscalls, numbers and signatures per arch" },
	{ "groups", cmd_groups, "list the built-in syscall groups and their members" },
	{ "import", cmd_import, "read an OCI (Docker) seccomp profile as a policy" },
	{ "export", cmd_export, "write a policy as an OCI seccomp profile (runc, crun)" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: syscage COMMAND [OPTIONS]\n\n"
		   "Write seccomp policies that are easy to read and safe to load.\n\n"
		   "commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'syscage COMMAND --help' describes a command; doc/policy-language.md the policies.\n"
		   "Exit status: 0 on success, 125 on a bad policy or bad usage.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("syscage %s\n", SYSCAGE_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	}
	cli_error("unknown command '%s'; 'syscage --help' lists the commands", argv[1]);
	return EXIT_USAGE;
}
