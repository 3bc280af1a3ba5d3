/* `dbloop help clients`: the drivers --client knows, each with its rules
 * and the version they were checked against. */
#include <stdio.h>

#include "cli/commands.h"
#include "dbloop/clients.h"
#include "dbloop/common.h"

int dbl_print_clients(FILE *out)
{
	fputs("Drivers for --client NAME (each rule checked against the real "
	      "driver;\nsee docs/clients.md):\n",
	      out);
	for (size_t i = 0; i < dbl_client_count(); i++) {
		const struct dbl_client *c = dbl_client_at(i);
		fprintf(out, "\n  %-19s %s, %s\n", c->name,
			dbl_engine_name(c->engine), c->driver);
		fprintf(out, "  %-19s %s\n", "", c->rules);
		fprintf(out, "  %-19s verified: %s\n", "", c->verified);
	}
	return ferror(out) ? -DBL_EIO : 0;
}
