/* One target's verdict: the classifier's probe classes and findings, then
 * each finding's fix. Kept above both so that classes flow into findings
 * and findings into fixes, never back. */
#include <string.h>

#include "classify/view.h"
#include "dbloop/classify.h"
#include "fixes/fixes.h"

int dbl_classify_target(struct dbl_target_report *tr,
			const struct dbl_target *t, const struct dbl_facts *f,
			unsigned required)
{
	static const struct dbl_facts no_facts;
	struct dbl_target empty_target;
	struct dbl_diag d;
	if (!f)
		f = &no_facts;
	if (!t) {
		memset(&empty_target, 0, sizeof(empty_target));
		empty_target.engine = tr->engine;
		t = &empty_target;
	}
	int rc = dbl_classify_diag(&d, tr, t, f, required);
	for (size_t i = 0; rc == 0 && i < tr->n_findings; i++)
		rc = dbl_fix_fill(&tr->findings[i], &d);
	return rc;
}
