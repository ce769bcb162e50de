/* The names OCI profiles use for actions, arches and comparisons. */
#ifndef SYSCAGE_FORMATS_OCI_NAMES_H
#define SYSCAGE_FORMATS_OCI_NAMES_H

#include "syscage.h"

struct oci_action {
	const char *scmp_name;		/* "SCMP_ACT_ERRNO" */
	enum syscage_action kind;
	const char *policy_word;	/* "errno" */
};

/* The action of an SCMP_ACT_ name, or NULL. */
const struct oci_action *oci_action_by_name(const char *name);

/* The SCMP_ACT_ name of an action kind. */
const char *oci_action_name(enum syscage_action kind);

/* SCMP_ARCH_ names: of an arch_id, and back (-1 when unknown). */
const char *oci_scmp_arch_name(int arch);
int oci_arch_by_scmp_name(const char *name);

/* The names profiles' includes/excludes use for an arch (Go's and others),
 * NULL-terminated. */
const char *const *oci_go_arch_names(int arch);

#endif
