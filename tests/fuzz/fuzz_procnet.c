/* libFuzzer target: the /proc/net/{tcp,tcp6,unix} table parsers
 * (procnet.h), then the engine tagging over whatever they produced. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "fuzz_common.h"
#include "discover/procnet.h"

static void check(const struct dbl_listener_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct dbl_listener *x = &l->items[i];
		if (x->port < 0 || x->port > 65535 ||
		    !fuzz_terminated(x->address) || !fuzz_terminated(x->path))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dbl_listener_list l = {0};
	struct dbl_strlist warnings = {0};
	char *text;

	text = fuzz_strndup(data, size);
	dbl_procnet_parse_tcp(text, AF_INET, "/proc/net/tcp", &l, &warnings);
	free(text);
	text = fuzz_strndup(data, size);
	dbl_procnet_parse_tcp(text, AF_INET6, "/proc/net/tcp6", &l, &warnings);
	free(text);
	text = fuzz_strndup(data, size);
	dbl_procnet_parse_unix(text, "/proc/net/unix", &l, &warnings);
	free(text);
	check(&l);
	dbl_procnet_tag(&l);
	check(&l);
	free(l.items);
	dbl_strlist_release(&warnings);
	return 0;
}
