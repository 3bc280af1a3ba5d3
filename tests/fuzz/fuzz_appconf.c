/* libFuzzer target: the app-config readers (discover/appconf.h) and the
 * php.ini scanner. The first byte picks the format; the rest is the file. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "discover/appconf.h"
#include "discover/phpini.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	enum dbl_appconf_kind kind = data[0] % DBL_APPCONF__KINDS;
	char *text = fuzz_strndup(data + 1, size - 1);
	struct dbl_appconf a;
	dbl_appconf_init(&a);
	dbl_appconf_parse(&a, kind, "fuzz", text);
	dbl_appconf_release(&a);
	free(text);
	text = fuzz_strndup(data + 1, size - 1);
	const char *v = NULL;
	dbl_phpini_scan(text, "mysqli.default_socket", &v);
	free(text);
	return 0;
}
