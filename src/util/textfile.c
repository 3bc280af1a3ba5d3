/* Bounded text file reading and small string helpers for the parsers. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dbloop/common.h"
#include "util/space.h"
#include "util/textfile.h"

int dbl_warn(struct dbl_strlist *warnings, const char *fmt, ...)
{
	if (!warnings)
		return 0;
	struct dbl_buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	dbl_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	int rc = 0;
	if (b.oom)
		rc = -DBL_ENOMEM;
	else if (b.data && !dbl_strlist_contains(warnings, b.data))
		rc = dbl_strlist_push(warnings, b.data);
	dbl_buf_release(&b);
	return rc;
}

/* Reads at most DBL_TEXTFILE_MAX + 1 bytes so an oversized file is seen
 * without reading it all; /proc files report size 0, so stat cannot tell. */
static int read_bounded(int fd, struct dbl_buf *b)
{
	char chunk[8192];
	for (;;) {
		ssize_t got = read(fd, chunk, sizeof(chunk));
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -errno;
		if (got == 0)
			return 0;
		dbl_buf_append(b, chunk, (size_t)got);
		if (b->oom)
			return -ENOMEM;
		if (b->len > DBL_TEXTFILE_MAX)
			return 0;
	}
}

static int refuse(char *why, size_t whylen, int *errno_out, int err,
		  const char *reason)
{
	if (errno_out)
		*errno_out = err;
	dbl_strlcpy(why, reason, whylen);
	return -DBL_EIO;
}

/* dbl_textfile_read without the warning: the reason goes into why. */
static int read_text(const char *path, char **out, int *errno_out, char *why,
		     size_t whylen)
{
	*out = NULL;
	if (errno_out)
		*errno_out = 0;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return refuse(why, whylen, errno_out, errno, strerror(errno));
	struct stat st = {0};
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		bool dir = S_ISDIR(st.st_mode);
		close(fd);
		return refuse(why, whylen, errno_out, dir ? EISDIR : EINVAL,
			      dir ? "is a directory" : "not a regular file");
	}
	struct dbl_buf b = {0};
	int rc = read_bounded(fd, &b);
	close(fd);
	const char *bad =
		rc < 0			   ? strerror(-rc)
		: b.len > DBL_TEXTFILE_MAX ? "larger than 1 MiB, ignored"
		: b.len && memchr(b.data, '\0', b.len) ? "binary data, ignored"
						       : NULL;
	if (bad) {
		dbl_buf_release(&b);
		return refuse(why, whylen, errno_out, rc < 0 ? -rc : 0, bad);
	}
	*out = b.len ? dbl_buf_detach(&b) : strdup("");
	dbl_buf_release(&b);
	return *out ? 0 : -DBL_ENOMEM;
}

int dbl_textfile_read(const char *path, struct dbl_strlist *warnings,
		      char **out, int *errno_out)
{
	char why[128];
	int err = 0;
	int rc = read_text(path, out, &err, why, sizeof(why));
	if (errno_out)
		*errno_out = err;
	if (rc == -DBL_EIO && err != ENOENT)
		dbl_warn(warnings, "cannot read '%s': %s", path, why);
	return rc;
}

int dbl_textfile_read_named(const char *opt, const char *path, char **out,
			    char *err, size_t errlen)
{
	char why[128], shown[200];
	int rc = read_text(path, out, NULL, why, sizeof(why));
	if (rc == -DBL_EIO) {
		/* refused outright, not ignored: say so */
		char *ignored = strstr(why, ", ignored");
		if (ignored)
			*ignored = '\0';
		snprintf(err, errlen, "cannot read %s '%s': %s", opt,
			 dbl_line_escape(shown, sizeof(shown), path), why);
		return -DBL_EUSAGE;
	}
	return rc;
}

char *dbl_textfile_next_line(char **cursor)
{
	char *line = *cursor;
	if (!line || !*line)
		return NULL;
	char *nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		*cursor = nl + 1;
	} else {
		*cursor = line + strlen(line);
	}
	size_t len = strlen(line);
	if (len && line[len - 1] == '\r')
		line[len - 1] = '\0';
	return line;
}

/* The escaped form of c into out (at most 5 bytes); its length. */
static size_t escape_char(unsigned char c, char *out)
{
	static const char hex[] = "0123456789abcdef";
	const char *named = c == '\n'	? "\\n"
			    : c == '\r' ? "\\r"
			    : c == '\t' ? "\\t"
					: NULL;
	if (named) {
		memcpy(out, named, 2);
		return 2;
	}
	if (c >= 0x20 && c != 0x7f) {
		out[0] = (char)c;
		return 1;
	}
	out[0] = '\\';
	out[1] = 'x';
	out[2] = hex[c >> 4];
	out[3] = hex[c & 15];
	return 4;
}

char *dbl_line_escape(char *dst, size_t size, const char *src)
{
	if (!size)
		return dst;
	size_t len = 0;
	for (const unsigned char *p = (const unsigned char *)src; *p; p++) {
		char esc[5];
		size_t n = escape_char(*p, esc);
		/* the last character needs room for itself, any other for
		 * itself and the "..." that may follow it */
		if (len + n + 1 > size || (p[1] && len + n + 4 > size)) {
			if (len + 4 <= size) {
				memcpy(dst + len, "...", 3);
				len += 3;
			}
			break;
		}
		memcpy(dst + len, esc, n);
		len += n;
	}
	dst[len] = '\0';
	return dst;
}

char *dbl_trim(char *s)
{
	while (dbl_is_space((unsigned char)*s))
		s++;
	size_t len = strlen(s);
	while (len && dbl_is_space((unsigned char)s[len - 1]))
		s[--len] = '\0';
	return s;
}

char *dbl_rooted_path(const char *root, const char *path)
{
	if (!root || !*root || path[0] != '/')
		return strdup(path);
	return dbl_asprintf("%s%s", root, path);
}
