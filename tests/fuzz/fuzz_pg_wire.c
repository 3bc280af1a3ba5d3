/* libFuzzer target: the PostgreSQL backend message parsers (wire_pg.h) on
 * any bytes a server could answer: whole messages (AuthenticationRequest,
 * ErrorResponse), bare bodies, headers with any length, and the sniffer
 * that reads the SSLRequest answer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "probes/wire_mysql.h"
#include "probes/wire_pg.h"

static void check_greeting(const struct dbl_pg_greeting *g)
{
	if (!fuzz_terminated(g->sasl_mechanisms) ||
	    !fuzz_terminated(g->severity) || !fuzz_terminated(g->sqlstate) ||
	    !fuzz_terminated(g->message) || !fuzz_terminated(g->detail) ||
	    !fuzz_terminated(g->hint))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = fuzz_copy(data, size);
	if (!buf)
		return 0;

	struct dbl_pg_greeting g;
	char type = 0;
	memset(&g, 0, sizeof(g));
	int rc = dbl_pg_parse_message(buf, size, &g);
	if (rc != 0 && rc != DBL_PG_MSG_AUTH && rc != DBL_PG_MSG_ERROR &&
	    rc != -DBL_EINVAL)
		abort();
	check_greeting(&g);
	long body = dbl_pg_parse_header(buf, size, &type, DBL_PG_GREET_MAX);
	if (body > DBL_PG_GREET_MAX)
		abort();
	memset(&g, 0, sizeof(g));
	dbl_pg_parse_auth(buf, size, &g);
	check_greeting(&g);
	memset(&g, 0, sizeof(g));
	dbl_pg_parse_error(buf, size, &g);
	check_greeting(&g);
	enum dbl_protocol p = dbl_wire_sniff(buf, size);
	if ((int)p < 0 || p >= DBL_PROTO__COUNT)
		abort();

	/* the StartupMessage builder with the input as user and database */
	char *s = fuzz_strndup(data, size);
	char *db = memchr(s, '\n', size);
	if (db)
		*db++ = '\0';
	uint8_t out[512];
	int n = dbl_pg_build_startup(out, sizeof(out), s, db, "dbloop");
	if (n > (int)sizeof(out))
		abort();
	free(s);
	free(buf);
	return 0;
}
