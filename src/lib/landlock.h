/*
 * Landlock for the start-up of `syscage strict`: before a program is
 * executed, restrict the files it may open to reading the ones a dynamic
 * program needs to start, and take away TCP, abstract unix sockets and
 * signals outside its own process. The one module that makes Landlock
 * syscalls.
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

#endif
