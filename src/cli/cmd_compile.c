/* syscage compile: a policy to a verified seccomp-BPF program. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static const char usage_text[] =
	"usage: syscage compile -p POLICY [--arch ARCH[,ARCH...]] [--format bpf|c|asm]\n"
	"                       [-o OUT] [--stats]\n\n"
	"Compiles POLICY to a seccomp-BPF program, verifies it against the policy, and\n"
	"writes it to OUT (default: standard output).\n\n"
	"  -p, --policy POLICY   the policy file\n"
	"      --arch LIST       arches to cover, replacing the policy's 'arch' statement\n"
	"  -f, --format FORMAT   bpf: raw struct sock_filter array, as bubblewrap's\n"
	"                        --seccomp FD reads it (the default)\n"
	"                        c:   a C array\n"
	"                        asm: a listing with labels and the policy line of each block\n"
	"  -o, --output OUT      write there instead of standard output\n"
	"      --stats           print to stderr: program length, instructions executed per\n"
	"                        syscall, which syscalls the kernel's cache skips, and the\n"
	"                        names that do not exist on an arch\n";

static int parse_format(const char *name, enum syscage_format *out)
{
	static const struct {
		const char *name;
		enum syscage_format format;
	} formats[] = { { "bpf", SYSCAGE_FORMAT_BPF }, { "c", SYSCAGE_FORMAT_C },
			{ "asm", SYSCAGE_FORMAT_ASM } };

	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (strcmp(name, formats[i].name) == 0) {
			*out = formats[i].format;
			return 0;
		}
	}
	return cli_error("unknown format '%s'; use bpf, c or asm", name);
}

int cmd_compile(int argc, char **argv)
{
	static const struct option options[] = {
		{ "policy", required_argument, NULL, 'p' }, { "arch", required_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' }, { "output", required_argument, NULL, 'o' },
		{ "stats", no_argument, NULL, 's' },	    { "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *policy_path = NULL, *arches = NULL, *out_path = NULL;
	enum syscage_format format = SYSCAGE_FORMAT_BPF;
	bool stats = false;
	int c, status = EXIT_USAGE;

	while ((c = getopt_long(argc, argv, "p:f:o:h", options, NULL)) != -1) {
		switch (c) {
		case 'p': policy_path = optarg; break;
		case 'a': arches = optarg; break;
		case 'f':
			if (parse_format(optarg, &format))
				return EXIT_USAGE;
			break;
		case 'o': out_path = optarg; break;
		case 's': stats = true; break;
		case 'h': fputs(usage_text, stdout); return 0;
		default: fputs(usage_text, stderr); return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_error("compile: unexpected argument '%s'; the policy goes after -p",
				 argv[optind]);
	if (!policy_path)
		return cli_error("compile: which policy? give it with -p POLICY");
	if (format == SYSCAGE_FORMAT_BPF && !out_path && isatty(STDOUT_FILENO))
		return cli_error("compile: the bpf format is binary; write it to a file with -o, "
				 "or choose --format asm to read it");

	struct syscage_policy *policy = cli_load_policy(policy_path, arches);
	if (!policy)
		return EXIT_USAGE;
	struct syscage_diagnostics *diags = syscage_diagnostics_new();
	struct syscage_program *prog = NULL;
	char *buf = NULL;
	size_t len = 0;
	int err = diags ? syscage_compile(policy, diags, &prog) : -ENOMEM;

	if (diags)
		cli_print_diagnostics(diags);
	if (err == -ENOMEM)
		cli_error("out of memory");
	else if (err)
		fprintf(stderr, "syscage: %s: nothing was written\n", policy_path);
	if (!err && (err = syscage_program_format(prog, format, &buf, &len)) != 0)
		cli_error("cannot format the program: %s", strerror(-err));
	if (!err)
		status = cli_write_output(out_path, buf, len);
	free(buf);
	if (!err && !status && stats) {
		if (syscage_program_format(prog, SYSCAGE_FORMAT_STATS, &buf, &len) == 0)
			fputs(buf, stderr);
		free(buf);
	}
	syscage_program_free(prog);
	syscage_diagnostics_free(diags);
	syscage_policy_free(policy);
	return err ? EXIT_USAGE : status;
}
