/* Shared by the subcommands: exit codes, diagnostics printing, loading. */
#ifndef SYSCAGE_CLI_H
#define SYSCAGE_CLI_H

#include <stdbool.h>

#include "syscage.h"

/* Exit statuses, as env(1), timeout(1) and docker run use them. */
#define EXIT_USAGE 125		/* bad usage, bad policy, syscage itself failed */
#define EXIT_NOT_EXECUTABLE 126
#define EXIT_NOT_FOUND 127

/* The path of command name as execvp would find it in PATH: 0 and *out
 * (malloc'ed), or the exit status (127, 126) after printing why. */
int cli_find_command(const char *cmd, const char *name, char **out);

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

int cmd_compile(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_syscalls(int argc, char **argv);
int cmd_groups(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_strict(int argc, char **argv);

/* Prints every diagnostic to stderr. */
void cli_print_diagnostics(const struct syscage_diagnostics *diags);

/* Loads a policy (or an OCI profile, by its .json name), printing
 * diagnostics. Returns NULL on failure (printed). */
struct syscage_policy *cli_load_policy(const char *path, const char *arches);
struct syscage_policy *cli_load_policy_flags(const char *path, const char *arches, unsigned flags);

/* Prints "syscage: <message>" to stderr; returns EXIT_USAGE. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Writes OUT through a temporary file and rename, or to stdout for NULL or
 * "-". Returns 0, or EXIT_USAGE after printing why. */
int cli_write_output(const char *path, const char *buf, size_t len);

struct oci_target;
/* Imports an OCI profile as policy text, printing diagnostics; 0 or -errno. */
int cli_import_profile(const char *path, const struct oci_target *target, char **text);

/* Parses a number or a named constant ("0x10", "-1", "O_RDONLY", "AT_FDCWD"). */
bool cli_parse_value(const char *text, unsigned long long *out);

#endif
