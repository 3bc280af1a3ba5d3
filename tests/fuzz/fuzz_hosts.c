/* libFuzzer target: the /etc/hosts reader (hosts.h), in memory and through
 * the file path (bounded read, binary refusal). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "discover/hosts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dbl_strlist lines = {0}, warnings = {0};
	char *text = fuzz_strndup(data, size);
	dbl_hosts_parse(text, "/etc/hosts", &lines);
	free(text);
	dbl_strlist_release(&lines);

	const char *path = fuzz_path(0, "hosts");
	fuzz_write(path, data, size, 0644);
	dbl_hosts_localhost_lines(path, &lines, &warnings);
	dbl_strlist_release(&lines);
	dbl_strlist_release(&warnings);
	return 0;
}
