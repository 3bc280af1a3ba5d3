/* Signal handling: the handler only stores the signal number and writes one
 * byte to a pipe; everything else happens in the main flow. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "dbloop/common.h"
#include "dbloop/util.h"
#include "util/signals.h"

/* The probe context reads the flag through `const volatile int *`. */
_Static_assert(_Generic((sig_atomic_t)0, int : 1, default : 0),
	       "sig_atomic_t must be int");

volatile sig_atomic_t dbl_cancel;
static int wake_pipe[2] = {-1, -1};
static int installed;

static void on_signal(int sig)
{
	int saved = errno;
	dbl_cancel = sig;
	if (wake_pipe[1] >= 0) {
		ssize_t w = write(wake_pipe[1], "x", 1);
		(void)w; /* a full pipe already wakes the sleeper */
	}
	errno = saved;
}

int dbl_signals_install(void)
{
	if (installed)
		return 0;
	if (pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return -DBL_EINTERNAL;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: reads and waits return EINTR */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	installed = 1;
	return 0;
}

void dbl_signals_restore(void)
{
	if (!installed)
		return;
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	close(wake_pipe[0]);
	close(wake_pipe[1]);
	wake_pipe[0] = wake_pipe[1] = -1;
	installed = 0;
}

int dbl_signals_sleep_ms(int ms)
{
	double deadline = dbl_now_ms() + ms;
	while (!dbl_cancel) {
		int left = dbl_ms_left(deadline);
		if (left <= 0)
			return 0;
		struct pollfd pfd = {.fd = wake_pipe[0], .events = POLLIN};
		int n = poll(&pfd, wake_pipe[0] >= 0 ? 1 : 0, left);
		if (n < 0 && errno != EINTR)
			return dbl_cancel != 0;
	}
	return 1;
}

int dbl_signals_exit_code(void)
{
	return dbl_cancel ? 128 + dbl_cancel : 0;
}
