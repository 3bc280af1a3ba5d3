/* libFuzzer target: dbl_explain, the matcher of `dbloop explain`, on any
 * bytes a user could paste (not NUL-terminated, embedded NULs, huge). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dbloop/explain.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_copy(data, size);
	if (!text)
		return 0;
	struct dbl_explanation e;
	if (dbl_explain(text, size, &e) == 0) {
		if ((int)e.cls < 0 || e.cls >= DBL_CLASS__COUNT ||
		    e.n_alts > DBL_EXPLAIN_MAX_ALT || e.confidence < 0 ||
		    e.confidence > 1)
			abort();
		for (size_t i = 0; i < e.n_alts; i++)
			if ((int)e.alts[i].cls < 0 ||
			    e.alts[i].cls >= DBL_CLASS__COUNT)
				abort();
		dbl_explanation_release(&e);
	}
	free(text);
	return 0;
}
