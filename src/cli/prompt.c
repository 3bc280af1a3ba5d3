/* Reads a password from the controlling terminal without echo, as psql -W
 * and mysql -p do, so it never appears in argv or the environment. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "dbloop/common.h"
#include "dbloop/util.h"
#include "cli/prompt.h"

#define PASSWORD_MAX 1024

static void write_all(int fd, const char *s)
{
	size_t len = strlen(s);
	while (len > 0) {
		ssize_t w = write(fd, s, len);
		if (w <= 0 && errno != EINTR)
			return;
		if (w > 0) {
			s += w;
			len -= (size_t)w;
		}
	}
}

/* Reads up to the newline; returns the length, or -1 on EINTR/EOF-less
 * error. The newline is not stored. */
static ssize_t read_line(int fd, char *buf, size_t cap)
{
	size_t n = 0;
	for (;;) {
		char c;
		ssize_t r = read(fd, &c, 1);
		if (r < 0)
			return -1;
		if (r == 0 || c == '\n' || c == '\r')
			break;
		if (n + 1 < cap)
			buf[n++] = c;
	}
	buf[n] = '\0';
	return (ssize_t)n;
}

int dbl_prompt_password(const char *prompt, char **out, char *err,
			size_t errlen)
{
	char buf[PASSWORD_MAX];
	struct termios saved, quiet;
	int rc = 0;
	*out = NULL;
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		snprintf(err, errlen,
			 "cannot ask for a password: no terminal ('/dev/tty': "
			 "%s); use --password-env or --password-file",
			 strerror(errno));
		return -DBL_EUSAGE;
	}
	bool echo_off = tcgetattr(fd, &saved) == 0;
	if (echo_off) {
		quiet = saved;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		quiet.c_lflag |= ICANON;
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	write_all(fd, prompt);
	ssize_t n = read_line(fd, buf, sizeof(buf));
	if (echo_off)
		tcsetattr(fd, TCSAFLUSH, &saved);
	write_all(fd, "\n");
	if (n < 0)
		rc = errno == EINTR ? -DBL_ECANCELED : -DBL_EIO;
	else if (!(*out = strdup(buf)))
		rc = -DBL_ENOMEM;
	if (rc == -DBL_EIO)
		snprintf(err, errlen,
			 "cannot read the password from '/dev/tty'");
	dbl_secure_zero(buf, sizeof(buf));
	close(fd);
	return rc;
}
