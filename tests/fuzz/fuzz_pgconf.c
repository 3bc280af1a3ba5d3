/* libFuzzer target: postgresql.conf with include, include_if_exists and
 * include_dir (pgconf.h). The input is written as main.conf and as
 * conf.d/a.conf in a scratch directory; relative includes resolve there,
 * so fuzzed text includes fuzzed text (the depth limit is tested). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "discover/pgconf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_path(0, "main.conf");
	fuzz_write(path, data, size, 0644);
	fuzz_write(fuzz_path(1, "conf.d/a.conf"), data, size, 0644);
	struct dbl_pgconf c = {0};
	struct dbl_strlist warnings = {0};
	dbl_pgconf_read(&c, path, &warnings);
	for (size_t i = 0; i < c.n; i++)
		if (!c.items[i].name || !c.items[i].value || !c.items[i].source)
			abort();
	dbl_pgconf_get(&c, "listen_addresses");
	dbl_pgconf_get(&c, "port");
	dbl_pgconf_release(&c);
	dbl_strlist_release(&warnings);
	return 0;
}
