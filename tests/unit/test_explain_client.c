/* dbloop explain names the app's driver and says what it makes of the
 * host in the message (src/explain/explain_client.c): real messages of
 * each stack from tests/fixtures/explain/clients.txt (each with the public
 * thread it comes from), php.ini read under a fixture root, --client. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli/explain_client_out.h"
#include "dbloop/explain.h"
#include "test_support.h"

struct record {
	char named[32];
	char path[16];
	char source[256];
	char socket[256];
	struct dbl_buf msg;
};

/* No php.ini: PHP's compiled-in default. */
static int no_ini(void *ctx, const char *key, char **value, char **source)
{
	(void)ctx;
	(void)key;
	*value = *source = NULL;
	return 0;
}

static int check(const struct record *r)
{
	struct dbl_explanation e;
	struct dbl_explain_in in = {.php_ini = no_ini};
	assert_int_equal(dbl_explain_with(r->msg.data, r->msg.len, &in, &e), 0);
	const struct dbl_explain_client *c = &e.client;
	const char *named = c->found ? c->named : "-";
	const char *path =
		c->found && c->path.n_steps
			? dbl_transport_name(c->path.steps[0].transport)
			: "-";
	int miss = strcmp(named, r->named) != 0 || strcmp(path, r->path) != 0;
	if (!miss && r->socket[0])
		miss = !c->path.socket || strcmp(c->path.socket, r->socket);
	if (!miss && c->found)
		miss = !c->settle || !strstr(c->settle, "--client ");
	if (miss)
		printf("MISS %s: want %s %s %s, got %s %s %s (%s)\n", r->source,
		       r->named, r->path, r->socket, named, path,
		       c->path.socket ? c->path.socket : "", c->by);
	dbl_explanation_release(&e);
	return miss;
}

static void fixture_records(void **state)
{
	(void)state;
	FILE *f = fopen(fixture_path("explain/clients.txt"), "r");
	assert_non_null(f);
	char line[4096];
	struct record r;
	int n = 0, misses = 0, named = 0;
	bool open = false;
	memset(&r, 0, sizeof(r));
	for (;;) {
		bool eof = !fgets(line, sizeof(line), f);
		if (eof || strncmp(line, "===", 3) == 0) {
			if (open) {
				assert_true(r.source[0] && r.msg.len);
				misses += check(&r);
				named += strcmp(r.named, "-") != 0;
				n++;
				dbl_buf_release(&r.msg);
			}
			if (eof)
				break;
			memset(&r, 0, sizeof(r));
			assert_int_equal(
				sscanf(line, "=== %31s %15s", r.named, r.path),
				2);
			open = true;
			continue;
		}
		if (!open || line[0] == '#')
			continue;
		line[strcspn(line, "\n")] = '\0';
		if (!r.source[0] &&
		    sscanf(line, "source: %255s", r.source) == 1)
			continue;
		if (!r.msg.len && sscanf(line, "socket: %255s", r.socket) == 1)
			continue;
		if (r.msg.len)
			dbl_buf_puts(&r.msg, "\n");
		dbl_buf_puts(&r.msg, line);
	}
	fclose(f);
	printf("explain clients: %d records (%d naming a driver), %d "
	       "missed\n",
	       n, named, misses);
	assert_true(n >= 20);
	assert_int_equal(misses, 0);
}

/* A php.ini under a fixture root decides PHP's socket: the file and line
 * are said, the fix names the setting, the transport is the socket. */
static void php_ini_socket(void **state)
{
	(void)state;
	char root[] = "/tmp/dbl_xclient_XXXXXX";
	assert_non_null(mkdtemp(root));
	char dir[128], ini[160];
	snprintf(dir, sizeof(dir), "%s/etc", root);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(dir, sizeof(dir), "%s/etc/php", root);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(dir, sizeof(dir), "%s/etc/php/8.2", root);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(dir, sizeof(dir), "%s/etc/php/8.2/cli", root);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(ini, sizeof(ini), "%s/php.ini", dir);
	const char *text = "[PHP]\n; comment\nmysqli.default_socket = "
			   "/srv/db/mysqld.sock\n";
	write_file(ini, text, strlen(text));

	static const char msg[] = "PHP Warning:  mysqli_real_connect(): "
				  "(HY000/2002): No such file or directory";
	struct dbl_explanation e;
	struct dbl_explain_in in = {.php_ini = dbl_explain_php_ini,
				    .ctx = root};
	assert_int_equal(dbl_explain_with(msg, strlen(msg), &in, &e), 0);
	assert_true(e.client.found);
	assert_string_equal(e.client.named, "php-mysqli");
	assert_string_equal(e.client.path.socket, "/srv/db/mysqld.sock");
	assert_non_null(strstr(e.client.path.socket_source, "php.ini line 3"));
	assert_int_equal(e.transport, DBL_TRANSPORT_UNIX);
	assert_non_null(strstr(e.fix, "mysqli.default_socket"));
	assert_non_null(strstr(e.client.settle, "--client php-mysqli"));
	dbl_explanation_release(&e);
	unlink(ini);
	rmdir(dir);
	snprintf(dir, sizeof(dir), "%s/etc/php/8.2", root);
	rmdir(dir);
	snprintf(dir, sizeof(dir), "%s/etc/php", root);
	rmdir(dir);
	snprintf(dir, sizeof(dir), "%s/etc", root);
	rmdir(dir);
	rmdir(root);
}

/* --client names the driver when the text does not; a text naming none
 * and no --client gives no block. */
static void client_option(void **state)
{
	(void)state;
	static const char msg[] = "Error: connect ECONNREFUSED 127.0.0.1:3306";
	struct dbl_explanation e;
	assert_int_equal(dbl_explain(msg, strlen(msg), &e), 0);
	assert_false(e.client.found);
	dbl_explanation_release(&e);

	struct dbl_explain_in in = {.client = "php-mysqli"};
	static const char refused[] = "SQLSTATE[HY000] [2002] Connection "
				      "refused";
	assert_int_equal(dbl_explain_with(refused, strlen(refused), &in, &e),
			 0);
	assert_string_equal(e.client.by, "--client");
	assert_string_equal(e.client.named, "php-mysqli");
	/* no host in the message: localhost is assumed, and it is the
	 * socket; the refusal alone does not say which transport it was */
	assert_false(e.client.host_in_text);
	assert_int_equal(e.client.path.steps[0].transport, DBL_TRANSPORT_UNIX);
	assert_int_not_equal(e.transport, DBL_TRANSPORT_UNIX);
	for (size_t i = 0; i < e.n_alts; i++)
		assert_non_null(
			strstr(e.alts[i].settle, "--client php-mysqli"));
	dbl_explanation_release(&e);

	/* the same host, another driver: TCP */
	in.client = "python-pymysql";
	static const char pym[] = "(2003, \"Can't connect to MySQL server on "
				  "'localhost' ([Errno 111] Connection "
				  "refused)\")";
	assert_int_equal(dbl_explain_with(pym, strlen(pym), &in, &e), 0);
	assert_int_equal(e.client.path.steps[0].transport,
			 DBL_TRANSPORT_LOCALHOST);
	assert_null(e.client.path.socket);
	assert_non_null(strstr(e.fix, "TCP"));
	dbl_explanation_release(&e);
}

/* Connector/J is not in the verified table: named as itself, planned as
 * the nearest verified row, said so in JSON (verified null). */
static void connector_j(void **state)
{
	(void)state;
	static const char msg[] = "com.mysql.cj.jdbc.exceptions."
				  "CommunicationsException: Communications "
				  "link failure";
	struct dbl_explanation e;
	assert_int_equal(dbl_explain(msg, strlen(msg), &e), 0);
	assert_string_equal(e.client.named, "jdbc-mysql");
	assert_string_equal(e.client.driver, "MySQL Connector/J");
	assert_string_equal(e.client.path.client, "jdbc-mariadb");
	struct cJSON *j = dbl_explain_client_json(&e);
	assert_non_null(j);
	char *s = cJSON_PrintUnformatted(j);
	assert_non_null(strstr(s, "\"verified\":null"));
	assert_non_null(strstr(s, "\"row\":\"jdbc-mariadb\""));
	cJSON_free(s);
	cJSON_Delete(j);
	dbl_explanation_release(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fixture_records),
		cmocka_unit_test(php_ini_socket),
		cmocka_unit_test(client_option),
		cmocka_unit_test(connector_j),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
