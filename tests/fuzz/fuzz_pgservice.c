/* libFuzzer target: pg_service.conf (pgfiles.h), looking up a few service
 * names including one taken from the input's first line. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "discover/pgfiles.h"

static void find(const char *path, const char *name)
{
	struct dbl_pgservice s = {0};
	struct dbl_strlist warnings = {0};
	if (dbl_pgservice_find(path, name, &s, &warnings) == 1) {
		const char *source = NULL;
		for (size_t i = 0; i < s.n; i++)
			if (!s.items[i].key || !s.items[i].source)
				abort();
		dbl_pgservice_get(&s, "host", &source);
		dbl_pgservice_get(&s, "port", &source);
	}
	dbl_pgservice_release(&s);
	dbl_strlist_release(&warnings);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_path(0, "pg_service.conf");
	fuzz_write(path, data, size, 0644);
	find(path, "app");
	find(path, "");
	/* "[name]" on the first line: look that one up too */
	char *s = fuzz_strndup(data, size);
	char *end = strpbrk(s, "]\n");
	if (s[0] == '[' && end) {
		*end = '\0';
		find(path, s + 1);
	}
	free(s);
	return 0;
}
