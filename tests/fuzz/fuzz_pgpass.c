/* libFuzzer target: the .pgpass reader and matcher (pgfiles.h), with the
 * lookups libpq would make for each transport. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "discover/pgfiles.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const hosts[] = {"localhost", "127.0.0.1",
					    "::1",	 "/var/run/postgresql",
					    "*",	 ""};
	const char *path = fuzz_path(0, "pgpass");
	fuzz_write(path, data, size, 0600);
	struct dbl_pgpass pp = {0};
	struct dbl_strlist warnings = {0};
	if (dbl_pgpass_open(&pp, path, &warnings) == 0) {
		for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
			char *pw = NULL;
			int line = dbl_pgpass_match(&pp, hosts[i], "5432",
						    "appdb", "app", &pw);
			if (line < 0 || (line == 0 && pw))
				abort();
			free(pw);
			dbl_pgpass_match(&pp, hosts[i], "*", "*", "*", NULL);
		}
	}
	dbl_pgpass_release(&pp);
	dbl_strlist_release(&warnings);
	return 0;
}
