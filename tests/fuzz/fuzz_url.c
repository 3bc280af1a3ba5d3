/* libFuzzer target: connection URL targets (url.h): postgres://,
 * postgresql://, conninfo strings, mysql://, mariadb://, tcp://; then the
 * password redaction and the argv scrubber. A password the URL carries
 * once must not survive in the label, the redacted text, the error line or
 * the scrubbed argument. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "fuzz_common.h"
#include "discover/url.h"

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0, len = strlen(needle);
	for (const char *p = hay; (p = strstr(p, needle)); p += len)
		n++;
	return n;
}

static void no_leak(const char *text, const char *pw, const char *where)
{
	/* only a password that occurs once in the input can be told apart
	 * from the rest of it */
	if (!where || !pw || strlen(pw) < 4 || count(text, pw) != 1)
		return;
	if (strstr(where, pw))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_strndup(data, size);
	if (strlen(text) != size) { /* argv strings hold no NUL */
		free(text);
		return 0;
	}
	struct dbl_url u;
	memset(&u, 0, sizeof(u));
	char err[256] = "";
	dbl_url_is_target(text);
	int rc = dbl_url_parse(text, &u, err, sizeof(err));
	char *redacted = dbl_url_redact(text);
	char *scrubbed = fuzz_strndup(data, size);
	dbl_cli_scrub_target(scrubbed);
	if (rc == 0) {
		for (size_t i = 0; i < u.n; i++) {
			const char *pw = u.eps[i].password;
			no_leak(text, pw, u.label);
			no_leak(text, pw, redacted);
			no_leak(text, pw, scrubbed);
			if (u.eps[i].port < 0 || u.eps[i].port > 65535)
				abort();
		}
	} else if (!err[0] || strchr(err, '\n')) {
		abort(); /* a usage error is one line */
	}
	dbl_url_has_password(text);
	dbl_url_release(&u);
	free(redacted);
	free(scrubbed);
	free(text);
	return 0;
}
