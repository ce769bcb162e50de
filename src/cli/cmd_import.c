/* syscage import: an OCI (Docker, Podman) seccomp profile as a syscage policy. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "cli.h"
#include "oci.h"

static const char usage_text[] =
	"usage: syscage import [--arch ARCH] [--caps LIST] [--kernel VERSION] PROFILE.json\n"
	"                      [-o OUT.policy]\n\n"
	"Writes an OCI seccomp profile (Docker's, Podman's, a Kubernetes Localhost one) as\n"
	"a readable syscage policy with the same meaning on that target, and checks that\n"
	"it compiles.\n\n"
	"  --arch ARCH       the container's arch (default: the native one); the profile's\n"
	"                    archMap adds its sub-arches (x86_64: i386 and x32)\n"
	"  --caps LIST       the container's capabilities, comma-separated CAP_ names\n"
	"                    (default: those of an unprivileged Docker container)\n"
	"  --kernel VERSION  the kernel for minKernel (default: the running one)\n"
	"  -o OUT            write there instead of standard output\n";

int cli_import_profile(const char *path, const struct oci_target *target, char **text)
{
	struct syscage_diagnostics *diags = syscage_diagnostics_new();
	int err = diags ? oci_import(path, target, diags, text) : -1;

	if (diags)
		cli_print_diagnostics(diags);
	syscage_diagnostics_free(diags);
	return err;
}

int cmd_import(int argc, char **argv)
{
	static const struct option options[] = {
		{ "arch", required_argument, NULL, 'a' }, { "caps", required_argument, NULL, 'c' },
		{ "kernel", required_argument, NULL, 'k' }, { "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },	  { 0 },
	};
	struct oci_target target = { .arch = (int)arch_native() };
	const char *out_path = NULL;
	unsigned major, minor;
	char *text = NULL;
	int c;

	while ((c = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
		switch (c) {
		case 'a':
			target.arch = arch_from_name(optarg);
			if (target.arch < 0)
				return cli_error("import: unknown architecture '%s'", optarg);
			break;
		case 'c': target.caps = optarg; break;
		case 'k':
			if (sscanf(optarg, "%u.%u", &major, &minor) != 2)
				return cli_error("import: --kernel takes a version such as 6.1, not '%s'",
						 optarg);
			target.kernel = major * 1000 + minor;
			break;
		case 'o': out_path = optarg; break;
		case 'h': fputs(usage_text, stdout); return 0;
		default: fputs(usage_text, stderr); return EXIT_USAGE;
		}
	}
	if (optind + 1 != argc)
		return cli_error("import: give one profile, for example: syscage import default.json");
	if (cli_import_profile(argv[optind], &target, &text))
		return cli_error("import: %s: nothing was written", argv[optind]);
	/* What is written must compile: check it as it will be read. */
	struct syscage_diagnostics *diags = syscage_diagnostics_new();
	struct syscage_policy *policy = NULL;
	struct syscage_program *prog = NULL;
	int err = diags ? syscage_policy_parse(out_path ? out_path : "<import>", text, strlen(text),
					       NULL, diags, &policy)
			: -1;
	if (!err)
		err = syscage_compile(policy, diags, &prog);
	if (diags)
		cli_print_diagnostics(diags);
	int status = err ? cli_error("import: the imported policy does not compile (a bug in "
				     "syscage); nothing was written")
			 : cli_write_output(out_path, text, strlen(text));
	syscage_program_free(prog);
	syscage_policy_free(policy);
	syscage_diagnostics_free(diags);
	free(text);
	return status;
}
