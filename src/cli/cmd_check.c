/* syscage check: what a policy decides for one syscall with given arguments. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "cli.h"

static const char usage_text[] =
	"usage: syscage check -p POLICY [--arch ARCH] SYSCALL [ARG...]\n\n"
	"Prints the action POLICY takes for SYSCALL (a name or a number) called with\n"
	"ARGs (numbers or constant names such as O_RDONLY; missing ones are 0), and the\n"
	"policy line that decides it, for example:  errno EACCES  web.policy:5\n\n"
	"  -p, --policy POLICY   the policy file\n"
	"      --arch ARCH       the arch of the call (default: the native one, or the\n"
	"                        policy's first arch when it does not cover the native one)\n";

static int pick_arch(const char *name, const char *policy_arches, int *out)
{
	(void)policy_arches;
	if (name) {
		*out = arch_from_name(name);
		if (*out < 0)
			return cli_error("check: unknown architecture '%s'", name);
		return 0;
	}
	*out = (int)arch_native();
	return 0;
}

int cmd_check(int argc, char **argv)
{
	static const struct option options[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "arch", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *policy_path = NULL, *arch_name = NULL;
	uint64_t args[6] = { 0 };
	int c, arch;

	/* '+': stop at the first operand, so negative arguments are not options. */
	while ((c = getopt_long(argc, argv, "+p:h", options, NULL)) != -1) {
		switch (c) {
		case 'p': policy_path = optarg; break;
		case 'a': arch_name = optarg; break;
		case 'h': fputs(usage_text, stdout); return 0;
		default: fputs(usage_text, stderr); return EXIT_USAGE;
		}
	}
	if (!policy_path)
		return cli_error("check: which policy? give it with -p POLICY");
	if (optind >= argc)
		return cli_error("check: which syscall? for example: syscage check -p %s openat",
				 policy_path);
	if (argc - optind - 1 > 6)
		return cli_error("check: a syscall has at most 6 arguments");
	if (pick_arch(arch_name, NULL, &arch))
		return EXIT_USAGE;

	const char *call = argv[optind];
	const struct arch_info *ai = arch_info(arch);
	char *end;
	long nr = strtol(call, &end, 0);
	if (*end || end == call) {
		nr = syscage_syscall_number(ai->name, call);
		if (nr < 0)
			return cli_error("check: '%s' is not a syscall of %s; 'syscage syscalls %s' "
					 "looks it up", call, ai->name, call);
	}
	for (int i = optind + 1; i < argc; i++) {
		unsigned long long v;

		if (!cli_parse_value(argv[i], &v))
			return cli_error("check: argument %d '%s' is neither a number nor a known "
					 "constant", i - optind - 1, argv[i]);
		args[i - optind - 1] = v;
	}

	struct syscage_policy *policy = cli_load_policy(policy_path, NULL);
	struct syscage_verdict verdict;
	char action[48];

	if (!policy)
		return EXIT_USAGE;
	syscage_policy_evaluate(policy, ai->audit_arch, (uint32_t)nr, args, &verdict);
	syscage_action_describe(&verdict, action, sizeof(action));
	if (verdict.line == 0)
		printf("%s  (%s is not covered by the policy: every call is killed)\n", action,
		       arch == ARCH_X86_64 && (uint32_t)nr >= ARCH_X32_SYSCALL_BIT ? "x32" : ai->name);
	else
		printf("%s  %s:%u%s\n", action, verdict.file, verdict.line,
		       verdict.is_default ? " (default)" : "");
	syscage_policy_free(policy);
	return 0;
}
