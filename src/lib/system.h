/*
 * The one module that makes seccomp system calls: no_new_privs, seccomp(2),
 * the notification ioctls, and the supervisor's kill and reads of a
 * caller's memory. Everything else in the library is pure.
 */
#ifndef SYSCAGE_SYSTEM_H
#define SYSCAGE_SYSTEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/filter.h>

/* Sets no_new_privs and loads prog; flags are SECCOMP_FILTER_FLAG_*.
 * Returns 0, a listener fd (with NEW_LISTENER), or -errno. */
int system_load_filter(const struct sock_filter *prog, size_t len, unsigned long flags);


/* Enters seccomp strict mode (the calling thread). 0 or -errno. */
int system_enter_strict(void);

/* ---- user notifications (the supervisor's side) ------------------------- */

/* The calling process's id: the supervisor's, in the rules that keep a
 * sandboxed program from acting on it. */
int system_pid(void);

struct seccomp_notif;
struct seccomp_notif_resp;

/* Asks the kernel to run the notifying thread, woken by the answer, on the
 * supervisor's CPU, as a hand-over rather than a wake-up on another one
 * (Linux 6.6; -EINVAL or -ENOTTY before). */
int system_notif_sync_wakeups(int listener);

/* The kernel's sizes of the notification structs (they may grow). */
int system_notif_sizes(size_t *notif, size_t *resp);

/* Receives one notification: 0, -ENOENT (the caller went away first),
 * -EINTR, or another -errno. */
int system_notif_recv(int listener, struct seccomp_notif *req, size_t size);

/* Sends a response: 0, or -ENOENT when the caller is gone. */
int system_notif_send(int listener, struct seccomp_notif_resp *resp);

/* True while notification id is still waiting for a response: then a pid
 * or pidfd taken for its caller refers to that caller, not a reused pid. */
bool system_notif_valid(int listener, uint64_t id);

/* True when fd is a seccomp listener: asked about a notification, it
 * answers (ENOENT: no such one); anything else has no such ioctl. No /proc
 * needed, which a container may lack. */
bool system_is_listener(int fd);

/* Reads up to size bytes at addr in the memory of thread tid, stopping at
 * the first byte that cannot be read: the bytes read, or -errno when none
 * could be (or /proc is missing). What it read is the caller's only if a
 * notification of tid's still waits afterwards, which the caller checks. */
int system_read_memory(int tid, uint64_t addr, void *buf, size_t size);

/* SIGKILL to the process of thread tid (as of notification id); *tgid is
 * its process id, or -1 when unknown. 0, -ESRCH when it is gone already,
 * or -errno when it could not be done (-EMFILE: no descriptor for it). */
int system_kill_process(int listener, uint64_t id, int tid, int *tgid);

#endif
