/* The two entry points every command renders through, so `diagnose` and
 * `show` cannot render differently: the render options from the terminal
 * and the environment, and the dispatch to the writer of each format. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "dbloop/report.h"

/* The locale's character set as the environment names it (no setlocale:
 * the first of LC_ALL, LC_CTYPE, LANG that is set decides, as POSIX
 * says). */
static bool locale_is_utf8(void)
{
	static const char *const vars[] = {"LC_ALL", "LC_CTYPE", "LANG"};
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return strcasestr(v, "utf-8") || strcasestr(v, "utf8");
	}
	return false;
}

void dbl_render_opts_init(struct dbl_render_opts *ro, enum dbl_color color,
			  int verbosity, int fd)
{
	const char *no_color = getenv("NO_COLOR");
	ro->color = color == DBL_COLOR_ALWAYS ||
		    (color == DBL_COLOR_AUTO && isatty(fd) &&
		     !(no_color && *no_color));
	ro->utf8 = locale_is_utf8();
	ro->verbosity = verbosity;
	ro->width = 80;
}

int dbl_report_render(const struct dbl_report *rep, enum dbl_format f,
		      const struct dbl_render_opts *ro, struct dbl_buf *out)
{
	switch (f) {
	case DBL_FORMAT_TEXT:
		return dbl_report_write_text(rep, ro, out);
	case DBL_FORMAT_JSON:
		return dbl_report_write_json(rep, out);
	case DBL_FORMAT_MARKDOWN:
		return dbl_report_write_markdown(rep, ro, out);
	case DBL_FORMAT_JUNIT:
		return dbl_report_write_junit(rep, out);
	}
	return -DBL_EINVAL;
}
