/* dbloop explain command (stub: being written). */
#include <stdio.h>
#include "commands.h"

int dbl_cmd_explain(int argc, char **argv)
{
	(void)argc, (void)argv;
	fprintf(stderr, "dbloop explain: not yet\n");
	return 3;
}
