#include "landlock.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The kernel's values (linux/landlock.h); Debian 12's headers stop at ABI 3. */
#define ACCESS_FS_EXECUTE (1ULL << 0)
#define ACCESS_FS_READ_FILE (1ULL << 2)
#define ACCESS_FS_READ_DIR (1ULL << 3)
#define ACCESS_FS_ABI1 ((1ULL << 13) - 1)	/* execute .. make_sym */
#define ACCESS_FS_MAKE_BLOCK (1ULL << 11)
#define ACCESS_FS_REFER (1ULL << 13)		/* ABI 2 */
#define ACCESS_FS_TRUNCATE (1ULL << 14)		/* ABI 3 */
#define ACCESS_FS_IOCTL_DEV (1ULL << 15)	/* ABI 5 */
#define ACCESS_NET_ALL 3ULL			/* bind, connect TCP: ABI 4 */
#define SCOPE_SIGNAL 2ULL
#define SCOPE_ALL 3ULL				/* abstract unix, signal: ABI 6 */
#define CREATE_RULESET_VERSION 1U
#define RULE_PATH_BENEATH 1

struct ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

struct path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

int landlock_abi(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, CREATE_RULESET_VERSION);

	if (abi < 0)
		return errno == ENOSYS ? -EOPNOTSUPP : -errno;
	return (int)abi;
}

int landlock_restrict_to_reading(const char *const *paths)
{
	struct ruleset_attr attr = { 0 };
	size_t size = sizeof(attr.handled_access_fs);
	int abi = landlock_abi(), ruleset, err = 0;

	if (abi < 0)
		return abi;
	/* Everything this kernel's Landlock can refuse, is refused... */
	attr.handled_access_fs = ACCESS_FS_ABI1;
	if (abi >= 2)
		attr.handled_access_fs |= ACCESS_FS_REFER;
	if (abi >= 3)
		attr.handled_access_fs |= ACCESS_FS_TRUNCATE;
	if (abi >= 5)
		attr.handled_access_fs |= ACCESS_FS_IOCTL_DEV;
	if (abi >= 4) {
		attr.handled_access_net = ACCESS_NET_ALL;
		size = offsetof(struct ruleset_attr, scoped);
	}
	if (abi >= 6) {
		attr.scoped = SCOPE_ALL;
		size = sizeof(attr);
	}
	ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
	if (ruleset < 0)
		return -errno;
	/* ...but reading and executing beneath the paths given. */
	for (const char *const *p = paths; *p && !err; p++) {
		struct path_beneath_attr rule = {
			.allowed_access = ACCESS_FS_EXECUTE | ACCESS_FS_READ_FILE | ACCESS_FS_READ_DIR,
		};
		int fd = open(*p, O_PATH | O_CLOEXEC);

		if (fd < 0)
			continue;
		rule.parent_fd = fd;
		if (syscall(SYS_landlock_add_rule, ruleset, RULE_PATH_BENEATH, &rule, 0) < 0) {
			/* A regular file takes file rights only: retry without read_dir. */
			rule.allowed_access &= ~ACCESS_FS_READ_DIR;
			if (syscall(SYS_landlock_add_rule, ruleset, RULE_PATH_BENEATH, &rule, 0) < 0)
				err = -errno;
		}
		close(fd);
	}
	if (!err && syscall(SYS_landlock_restrict_self, ruleset, 0) < 0)
		err = -errno;
	close(ruleset);
	return err ? err : abi;
}

int landlock_isolate(int abi)
{
	struct ruleset_attr attr = { .handled_access_fs = ACCESS_FS_MAKE_BLOCK };
	size_t size = sizeof(attr.handled_access_fs);
	int ruleset, err = 0;

	if (abi < 0)
		return abi;
	if (abi >= 6) {
		attr.scoped = SCOPE_SIGNAL;
		size = sizeof(attr);
	}
	ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
	if (ruleset < 0)
		return -errno;
	if (syscall(SYS_landlock_restrict_self, ruleset, 0) < 0)
		err = -errno;
	close(ruleset);
	return err ? err : abi;
}
