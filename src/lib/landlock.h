/*
 * Landlock for the start-up of `syscage strict`: before a program is
 * executed, restrict the files it may open to reading the ones a dynamic
 * program needs to start, and take away TCP, abstract unix sockets and
 * signals outside its own process. And for `syscage run`: keep the command
 * away from its supervisor. The one module that makes Landlock syscalls.
 */
#ifndef SYSCAGE_LANDLOCK_H
#define SYSCAGE_LANDLOCK_H

/*
 * Restricts the calling thread (and what it executes) to reading and
 * executing files beneath paths[] (NULL-terminated; missing ones are
 * skipped), and no writing, creating or removing anywhere; and, where the
 * kernel's Landlock has them, no TCP bind or connect, no abstract unix
 * sockets, no signals outside. Needs no_new_privs (or CAP_SYS_ADMIN).
 * Returns the Landlock ABI applied (>= 1), or -errno: -EOPNOTSUPP when the
 * kernel has no Landlock.
 */
int landlock_restrict_to_reading(const char *const *paths);

/*
 * Puts the calling thread (and what it executes) in a Landlock domain of
 * its own, so that it cannot reach processes outside it: no ptrace, no
 * reading or writing their memory (/proc/PID/mem, process_vm_*), no taking
 * their descriptors (pidfd_getfd), and where the kernel's Landlock has
 * scopes (ABI 6), no signals. Files and the network are not restricted,
 * but for creating block devices (the disks beneath any sandbox), since a
 * domain must handle something. Needs no_new_privs (or CAP_SYS_ADMIN).
 * abi is landlock_abi()'s answer, asked once by the caller. Returns it
 * (>= 1), or -errno: -EOPNOTSUPP without Landlock.
 */
int landlock_isolate(int abi);

/* The kernel's Landlock ABI (>= 1), or -EOPNOTSUPP without Landlock. */
int landlock_abi(void);

#endif
