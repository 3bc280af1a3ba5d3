/* dbloop entry point (stub until the CLI lands). */
#include <stdio.h>
#include <string.h>

#include "dbloop/common.h"

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("dbloop %s\n", DBL_VERSION);
		return 0;
	}
	fprintf(stderr, "dbloop: not yet\n");
	return 3;
}
