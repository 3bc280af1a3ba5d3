/* Reads a saved JSON report (stub: being written). */
#include "dbloop/report.h"

int dbl_report_read_json(const char *text, size_t len, struct dbl_report **out,
			 char *err, size_t errlen)
{
	(void)text, (void)len, (void)err, (void)errlen;
	*out = NULL;
	return -DBL_EINTERNAL;
}
