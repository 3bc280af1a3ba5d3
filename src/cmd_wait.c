/* dbloop wait command (stub: being written). */
#include <stdio.h>
#include "commands.h"

int dbl_cmd_wait(int argc, char **argv)
{
	(void)argc, (void)argv;
	fprintf(stderr, "dbloop wait: not yet\n");
	return 3;
}
