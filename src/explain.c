/* dbloop explain matcher (stub: being written). */
#include <string.h>
#include "dbloop/explain.h"

int dbl_explain(const char *text, size_t len, struct dbl_explanation *out)
{
	(void)text, (void)len;
	memset(out, 0, sizeof(*out));
	out->cls = DBL_CLASS_UNKNOWN;
	out->engine = out->transport = -1;
	return 0;
}

void dbl_explanation_release(struct dbl_explanation *e)
{
	(void)e;
}
