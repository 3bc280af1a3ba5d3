/* The app's own path (--client / --app, target "app") in every format:
 * text, JSON, markdown and JUnit; a saved JSON report read back
 * (`dbloop show`) keeps it, so show renders what diagnose rendered. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_samples.h"
#include "test_support.h"

/* A MySQL target whose app (PHP mysqli) takes the socket and fails, while
 * TCP works: the verdict is the app's. */
static void add_app_target(struct dbl_report *rep)
{
	struct dbl_target_report *tr =
		sample_target(rep, "discovered", DBL_ENGINE_MYSQL, "MariaDB",
			      "10.11.19-MariaDB-0+deb12u1");
	struct dbl_probe_report *p = sample_add_probe(
		tr, DBL_TRANSPORT_UNIX, "/var/run/mysqld/mysqld.sock");
	p->r.stage = DBL_STAGE_CONNECT;
	p->r.sys_errno = ENOENT;
	p->r.elapsed_ms = 0.1;
	p->cls = DBL_CLASS_SOCKET_MISSING;
	p = sample_add_probe(tr, DBL_TRANSPORT_TCP4, "127.0.0.1:3306");
	sample_ok(p, "MariaDB", "10.11.19-MariaDB-0+deb12u1", 3.2);
	struct dbl_app_path *ap = calloc(1, sizeof(*ap));
	ap->client = strdup("php-mysqli");
	ap->driver = strdup("PHP mysqli (mysqlnd)");
	ap->verified = strdup("PHP 8.2.36 mysqlnd (Debian 12)");
	ap->rule = strdup("localhost means the Unix socket, the port is not "
			  "used");
	ap->host = strdup("localhost");
	ap->port = 3306;
	ap->socket = strdup("/var/run/mysqld/mysqld.sock");
	ap->socket_source = strdup("/etc/php/8.2/cli/php.ini line 1188 is "
				   "empty: PHP's compiled-in default");
	dbl_strlist_push(&ap->config, "host=localhost from .env line 3");
	dbl_strlist_push(&ap->config, "client php-mysqli from composer.json");
	ap->n_steps = 1;
	ap->steps[0].transport = DBL_TRANSPORT_UNIX;
	dbl_strlcpy(ap->steps[0].address, "/var/run/mysqld/mysqld.sock",
		    sizeof(ap->steps[0].address));
	ap->steps[0].tried = true;
	ap->steps[0].cls = DBL_CLASS_SOCKET_MISSING;
	ap->via = -1;
	tr->app = ap;
	tr->ok = false;
}

static char *render(const struct dbl_report *rep, enum dbl_format f)
{
	struct dbl_render_opts ro = {false, false, 0, 100};
	struct dbl_buf out = {0};
	assert_int_equal(dbl_report_render(rep, f, &ro, &out), 0);
	return dbl_buf_detach(&out);
}

static void expect_all(const char *what, const char *text,
		       const char *const *needles)
{
	for (; *needles; needles++)
		if (!strstr(text, *needles))
			fail_msg("%s lacks '%s':\n%s", what, *needles, text);
}

static struct dbl_report *round_trip(const struct dbl_report *rep)
{
	char *json = render(rep, DBL_FORMAT_JSON);
	struct dbl_report *back = NULL;
	char err[256];
	if (dbl_report_read_json(json, strlen(json), &back, err, sizeof(err)) !=
	    0)
		fail_msg("read back: %s", err);
	free(json);
	return back;
}

static void every_format(void **state)
{
	(void)state;
	struct dbl_report *rep = sample_report_of(add_app_target, false);
	static const char *const common[] = {"php-mysqli",
					     "/var/run/mysqld/mysqld.sock",
					     "php.ini line 1188",
					     "host=localhost from .env line 3",
					     "localhost means the Unix socket",
					     NULL};
	char *text = render(rep, DBL_FORMAT_TEXT);
	expect_all("text", text, common);
	assert_non_null(strstr(text, "the app's connection fails"));
	char *md = render(rep, DBL_FORMAT_MARKDOWN);
	expect_all("markdown", md, common);
	assert_non_null(strstr(md, "### App path: `php-mysqli`"));
	assert_non_null(strstr(md, "| 1 | unix | `/var/run/mysqld/mysqld.sock` "
				   "| x `socket_missing` |"));
	/* the app block comes before the matrix */
	assert_true(strstr(md, "### App path") < strstr(md, "| transport |"));
	char *xml = render(rep, DBL_FORMAT_JUNIT);
	expect_all("junit", xml, common);
	assert_non_null(strstr(xml, "name=\"app php-mysqli\""));
	assert_non_null(strstr(xml, "type=\"socket_missing\""));
	/* 2 probes + the app; the socket probe and the app fail */
	assert_non_null(strstr(xml, "<testsuites name=\"dbloop\" tests=\"3\" "
				    "failures=\"2\""));
	assert_non_null(strstr(xml, "tests=\"3\" failures=\"2\" errors=\"0\" "
				    "skipped=\"0\""));

	/* show: the saved JSON read back renders the same in every format */
	struct dbl_report *back = round_trip(rep);
	const struct dbl_app_path *ap = back->targets[0].app;
	assert_non_null(ap);
	assert_string_equal(ap->client, "php-mysqli");
	assert_string_equal(ap->socket_source,
			    rep->targets[0].app->socket_source);
	assert_int_equal(ap->config.n, 2);
	assert_int_equal(ap->n_steps, 1);
	assert_int_equal(ap->steps[0].cls, DBL_CLASS_SOCKET_MISSING);
	assert_true(ap->steps[0].tried);
	assert_int_equal(ap->via, -1);
	static const enum dbl_format fmts[] = {
		DBL_FORMAT_TEXT, DBL_FORMAT_MARKDOWN, DBL_FORMAT_JUNIT,
		DBL_FORMAT_JSON};
	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		char *a = render(rep, fmts[i]), *b = render(back, fmts[i]);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	free(text);
	free(md);
	free(xml);
	dbl_report_free(back);
	dbl_report_free(rep);
}

/* The driver's second address works: the app passes in JUnit, the first
 * step shows its class, a step after the one that connected is "not
 * tried"; a report without "app" reads back without one. */
static void second_step_connects(void **state)
{
	(void)state;
	struct dbl_report *rep = sample_report_of(add_app_target, true);
	struct dbl_app_path *ap = rep->targets[0].app;
	ap->n_steps = 3;
	ap->steps[0].transport = DBL_TRANSPORT_TCP6;
	dbl_strlcpy(ap->steps[0].address, "[::1]:3306",
		    sizeof(ap->steps[0].address));
	ap->steps[0].cls = DBL_CLASS_CONNECTION_REFUSED;
	ap->steps[1] = ap->steps[0];
	ap->steps[1].transport = DBL_TRANSPORT_TCP4;
	dbl_strlcpy(ap->steps[1].address, "127.0.0.1:3306",
		    sizeof(ap->steps[1].address));
	ap->steps[1].ok = true;
	ap->steps[1].cls = DBL_CLASS_OK;
	ap->steps[2] = ap->steps[1];
	ap->steps[2].tried = ap->steps[2].ok = false;
	ap->ok = true;
	ap->via = 1;
	rep->targets[0].ok = true;
	char *xml = render(rep, DBL_FORMAT_JUNIT);
	char *app = strstr(xml, "name=\"app php-mysqli\"");
	assert_non_null(app);
	char *end = strstr(app, "</testcase>");
	assert_non_null(end);
	*end = '\0';
	assert_null(strstr(app, "<failure"));
	char *md = render(rep, DBL_FORMAT_MARKDOWN);
	assert_non_null(strstr(md, "| 1 | tcp6 | `[::1]:3306` | x "
				   "`connection_refused` |"));
	assert_non_null(strstr(md, "| 2 | tcp4 | `127.0.0.1:3306` | + `ok` |"));
	assert_non_null(strstr(md, "| 3 | tcp4 | `127.0.0.1:3306` | . not "
				   "tried |"));
	struct dbl_report *back = round_trip(rep);
	assert_int_equal(back->targets[0].app->via, 1);
	assert_true(back->targets[0].app->ok);
	char *a = render(rep, DBL_FORMAT_TEXT),
	     *b = render(back, DBL_FORMAT_TEXT);
	assert_string_equal(a, b);
	free(a);
	free(b);
	dbl_report_free(back);
	free(xml);
	free(md);
	free(rep->targets[0].app->client);
	rep->targets[0].app->client = NULL;
	dbl_app_path_release(rep->targets[0].app);
	free(rep->targets[0].app);
	rep->targets[0].app = NULL;
	back = round_trip(rep);
	assert_null(back->targets[0].app);
	dbl_report_free(back);
	dbl_report_free(rep);
}

/* A saved report whose "app" is malformed is refused with its place. */
static void broken_app(void **state)
{
	(void)state;
	struct dbl_report *rep = sample_report_of(add_app_target, false);
	char *json = render(rep, DBL_FORMAT_JSON);
	char *cls = strstr(json, "\"socket_missing\"");
	/* the first "socket_missing" in the app block: its step's class */
	char *app = strstr(json, "\"app\"");
	assert_non_null(app);
	cls = strstr(app, "\"socket_missing\"");
	assert_non_null(cls);
	memcpy(cls + 1, "moon_phase_xx_", 14);
	struct dbl_report *back = NULL;
	char err[256];
	assert_int_equal(dbl_report_read_json(json, strlen(json), &back, err,
					      sizeof(err)),
			 -DBL_EINVAL);
	assert_non_null(strstr(err, "targets[0].app.steps[0]"));
	free(json);
	dbl_report_free(rep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_format),
		cmocka_unit_test(second_step_connects),
		cmocka_unit_test(broken_app),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
