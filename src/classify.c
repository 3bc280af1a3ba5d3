/* Probe classes and findings (stub: being written). */
#include "dbloop/classify.h"

unsigned dbl_required_mask(enum dbl_require req, unsigned require_mask,
			   unsigned probed_mask)
{
	if (req == DBL_REQUIRE_LIST)
		return require_mask & probed_mask;
	return probed_mask;
}

enum dbl_class dbl_classify_probe(const struct dbl_result *r,
				  const struct dbl_result *all, size_t n,
				  const struct dbl_facts *f)
{
	(void)all, (void)n, (void)f;
	return r->ok ? DBL_CLASS_OK : DBL_CLASS_UNKNOWN;
}

int dbl_classify_target(struct dbl_target_report *tr,
			const struct dbl_target *t, const struct dbl_facts *f,
			unsigned required)
{
	(void)t, (void)f, (void)required;
	tr->ok = true;
	for (size_t i = 0; i < tr->n_probes; i++) {
		tr->probes[i].cls =
			tr->probes[i].r.ok ? DBL_CLASS_OK : DBL_CLASS_UNKNOWN;
		tr->ok = tr->ok && tr->probes[i].r.ok;
	}
	return 0;
}
