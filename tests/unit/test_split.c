/* Same credentials, different answers (classify/split.c, issue 13): a
 * refusal for the credentials while another transport logged in with the
 * same ones. Probe facts as the real servers of tests/lab's SPLIT rows
 * leave them; each case changes the one fact that should move the class. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbloop/classify.h"
#include "dbloop/facts.h"
#include "dbloop/report.h"

#define C(x) DBL_CLASS_##x
#define SALT_A "YzHpGd0YE5qi/evafHk/IA=="
#define SALT_B "wG6qSZi54C6Hyvjti9WsJA=="

static const char *addr_of(enum dbl_engine e, enum dbl_transport t)
{
	bool pg = e == DBL_ENGINE_POSTGRES;
	switch (t) {
	case DBL_TRANSPORT_UNIX:
		return pg ? "/tmp/s/.s.PGSQL.5432" : "/tmp/s/mysqld.sock";
	case DBL_TRANSPORT_TCP4:
		return pg ? "127.0.0.1:5432" : "127.0.0.1:3306";
	case DBL_TRANSPORT_TCP6:
		return pg ? "[::1]:5432" : "[::1]:3306";
	default:
		return pg ? "127.0.0.1:5432" : "127.0.0.1:3306";
	}
}

static void base(struct dbl_result *r, enum dbl_engine e, enum dbl_transport t)
{
	dbl_result_init(r, e, t, DBL_STAGE_QUERY);
	dbl_strlcpy(r->address, addr_of(e, t), sizeof(r->address));
	dbl_result_add_attempt(r, addr_of(e, t), 0, 1.0);
	r->protocol =
		e == DBL_ENGINE_POSTGRES ? DBL_PROTO_POSTGRES : DBL_PROTO_MYSQL;
}

/* A PostgreSQL login that worked after the server asked for auth (a
 * password: md5 or SASL; DBL_PG_AUTH_OK: trust or peer). */
static void pg_ok(struct dbl_result *r, enum dbl_transport t, int auth,
		  const char *salt)
{
	base(r, DBL_ENGINE_POSTGRES, t);
	r->ok = true;
	r->stage = DBL_STAGE_QUERY;
	r->pg.auth_request = auth;
	if (salt) {
		dbl_strlcpy(r->pg.scram_salt, salt, sizeof(r->pg.scram_salt));
		r->pg.scram_iterations = 4096;
	}
}

static void pg_refused(struct dbl_result *r, enum dbl_transport t, int auth,
		       const char *salt)
{
	base(r, DBL_ENGINE_POSTGRES, t);
	r->stage = DBL_STAGE_AUTH;
	r->pg.auth_request = auth;
	dbl_strlcpy(r->sqlstate, "28P01", sizeof(r->sqlstate));
	dbl_strlcpy(r->message,
		    "FATAL:  password authentication failed for user \"app\"",
		    sizeof(r->message));
	if (salt) {
		dbl_strlcpy(r->pg.scram_salt, salt, sizeof(r->pg.scram_salt));
		r->pg.scram_iterations = 4096;
	}
}

static void my_ok(struct dbl_result *r, enum dbl_transport t,
		  const char *account)
{
	base(r, DBL_ENGINE_MYSQL, t);
	r->ok = true;
	r->stage = DBL_STAGE_QUERY;
	dbl_strlcpy(r->version, "10.11.19-MariaDB-0+deb12u1",
		    sizeof(r->version));
	dbl_result_add_setting(r, "current_user", account, false);
	dbl_result_add_setting(r, "@@skip_name_resolve", "1", false);
}

static void my_refused(struct dbl_result *r, enum dbl_transport t, int code,
		       const char *host)
{
	base(r, DBL_ENGINE_MYSQL, t);
	r->stage = DBL_STAGE_AUTH;
	r->server_error = code;
	r->mysql.seen = true;
	dbl_strlcpy(r->mysql.server_version, "10.11.19-MariaDB-0+deb12u1",
		    sizeof(r->mysql.server_version));
	dbl_strlcpy(r->sqlstate, "28000", sizeof(r->sqlstate));
	snprintf(r->message, sizeof(r->message),
		 "Access denied for user 'app'@'%s'%s", host,
		 code == 1045 ? " (using password: YES)" : "");
}

static enum dbl_class cls(const struct dbl_result *all, size_t n, size_t i)
{
	struct dbl_facts *f = dbl_facts_new();
	assert_non_null(f);
	enum dbl_class c = dbl_classify_probe(&all[i], all, n, f);
	dbl_facts_free(f);
	return c;
}

/* The findings of one target, for the cases that check them. */
static struct dbl_target_report *target(const struct dbl_result *all, size_t n,
					enum dbl_engine e)
{
	struct dbl_target_report *tr = calloc(1, sizeof(*tr));
	assert_non_null(tr);
	tr->engine = e;
	tr->probes = calloc(n, sizeof(*tr->probes));
	assert_non_null(tr->probes);
	tr->n_probes = n;
	unsigned probed = 0;
	for (size_t i = 0; i < n; i++) {
		tr->probes[i].r = all[i];
		probed |= DBL_TRANSPORT_BIT(all[i].transport);
	}
	struct dbl_facts *f = dbl_facts_new();
	struct dbl_target *t = dbl_target_new(e);
	assert_non_null(f);
	assert_non_null(t);
	t->user = dbl_strdup("app");
	t->password = dbl_strdup("x");
	t->database = dbl_strdup("appdb");
	assert_int_equal(dbl_classify_target(tr, t, f, probed), 0);
	dbl_target_free(t);
	dbl_facts_free(f);
	return tr;
}

static void target_free(struct dbl_target_report *tr)
{
	for (size_t i = 0; i < tr->n_findings; i++)
		dbl_finding_release(&tr->findings[i]);
	free(tr->findings);
	free(tr->probes);
	free(tr);
}

static const struct dbl_finding *finding(const struct dbl_target_report *tr,
					 enum dbl_class c)
{
	for (size_t i = 0; i < tr->n_findings; i++)
		if (tr->findings[i].cls == c)
			return &tr->findings[i];
	return NULL;
}

static bool text_has(const struct dbl_finding *fd, const char *needle)
{
	if (fd->summary && strstr(fd->summary, needle))
		return true;
	if (fd->fix && strstr(fd->fix, needle))
		return true;
	for (size_t i = 0; i < fd->evidence.n; i++)
		if (strstr(fd->evidence.items[i], needle))
			return true;
	for (size_t i = 0; i < fd->commands.n; i++)
		if (strstr(fd->commands.items[i], needle))
			return true;
	return false;
}

static void test_pg_salt(void **state)
{
	(void)state;
	struct dbl_result r[2];
	pg_ok(&r[0], DBL_TRANSPORT_TCP4, DBL_PG_AUTH_SASL, SALT_A);
	pg_refused(&r[1], DBL_TRANSPORT_TCP6, DBL_PG_AUTH_SASL, SALT_B);
	assert_int_equal(cls(r, 2, 1), C(ENDPOINT_MISMATCH));
	/* The same salt, the same method, nothing else: not told apart. */
	pg_refused(&r[1], DBL_TRANSPORT_TCP6, DBL_PG_AUTH_SASL, SALT_A);
	assert_int_equal(cls(r, 2, 1), C(ACCESS_DENIED));
	/* Another iteration count is another secret too. */
	r[1].pg.scram_iterations = 8192;
	assert_int_equal(cls(r, 2, 1), C(ENDPOINT_MISMATCH));
}

static void test_pg_unproven(void **state)
{
	(void)state;
	struct dbl_result r[2];
	/* Peer or trust on the socket proves no password. */
	pg_ok(&r[0], DBL_TRANSPORT_UNIX, DBL_PG_AUTH_OK, NULL);
	pg_refused(&r[1], DBL_TRANSPORT_TCP4, DBL_PG_AUTH_SASL, SALT_B);
	assert_int_equal(cls(r, 2, 1), C(ACCESS_DENIED));
	/* Refused everywhere: access_denied, said so. */
	pg_refused(&r[0], DBL_TRANSPORT_UNIX, DBL_PG_AUTH_SASL, SALT_B);
	assert_int_equal(cls(r, 2, 1), C(ACCESS_DENIED));
	struct dbl_target_report *tr = target(r, 2, DBL_ENGINE_POSTGRES);
	const struct dbl_finding *fd = finding(tr, C(ACCESS_DENIED));
	assert_non_null(fd);
	assert_true(text_has(fd, "rejected on every transport"));
	assert_true(text_has(fd, "checked:"));
	target_free(tr);
}

static void test_pg_listen(void **state)
{
	(void)state;
	struct dbl_result r[2];
	pg_ok(&r[0], DBL_TRANSPORT_TCP4, DBL_PG_AUTH_MD5, NULL);
	pg_refused(&r[1], DBL_TRANSPORT_TCP6, DBL_PG_AUTH_MD5, NULL);
	dbl_result_add_setting(&r[0], "listen_addresses", "127.0.0.1", false);
	assert_int_equal(cls(r, 2, 1), C(ENDPOINT_MISMATCH));
	/* PostgreSQL binds '::' IPv6-only and '0.0.0.0' IPv4-only. */
	pg_ok(&r[0], DBL_TRANSPORT_TCP6, DBL_PG_AUTH_MD5, NULL);
	pg_refused(&r[1], DBL_TRANSPORT_TCP4, DBL_PG_AUTH_MD5, NULL);
	dbl_result_add_setting(&r[0], "listen_addresses", "::", false);
	assert_int_equal(cls(r, 2, 1), C(ENDPOINT_MISMATCH));
	/* A list that covers it, '*', or a host name: no conclusion. */
	static const char *const covering[] = {"127.0.0.1, ::1", "*",
					       "localhost", "db.example"};
	for (size_t i = 0; i < 4; i++) {
		pg_ok(&r[0], DBL_TRANSPORT_TCP6, DBL_PG_AUTH_MD5, NULL);
		dbl_result_add_setting(&r[0], "listen_addresses", covering[i],
				       false);
		assert_int_equal(cls(r, 2, 1), C(ACCESS_DENIED));
	}
}

static void test_pg_md5_secret(void **state)
{
	(void)state;
	struct dbl_result r[2];
	pg_ok(&r[0], DBL_TRANSPORT_TCP4, DBL_PG_AUTH_MD5, NULL);
	dbl_result_add_setting(&r[0], "password_encryption", "md5", false);
	pg_refused(&r[1], DBL_TRANSPORT_TCP6, DBL_PG_AUTH_SASL, SALT_B);
	assert_int_equal(cls(r, 2, 1), C(AUTH_METHOD_MISMATCH));
	struct dbl_target_report *tr = target(r, 2, DBL_ENGINE_POSTGRES);
	const struct dbl_finding *fd = finding(tr, C(AUTH_METHOD_MISMATCH));
	assert_non_null(fd);
	assert_true(text_has(fd, "password_encryption = 'scram-sha-256'"));
	assert_false(text_has(fd, "ALTER ROLE app PASSWORD '<new"));
	/* psql's \password is a sql step for psql, after the SET, not a
	 * shell line. */
	int set = -1, meta = -1;
	for (size_t i = 0; i < fd->n_steps; i++) {
		const struct dbl_step *st = &fd->steps[i];
		if (strcmp(st->text, "\\password \"app\"") == 0)
			meta = (int)i;
		else if (strstr(st->text, "SET password_encryption"))
			set = (int)i;
		else
			continue;
		assert_int_equal(st->kind, DBL_STEP_SQL);
		assert_int_equal(st->engine, DBL_ENGINE_POSTGRES);
		assert_string_equal(st->run_as, "postgres");
		assert_non_null(strstr(st->client, "psql"));
	}
	assert_true(set >= 0 && meta == set + 1);
	assert_null(finding(tr, C(ACCESS_DENIED)));
	target_free(tr);
}

static void test_my_host(void **state)
{
	(void)state;
	struct dbl_result r[3];
	my_ok(&r[0], DBL_TRANSPORT_UNIX, "app@localhost");
	my_ok(&r[1], DBL_TRANSPORT_TCP6, "app@%");
	my_refused(&r[2], DBL_TRANSPORT_TCP4, 1045, "127.0.0.1");
	assert_int_equal(cls(r, 3, 2), C(HOST_NOT_ALLOWED));
	/* With the accounts readable the fix names the row that wins. */
	dbl_result_add_setting(&r[1], "accounts",
			       "app@% mysql_native_password, app@127.0.0.1 "
			       "mysql_native_password, app@localhost "
			       "mysql_native_password",
			       false);
	struct dbl_target_report *tr = target(r, 3, DBL_ENGINE_MYSQL);
	const struct dbl_finding *fd = finding(tr, C(HOST_NOT_ALLOWED));
	assert_non_null(fd);
	assert_true(text_has(fd, "ALTER USER 'app'@'127.0.0.1' IDENTIFIED BY"));
	target_free(tr);
	/* An anonymous ''@'127.0.0.1' beats 'app'@'%': drop it. */
	my_ok(&r[1], DBL_TRANSPORT_TCP6, "app@%");
	dbl_result_add_setting(&r[1], "accounts",
			       "@127.0.0.1 mysql_native_password, app@% "
			       "mysql_native_password",
			       false);
	tr = target(r, 3, DBL_ENGINE_MYSQL);
	fd = finding(tr, C(HOST_NOT_ALLOWED));
	assert_non_null(fd);
	assert_true(text_has(fd, "DROP USER ''@'127.0.0.1'"));
	target_free(tr);
}

static void test_my_endpoint(void **state)
{
	(void)state;
	struct dbl_result r[2];
	my_ok(&r[0], DBL_TRANSPORT_TCP4, "app@%");
	dbl_result_add_setting(&r[0], "@@bind_address", "127.0.0.1", false);
	my_refused(&r[1], DBL_TRANSPORT_TCP6, 1045, "::1");
	/* Another server: its accounts are not compared (not host). */
	assert_int_equal(cls(r, 2, 1), C(ENDPOINT_MISMATCH));
	/* MariaDB binds '::' dual-stack: it covers 127.0.0.1 too. */
	my_ok(&r[0], DBL_TRANSPORT_TCP6, "app@%");
	dbl_result_add_setting(&r[0], "@@bind_address", "::", false);
	my_refused(&r[1], DBL_TRANSPORT_TCP4, 1045, "127.0.0.1");
	assert_int_equal(cls(r, 2, 1), C(HOST_NOT_ALLOWED));
	/* Another version in the greeting is another server. */
	my_ok(&r[0], DBL_TRANSPORT_TCP6, "app@%");
	dbl_strlcpy(r[1].mysql.server_version, "8.0.36",
		    sizeof(r[1].mysql.server_version));
	assert_int_equal(cls(r, 2, 1), C(ENDPOINT_MISMATCH));
}

static void test_my_unproven(void **state)
{
	(void)state;
	struct dbl_result r[2];
	/* root over the socket by unix_socket proves no password. */
	my_ok(&r[0], DBL_TRANSPORT_UNIX, "root@localhost");
	my_refused(&r[1], DBL_TRANSPORT_TCP4, 1045, "127.0.0.1");
	assert_int_equal(cls(r, 2, 1), C(ACCESS_DENIED));
	my_refused(&r[0], DBL_TRANSPORT_UNIX, 1045, "localhost");
	assert_int_equal(cls(r, 2, 1), C(ACCESS_DENIED));
}

static void test_my_two_causes(void **state)
{
	(void)state;
	struct dbl_result r[2];
	my_refused(&r[0], DBL_TRANSPORT_UNIX, 1698, "localhost");
	my_ok(&r[1], DBL_TRANSPORT_TCP4, "app@%");
	assert_int_equal(cls(r, 2, 0), C(HOST_NOT_ALLOWED));
	struct dbl_target_report *tr = target(r, 2, DBL_ENGINE_MYSQL);
	assert_non_null(finding(tr, C(HOST_NOT_ALLOWED)));
	assert_non_null(finding(tr, C(AUTH_METHOD_MISMATCH)));
	assert_null(finding(tr, C(ACCESS_DENIED)));
	target_free(tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pg_salt),
		cmocka_unit_test(test_pg_unproven),
		cmocka_unit_test(test_pg_listen),
		cmocka_unit_test(test_pg_md5_secret),
		cmocka_unit_test(test_my_host),
		cmocka_unit_test(test_my_endpoint),
		cmocka_unit_test(test_my_unproven),
		cmocka_unit_test(test_my_two_causes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
