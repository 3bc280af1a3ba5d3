/* dbloop diagnose command (stub: being written). */
#include <stdio.h>
#include "commands.h"

int dbl_cmd_diagnose(int argc, char **argv)
{
	(void)argc, (void)argv;
	fprintf(stderr, "dbloop diagnose: not yet\n");
	return 3;
}
