/* syscage export: a policy as an OCI seccomp profile for runc, crun, Podman. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "oci.h"

static const char usage_text[] =
	"usage: syscage export --to oci -p POLICY [--arch LIST] [-o OUT.json]\n\n"
	"Writes POLICY as an OCI seccomp profile that runc, crun and Podman (through\n"
	"libseccomp) enforce with the same meaning. First-match rules become entries\n"
	"that do not overlap; argument conditions become exact bit patterns\n"
	"(SCMP_CMP_MASKED_EQ), so 32-bit and signed arguments keep their meaning.\n"
	"What JSON cannot say with the same meaning is refused, naming the policy line.\n\n"
	"  --to oci        the format (the only one for now)\n"
	"  -p, --policy    the policy\n"
	"  --arch LIST     arches to cover, replacing the policy's 'arch' statement\n"
	"  -o OUT          write there instead of standard output\n";

int cmd_export(int argc, char **argv)
{
	static const struct option options[] = {
		{ "to", required_argument, NULL, 't' },	    { "policy", required_argument, NULL, 'p' },
		{ "arch", required_argument, NULL, 'a' },   { "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },	    { 0 },
	};
	const char *to = NULL, *policy_path = NULL, *arches = NULL, *out_path = NULL;
	int c;

	while ((c = getopt_long(argc, argv, "p:o:h", options, NULL)) != -1) {
		switch (c) {
		case 't': to = optarg; break;
		case 'p': policy_path = optarg; break;
		case 'a': arches = optarg; break;
		case 'o': out_path = optarg; break;
		case 'h': fputs(usage_text, stdout); return 0;
		default: fputs(usage_text, stderr); return EXIT_USAGE;
		}
	}
	if (!to || strcmp(to, "oci") != 0)
		return cli_error("export: say the format with --to oci");
	if (!policy_path)
		return cli_error("export: which policy? give it with -p POLICY");
	if (optind < argc)
		return cli_error("export: unexpected argument '%s'", argv[optind]);
	struct syscage_policy *policy = cli_load_policy(policy_path, arches);
	if (!policy)
		return EXIT_USAGE;
	struct syscage_diagnostics *diags = syscage_diagnostics_new();
	char *json = NULL;
	int err = diags ? oci_export(policy, diags, &json) : -1;
	if (diags)
		cli_print_diagnostics(diags);
	int status = err ? cli_error("export: %s: nothing was written", policy_path)
			 : cli_write_output(out_path, json, strlen(json));
	free(json);
	syscage_diagnostics_free(diags);
	syscage_policy_free(policy);
	return status;
}
