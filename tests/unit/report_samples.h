/* Reports built by hand for the writer tests, shaped after what the probes
 * and the classifier produce in the scenarios of scenarios.md (pg_ok,
 * my_skip_networking, pg peer auth on the socket) plus one with long
 * paths and hostile bytes. Times and timestamps are fixed so every output
 * is deterministic. Header-only: included by the test_report_*.c files. */
#ifndef REPORT_SAMPLES_H
#define REPORT_SAMPLES_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dbloop/report.h"

static struct dbl_report *sample_report_base(void)
{
	struct dbl_report *rep = dbl_report_new();
	rep->dbloop_version = strdup("0.1.0");
	rep->generated_at = strdup("2026-11-21T23:59:01Z");
	rep->duration_ms = 12.4;
	rep->os = strdup("linux");
	rep->ipv6_loopback = true;
	dbl_strlist_push(&rep->localhost_resolves_to, "::1");
	dbl_strlist_push(&rep->localhost_resolves_to, "127.0.0.1");
	return rep;
}

/* A target of rep as the report names it; product and version may be
 * NULL (no server answered). */
static struct dbl_target_report *
sample_target(struct dbl_report *rep, const char *target,
	      enum dbl_engine engine, const char *product, const char *version)
{
	struct dbl_target_report *tr = dbl_report_add_target(rep);
	tr->target = strdup(target);
	tr->engine = engine;
	if (product)
		tr->product = strdup(product);
	if (version)
		tr->version = strdup(version);
	return tr;
}

/* The settings lines of tr, from a NULL-terminated list. */
static void sample_settings(struct dbl_target_report *tr,
			    const char *const *lines)
{
	for (; *lines; lines++)
		dbl_strlist_push(&tr->settings, *lines);
}

/* A report of one target added by add, its verdict ok. */
static struct dbl_report *sample_report_of(void (*add)(struct dbl_report *),
					   bool ok)
{
	struct dbl_report *rep = sample_report_base();
	add(rep);
	rep->ok = ok;
	return rep;
}

static struct dbl_probe_report *sample_add_probe(struct dbl_target_report *tr,
						 enum dbl_transport t,
						 const char *address)
{
	tr->probes =
		realloc(tr->probes, (tr->n_probes + 1) * sizeof(*tr->probes));
	struct dbl_probe_report *p = &tr->probes[tr->n_probes++];
	memset(p, 0, sizeof(*p));
	dbl_result_init(&p->r, tr->engine, t, DBL_STAGE_QUERY);
	dbl_strlcpy(p->r.address, address, sizeof(p->r.address));
	p->cls = DBL_CLASS_OK;
	return p;
}

/* A probe that went all the way. */
static void sample_ok(struct dbl_probe_report *p, const char *product,
		      const char *version, double ms)
{
	struct dbl_result *r = &p->r;
	r->ok = true;
	r->stage = DBL_STAGE_QUERY;
	r->protocol = r->engine == DBL_ENGINE_POSTGRES ? DBL_PROTO_POSTGRES
						       : DBL_PROTO_MYSQL;
	dbl_strlcpy(r->product, product, sizeof(r->product));
	dbl_strlcpy(r->version, version, sizeof(r->version));
	r->elapsed_ms = ms;
	r->stage_ms[DBL_STAGE_CONNECT] = 0.2;
	r->stage_ms[DBL_STAGE_GREET] = 0.4;
	r->stage_ms[DBL_STAGE_AUTH] = ms - 1.0 > 0 ? ms - 1.0 : 0.1;
	r->stage_ms[DBL_STAGE_QUERY] = 0.3;
}

/* A TCP connect refused at addr. */
static void sample_refused(struct dbl_probe_report *p, const char *addr,
			   double ms)
{
	struct dbl_result *r = &p->r;
	r->stage = DBL_STAGE_CONNECT;
	r->sys_errno = ECONNREFUSED;
	r->elapsed_ms = ms;
	r->stage_ms[DBL_STAGE_CONNECT] = ms;
	p->cls = DBL_CLASS_CONNECTION_REFUSED;
	dbl_result_add_attempt(r, addr, ECONNREFUSED, ms);
}

/* pg_ok: PostgreSQL 15 on every local transport. */
static void sample_pg_ok_target(struct dbl_report *rep)
{
	static const char *const ver = "15.18 (Debian 15.18-0+deb12u1)";
	struct dbl_target_report *tr =
		sample_target(rep, "postgres://app@localhost/appdb",
			      DBL_ENGINE_POSTGRES, "PostgreSQL", ver);
	tr->ok = true;
	static const char *const settings[] = {
		"user=app from URL", "database=appdb from URL",
		"port=5432 from default",
		"socket=/var/run/postgresql/.s.PGSQL.5432 from libpq "
		"default",
		NULL};
	sample_settings(tr, settings);
	struct dbl_probe_report *p = sample_add_probe(
		tr, DBL_TRANSPORT_UNIX, "/var/run/postgresql/.s.PGSQL.5432");
	sample_ok(p, "PostgreSQL", ver, 2.1);
	dbl_result_add_attempt(&p->r, p->r.address, 0, 0.2);
	dbl_strlcpy(p->r.auth_method, "scram-sha-256",
		    sizeof(p->r.auth_method));
	dbl_strlcpy(p->r.instance, "port=5432 data=/var/lib/postgresql/15/main",
		    sizeof(p->r.instance));
	p->r.pg.auth_request = DBL_PG_AUTH_SASL;
	dbl_strlcpy(p->r.pg.sasl_mechanisms, "SCRAM-SHA-256",
		    sizeof(p->r.pg.sasl_mechanisms));
	dbl_result_add_setting(&p->r, "current_user", "app", false);
	dbl_result_add_setting(&p->r, "listen_addresses", "localhost", false);
	dbl_result_add_setting(&p->r, "hba_file", "", true);
	p = sample_add_probe(tr, DBL_TRANSPORT_TCP4, "127.0.0.1:5432");
	sample_ok(p, "PostgreSQL", ver, 3.4);
	dbl_result_add_attempt(&p->r, "127.0.0.1:5432", 0, 0.2);
	p->r.pg.ssl_answer = 'N';
	p = sample_add_probe(tr, DBL_TRANSPORT_TCP6, "[::1]:5432");
	sample_ok(p, "PostgreSQL", ver, 3.25);
	dbl_result_add_attempt(&p->r, "[::1]:5432", 0, 0.15);
	p = sample_add_probe(tr, DBL_TRANSPORT_LOCALHOST, "localhost:5432");
	sample_ok(p, "PostgreSQL", ver, 3.6);
	dbl_result_add_attempt(&p->r, "[::1]:5432", 0, 0.2);
}

static struct dbl_report *sample_pg_ok(void)
{
	return sample_report_of(sample_pg_ok_target, true);
}

static void sample_finding(struct dbl_target_report *tr, enum dbl_class cls,
			   enum dbl_severity sev, unsigned transports,
			   const char *summary, const char *fix)
{
	tr->findings = realloc(tr->findings,
			       (tr->n_findings + 1) * sizeof(*tr->findings));
	struct dbl_finding *f = &tr->findings[tr->n_findings++];
	memset(f, 0, sizeof(*f));
	f->cls = cls;
	f->severity = sev;
	f->transports = transports;
	f->summary = strdup(summary);
	f->fix = strdup(fix);
}

/* my_skip_networking: MariaDB with skip-networking. */
static void sample_my_skip_networking_target(struct dbl_report *rep)
{
	static const char *const ver = "10.11.6-MariaDB-0+deb12u1";
	struct dbl_target_report *tr =
		sample_target(rep, "mysql://app@localhost:3306/appdb",
			      DBL_ENGINE_MYSQL, "MariaDB", ver);
	static const char *const settings[] = {
		"user=app from URL", "port=3306 from URL",
		"socket=/run/mysqld/mysqld.sock from /etc/mysql/"
		"mariadb.conf.d/50-client.cnf line 6",
		NULL};
	sample_settings(tr, settings);
	struct dbl_probe_report *p = sample_add_probe(
		tr, DBL_TRANSPORT_UNIX, "/run/mysqld/mysqld.sock");
	sample_ok(p, "MariaDB", ver, 1.9);
	dbl_result_add_attempt(&p->r, p->r.address, 0, 0.1);
	p->r.mysql.seen = true;
	p->r.mysql.protocol_version = 10;
	dbl_strlcpy(p->r.mysql.server_version,
		    "5.5.5-10.11.6-MariaDB-0+deb12u1",
		    sizeof(p->r.mysql.server_version));
	p->r.mysql.connection_id = 31;
	p->r.mysql.capabilities = 0xa0fff7fe;
	dbl_strlcpy(p->r.mysql.auth_plugin, "mysql_native_password",
		    sizeof(p->r.mysql.auth_plugin));
	dbl_strlcpy(p->r.auth_method, "mysql_native_password",
		    sizeof(p->r.auth_method));
	dbl_result_add_setting(&p->r, "current_user()", "app@localhost", false);
	dbl_result_add_setting(&p->r, "@@skip_networking", "1", false);
	dbl_result_add_setting(&p->r, "@@socket", "/run/mysqld/mysqld.sock",
			       false);
	p = sample_add_probe(tr, DBL_TRANSPORT_TCP4, "127.0.0.1:3306");
	sample_refused(p, "127.0.0.1:3306", 0.1);
	p->r.client_error = 2002;
	dbl_strlcpy(p->r.message,
		    "Can't connect to server on '127.0.0.1' (111)",
		    sizeof(p->r.message));
	p = sample_add_probe(tr, DBL_TRANSPORT_TCP6, "[::1]:3306");
	sample_refused(p, "[::1]:3306", 0.1);
	p = sample_add_probe(tr, DBL_TRANSPORT_LOCALHOST, "localhost:3306");
	sample_refused(p, "[::1]:3306", 0.1);
	dbl_result_add_attempt(&p->r, "127.0.0.1:3306", ECONNREFUSED, 0.05);
	unsigned tcp = DBL_TRANSPORT_BIT(DBL_TRANSPORT_TCP4) |
		       DBL_TRANSPORT_BIT(DBL_TRANSPORT_TCP6) |
		       DBL_TRANSPORT_BIT(DBL_TRANSPORT_LOCALHOST);
	sample_finding(tr, DBL_CLASS_SOCKET_PORT_IGNORED, DBL_SEV_INFO, 0,
		       "MySQL clients take a bare localhost to mean the Unix "
		       "socket /run/mysqld/mysqld.sock, not TCP.",
		       "Use 127.0.0.1 (or --protocol=TCP) to reach the server "
		       "over TCP.");
	sample_finding(tr, DBL_CLASS_TCP_DISABLED, DBL_SEV_ERROR, tcp,
		       "MariaDB 10.11.6 answers on the Unix socket only: "
		       "skip-networking is on, so every TCP connection is "
		       "refused.",
		       "Remove skip-networking from "
		       "/etc/mysql/mariadb.conf.d/50-server.cnf and restart "
		       "MariaDB; or connect through the socket "
		       "/run/mysqld/mysqld.sock.");
	struct dbl_finding *f = &tr->findings[1];
	dbl_strlist_push(&f->evidence, "unix: connected and logged in as "
				       "'app'@'localhost'");
	dbl_strlist_push(&f->evidence,
			 "tcp4: connect to '127.0.0.1:3306' refused "
			 "(ECONNREFUSED); tcp6: connect to '[::1]:3306' "
			 "refused");
	dbl_strlist_push(&f->evidence,
			 "@@skip_networking = 1, read over the socket");
	f->n_probe_evidence = 2; /* the first two repeat the matrix */
	/* Typed steps (schema minor 1), one of each kind but env. */
	static const char *const cnf =
		"/etc/mysql/mariadb.conf.d/50-server.cnf";
	f->steps = calloc(4, sizeof(*f->steps));
	f->n_steps = 4;
	f->steps[0] = (struct dbl_step){.kind = DBL_STEP_CONFIG,
					.text = strdup("skip-networking"),
					.file = strdup(cnf),
					.line = 28,
					.action = DBL_CONF_COMMENT_OUT,
					.needs_root = true};
	dbl_strlist_push(&f->commands,
			 "# skip-networking   # /etc/mysql/mariadb.conf.d/"
			 "50-server.cnf line 28: comment it out");
	f->steps[1] = (struct dbl_step){
		.kind = DBL_STEP_SHELL,
		.text = strdup("sudo systemctl restart mariadb"),
		.needs_root = true};
	dbl_strlist_push(&f->commands, "sudo systemctl restart mariadb");
	f->steps[2] = (struct dbl_step){
		.kind = DBL_STEP_SQL,
		.text = strdup("SHOW VARIABLES LIKE 'skip_networking';"),
		.engine = DBL_ENGINE_MYSQL,
		.run_as = strdup("root"),
		.client = strdup("sudo mariadb")};
	dbl_strlist_push(&f->commands,
			 "SHOW VARIABLES LIKE 'skip_networking';");
	f->steps[3] = (struct dbl_step){
		.kind = DBL_STEP_URL,
		.text = strdup("mysql://app@localhost/appdb?socket=/run/mysqld/"
			       "mysqld.sock")};
	dbl_strlist_push(&f->commands, "mysql://app@localhost/appdb?socket=/"
				       "run/mysqld/mysqld.sock");
}

static struct dbl_report *sample_my_skip_networking(void)
{
	return sample_report_of(sample_my_skip_networking_target, false);
}

#define SAMPLE_LONG_DIR                                                        \
	"/home/alice/projects/customer-portal/.devenv/state/postgres/run/"     \
	"sockets-for-the-local-test-cluster"

/* Peer authentication on a socket in a long directory (wrapping), ::1
 * not assignable, and a message carrying terminal escapes and bytes that
 * are not UTF-8 (cleaning). */
static void sample_long_target(struct dbl_report *rep)
{
	static const char *const ver = "15.18 (Debian 15.18-0+deb12u1)";
	struct dbl_target_report *tr = sample_target(
		rep, "postgresql:///appdb?host=" SAMPLE_LONG_DIR "&user=app",
		DBL_ENGINE_POSTGRES, "PostgreSQL", ver);
	static const char *const settings[] = {"host=" SAMPLE_LONG_DIR
					       " from URL",
					       "user=app from PGUSER", NULL};
	sample_settings(tr, settings);
	struct dbl_probe_report *p = sample_add_probe(
		tr, DBL_TRANSPORT_UNIX, SAMPLE_LONG_DIR "/.s.PGSQL.5432");
	struct dbl_result *r = &p->r;
	r->stage = DBL_STAGE_AUTH;
	r->protocol = DBL_PROTO_POSTGRES;
	r->elapsed_ms = 1.8;
	r->stage_ms[DBL_STAGE_CONNECT] = 0.1;
	r->stage_ms[DBL_STAGE_GREET] = 0.3;
	r->stage_ms[DBL_STAGE_AUTH] = 1.4;
	dbl_strlcpy(r->sqlstate, "28000", sizeof(r->sqlstate));
	dbl_strlcpy(
		r->message,
		"connection to server on socket \"" SAMPLE_LONG_DIR
		"/.s.PGSQL.5432\" failed: FATAL:  Peer authentication "
		"failed for user \"app\"\n\033[31mred\033[0m \xff\xfe end\n",
		sizeof(r->message));
	dbl_strlcpy(r->pg.severity, "FATAL", sizeof(r->pg.severity));
	dbl_strlcpy(r->pg.sqlstate, "28000", sizeof(r->pg.sqlstate));
	dbl_strlcpy(r->pg.message,
		    "Peer authentication failed for user \"app\"",
		    sizeof(r->pg.message));
	dbl_strlcpy(r->auth_method, "peer", sizeof(r->auth_method));
	dbl_result_add_attempt(r, r->address, 0, 0.1);
	p->cls = DBL_CLASS_AUTH_METHOD_MISMATCH;
	p = sample_add_probe(tr, DBL_TRANSPORT_TCP4, "127.0.0.1:5432");
	sample_ok(p, "PostgreSQL", ver, 4.04);
	dbl_result_add_attempt(&p->r, "127.0.0.1:5432", 0, 0.25);
	p = sample_add_probe(tr, DBL_TRANSPORT_TCP6, "[::1]:5432");
	p->r.stage = DBL_STAGE_CONNECT;
	p->r.sys_errno = EADDRNOTAVAIL;
	p->cls = DBL_CLASS_IPV6_NOT_LISTENING;
	dbl_result_add_attempt(&p->r, "[::1]:5432", EADDRNOTAVAIL, 0.0);
	sample_finding(tr, DBL_CLASS_IPV6_NOT_LISTENING, DBL_SEV_WARNING,
		       DBL_TRANSPORT_BIT(DBL_TRANSPORT_TCP6),
		       "::1 cannot be used on this machine: IPv6 is disabled "
		       "on the loopback interface.",
		       "Use 127.0.0.1, or enable IPv6 on lo with sysctl "
		       "net.ipv6.conf.lo.disable_ipv6=0.");
	sample_finding(tr, DBL_CLASS_AUTH_METHOD_MISMATCH, DBL_SEV_ERROR,
		       DBL_TRANSPORT_BIT(DBL_TRANSPORT_UNIX),
		       "The server asks for peer authentication on the Unix "
		       "socket, and the operating system user is not \"app\".",
		       "Change the local line of "
		       "/home/alice/projects/customer-portal/.devenv/state/"
		       "postgres/data/pg_hba.conf from peer to scram-sha-256 "
		       "and reload the server, or connect over TCP with "
		       "host=127.0.0.1.");
	struct dbl_finding *f = &tr->findings[1];
	dbl_strlist_push(&f->evidence, "unix: FATAL:  Peer authentication "
				       "failed for user \"app\" (SQLSTATE "
				       "28000)");
	f->n_probe_evidence = 1;
	dbl_strlist_push(
		&f->commands,
		"sed -i 's/^local\\(.*\\)peer$/local\\1scram-sha-256/' "
		"/home/alice/projects/customer-portal/.devenv/state/"
		"postgres/data/pg_hba.conf");
	dbl_strlist_push(&f->commands,
			 "psql -h " SAMPLE_LONG_DIR " -U app -d appdb -c "
			 "'SELECT pg_reload_conf()'");
}

/* A remote host name (for redaction): no pg_hba.conf entry. */
static void sample_remote_target(struct dbl_report *rep)
{
	struct dbl_target_report *tr =
		sample_target(rep,
			      "postgres://report_user@db.internal.example:6432/"
			      "billing",
			      DBL_ENGINE_POSTGRES, NULL, NULL);
	static const char *const settings[] = {
		"host=db.internal.example from URL",
		"user=report_user from URL",
		"sslmode=prefer from /home/alice/.pg_service.conf "
		"line 4",
		NULL};
	sample_settings(tr, settings);
	struct dbl_probe_report *p = sample_add_probe(
		tr, DBL_TRANSPORT_HOST, "db.internal.example:6432");
	struct dbl_result *r = &p->r;
	r->stage = DBL_STAGE_AUTH;
	r->protocol = DBL_PROTO_POSTGRES;
	r->elapsed_ms = 7.25;
	dbl_strlcpy(r->sqlstate, "28000", sizeof(r->sqlstate));
	dbl_strlcpy(r->message,
		    "FATAL:  no pg_hba.conf entry for host \"10.20.0.7\", "
		    "user \"report_user\", database \"billing\", no "
		    "encryption",
		    sizeof(r->message));
	dbl_result_add_attempt(r, "[fd00::7]:6432", ENETUNREACH, 0.5);
	dbl_result_add_attempt(r, "10.20.0.9:6432", 0, 2.0);
	p->cls = DBL_CLASS_HOST_NOT_ALLOWED;
	sample_finding(tr, DBL_CLASS_HOST_NOT_ALLOWED, DBL_SEV_ERROR,
		       DBL_TRANSPORT_BIT(DBL_TRANSPORT_HOST),
		       "db.internal.example has no pg_hba.conf rule for user "
		       "report_user from 10.20.0.7 to database billing.",
		       "Add a host line for report_user and billing to "
		       "pg_hba.conf on db.internal.example.");
	dbl_strlist_push(&tr->findings[0].commands,
			 "host billing report_user 10.20.0.7/32 scram-sha-256");
}

static struct dbl_report *sample_long(void)
{
	struct dbl_report *rep = sample_report_base();
	rep->duration_ms = 3007.96;
	dbl_strlist_push(&rep->warnings,
			 "PGHOST=" SAMPLE_LONG_DIR
			 " changes the default host of every PostgreSQL "
			 "client on this machine");
	sample_long_target(rep);
	sample_remote_target(rep);
	return rep;
}

struct sample {
	const char *name;
	struct dbl_report *(*make)(void);
};

static const struct sample samples[] = {
	{"pg_ok", sample_pg_ok},
	{"my_skip_networking", sample_my_skip_networking},
	{"long_paths", sample_long},
};
#define N_SAMPLES (sizeof(samples) / sizeof(samples[0]))

#endif
