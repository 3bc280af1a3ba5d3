/* libFuzzer target: dbl_report_read_json, the reader of `dbloop show`, on
 * any file a user could hand it. A report it accepts must render in every
 * format without tripping a sanitizer. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbloop/report.h"
#include "fuzz_common.h"

static void render_all(const struct dbl_report *rep)
{
	struct dbl_render_opts ro = {.color = true, .utf8 = true, .width = 80};
	struct dbl_buf out = {0};
	dbl_report_write_text(rep, &ro, &out);
	dbl_buf_release(&out);
	dbl_report_write_markdown(rep, &ro, &out);
	dbl_buf_release(&out);
	dbl_report_write_json(rep, &out);
	dbl_buf_release(&out);
	dbl_report_write_junit(rep, &out);
	dbl_buf_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_copy(data, size);
	if (!text)
		return 0;
	struct dbl_report *rep = NULL;
	char err[256];
	err[0] = '\0';
	int rc = dbl_report_read_json(text, size, &rep, err, sizeof(err));
	if (rc == 0 && rep) {
		render_all(rep);
		dbl_report_free(rep);
	} else if (rc < 0) {
		/* a rejection names the problem in one line */
		if (rep || !err[0] || !fuzz_terminated(err) ||
		    strchr(err, '\n')) {
			fprintf(stderr, "rejected with rc %d, err '%.*s'\n", rc,
				(int)sizeof(err), err);
			abort();
		}
	}
	free(text);
	return 0;
}
