#include "oci_names.h"

#include <string.h>

#include "arch.h"
#include "oci.h"

static const struct oci_action actions[] = {
	{ "SCMP_ACT_ALLOW", SYSCAGE_ACTION_ALLOW, "allow" },
	{ "SCMP_ACT_ERRNO", SYSCAGE_ACTION_ERRNO, "errno" },
	/* libseccomp's SCMP_ACT_KILL is SECCOMP_RET_KILL_THREAD. */
	{ "SCMP_ACT_KILL", SYSCAGE_ACTION_KILL_THREAD, "kill-thread" },
	{ "SCMP_ACT_KILL_THREAD", SYSCAGE_ACTION_KILL_THREAD, "kill-thread" },
	{ "SCMP_ACT_KILL_PROCESS", SYSCAGE_ACTION_KILL_PROCESS, "kill" },
	{ "SCMP_ACT_TRAP", SYSCAGE_ACTION_TRAP, "trap" },
	{ "SCMP_ACT_TRACE", SYSCAGE_ACTION_TRACE, "trace" },
	{ "SCMP_ACT_LOG", SYSCAGE_ACTION_LOG, "log" },
	{ "SCMP_ACT_NOTIFY", SYSCAGE_ACTION_NOTIFY, "notify" },
};

const struct oci_action *oci_action_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		if (strcmp(actions[i].scmp_name, name) == 0)
			return &actions[i];
	}
	return NULL;
}

const char *oci_action_name(enum syscage_action kind)
{
	/* The explicit names first: SCMP_ACT_KILL_THREAD over SCMP_ACT_KILL. */
	for (size_t i = sizeof(actions) / sizeof(actions[0]); i-- > 0;) {
		if (actions[i].kind == kind)
			return actions[i].scmp_name;
	}
	return NULL;
}

static const char *const scmp_arches[ARCH_COUNT] = {
	[ARCH_X86_64] = "SCMP_ARCH_X86_64", [ARCH_I386] = "SCMP_ARCH_X86",
	[ARCH_X32] = "SCMP_ARCH_X32",	    [ARCH_AARCH64] = "SCMP_ARCH_AARCH64",
	[ARCH_ARM] = "SCMP_ARCH_ARM",	    [ARCH_RISCV64] = "SCMP_ARCH_RISCV64",
};

const char *oci_scmp_arch_name(int arch)
{
	return arch >= 0 && arch < ARCH_COUNT ? scmp_arches[arch] : NULL;
}

int oci_arch_by_scmp_name(const char *name)
{
	for (int a = 0; a < ARCH_COUNT; a++) {
		if (strcmp(scmp_arches[a], name) == 0)
			return a;
	}
	return -1;
}

const char *const *oci_go_arch_names(int arch)
{
	static const char *const names[ARCH_COUNT][4] = {
		[ARCH_X86_64] = { "amd64", "x86_64", NULL },
		[ARCH_I386] = { "x86", "386", "i386", NULL },
		[ARCH_X32] = { "x32", NULL },
		[ARCH_AARCH64] = { "arm64", "aarch64", NULL },
		[ARCH_ARM] = { "arm", NULL },
		[ARCH_RISCV64] = { "riscv64", NULL },
	};
	return names[arch];
}

int oci_is_profile_path(const char *path)
{
	size_t len = strlen(path);

	return len > 5 && strcmp(path + len - 5, ".json") == 0;
}
