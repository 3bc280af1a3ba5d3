/* Property test of the fix templates: every class's fix, for both
 * engines, rendered with hostile user, database, host and file names
 * (quotes, $(), backticks, ';', newlines, non-UTF-8 bytes, 300-byte
 * names). The commands go to tests/tools/check_tokens.py, which lexes
 * each shell command with Python's shlex (POSIX) and each SQL statement
 * and URL with its own rules, and fails when a hostile name is not one
 * literal token. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "classify/view.h"
#include "fixes/fixes.h"
#include "probe_builder.h"

static char long_name[320];

static const char *hostile[] = {
	"Q7'a",	  "Q7\"b",	"Q7$(id)", "Q7`id`", "Q7;rm -rf x",
	"Q7\nnl", "Q7\xff\xfe", "Q7 sp",   "Q7\\x",  long_name,
};
#define N_HOSTILE (sizeof(hostile) / sizeof(hostile[0]))

static const struct pspec specs[] = {
	{.transport = P_UNIX, .ok = true},
	{.transport = P_TCP4, .err = ECONNREFUSED},
	{.transport = P_TCP6, .err = ECONNREFUSED},
	END,
};

static void put(FILE *out, const char *kind, const char *s)
{
	fprintf(out, "%s", kind);
	fwrite(s, 1, strlen(s), out);
	fputc('\0', out);
}

static int render(FILE *out, enum dbl_engine e, const char *h)
{
	char path[512], src[600];
	snprintf(path, sizeof(path), "/tmp/%s", h);
	snprintf(src, sizeof(src), "/tmp/%s line 3", h);
	struct dbl_facts *f = dbl_facts_new();
	struct dbl_target *t = dbl_target_new(e);
	assert_non_null(f);
	assert_non_null(t);
	t->port = 5432;
	t->user = dbl_strdup(h);
	t->database = dbl_strdup(h);
	t->host = dbl_strdup(h);
	t->origin[DBL_SET_PORT].source = dbl_strdup(src);
	t->origin[DBL_SET_SOCKET].source = dbl_strdup(src);
	f->pg.conf_file = dbl_strdup(path);
	f->pg.hba_file = dbl_strdup(path);
	f->pg.data_dir = dbl_strdup(path);
	f->pg.listen_addresses.source = dbl_strdup(src);
	f->my.conf_file = dbl_strdup(path);
	f->my.skip_networking.source = dbl_strdup(src);
	f->pgpass.file = dbl_strdup(path);
	f->pgpass.ignored = true;
	struct dbl_target_report tr;
	pb_build(&tr, e, specs, 5432);
	struct dbl_diag d = {.tr = &tr, .t = t, .f = f};
	for (size_t i = 0; i < tr.n_probes; i++)
		d.by[tr.probes[i].r.transport] = &tr.probes[i];
	int n = 0;
	put(out, e == DBL_ENGINE_POSTGRES ? "Npg|" : "Nmy|", h);
	for (int c = 0; c < DBL_CLASS__COUNT; c++) {
		struct dbl_finding fd = {.cls = (enum dbl_class)c,
					 .transports = 7};
		assert_int_equal(dbl_fix_fill(&fd, &d), 0);
		/* Each step with its kind: the checker lexes it as the
		 * language it is pasted into. */
		assert_int_equal(fd.n_steps, fd.commands.n);
		for (size_t i = 0; i < fd.n_steps; i++, n++) {
			char head[16];
			snprintf(head, sizeof(head), "C%s|",
				 dbl_step_kind_name(fd.steps[i].kind));
			put(out, head, fd.steps[i].text);
		}
		dbl_finding_release(&fd);
	}
	pb_release(&tr);
	dbl_target_free(t);
	dbl_facts_free(f);
	return n;
}

static void hostile_names_stay_one_token(void **state)
{
	(void)state;
	memcpy(long_name, "Q7", 2);
	for (int i = 2; i < 300; i++)
		long_name[i] = "a'$;`\"b"[i % 7];
	long_name[300] = '\0';
	char tmp[] = "/tmp/dbl_fixq_XXXXXX";
	int fd = mkstemp(tmp);
	assert_true(fd >= 0);
	FILE *out = fdopen(fd, "w");
	int n = 0;
	for (size_t i = 0; i < N_HOSTILE; i++) {
		n += render(out, DBL_ENGINE_POSTGRES, hostile[i]);
		n += render(out, DBL_ENGINE_MYSQL, hostile[i]);
	}
	fclose(out);
	print_message("%d commands rendered\n", n);
	assert_true(n > 300);
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "python3 %s/../tools/check_tokens.py %s",
		 DBL_FIXTURES, tmp);
	int rc = system(cmd);
	unlink(tmp);
	assert_int_equal(rc, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hostile_names_stay_one_token),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
