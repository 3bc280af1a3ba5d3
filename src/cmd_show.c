/* dbloop show command (stub: being written). */
#include <stdio.h>
#include "commands.h"

int dbl_cmd_show(int argc, char **argv)
{
	(void)argc, (void)argv;
	fprintf(stderr, "dbloop show: not yet\n");
	return 3;
}
