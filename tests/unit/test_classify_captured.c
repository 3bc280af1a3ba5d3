/* The classifier's predicate tables on probe facts captured from the real
 * servers of every scenario (tests/fixtures/scenarios/<name>.json, written
 * by capture.py there). Each probe is re-classified from its own facts and
 * the other probes of its target, with discovery facts reduced to what
 * the report's host section carries, and must get the class dbloop
 * recorded when it ran against the real servers. The recorded classes are
 * also held to spec/scenarios.md, so the captured facts are checked
 * against the spec, not only against themselves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "dbloop/classify.h"
#include "dbloop/facts.h"
#include "dbloop/report.h"
#include "test_support.h"

#define C(x) DBL_CLASS_##x
#define N_TRANSPORTS 4 /* unix, tcp4, tcp6, localhost: the spec's columns */

/* One scenario: the probe class per transport of spec/scenarios.md (the
 * two *_ipv6_disabled extras: tests/lab/scenarios.py's EXTRA rows). */
struct row {
	const char *name;
	enum dbl_class want[N_TRANSPORTS];
};

#define SAME(x)                                                                \
	{                                                                      \
		C(x), C(x), C(x), C(x)                                         \
	}

static const struct row rows[] = {
	{"pg_ok", SAME(OK)},
	{"pg_not_running",
	 {C(SOCKET_MISSING), C(CONNECTION_REFUSED), C(CONNECTION_REFUSED),
	  C(CONNECTION_REFUSED)}},
	{"pg_tcp_disabled",
	 {C(OK), C(CONNECTION_REFUSED), C(CONNECTION_REFUSED),
	  C(CONNECTION_REFUSED)}},
	{"pg_ipv4_only", {C(OK), C(OK), C(CONNECTION_REFUSED), C(OK)}},
	{"pg_wrong_socket_path", {C(SOCKET_MISSING), C(OK), C(OK), C(OK)}},
	{"pg_stale_socket",
	 {C(SOCKET_STALE), C(CONNECTION_REFUSED), C(CONNECTION_REFUSED),
	  C(CONNECTION_REFUSED)}},
	{"pg_socket_permission", {C(SOCKET_PERMISSION), C(OK), C(OK), C(OK)}},
	{"pg_wrong_password", SAME(ACCESS_DENIED)},
	{"pg_hba_no_ipv6_entry", {C(OK), C(OK), C(HOST_NOT_ALLOWED), C(OK)}},
	{"pg_peer_only_socket", {C(AUTH_METHOD_MISMATCH), C(OK), C(OK), C(OK)}},
	{"pg_database_missing", SAME(DATABASE_MISSING)},
	{"pg_ssl_required",
	 {C(OK), C(TLS_MISMATCH), C(TLS_MISMATCH), C(TLS_MISMATCH)}},
	{"pg_too_many_connections", SAME(TOO_MANY_CONNECTIONS)},
	{"pg_wrong_port",
	 {C(SOCKET_MISSING), C(CONNECTION_REFUSED), C(CONNECTION_REFUSED),
	  C(CONNECTION_REFUSED)}},
	{"pg_localhost_v6_first",
	 {C(OK), C(OK), C(CONNECTION_REFUSED), C(LOCALHOST_RESOLUTION)}},
	{"pg_server_starting", SAME(SERVER_STARTING)},
	{"pg_protocol_mismatch", SAME(PROTOCOL_MISMATCH)},
	{"pg_tarpit", SAME(TIMEOUT)},
	{"pg_ipv6_disabled", {C(OK), C(OK), C(IPV6_NOT_LISTENING), C(OK)}},
	{"my_ok", SAME(OK)},
	{"my_not_running",
	 {C(SOCKET_MISSING), C(CONNECTION_REFUSED), C(CONNECTION_REFUSED),
	  C(CONNECTION_REFUSED)}},
	{"my_skip_networking",
	 {C(OK), C(CONNECTION_REFUSED), C(CONNECTION_REFUSED),
	  C(CONNECTION_REFUSED)}},
	{"my_bind_ipv4_only", {C(OK), C(OK), C(CONNECTION_REFUSED), C(OK)}},
	{"my_wrong_socket_path", {C(SOCKET_MISSING), C(OK), C(OK), C(OK)}},
	{"my_stale_socket",
	 {C(SOCKET_STALE), C(CONNECTION_REFUSED), C(CONNECTION_REFUSED),
	  C(CONNECTION_REFUSED)}},
	{"my_wrong_password", SAME(ACCESS_DENIED)},
	{"my_user_localhost_only",
	 {C(OK), C(HOST_NOT_ALLOWED), C(HOST_NOT_ALLOWED),
	  C(HOST_NOT_ALLOWED)}},
	{"my_root_unix_socket",
	 {C(OK), C(AUTH_METHOD_MISMATCH), C(AUTH_METHOD_MISMATCH),
	  C(AUTH_METHOD_MISMATCH)}},
	{"my_database_missing", SAME(DATABASE_MISSING)},
	{"my_ssl_required",
	 {C(OK), C(TLS_MISMATCH), C(TLS_MISMATCH), C(TLS_MISMATCH)}},
	{"my_too_many_connections", SAME(TOO_MANY_CONNECTIONS)},
	{"my_wrong_port",
	 {C(OK), C(CONNECTION_REFUSED), C(CONNECTION_REFUSED),
	  C(CONNECTION_REFUSED)}},
	{"my_localhost_v6_first",
	 {C(OK), C(OK), C(CONNECTION_REFUSED), C(LOCALHOST_RESOLUTION)}},
	{"my_protocol_mismatch", SAME(PROTOCOL_MISMATCH)},
	{"my_tarpit", SAME(TIMEOUT)},
	{"my_ipv6_disabled", {C(OK), C(OK), C(IPV6_NOT_LISTENING), C(OK)}},
	/* Same credentials, different answers (tests/lab/scenarios.py's
	 * SPLIT rows, issue 13): never access_denied. */
	{"pg_second_instance", {C(OK), C(OK), C(ENDPOINT_MISMATCH), C(OK)}},
	{"pg_second_instance_unprivileged",
	 {C(OK), C(OK), C(ENDPOINT_MISMATCH), C(OK)}},
	{"my_second_instance_unprivileged",
	 {C(OK), C(OK), C(ENDPOINT_MISMATCH), C(OK)}},
	{"pg_md5_secret_scram_line",
	 {C(OK), C(OK), C(AUTH_METHOD_MISMATCH), C(OK)}},
	{"my_second_instance", {C(OK), C(OK), C(ENDPOINT_MISMATCH), C(OK)}},
	{"my_host_account",
	 {C(OK), C(HOST_NOT_ALLOWED), C(OK), C(HOST_NOT_ALLOWED)}},
	{"my_host_account_readable",
	 {C(OK), C(HOST_NOT_ALLOWED), C(OK), C(HOST_NOT_ALLOWED)}},
	{"my_socket_account_plugin",
	 {C(HOST_NOT_ALLOWED), C(OK), C(OK), C(OK)}},
};

#define N_ROWS (sizeof(rows) / sizeof(rows[0]))

/* Probes whose recorded class needs discovery facts the JSON report does
 * not carry (listeners, server config files, pg_hba lines): without them
 * the classifier must still give `bare`; `recorded` is what it gave with
 * the facts on the real machine. No captured probe needs a row today: the
 * probe classes that look like they need facts follow from the probes
 * alone (socket_missing is ENOENT whatever listens elsewhere, the real
 * path and wrong_port are findings, not probe classes; pg_ssl_required's
 * tls_mismatch comes from the 'S' answer to SSLRequest when no pg_hba is
 * known). The classifier also reads the clock (a PostgreSQL server's age
 * from pg_postmaster_start_time), but only for a refused TCP probe next to
 * a working socket whose settings say TCP is on, on this port: no captured
 * scenario is in that branch, so re-classifying later changes nothing. */
struct needs_facts {
	const char *scenario;
	enum dbl_transport transport;
	enum dbl_class recorded, bare;
	const char *why;
};

static const struct needs_facts needs_facts[] = {
	{NULL, DBL_TRANSPORT_UNIX, C(OK), C(OK), NULL},
};

static const struct needs_facts *needs_facts_for(const char *scenario,
						 enum dbl_transport t)
{
	for (size_t i = 0; needs_facts[i].scenario; i++)
		if (strcmp(needs_facts[i].scenario, scenario) == 0 &&
		    needs_facts[i].transport == t)
			return &needs_facts[i];
	return NULL;
}

/* Probes checked by all scenario tests, for the count test at the end. */
static size_t probes_checked;
static size_t scenarios_checked;

static struct dbl_report *read_fixture(const char *name)
{
	char rel[128], err[256] = "";
	snprintf(rel, sizeof(rel), "scenarios/%s.json", name);
	size_t len = 0;
	char *text = slurp(fixture_path(rel), &len);
	if (!text)
		fail_msg("%s: cannot read the fixture (run capture.py)", rel);
	struct dbl_report *rep = NULL;
	int rc = dbl_report_read_json(text, len, &rep, err, sizeof(err));
	free(text);
	if (rc != 0)
		fail_msg("%s: %s", rel, err);
	assert_non_null(rep);
	return rep;
}

/* Discovery facts as far as the report's host section tells them. */
static struct dbl_facts *host_facts(const struct dbl_report *rep)
{
	struct dbl_facts *f = dbl_facts_new();
	assert_non_null(f);
	for (size_t i = 0; i < rep->localhost_resolves_to.n; i++)
		assert_int_equal(
			dbl_strlist_push(&f->host.localhost_addrs,
					 rep->localhost_resolves_to.items[i]),
			0);
	f->host.ipv6_loopback = rep->ipv6_loopback;
	f->host.in_container = rep->in_container;
	return f;
}

/* The class the classifier must give this probe from the captured facts;
 * 0 mismatches or 1, printed. */
static int check_probe(const char *scenario, const struct dbl_probe_report *p,
		       const struct dbl_result *all, size_t n,
		       const struct dbl_facts *f)
{
	enum dbl_class got = dbl_classify_probe(&p->r, all, n, f);
	enum dbl_class want = p->cls;
	const struct needs_facts *nf =
		needs_facts_for(scenario, p->r.transport);
	if (nf) {
		if (p->cls != nf->recorded) {
			print_error("%s %s: recorded %s, the table says %s\n",
				    scenario,
				    dbl_transport_name(p->r.transport),
				    dbl_class_name(p->cls),
				    dbl_class_name(nf->recorded));
			return 1;
		}
		want = nf->bare;
	}
	if (got == want)
		return 0;
	print_error("%s %s: re-classified %s, want %s (stage %s, errno %d, "
		    "sqlstate '%s', code %d, message '%.120s')\n",
		    scenario, dbl_transport_name(p->r.transport),
		    dbl_class_name(got), dbl_class_name(want),
		    dbl_stage_name(p->r.stage), p->r.sys_errno, p->r.sqlstate,
		    p->r.server_error, p->r.message);
	return 1;
}

static int check_target(const char *scenario,
			const struct dbl_target_report *tr,
			const struct dbl_facts *f)
{
	int bad = 0;
	struct dbl_result *all = calloc(tr->n_probes, sizeof(*all));
	assert_non_null(all);
	for (size_t i = 0; i < tr->n_probes; i++)
		all[i] = tr->probes[i].r;
	for (size_t i = 0; i < tr->n_probes; i++) {
		bad += check_probe(scenario, &tr->probes[i], all, tr->n_probes,
				   f);
		probes_checked++;
	}
	free(all);
	return bad;
}

/* The recorded classes are the spec's row: one probe per transport. */
static int check_spec_row(const struct row *row,
			  const struct dbl_target_report *tr)
{
	int bad = 0, seen[N_TRANSPORTS] = {0};
	for (size_t i = 0; i < tr->n_probes; i++) {
		enum dbl_transport t = tr->probes[i].r.transport;
		assert_in_range(t, 0, N_TRANSPORTS - 1);
		seen[t]++;
		if (tr->probes[i].cls != row->want[t]) {
			print_error("%s %s: recorded %s, scenarios.md says "
				    "%s\n",
				    row->name, dbl_transport_name(t),
				    dbl_class_name(tr->probes[i].cls),
				    dbl_class_name(row->want[t]));
			bad++;
		}
	}
	for (int t = 0; t < N_TRANSPORTS; t++)
		assert_int_equal(seen[t], 1);
	return bad;
}

static void test_scenario(void **state)
{
	const struct row *row = *state;
	struct dbl_report *rep = read_fixture(row->name);
	struct dbl_facts *f = host_facts(rep);
	int bad = 0;
	assert_int_equal(rep->n_targets, 1);
	for (size_t i = 0; i < rep->n_targets; i++)
		bad += check_target(row->name, &rep->targets[i], f);
	bad += check_spec_row(row, &rep->targets[0]);
	dbl_facts_free(f);
	dbl_report_free(rep);
	scenarios_checked++;
	assert_int_equal(bad, 0);
}

static const struct row *row_named(const char *name, size_t len)
{
	for (size_t i = 0; i < N_ROWS; i++)
		if (strlen(rows[i].name) == len &&
		    strncmp(rows[i].name, name, len) == 0)
			return &rows[i];
	return NULL;
}

/* Every captured report has a row and every row a report, so a scenario
 * added to the lab and captured cannot go unchecked. Runs last: every
 * scenario test ran and every probe was checked. */
static void test_every_fixture_has_a_row(void **state)
{
	(void)state;
	DIR *d = opendir(fixture_path("scenarios"));
	assert_non_null(d);
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		if (!row_named(e->d_name, len - 5))
			fail_msg("scenarios/%s has no row in this test",
				 e->d_name);
		n++;
	}
	closedir(d);
	assert_int_equal(n, N_ROWS);
	assert_int_equal(scenarios_checked, N_ROWS);
	assert_int_equal(probes_checked, N_ROWS * N_TRANSPORTS);
}

int main(void)
{
	struct CMUnitTest tests[N_ROWS + 1];
	for (size_t i = 0; i < N_ROWS; i++)
		tests[i] = (struct CMUnitTest){
			.name = rows[i].name,
			.test_func = test_scenario,
			.initial_state = (void *)&rows[i],
		};
	tests[N_ROWS] = (struct CMUnitTest){
		.name = "every_fixture_has_a_row",
		.test_func = test_every_fixture_has_a_row,
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
