/* Atomic file output (stub: being written). */
#include "dbloop/report.h"

int dbl_write_file_atomic(const char *path, const char *data, size_t len,
			  char *err, size_t errlen)
{
	(void)path, (void)data, (void)len, (void)err, (void)errlen;
	return -DBL_EIO;
}
