/* -o FILE: the report lands whole or not at all. Written to a temporary
 * file in the same directory (so rename stays on one file system), synced,
 * then renamed over the target; an interrupted run leaves no half-written
 * report. "-" is stdout. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dbloop/report.h"

static int write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

static int write_stdout(const char *data, size_t len, char *err, size_t errlen)
{
	if (write_all(STDOUT_FILENO, data, len) < 0) {
		snprintf(err, errlen, "cannot write to standard output: %s",
			 strerror(errno));
		return -DBL_EIO;
	}
	return 0;
}

/* The mode a new file would get: 0666 less the umask. */
static mode_t new_file_mode(void)
{
	mode_t mask = umask(022);
	umask(mask);
	return 0666 & ~mask;
}

/* Writes, syncs and closes fd; 0 or an errno value. fd is closed in
 * every case. */
static int fill(int fd, const char *data, size_t len)
{
	int e = 0;
	if (fchmod(fd, new_file_mode()) < 0 || write_all(fd, data, len) < 0 ||
	    fsync(fd) < 0)
		e = errno ? errno : EIO;
	if (close(fd) < 0 && !e)
		e = errno;
	return e;
}

int dbl_write_file_atomic(const char *path, const char *data, size_t len,
			  char *err, size_t errlen)
{
	if (strcmp(path, "-") == 0)
		return write_stdout(data, len, err, errlen);
	char *copy = strdup(path);
	char *tmp =
		copy ? dbl_asprintf("%s/.dbloop-report.XXXXXX", dirname(copy))
		     : NULL;
	int e = 0;
	if (!tmp) {
		e = ENOMEM;
	} else {
		int fd = mkstemp(tmp);
		if (fd < 0)
			e = errno;
		else if ((e = fill(fd, data, len)) != 0 ||
			 (rename(tmp, path) < 0 && (e = errno) != 0))
			unlink(tmp); /* never leave the temporary behind */
	}
	if (e)
		snprintf(err, errlen, "cannot write '%s': %s", path,
			 strerror(e));
	free(tmp);
	free(copy);
	return e ? -DBL_EIO : 0;
}
