/* libFuzzer target: MySQL/MariaDB option files with includes (optfile.h).
 * The input is written as <root>/etc/mysql/my.cnf and again as
 * <root>/etc/mysql/conf.d/a.cnf, so "!include" and "!includedir" lines in
 * it reach fuzzed text, themselves included (the depth limit is tested),
 * while root keeps every absolute include inside the scratch directory. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "discover/optfile.h"

static void read_as(const char *const *groups, const char *root)
{
	struct dbl_optfile of = {0};
	struct dbl_strlist warnings = {0};
	dbl_optfile_read(&of, "/etc/mysql/my.cnf", groups, root, &warnings);
	for (size_t i = 0; i < of.n; i++)
		if (!of.items[i].name || !of.items[i].source)
			abort();
	dbl_optfile_get(&of, "socket");
	dbl_optfile_get(&of, "skip_networking");
	dbl_optfile_release(&of);
	dbl_strlist_release(&warnings);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *root = fuzz_dir();
	fuzz_write(fuzz_path(0, "etc/mysql/my.cnf"), data, size, 0644);
	fuzz_write(fuzz_path(1, "etc/mysql/conf.d/a.cnf"), data, size, 0644);
	read_as(dbl_optfile_client_groups, root);
	read_as(dbl_optfile_server_groups, root);
	return 0;
}
