/* Text report writer (stub: being written). */
#include "dbloop/report.h"

int dbl_report_write_text(const struct dbl_report *rep,
			  const struct dbl_render_opts *ro, struct dbl_buf *out)
{
	(void)rep, (void)ro, (void)out;
	return 0;
}
