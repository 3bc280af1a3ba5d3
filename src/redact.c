/* Report redaction (stub: being written). */
#include "dbloop/report.h"

int dbl_report_redact(struct dbl_report *rep)
{
	(void)rep;
	return 0;
}
