/* The terminal: no server- or file-supplied text reaches text or markdown
 * output with a control character. A report whose every server/file
 * string (message, product, version, settings, summary, fix, commands,
 * evidence, address) holds ESC sequences, BEL, CR, DEL and C1 controls is
 * rendered in every text mode; the output holds no control byte but the
 * newline (and ESC only where --color asked for it: never here). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "report_samples.h"

#define EVIL                                                                   \
	"x\x1b[2J\x1b]0;pwned\x07\r\x7f\xc2\x9b"                               \
	"31m\x08y"

static void hostile_target(struct dbl_report *rep)
{
	struct dbl_target_report *tr =
		sample_target(rep, "postgres " EVIL, DBL_ENGINE_POSTGRES,
			      "PostgreSQL " EVIL, "15 " EVIL);
	const char *settings[] = {"server_version=" EVIL, NULL};
	sample_settings(tr, settings);
	struct dbl_probe_report *p =
		sample_add_probe(tr, DBL_TRANSPORT_UNIX, "/run/" EVIL);
	p->r.ok = false;
	p->cls = DBL_CLASS_ACCESS_DENIED;
	dbl_strlcpy(p->r.message, "FATAL: " EVIL, sizeof(p->r.message));
	sample_finding(tr, DBL_CLASS_ACCESS_DENIED, DBL_SEV_ERROR,
		       DBL_TRANSPORT_BIT(DBL_TRANSPORT_UNIX), "summary " EVIL,
		       "fix " EVIL);
	struct dbl_finding *f = &tr->findings[0];
	dbl_strlist_push(&f->commands, "psql -c " EVIL);
	dbl_strlist_push(&f->evidence, "evidence " EVIL);
	/* A second finding with typed steps: every field a writer shows. */
	sample_finding(tr, DBL_CLASS_TCP_DISABLED, DBL_SEV_ERROR,
		       DBL_TRANSPORT_BIT(DBL_TRANSPORT_UNIX), "steps " EVIL,
		       "fix " EVIL);
	f = &tr->findings[1];
	f->steps = calloc(3, sizeof(*f->steps));
	f->n_steps = 3;
	f->steps[0] = (struct dbl_step){.kind = DBL_STEP_CONFIG,
					.text = strdup("line " EVIL),
					.file = strdup("/etc/" EVIL),
					.line = 3,
					.group = strdup("g" EVIL),
					.note = strdup("note " EVIL),
					.needs_root = true};
	f->steps[1] = (struct dbl_step){.kind = DBL_STEP_SQL,
					.text = strdup("SELECT " EVIL),
					.run_as = strdup("as " EVIL),
					.client = strdup("psql " EVIL)};
	f->steps[2] = (struct dbl_step){.kind = DBL_STEP_ENV,
					.text = strdup("export X=" EVIL),
					.name = strdup("X"),
					.value = strdup(EVIL)};
	for (int i = 0; i < 3; i++)
		dbl_strlist_push(&f->commands, f->steps[i].text);
}

static void no_control_bytes(void **state)
{
	(void)state;
	const enum dbl_format fmts[] = {DBL_FORMAT_TEXT, DBL_FORMAT_MARKDOWN};
	for (size_t fi = 0; fi < 2; fi++)
		for (int utf8 = 0; utf8 < 2; utf8++)
			for (int v = -1; v <= 1; v++) {
				struct dbl_report *rep =
					sample_report_of(hostile_target, false);
				struct dbl_render_opts ro = {false, utf8, v,
							     80};
				struct dbl_buf out = {0};
				assert_int_equal(dbl_report_render(rep,
								   fmts[fi],
								   &ro, &out),
						 0);
				assert_non_null(out.data);
				for (size_t i = 0; i < out.len; i++) {
					unsigned char c =
						(unsigned char)out.data[i];
					bool c1 =
						c == 0xc2 && i + 1 < out.len &&
						(unsigned char)out
								.data[i + 1] >=
							0x80 &&
						(unsigned char)out.data[i + 1] <
							0xa0;
					if ((c < 0x20 && c != '\n') ||
					    c == 0x7f || c1)
						fail_msg(
							"format %zu utf8 %d -v "
							"%d: "
							"control byte 0x%02x "
							"at %zu: "
							"%.40s",
							fi, utf8, v, c, i,
							out.data +
								(i > 20 ? i - 20
									: 0));
				}
				assert_null(strstr(out.data, "pwned\x07"));
				dbl_buf_release(&out);
				dbl_report_free(rep);
			}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_control_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
