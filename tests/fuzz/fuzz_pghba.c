/* libFuzzer target: pg_hba.conf (pghba.h) with its include directives, then
 * the rule matcher (dbl_hba_match) for every transport, with and without
 * TLS. The input is written as pg_hba.conf and as hba.d/a.conf in a
 * scratch directory so fuzzed text can include fuzzed text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dbloop/facts.h"
#include "fuzz_common.h"
#include "discover/pghba.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const addrs[] = {NULL, "127.0.0.1", "::1",
					    "10.1.2.3", "fe80::1"};
	const char *path = fuzz_path(0, "pg_hba.conf");
	fuzz_write(path, data, size, 0644);
	fuzz_write(fuzz_path(1, "hba.d/a.conf"), data, size, 0644);
	struct dbl_pg_server_conf c;
	memset(&c, 0, sizeof(c));
	struct dbl_strlist warnings = {0};
	dbl_hba_read(&c, path, &warnings);
	for (size_t i = 0; i < c.n_hba; i++)
		if (!c.hba[i].type || !c.hba[i].method)
			abort();
	for (int t = 0; t < DBL_TRANSPORT__COUNT; t++)
		for (size_t a = 0; a < sizeof(addrs) / sizeof(addrs[0]); a++)
			for (int tls = 0; tls < 2; tls++)
				dbl_hba_match(&c, (enum dbl_transport)t,
					      addrs[a], "app", "appdb", tls);
	dbl_hba_clear(&c);
	dbl_strlist_release(&warnings);
	return 0;
}
