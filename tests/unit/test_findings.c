/* Findings across transports: severity from --require, the order to fix
 * things in, and fixes written from this machine's facts (the file and
 * line discovery read, the option file a setting came from, the grants
 * read over the socket). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "probe_builder.h"

#define PG DBL_ENGINE_POSTGRES
#define MY DBL_ENGINE_MYSQL
#define BIT(t) DBL_TRANSPORT_BIT(DBL_TRANSPORT_##t)

struct run {
	struct dbl_target_report tr;
	struct dbl_target *t;
	struct dbl_facts *f;
};

static void run_start(struct run *x, enum dbl_engine e, int port)
{
	x->f = dbl_facts_new();
	x->t = dbl_target_new(e);
	assert_non_null(x->f);
	assert_non_null(x->t);
	x->t->port = port;
	x->t->user = dbl_strdup("app");
	x->t->database = dbl_strdup("appdb");
	x->t->host = dbl_strdup("localhost");
}

static void run_classify(struct run *x, const struct pspec *specs,
			 unsigned required)
{
	pb_build(&x->tr, x->t->engine, specs, x->t->port);
	assert_int_equal(dbl_classify_target(&x->tr, x->t, x->f, required), 0);
}

static void run_end(struct run *x)
{
	pb_release(&x->tr);
	dbl_target_free(x->t);
	dbl_facts_free(x->f);
}

/* Any command of fd contains needle. */
static bool commands_have(const struct dbl_finding *fd, const char *needle)
{
	for (size_t i = 0; i < fd->commands.n; i++)
		if (strstr(fd->commands.items[i], needle))
			return true;
	return false;
}

static const struct pspec v4_only[] = {
	{.transport = P_UNIX, .ok = true},
	{.transport = P_TCP4, .ok = true},
	{.transport = P_TCP6, .err = ECONNREFUSED},
	END,
};

static void test_severity_follows_require(void **state)
{
	(void)state;
	struct run x;
	run_start(&x, PG, 5432);
	run_classify(&x, v4_only, BIT(UNIX) | BIT(TCP4));
	assert_true(x.tr.ok);
	const struct dbl_finding *fd =
		pb_finding(&x.tr, DBL_CLASS_IPV6_NOT_LISTENING);
	assert_non_null(fd);
	assert_int_equal(fd->severity, DBL_SEV_WARNING);
	assert_int_equal(fd->transports, BIT(TCP6));
	run_end(&x);

	run_start(&x, PG, 5432);
	run_classify(&x, v4_only, BIT(UNIX) | BIT(TCP4) | BIT(TCP6));
	assert_false(x.tr.ok);
	assert_int_equal(x.tr.findings[0].severity, DBL_SEV_ERROR);
	run_end(&x);

	/* --require any: one ok transport is enough. */
	assert_int_equal(dbl_required_mask(DBL_REQUIRE_ANY, 0, 7), 0);
	run_start(&x, PG, 5432);
	run_classify(&x, v4_only, 0);
	assert_true(x.tr.ok);
	assert_int_equal(x.tr.findings[0].severity, DBL_SEV_WARNING);
	run_end(&x);
}

static void test_any_with_nothing_ok_is_error(void **state)
{
	(void)state;
	static const struct pspec down[] = {
		{.transport = P_UNIX, .err = ENOENT},
		{.transport = P_TCP4, .err = ECONNREFUSED},
		END,
	};
	struct run x;
	run_start(&x, PG, 5432);
	run_classify(&x, down, 0);
	assert_false(x.tr.ok);
	assert_int_equal(x.tr.findings[0].cls, DBL_CLASS_SERVER_NOT_RUNNING);
	assert_int_equal(x.tr.findings[0].severity, DBL_SEV_ERROR);
	run_end(&x);
}

/* The busy server before the password: fixing a password cannot help
 * while no connection slot is free. */
static void test_order_fix_first(void **state)
{
	(void)state;
	static const struct pspec mixed[] = {
		{.transport = P_TCP4,
		 .state = "28P01",
		 .message = "FATAL:  password authentication failed"},
		{.transport = P_TCP6,
		 .state = "53300",
		 .message = "FATAL:  sorry, too many clients already"},
		{.transport = P_UNIX, .proto = DBL_PROTO_HTTP},
		END,
	};
	struct run x;
	run_start(&x, PG, 5432);
	run_classify(&x, mixed, BIT(UNIX) | BIT(TCP4) | BIT(TCP6));
	assert_int_equal(x.tr.n_findings, 3);
	assert_int_equal(x.tr.findings[0].cls, DBL_CLASS_PROTOCOL_MISMATCH);
	assert_int_equal(x.tr.findings[1].cls, DBL_CLASS_TOO_MANY_CONNECTIONS);
	assert_int_equal(x.tr.findings[2].cls, DBL_CLASS_ACCESS_DENIED);
	for (size_t i = 0; i < x.tr.n_findings; i++) {
		assert_non_null(x.tr.findings[i].fix);
		assert_true(x.tr.findings[i].commands.n > 0);
	}
	run_end(&x);
}

/* listen_addresses: the exact line of the file discovery read, and the
 * service's own name. */
static void test_fix_edits_the_line_read(void **state)
{
	(void)state;
	static const struct pspec socket_only[] = {
		{.transport = P_UNIX, .ok = true},
		{.transport = P_TCP4, .err = ECONNREFUSED},
		{.transport = P_TCP6, .err = ECONNREFUSED},
		END,
	};
	struct run x;
	run_start(&x, PG, 5432);
	x.f->pg.conf_file =
		dbl_strdup("/etc/postgresql/15/main/postgresql.conf");
	x.f->pg.listen_addresses.value = dbl_strdup("");
	x.f->pg.listen_addresses.source =
		dbl_strdup("/etc/postgresql/15/main/postgresql.conf line 60");
	run_classify(&x, socket_only, BIT(UNIX) | BIT(TCP4) | BIT(TCP6));
	const struct dbl_finding *fd =
		pb_finding(&x.tr, DBL_CLASS_TCP_DISABLED);
	assert_non_null(fd);
	assert_true(commands_have(
		fd, "sed -i \"60s|.*|listen_addresses = 'localhost'|\" "
		    "/etc/postgresql/15/main/postgresql.conf"));
	assert_true(commands_have(fd, "systemctl restart postgresql@15-main"));
	run_end(&x);
}

static void test_fix_hba_after_line(void **state)
{
	(void)state;
	static const struct pspec no_v6[] = {
		{.transport = P_TCP4, .ok = true},
		{.transport = P_TCP6,
		 .state = "28000",
		 .message = "FATAL:  no pg_hba.conf entry for host \"::1\", "
			    "user \"app\", database \"appdb\", no encryption"},
		END,
	};
	struct run x;
	run_start(&x, PG, 5432);
	pb_hba(x.f, 89, "local", "all", "all", NULL, "peer");
	pb_hba(x.f, 93, "host", "all", "all", "127.0.0.1/32", "md5");
	run_classify(&x, no_v6, BIT(TCP4) | BIT(TCP6));
	const struct dbl_finding *fd =
		pb_finding(&x.tr, DBL_CLASS_HOST_NOT_ALLOWED);
	assert_non_null(fd);
	assert_true(commands_have(fd, "93a host all all ::1/128 md5"));
	assert_true(commands_have(fd, "systemctl reload postgresql@15-main"));
	run_end(&x);
}

/* socket= goes to the option file the wrong path came from. */
static void test_fix_socket_in_its_option_file(void **state)
{
	(void)state;
	static const struct pspec wrong_socket[] = {
		{.transport = P_UNIX, .err = ENOENT},
		{.transport = P_TCP4,
		 .ok = true,
		 .settings = "@@socket=/run/mysqld/mysqld.sock"},
		END,
	};
	struct run x;
	run_start(&x, MY, 3306);
	dbl_target_set_origin(x.t, DBL_SET_SOCKET, "/tmp/mysql.sock",
			      "/root/.my.cnf line 3");
	run_classify(&x, wrong_socket, BIT(UNIX) | BIT(TCP4));
	const struct dbl_finding *fd =
		pb_finding(&x.tr, DBL_CLASS_SOCKET_MISSING);
	assert_non_null(fd);
	assert_non_null(strstr(fd->fix, "/root/.my.cnf"));
	assert_true(commands_have(
		fd, "3s|.*|socket=/run/mysqld/mysqld.sock|\" /root/.my.cnf"));
	run_end(&x);
}

/* The live socket found by discovery wins over a guess. */
static void test_fix_socket_from_listener(void **state)
{
	(void)state;
	static const struct pspec missing[] = {
		{.transport = P_UNIX, .err = ENOENT},
		{.transport = P_TCP4, .ok = true},
		END,
	};
	struct run x;
	run_start(&x, PG, 5432);
	pb_listener(x.f, AF_UNIX, NULL, 0, "/run/pg/.s.PGSQL.5432", PG);
	run_classify(&x, missing, BIT(UNIX) | BIT(TCP4));
	const struct dbl_finding *fd =
		pb_finding(&x.tr, DBL_CLASS_SOCKET_MISSING);
	assert_non_null(fd);
	assert_true(commands_have(fd, "export PGHOST=/run/pg"));
	run_end(&x);
}

/* Grants mirrored for the TCP host; the password hash never copied. */
static void test_fix_grants_mirrored_without_hash(void **state)
{
	(void)state;
	static const struct pspec only_local[] = {
		{.transport = P_UNIX,
		 .ok = true,
		 .settings = "current_user=app@localhost;grants=GRANT USAGE "
			     "ON *.* TO `app`@`localhost` IDENTIFIED BY "
			     "PASSWORD '*SECRETHASH'\nGRANT SELECT, INSERT ON "
			     "`shop`.* TO `app`@`localhost`"},
		{.transport = P_TCP4,
		 .greet_error = 1130,
		 .message =
			 "Host '127.0.0.1' is not allowed to connect to this "
			 "MariaDB server"},
		END,
	};
	struct run x;
	run_start(&x, MY, 3306);
	run_classify(&x, only_local, BIT(UNIX) | BIT(TCP4));
	const struct dbl_finding *fd =
		pb_finding(&x.tr, DBL_CLASS_HOST_NOT_ALLOWED);
	assert_non_null(fd);
	assert_true(commands_have(fd, "CREATE USER 'app'@'127.0.0.1'"));
	assert_true(commands_have(
		fd, "GRANT SELECT, INSERT ON `shop`.* TO 'app'@'127.0.0.1';"));
	assert_false(commands_have(fd, "SECRETHASH"));
	for (size_t i = 0; i < fd->evidence.n; i++)
		assert_null(strstr(fd->evidence.items[i], "SECRETHASH"));
	run_end(&x);
}

static void test_fix_pgpass_ignored(void **state)
{
	(void)state;
	static const struct pspec denied[] = {
		{.transport = P_TCP4,
		 .state = "28P01",
		 .message = "FATAL:  password authentication failed for user "
			    "\"app\""},
		END,
	};
	struct run x;
	run_start(&x, PG, 5432);
	x.f->pgpass.file = dbl_strdup("/home/app/.pgpass");
	x.f->pgpass.ignored = true;
	x.f->pgpass.mode = 0644;
	run_classify(&x, denied, BIT(TCP4));
	const struct dbl_finding *fd =
		pb_finding(&x.tr, DBL_CLASS_ACCESS_DENIED);
	assert_non_null(fd);
	assert_true(commands_have(fd, "chmod 0600 /home/app/.pgpass"));
	run_end(&x);
}

/* No facts, no target: still a finding per failing probe. */
static void test_null_facts_and_target(void **state)
{
	(void)state;
	struct dbl_target_report tr;
	pb_build(&tr, PG, v4_only, 5432);
	assert_int_equal(dbl_classify_target(&tr, NULL, NULL,
					     BIT(UNIX) | BIT(TCP4) | BIT(TCP6)),
			 0);
	assert_false(tr.ok);
	assert_true(tr.n_findings >= 1);
	assert_true(tr.findings[0].transports & BIT(TCP6));
	pb_release(&tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_severity_follows_require),
		cmocka_unit_test(test_any_with_nothing_ok_is_error),
		cmocka_unit_test(test_order_fix_first),
		cmocka_unit_test(test_fix_edits_the_line_read),
		cmocka_unit_test(test_fix_hba_after_line),
		cmocka_unit_test(test_fix_socket_in_its_option_file),
		cmocka_unit_test(test_fix_socket_from_listener),
		cmocka_unit_test(test_fix_grants_mirrored_without_hash),
		cmocka_unit_test(test_fix_pgpass_ignored),
		cmocka_unit_test(test_null_facts_and_target),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
