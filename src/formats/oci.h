/*
 * OCI runtime-spec seccomp profiles (Docker, Podman, containerd, runc,
 * crun): JSON in (as a syscage policy) and out.
 *
 * This module is linked into the CLI, not into libsyscage: the library
 * needs nothing but libc, and JSON is read with jansson here.
 */
#ifndef SYSCAGE_FORMATS_OCI_H
#define SYSCAGE_FORMATS_OCI_H

#include "syscage.h"

/* What a profile is evaluated for: its includes and excludes name
 * capabilities, arches and a minimum kernel. */
struct oci_target {
	int arch;		/* enum arch_id: the native arch of the container */
	const char *caps;	/* comma-separated CAP_ names; NULL: Docker's default set */
	unsigned kernel;	/* major * 1000 + minor; 0: the running kernel */
};

/* Docker's default capabilities of an unprivileged container. */
extern const char oci_default_caps[];

/*
 * Reads the profile at path and writes an equivalent syscage policy as
 * text into *text (malloc'ed). Returns 0, -EINVAL (errors in diags, with
 * the JSON path of each: syscalls[12].args[0].op), or -ENOMEM. Warnings
 * (unknown fields, names unknown on the target) go to diags too.
 */
int oci_import(const char *path, const struct oci_target *target,
	       struct syscage_diagnostics *diags, char **text);

/*
 * Writes policy as an OCI profile (malloc'ed JSON in *json) that libseccomp
 * (runc, crun, Podman) enforces with the same meaning. Returns 0, -EINVAL
 * when something cannot be said in JSON with the same meaning (an error in
 * diags names the policy line), or -ENOMEM.
 */
int oci_export(const struct syscage_policy *policy, struct syscage_diagnostics *diags,
	       char **json);

/* True when path names a JSON profile rather than a policy (by its name). */
int oci_is_profile_path(const char *path);

#endif
