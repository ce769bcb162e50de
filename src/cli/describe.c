#include <stdio.h>

#include "cli.h"
#include "constants.h"
#include "describe.h"

void describe_action(enum syscage_action action, uint32_t data, char *buf, size_t size)
{
	const char *name;

	switch (action) {
	case SYSCAGE_ACTION_ALLOW: snprintf(buf, size, "allow"); return;
	case SYSCAGE_ACTION_KILL_PROCESS: snprintf(buf, size, "kill"); return;
	case SYSCAGE_ACTION_KILL_THREAD: snprintf(buf, size, "kill-thread"); return;
	case SYSCAGE_ACTION_TRAP: snprintf(buf, size, "trap"); return;
	case SYSCAGE_ACTION_LOG: snprintf(buf, size, "log"); return;
	case SYSCAGE_ACTION_NOTIFY: snprintf(buf, size, "notify"); return;
	case SYSCAGE_ACTION_TRACE: snprintf(buf, size, "trace %u", data); return;
	case SYSCAGE_ACTION_ERRNO:
		name = errno_name((int)data);
		if (name)
			snprintf(buf, size, "errno %s", name);
		else
			snprintf(buf, size, "errno %u", data);
		return;
	}
	snprintf(buf, size, "?");
}
