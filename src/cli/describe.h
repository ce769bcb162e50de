/* Text for actions, shared by the subcommands. */
#ifndef SYSCAGE_CLI_DESCRIBE_H
#define SYSCAGE_CLI_DESCRIBE_H

#include <stddef.h>
#include <stdint.h>

#include "syscage.h"

/* "allow", "errno EACCES", "trace 7": as a policy writes it. */
void describe_action(enum syscage_action action, uint32_t data, char *buf, size_t size);

#endif
