/* libFuzzer target: the MySQL/MariaDB greeting parsers (wire_mysql.h) on
 * any bytes a server could send first: whole packets, bare payloads
 * (handshake and error), and the protocol sniffer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "probes/wire_mysql.h"

static void check_greeting(const struct dbl_mysql_greeting *g)
{
	/* every text field stays terminated inside its buffer */
	if (!fuzz_terminated(g->server_version) ||
	    !fuzz_terminated(g->auth_plugin) ||
	    !fuzz_terminated(g->error_message))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = fuzz_copy(data, size);
	if (!buf)
		return 0;

	struct dbl_mysql_greeting g;
	char sqlstate[6];
	uint32_t len;
	uint8_t seq;

	memset(&g, 0, sizeof(g));
	int rc = dbl_mysql_parse_greeting(buf, size, &g, sqlstate);
	if (rc != 0 && rc != 10 && rc != 0xff && rc != -DBL_EINVAL)
		abort();
	check_greeting(&g);
	if (dbl_mysql_parse_header(buf, size, &len, &seq) == 0 &&
	    len > 0xffffff)
		abort();
	memset(&g, 0, sizeof(g));
	dbl_mysql_parse_handshake(buf, size, &g);
	check_greeting(&g);
	memset(&g, 0, sizeof(g));
	dbl_mysql_parse_error(buf, size, &g, sqlstate);
	check_greeting(&g);
	dbl_mysql_parse_error(buf, size, &g, NULL);
	enum dbl_protocol p = dbl_wire_sniff(buf, size);
	if ((int)p < 0 || p >= DBL_PROTO__COUNT)
		abort();
	free(buf);
	return 0;
}
