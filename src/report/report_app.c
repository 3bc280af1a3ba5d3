/* The app's own path (--client / --app) as the text report leads with it
 * (markdown and JUnit: report_markdown.c, report_junit.c): the verdict,
 * each attempt the driver makes in order, the rule that decided and where
 * the settings came from. */
#include <stdio.h>

#include "report/report_common.h"

void dbl_rc_app_text(struct dbl_buf *out, const struct dbl_app_path *ap,
		     bool utf8, int width)
{
	const char *yes = utf8 ? "✓" : "ok", *no = utf8 ? "✗" : "FAIL",
		   *skip = utf8 ? "·" : "-";
	dbl_buf_printf(out, "App path (%s, %s): %s\n", ap->client, ap->driver,
		       ap->ok ? "the app's connection works"
			      : "the app's connection fails");
	if (ap->n_steps == 0)
		dbl_buf_puts(out, "  no connection this driver can make\n");
	for (size_t i = 0; i < ap->n_steps; i++) {
		const struct dbl_app_step *s = &ap->steps[i];
		dbl_buf_printf(out, "  %d. %-4s %-9s %s%s%s\n", (int)i + 1,
			       !s->tried ? skip
			       : s->ok	 ? yes
					 : no,
			       dbl_transport_name(s->transport), s->address,
			       s->tried && !s->ok ? "  " : "",
			       s->tried && !s->ok ? dbl_class_name(s->cls)
						  : "");
	}
	char line[1024];
	snprintf(line, sizeof(line), "rule: %s", ap->rule ? ap->rule : "");
	dbl_rc_wrap(out, line, "  ", "    ", width);
	if (ap->socket) {
		snprintf(line, sizeof(line), "socket %s from %s", ap->socket,
			 ap->socket_source ? ap->socket_source : "default");
		dbl_rc_wrap(out, line, "  ", "    ", width);
	}
	for (size_t i = 0; i < ap->config.n; i++)
		dbl_rc_wrap(out, ap->config.items[i], "  ", "    ", width);
	snprintf(line, sizeof(line), "verified against %s", ap->verified);
	dbl_rc_wrap(out, line, "  ", "    ", width);
	dbl_buf_puts(out, "\n");
}
