/* syscage groups: the built-in syscall groups, with the reason for each member. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "groups.h"

static const char usage_text[] =
	"usage: syscage groups [NAME...]\n\n"
	"Lists the built-in groups a policy can name as @NAME, or the members of the\n"
	"NAMEd ones with the reason each is there. doc/groups.md has the same.\n";

int cmd_groups(int argc, char **argv)
{
	int status = 0;

	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (argc == 1) {
		for (size_t i = 0; i < builtin_group_count(); i++) {
			const struct builtin_group *g = builtin_group_at(i);

			printf("@%-16s %s\n", g->name, g->summary);
		}
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		const char *name = argv[i][0] == '@' ? argv[i] + 1 : argv[i];
		const struct builtin_group *g = builtin_group_lookup(name);

		if (!g) {
			status = cli_error("groups: no built-in group '@%s'; 'syscage groups' lists them",
					   name);
			continue;
		}
		printf("@%s: %s\n", g->name, g->summary);
		for (size_t j = 0; j < g->count; j++)
			printf("  %-24s %s\n", g->members[j].name, g->members[j].reason);
	}
	return status;
}
