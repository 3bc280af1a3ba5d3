/* Findings across transports: severity from --require, the order to fix
 * things in, and fixes written from this machine's facts (the file and
 * line discovery read, the option file a setting came from, the grants
 * read over the socket). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <time.h>

#include "classify/view.h"
#include "probe_builder.h"

#define PG DBL_ENGINE_POSTGRES
#define MY DBL_ENGINE_MYSQL
#define BIT(t) DBL_TRANSPORT_BIT(DBL_TRANSPORT_##t)
#define UNIX_V4_V6 (BIT(UNIX) | BIT(TCP4) | BIT(TCP6))

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

/* run_start then run_classify, for a run with no facts of its own. */
static void run_classified(struct run *x, enum dbl_engine e, int port,
			   const struct pspec *specs, unsigned required)
{
	run_start(x, e, port);
	run_classify(x, specs, required);
}

static void run_end(struct run *x)
{
	pb_release(&x->tr);
	dbl_target_free(x->t);
	dbl_facts_free(x->f);
}

/* The finding of class cls, which the run must have. */
static const struct dbl_finding *must_find(struct run *x, enum dbl_class cls)
{
	const struct dbl_finding *fd = pb_finding(&x->tr, cls);
	assert_non_null(fd);
	return fd;
}

/* The socket answers (with settings, if any); TCP to 127.0.0.1 and ::1 is
 * refused. */
static void socket_only(struct pspec specs[4], const char *settings)
{
	const struct pspec rows[] = {
		{.transport = P_UNIX, .ok = true, .settings = settings},
		{.transport = P_TCP4, .err = ECONNREFUSED},
		{.transport = P_TCP6, .err = ECONNREFUSED},
		END,
	};
	memcpy(specs, rows, sizeof(rows));
}

/* Any command of fd contains needle. */
static bool commands_have(const struct dbl_finding *fd, const char *needle)
{
	for (size_t i = 0; i < fd->commands.n; i++)
		if (strstr(fd->commands.items[i], needle))
			return true;
	return false;
}

/* fd has a config step: file, line (-1: any), action and text. */
static bool config_step(const struct dbl_finding *fd, const char *file,
			int line, enum dbl_conf_action action, const char *text)
{
	for (size_t i = 0; i < fd->n_steps; i++) {
		const struct dbl_step *st = &fd->steps[i];
		if (st->kind == DBL_STEP_CONFIG && st->file &&
		    strcmp(st->file, file) == 0 &&
		    (line < 0 || st->line == line) && st->action == action &&
		    strcmp(st->text, text) == 0)
			return true;
	}
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
	run_classified(&x, PG, 5432, v4_only, BIT(UNIX) | BIT(TCP4));
	assert_true(x.tr.ok);
	const struct dbl_finding *fd =
		must_find(&x, DBL_CLASS_IPV6_NOT_LISTENING);
	assert_int_equal(fd->severity, DBL_SEV_WARNING);
	assert_int_equal(fd->transports, BIT(TCP6));
	run_end(&x);

	run_classified(&x, PG, 5432, v4_only, UNIX_V4_V6);
	assert_false(x.tr.ok);
	assert_int_equal(x.tr.findings[0].severity, DBL_SEV_ERROR);
	run_end(&x);

	/* --require any: one ok transport is enough. */
	assert_int_equal(dbl_required_mask(DBL_REQUIRE_ANY, 0, 7), 0);
	run_classified(&x, PG, 5432, v4_only, 0);
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
	run_classified(&x, PG, 5432, down, 0);
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
	run_classified(&x, PG, 5432, mixed, UNIX_V4_V6);
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
	struct pspec specs[4];
	socket_only(specs, NULL);
	struct run x;
	run_start(&x, PG, 5432);
	x.f->pg.conf_file =
		dbl_strdup("/etc/postgresql/15/main/postgresql.conf");
	x.f->pg.listen_addresses.value = dbl_strdup("");
	x.f->pg.listen_addresses.source =
		dbl_strdup("/etc/postgresql/15/main/postgresql.conf line 60");
	run_classify(&x, specs, UNIX_V4_V6);
	const struct dbl_finding *fd = must_find(&x, DBL_CLASS_TCP_DISABLED);
	assert_true(config_step(fd, "/etc/postgresql/15/main/postgresql.conf",
				60, DBL_CONF_REPLACE,
				"listen_addresses = 'localhost'"));
	assert_true(fd->steps[0].needs_root);
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
		must_find(&x, DBL_CLASS_HOST_NOT_ALLOWED);
	assert_true(config_step(fd, "/etc/postgresql/15/main/pg_hba.conf", 93,
				DBL_CONF_INSERT_AFTER,
				"host all all ::1/128 md5"));
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
	const struct dbl_finding *fd = must_find(&x, DBL_CLASS_SOCKET_MISSING);
	assert_non_null(strstr(fd->fix, "/root/.my.cnf"));
	assert_true(config_step(fd, "/root/.my.cnf", 3, DBL_CONF_REPLACE,
				"socket=/run/mysqld/mysqld.sock"));
	run_end(&x);
}

/* Point 1 of issue 14: a wrong port from the service file is replaced at
 * its line; one from DATABASE_URL is named as the variable. */
static void test_fix_port_at_its_source(void **state)
{
	(void)state;
	static const struct pspec wrong_port[] = {
		{.transport = P_UNIX, .err = ENOENT},
		{.transport = P_TCP4, .err = ECONNREFUSED},
		{.transport = P_TCP6, .err = ECONNREFUSED},
		END,
	};
	struct run x;
	run_start(&x, PG, 5433);
	pb_listener(x.f, AF_INET, "127.0.0.1", 5432, NULL, PG);
	dbl_target_set_origin(x.t, DBL_SET_PORT, "5433",
			      "/home/app/.pg_service.conf line 4");
	run_classify(&x, wrong_port, UNIX_V4_V6);
	const struct dbl_finding *fd = must_find(&x, DBL_CLASS_WRONG_PORT);
	assert_non_null(strstr(fd->fix, "/home/app/.pg_service.conf line 4"));
	assert_true(config_step(fd, "/home/app/.pg_service.conf", 4,
				DBL_CONF_REPLACE, "port=5432"));
	run_end(&x);

	run_start(&x, PG, 5433);
	pb_listener(x.f, AF_INET, "127.0.0.1", 5432, NULL, PG);
	dbl_target_set_origin(x.t, DBL_SET_PORT, "5433", "DATABASE_URL");
	run_classify(&x, wrong_port, UNIX_V4_V6);
	fd = must_find(&x, DBL_CLASS_WRONG_PORT);
	assert_non_null(strstr(fd->fix, "DATABASE_URL"));
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
	const struct dbl_finding *fd = must_find(&x, DBL_CLASS_SOCKET_MISSING);
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
	run_classified(&x, MY, 3306, only_local, BIT(UNIX) | BIT(TCP4));
	const struct dbl_finding *fd =
		must_find(&x, DBL_CLASS_HOST_NOT_ALLOWED);
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
	const struct dbl_finding *fd = must_find(&x, DBL_CLASS_ACCESS_DENIED);
	assert_true(commands_have(fd, "chmod 0600 /home/app/.pgpass"));
	run_end(&x);
}

/* No facts, no target: still a finding per failing probe. */
static void test_null_facts_and_target(void **state)
{
	(void)state;
	struct dbl_target_report tr;
	pb_build(&tr, PG, v4_only, 5432);
	assert_int_equal(dbl_classify_target(&tr, NULL, NULL, UNIX_V4_V6), 0);
	assert_false(tr.ok);
	assert_true(tr.n_findings >= 1);
	assert_true(tr.findings[0].transports & BIT(TCP6));
	pb_release(&tr);
}

/* ---- facts from real runs (docker/run-matrix.sh) ---------------------- */

/* Any evidence line of fd contains needle. */
static bool evidence_has(const struct dbl_finding *fd, const char *needle)
{
	for (size_t i = 0; i < fd->evidence.n; i++)
		if (strstr(fd->evidence.items[i], needle))
			return true;
	return false;
}

/* pg_postmaster_start_time as the server prints it, secs_ago before now
 * with the given offset from UTC in hours. */
static void pg_start_time(char *out, size_t len, long secs_ago, int off_h)
{
	time_t at = time(NULL) - secs_ago + off_h * 3600;
	struct tm tm;
	gmtime_r(&at, &tm);
	char when[64];
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(out, len, "pg_postmaster_start_time=%s.215324%+03d;", when,
		 off_h);
}

/* pg_tcp_disabled from the matrix (postgres -c listen_addresses=, dbloop
 * run 8 s after the start): the server's own listen_addresses = '' says
 * why TCP is off, so the young server is tcp_disabled, not starting. */
static void test_pg_listen_empty_young_is_tcp_disabled(void **state)
{
	(void)state;
	char settings[256];
	pg_start_time(settings, 100, 8, 0);
	strcat(settings, "listen_addresses=;port=5432;"
			 "unix_socket_directories=/var/run/postgresql");
	const struct pspec specs[] = {
		{.transport = P_UNIX, .ok = true, .settings = settings},
		{.transport = P_TCP4, .err = ECONNREFUSED},
		{.transport = P_TCP6, .err = ECONNREFUSED},
		{.transport = P_LH,
		 .err = ECONNREFUSED,
		 .attempts = "127.0.0.1:5432=111"},
		END,
	};
	struct run x;
	run_classified(&x, PG, 5432, specs, UNIX_V4_V6 | BIT(LOCALHOST));
	assert_int_equal(x.tr.probes[1].cls, DBL_CLASS_CONNECTION_REFUSED);
	const struct dbl_finding *fd = must_find(&x, DBL_CLASS_TCP_DISABLED);
	assert_null(pb_finding(&x.tr, DBL_CLASS_SERVER_STARTING));
	assert_true(evidence_has(fd, "listen_addresses = ''"));
	assert_true(evidence_has(fd, "up for"));
	run_end(&x);
}

/* The same server told to listen (listen_addresses = '*'): young and TCP
 * refused means it is still starting; the uptime comes from
 * pg_postmaster_start_time, printed in the server's time zone. */
static void test_pg_young_listening_is_starting(void **state)
{
	(void)state;
	char settings[256];
	pg_start_time(settings, 100, 8, 5);
	strcat(settings, "listen_addresses=*;port=5432");
	const struct pspec specs[] = {
		{.transport = P_UNIX, .ok = true, .settings = settings},
		{.transport = P_TCP4, .err = ECONNREFUSED},
		{.transport = P_TCP6, .err = ECONNREFUSED},
		END,
	};
	struct run x;
	run_classified(&x, PG, 5432, specs, UNIX_V4_V6);
	const struct dbl_finding *fd = must_find(&x, DBL_CLASS_SERVER_STARTING);
	assert_int_equal(fd->transports, BIT(TCP4) | BIT(TCP6));
	assert_true(evidence_has(fd, "up for 8 s") ||
		    evidence_has(fd, "up for 9 s"));
	run_end(&x);

	/* Up for an hour: not starting, whatever the settings say. */
	pg_start_time(settings, 100, 3600, -3);
	strcat(settings, "listen_addresses=*;port=5432");
	run_classified(&x, PG, 5432, specs, UNIX_V4_V6);
	assert_null(pb_finding(&x.tr, DBL_CLASS_SERVER_STARTING));
	assert_non_null(pb_finding(&x.tr, DBL_CLASS_TCP_DISABLED));
	run_end(&x);
}

static void test_server_uptime_offsets(void **state)
{
	(void)state;
	struct dbl_result r;
	dbl_result_init(&r, PG, DBL_TRANSPORT_UNIX, DBL_STAGE_QUERY);
	time_t now = 1795310400; /* 2026-11-22 01:20:00 UTC */
	pb_settings(&r, "pg_postmaster_start_time=2026-11-22 "
			"02:19:50.5+01");
	assert_int_equal((int)dbl_server_uptime(&r, 1, now), 10);
	dbl_result_init(&r, PG, DBL_TRANSPORT_UNIX, DBL_STAGE_QUERY);
	pb_settings(&r, "pg_postmaster_start_time=2026-11-21 "
			"21:49:00-03:30");
	assert_int_equal((int)dbl_server_uptime(&r, 1, now), 60);
	dbl_result_init(&r, PG, DBL_TRANSPORT_UNIX, DBL_STAGE_QUERY);
	pb_settings(&r, "pg_postmaster_start_time=Sun Nov 22 01:19:50 2026");
	assert_true(dbl_server_uptime(&r, 1, now) < 0);
	dbl_result_init(&r, MY, DBL_TRANSPORT_UNIX, DBL_STAGE_QUERY);
	pb_settings(&r, "uptime=18");
	assert_int_equal((int)dbl_server_uptime(&r, 1, now), 18);
}

/* pg_localhost_in_container / my_localhost_in_container from the matrix:
 * dbloop in its own container told localhost, DATABASE_URL names the
 * compose service. Nothing listens: server_not_running, and the finding
 * says localhost is the container and names the service. */
static const struct pspec nothing_pg[] = {
	{.transport = P_UNIX, .err = ENOENT},
	{.transport = P_TCP4, .err = ECONNREFUSED},
	{.transport = P_TCP6, .err = ECONNREFUSED},
	{.transport = P_LH,
	 .err = ECONNREFUSED,
	 .attempts = "127.0.0.1:5432=111"},
	END,
};

#define EPG (1u << DBL_ENGINE_POSTGRES)
#define EMY (1u << DBL_ENGINE_MYSQL)

/* A host DATABASE_URL (or, with from set, a *_HOST variable) names. */
static void env_host(struct run *x, const char *host, int port,
		     unsigned engines, const char *from)
{
	assert_int_equal(dbl_facts_add_env_host(
				 x->f,
				 from ? DBL_ENV_HOST_VAR : DBL_ENV_HOST_URL,
				 host, strlen(host), port, engines,
				 from ? from : "DATABASE_URL"),
			 0);
}

static void in_container(struct run *x)
{
	x->f->host.in_container = true;
	dbl_strlcpy(x->f->host.container_evidence, "/run/.containerenv",
		    sizeof(x->f->host.container_evidence));
}

static void test_localhost_in_container_names_service(void **state)
{
	(void)state;
	struct run x;
	run_start(&x, PG, 0);
	in_container(&x);
	env_host(&x, "pg_ok_15", 5432, EPG, NULL);
	run_classify(&x, nothing_pg, UNIX_V4_V6 | BIT(LOCALHOST));
	const struct dbl_finding *fd =
		must_find(&x, DBL_CLASS_SERVER_NOT_RUNNING);
	assert_non_null(strstr(fd->summary, "container"));
	assert_true(evidence_has(fd, "/run/.containerenv"));
	assert_true(evidence_has(fd, "'pg_ok_15'"));
	assert_non_null(strstr(fd->fix, "host pg_ok_15"));
	assert_true(commands_have(fd, "postgresql://app@pg_ok_15:5432/appdb"));
	assert_true(commands_have(fd, "PGHOST=pg_ok_15"));
	assert_true(commands_have(fd, "docker compose up -d pg_ok_15"));
	run_end(&x);
}

static void test_localhost_in_container_mysql_url(void **state)
{
	(void)state;
	const struct pspec nothing_my[] = {
		{.transport = P_UNIX, .err = ENOENT},
		{.transport = P_TCP4, .err = ECONNREFUSED},
		{.transport = P_TCP6, .err = ECONNREFUSED},
		END,
	};
	struct run x;
	run_start(&x, MY, 0);
	/* A URL for the other engine is not this target's database. */
	in_container(&x);
	env_host(&x, "pg_db", 0, EPG, NULL);
	run_classify(&x, nothing_my, UNIX_V4_V6);
	const struct dbl_finding *fd =
		must_find(&x, DBL_CLASS_SERVER_NOT_RUNNING);
	assert_null(strstr(fd->fix, "pg_db"));
	assert_non_null(strstr(fd->fix, "compose service name"));
	assert_non_null(strstr(fd->fix, "Start the MySQL/MariaDB server"));
	assert_true(strstr(fd->fix, "Start the MySQL/MariaDB server") <
		    strstr(fd->fix, "compose service name"));
	assert_true(evidence_has(fd, "container itself"));
	run_end(&x);

	run_start(&x, MY, 0);
	in_container(&x);
	env_host(&x, "my_ok_mariadb1011", 3306, EMY, NULL);
	run_classify(&x, nothing_my, UNIX_V4_V6);
	fd = must_find(&x, DBL_CLASS_SERVER_NOT_RUNNING);
	assert_non_null(strstr(fd->fix, "host my_ok_mariadb1011"));
	assert_true(commands_have(fd, "mysql -h my_ok_mariadb1011 -P 3306"));
	run_end(&x);

	/* A compose variable naming the host, no DATABASE_URL. */
	run_start(&x, MY, 0);
	in_container(&x);
	env_host(&x, "db", 0, EPG | EMY, "MYSQL_SERVER_HOST");
	run_classify(&x, nothing_my, UNIX_V4_V6);
	fd = must_find(&x, DBL_CLASS_SERVER_NOT_RUNNING);
	assert_non_null(strstr(fd->fix, "host db (from MYSQL_SERVER_HOST)"));
	run_end(&x);
}

/* Point 3 of issue 14: a container command only when a container is
 * involved (dbloop in one, a runtime's listener, DATABASE_URL naming a
 * compose service, a compose file here), the service command of the unit
 * or script that exists, systemctl only under systemd. */
static const struct pspec none_my[] = {
	{.transport = P_UNIX, .err = ENOENT},
	{.transport = P_TCP4, .err = ECONNREFUSED},
	{.transport = P_TCP6, .err = ECONNREFUSED},
	END,
};

/* A run on a machine (init known) with no systemd and no service. */
static void machine_run(struct run *x, enum dbl_engine e)
{
	run_start(x, e, 0);
	x->f->host.init = DBL_INIT_OTHER;
}

static void test_container_commands_only_when_involved(void **state)
{
	(void)state;
	struct run x;
	const struct dbl_finding *fd;
	/* nothing suggests a container */
	machine_run(&x, MY);
	assert_int_equal(dbl_strlist_push(&x.f->host.init_scripts, "mariadb"),
			 0);
	run_classify(&x, none_my, UNIX_V4_V6);
	fd = must_find(&x, DBL_CLASS_SERVER_NOT_RUNNING);
	assert_false(commands_have(fd, "docker"));
	assert_true(commands_have(fd, "sudo service mariadb start"));
	assert_false(commands_have(fd, "systemctl"));
	run_end(&x);
	/* a compose file in the working directory */
	machine_run(&x, MY);
	x.f->host.compose_file = dbl_strdup("compose.yaml");
	run_classify(&x, none_my, UNIX_V4_V6);
	fd = must_find(&x, DBL_CLASS_SERVER_NOT_RUNNING);
	assert_true(commands_have(fd, "docker compose up -d db"));
	run_end(&x);
	/* a listener that belongs to a container runtime */
	static const char *const runtimes[] = {"docker-proxy", "conmon",
					       "rootlessport"};
	for (size_t i = 0; i < 3; i++) {
		machine_run(&x, MY);
		pb_listener(x.f, AF_INET, "0.0.0.0", 13306, NULL, MY);
		x.f->listeners[0].pid = 4242;
		x.f->listeners[0].engine = -1; /* a runtime's proxy */
		dbl_strlcpy(x.f->listeners[0].process, runtimes[i],
			    sizeof(x.f->listeners[0].process));
		run_classify(&x, none_my, UNIX_V4_V6);
		fd = must_find(&x, DBL_CLASS_SERVER_NOT_RUNNING);
		assert_true(commands_have(fd, "docker compose up -d db"));
		run_end(&x);
	}
	/* DATABASE_URL names a compose service, dbloop not in a container */
	machine_run(&x, MY);
	env_host(&x, "mariadb_svc", 3306, EMY, NULL);
	run_classify(&x, none_my, UNIX_V4_V6);
	fd = must_find(&x, DBL_CLASS_SERVER_NOT_RUNNING);
	assert_true(commands_have(fd, "docker compose up -d mariadb_svc"));
	run_end(&x);
}

/* Starting the server this machine is configured for will not help a
 * client that asks for another port or socket: the fix says so, with the
 * file and line, and says nothing where they agree. */
static void test_not_running_configured_elsewhere(void **state)
{
	(void)state;
	struct run x;
	const struct dbl_finding *fd;
	machine_run(&x, MY);
	x.t->port = 3399;
	x.t->socket_path = dbl_strdup("/tmp/nomy/mysql.sock");
	x.f->my.conf_file = dbl_strdup("/etc/mysql/my.cnf");
	x.f->my.socket.value = dbl_strdup("/run/mysqld/mysqld.sock");
	x.f->my.socket.source = dbl_strdup("/etc/mysql/my.cnf line 25");
	run_classify(&x, none_my, UNIX_V4_V6);
	fd = must_find(&x, DBL_CLASS_SERVER_NOT_RUNNING);
	assert_non_null(strstr(fd->fix, "listens on port 3306 (no port line: "
					"the default), not on 3399"));
	assert_non_null(strstr(fd->fix, "configured as /run/mysqld/mysqld.sock "
					"(/etc/mysql/my.cnf line 25), not "
					"/tmp/nomy/mysql.sock"));
	run_end(&x);
	/* PostgreSQL: a socket directory listed, the port from the file */
	machine_run(&x, PG);
	x.t->socket_path = dbl_strdup("/tmp/.s.PGSQL.5432");
	x.f->pg.conf_file =
		dbl_strdup("/etc/postgresql/15/main/postgresql.conf");
	x.f->pg.port.value = dbl_strdup("5433");
	x.f->pg.port.source =
		dbl_strdup("/etc/postgresql/15/main/postgresql.conf line 64");
	x.f->pg.unix_socket_directories.value =
		dbl_strdup("/var/run/postgresql, /tmp");
	run_classify(&x, none_my, UNIX_V4_V6);
	fd = must_find(&x, DBL_CLASS_SERVER_NOT_RUNNING);
	assert_non_null(strstr(fd->fix, "listens on port 5433 (/etc/postgresql/"
					"15/main/postgresql.conf line 64), not "
					"on 5432"));
	assert_null(strstr(fd->fix, "socket directory")); /* /tmp is listed */
	run_end(&x);
	/* the same port and socket: nothing to say */
	machine_run(&x, MY);
	x.t->socket_path = dbl_strdup("/run/mysqld/mysqld.sock");
	x.f->my.conf_file = dbl_strdup("/etc/mysql/my.cnf");
	x.f->my.socket.value = dbl_strdup("/run/mysqld/mysqld.sock");
	run_classify(&x, none_my, UNIX_V4_V6);
	fd = must_find(&x, DBL_CLASS_SERVER_NOT_RUNNING);
	assert_null(strstr(fd->fix, "configured"));
	run_end(&x);
}

static void test_service_unit_that_exists(void **state)
{
	(void)state;
	struct run x;
	const struct dbl_finding *fd;
	/* systemd with MariaDB's own unit, and its mysql alias */
	machine_run(&x, MY);
	x.f->host.init = DBL_INIT_SYSTEMD;
	assert_int_equal(dbl_strlist_push(&x.f->host.units, "mysql.service"),
			 0);
	assert_int_equal(dbl_strlist_push(&x.f->host.units, "mariadb.service"),
			 0);
	run_classify(&x, none_my, UNIX_V4_V6);
	fd = must_find(&x, DBL_CLASS_SERVER_NOT_RUNNING);
	assert_true(commands_have(fd, "sudo systemctl start mariadb"));
	assert_false(commands_have(fd, "systemctl start mysql"));
	run_end(&x);
	/* Oracle MySQL's unit only */
	machine_run(&x, MY);
	x.f->host.init = DBL_INIT_SYSTEMD;
	assert_int_equal(dbl_strlist_push(&x.f->host.units, "mysqld.service"),
			 0);
	run_classify(&x, none_my, UNIX_V4_V6);
	fd = must_find(&x, DBL_CLASS_SERVER_NOT_RUNNING);
	assert_true(commands_have(fd, "sudo systemctl start mysqld"));
	run_end(&x);
	/* no service at all: no service command */
	machine_run(&x, MY);
	run_classify(&x, none_my, UNIX_V4_V6);
	fd = must_find(&x, DBL_CLASS_SERVER_NOT_RUNNING);
	assert_false(commands_have(fd, "systemctl"));
	assert_false(commands_have(fd, "service "));
	run_end(&x);
	/* Red Hat's PostgreSQL: the unit whose PGDATA is the data directory */
	machine_run(&x, PG);
	x.f->host.init = DBL_INIT_SYSTEMD;
	x.f->pg.data_dir = dbl_strdup("/var/lib/pgsql/15/data");
	x.f->pg.unit = dbl_strdup("postgresql-15");
	run_classify(&x, nothing_pg, UNIX_V4_V6 | BIT(LOCALHOST));
	fd = must_find(&x, DBL_CLASS_SERVER_NOT_RUNNING);
	assert_true(commands_have(fd, "sudo systemctl start postgresql-15"));
	assert_true(commands_have(
		fd, "journalctl -u postgresql-15 -n 50 --no-pager"));
	assert_false(commands_have(fd, "pg_ctlcluster"));
	run_end(&x);
	/* the same without systemd: pg_ctl as postgres */
	machine_run(&x, PG);
	x.f->pg.data_dir = dbl_strdup("/var/lib/pgsql/15/data");
	x.f->pg.unit = dbl_strdup("postgresql-15");
	run_classify(&x, nothing_pg, UNIX_V4_V6 | BIT(LOCALHOST));
	fd = must_find(&x, DBL_CLASS_SERVER_NOT_RUNNING);
	assert_true(commands_have(
		fd, "sudo -u postgres pg_ctl -D /var/lib/pgsql/15/data start"));
	assert_false(commands_have(fd, "systemctl"));
	run_end(&x);
	/* the user's own cluster (Homebrew): pg_ctl, no sudo */
	machine_run(&x, PG);
	x.f->pg.data_dir = dbl_strdup("/opt/homebrew/var/postgresql@15");
	x.f->pg.files_owned = true;
	run_classify(&x, nothing_pg, UNIX_V4_V6 | BIT(LOCALHOST));
	fd = must_find(&x, DBL_CLASS_SERVER_NOT_RUNNING);
	assert_true(commands_have(
		fd, "pg_ctl -D /opt/homebrew/var/postgresql@15 start"));
	assert_false(commands_have(fd, "sudo"));
	run_end(&x);
}

/* Outside a container, or told another host, nothing changes. */
static void test_not_in_container_says_start(void **state)
{
	(void)state;
	struct run x;
	run_start(&x, PG, 0);
	env_host(&x, "pg_ok_15", 0, EPG, NULL);
	run_classify(&x, nothing_pg, UNIX_V4_V6 | BIT(LOCALHOST));
	const struct dbl_finding *fd =
		must_find(&x, DBL_CLASS_SERVER_NOT_RUNNING);
	assert_null(strstr(fd->fix, "pg_ok_15"));
	assert_non_null(strstr(fd->fix, "Start the PostgreSQL server"));
	run_end(&x);
}

/* my_bind_ipv4_only from the matrix: the option file read has no
 * bind-address line, so the fix appends one, under its own [mysqld]
 * header (Debian's my.cnf ends in [client-server], read by clients). */
static void test_mysql_append_under_mysqld(void **state)
{
	(void)state;
	const struct pspec specs[] = {
		{.transport = P_UNIX,
		 .ok = true,
		 .settings = "@@port=3306;@@bind_address=127.0.0.1;"
			     "@@skip_networking=0;uptime=12"},
		{.transport = P_TCP4, .ok = true},
		{.transport = P_TCP6,
		 .err = ECONNREFUSED,
		 .message = "connect to '[::1]:3306' failed: Connection "
			    "refused"},
		END,
	};
	struct run x;
	run_start(&x, MY, 0);
	x.f->my.conf_file = dbl_strdup("/etc/mysql/my.cnf");
	x.f->host.ipv6_loopback = true;
	run_classify(&x, specs, UNIX_V4_V6);
	const struct dbl_finding *fd =
		must_find(&x, DBL_CLASS_IPV6_NOT_LISTENING);
	assert_true(config_step(fd, "/etc/mysql/my.cnf", 0, DBL_CONF_APPEND,
				"bind-address = 127.0.0.1,::1"));
	run_end(&x);
}

/* tests/lab my_skip_networking, client told port 60367: MariaDB says
 * @@port = 0 with skip-networking, which is no TCP port at all, not a
 * server "on port 0" answering in place of the asked one. */
static void test_skip_networking_port_zero(void **state)
{
	(void)state;
	struct pspec specs[4];
	socket_only(specs, "@@port=0;@@bind_address=;@@skip_networking=1;"
			   "uptime=0");
	struct run x;
	run_classified(&x, MY, 60367, specs, UNIX_V4_V6);
	assert_non_null(pb_finding(&x.tr, DBL_CLASS_TCP_DISABLED));
	assert_null(pb_finding(&x.tr, DBL_CLASS_SOCKET_PORT_IGNORED));
	run_end(&x);
}

/* tests/lab pg_tcp_disabled: PostgreSQL 15 hides unix_socket_directories
 * from a non-superuser (denied), so the socket to use is the one that
 * worked, not a default path. */
static void test_pg_socket_dir_from_probe(void **state)
{
	(void)state;
	struct pspec specs[4];
	socket_only(specs, "listen_addresses=;port=36547");
	struct run x;
	run_classified(&x, PG, 36547, specs, UNIX_V4_V6);
	const struct dbl_finding *fd = must_find(&x, DBL_CLASS_TCP_DISABLED);
	assert_non_null(strstr(fd->fix, "(host=/tmp/dbl)"));
	run_end(&x);
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
		cmocka_unit_test(test_fix_port_at_its_source),
		cmocka_unit_test(test_fix_grants_mirrored_without_hash),
		cmocka_unit_test(test_fix_pgpass_ignored),
		cmocka_unit_test(test_null_facts_and_target),
		cmocka_unit_test(test_pg_listen_empty_young_is_tcp_disabled),
		cmocka_unit_test(test_pg_young_listening_is_starting),
		cmocka_unit_test(test_server_uptime_offsets),
		cmocka_unit_test(test_localhost_in_container_names_service),
		cmocka_unit_test(test_localhost_in_container_mysql_url),
		cmocka_unit_test(test_not_in_container_says_start),
		cmocka_unit_test(test_container_commands_only_when_involved),
		cmocka_unit_test(test_not_running_configured_elsewhere),
		cmocka_unit_test(test_service_unit_that_exists),
		cmocka_unit_test(test_mysql_append_under_mysqld),
		cmocka_unit_test(test_skip_networking_port_zero),
		cmocka_unit_test(test_pg_socket_dir_from_probe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
