/* Sockets with deadlines. Every wait is a poll() of at most 50 ms, so a
 * cancel flag set by a signal handler is seen within one slice. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

#include "dbloop/util.h"
#include "probes/net.h"

bool dbl_net_canceled(const volatile int *cancel)
{
	return cancel && *cancel;
}

int dbl_net_addr_unix(struct dbl_net_addr *a, const char *path)
{
	struct sockaddr_un *sun = (struct sockaddr_un *)&a->sa;

	memset(a, 0, sizeof(*a));
	if (strlen(path) >= sizeof(sun->sun_path))
		return -ENAMETOOLONG;
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, path, strlen(path) + 1);
	a->sa_len = sizeof(*sun);
	a->family = AF_UNIX;
	dbl_strlcpy(a->shown, path, sizeof(a->shown));
	return 0;
}

/* Sets ip and shown from a filled sockaddr. */
static void addr_describe(struct dbl_net_addr *a)
{
	int port = 0;

	if (a->family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)&a->sa;
		inet_ntop(AF_INET, &in->sin_addr, a->ip, sizeof(a->ip));
		port = ntohs(in->sin_port);
		snprintf(a->shown, sizeof(a->shown), "%s:%d", a->ip, port);
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&a->sa;
		inet_ntop(AF_INET6, &in6->sin6_addr, a->ip, sizeof(a->ip));
		port = ntohs(in6->sin6_port);
		snprintf(a->shown, sizeof(a->shown), "[%s]:%d", a->ip, port);
	}
}

int dbl_net_addr_ip(struct dbl_net_addr *a, const char *ip, int port)
{
	struct sockaddr_in *in = (struct sockaddr_in *)&a->sa;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&a->sa;

	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, ip, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((unsigned short)port);
		a->sa_len = sizeof(*in);
	} else if (inet_pton(AF_INET6, ip, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((unsigned short)port);
		a->sa_len = sizeof(*in6);
	} else {
		return -EINVAL;
	}
	a->family = a->sa.ss_family;
	addr_describe(a);
	return 0;
}

/* getaddrinfo without AI_ADDRCONFIG, as libpq and libmariadb call it, in
 * a helper thread: the waiter may give up (deadline,
 * cancel) and leave; whoever finishes last frees the job. */
struct resolve_job {
	pthread_mutex_t lock;
	pthread_cond_t done_cond;
	int refs;
	bool done;
	char *host;
	char service[16];
	struct addrinfo *res;
	int rc;
};

static void resolve_job_unref(struct resolve_job *j)
{
	pthread_mutex_lock(&j->lock);
	int left = --j->refs;
	pthread_mutex_unlock(&j->lock);
	if (left > 0)
		return;
	if (j->res)
		freeaddrinfo(j->res);
	free(j->host);
	pthread_mutex_destroy(&j->lock);
	pthread_cond_destroy(&j->done_cond);
	free(j);
}

static void *resolve_thread(void *arg)
{
	struct resolve_job *j = arg;
	struct addrinfo hints = {.ai_family = AF_UNSPEC,
				 .ai_socktype = SOCK_STREAM};
	struct addrinfo *res = NULL;
	int rc = getaddrinfo(j->host, j->service, &hints, &res);

	pthread_mutex_lock(&j->lock);
	j->rc = rc;
	j->res = res;
	j->done = true;
	pthread_cond_signal(&j->done_cond);
	pthread_mutex_unlock(&j->lock);
	resolve_job_unref(j);
	return NULL;
}

static struct resolve_job *resolve_job_start(const char *host, int port)
{
	struct resolve_job *j = calloc(1, sizeof(*j));
	pthread_t tid;
	pthread_attr_t attr;

	if (!j || !(j->host = strdup(host))) {
		free(j);
		return NULL;
	}
	pthread_mutex_init(&j->lock, NULL);
	pthread_cond_init(&j->done_cond, NULL);
	snprintf(j->service, sizeof(j->service), "%d", port);
	j->refs = 2;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&tid, &attr, resolve_thread, j) != 0) {
		j->refs = 1;
		resolve_job_unref(j);
		j = NULL;
	}
	pthread_attr_destroy(&attr);
	return j;
}

/* Waits for the job in slices; 0 when done, -ETIMEDOUT or -ECANCELED. */
static int resolve_job_wait(struct resolve_job *j, double deadline_ms,
			    const volatile int *cancel)
{
	int rc = 0;

	pthread_mutex_lock(&j->lock);
	/* Cancelled before a fast lookup finished counts as cancelled too:
	 * otherwise which one wins is a race (test_net failed under load). */
	while (!j->done || dbl_net_canceled(cancel)) {
		if (dbl_net_canceled(cancel)) {
			rc = -ECANCELED;
			break;
		}
		int left = dbl_ms_left(deadline_ms);
		if (left <= 0) {
			rc = -ETIMEDOUT;
			break;
		}
		if (left > DBL_NET_SLICE_MS)
			left = DBL_NET_SLICE_MS;
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += (long)left * 1000000L;
		ts.tv_sec += ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&j->done_cond, &j->lock, &ts);
	}
	pthread_mutex_unlock(&j->lock);
	return rc;
}

int dbl_net_resolve(const char *host, int port, struct dbl_net_addr *out,
		    int max, int *n_out, double deadline_ms,
		    const volatile int *cancel, int *sys_err)
{
	struct resolve_job *j = resolve_job_start(host, port);
	int rc;

	*n_out = 0;
	*sys_err = 0;
	if (!j) {
		*sys_err = ENOMEM;
		return EAI_MEMORY;
	}
	rc = resolve_job_wait(j, deadline_ms, cancel);
	if (rc < 0) {
		*sys_err = -rc;
		resolve_job_unref(j);
		return EAI_SYSTEM;
	}
	rc = j->rc;
	for (struct addrinfo *ai = j->res; !rc && ai && *n_out < max;
	     ai = ai->ai_next) {
		if ((ai->ai_family != AF_INET && ai->ai_family != AF_INET6) ||
		    ai->ai_addrlen > sizeof(out->sa))
			continue;
		struct dbl_net_addr *a = &out[(*n_out)++];
		memset(a, 0, sizeof(*a));
		memcpy(&a->sa, ai->ai_addr, ai->ai_addrlen);
		a->sa_len = ai->ai_addrlen;
		a->family = ai->ai_family;
		addr_describe(a);
	}
	if (!rc && *n_out == 0)
		rc = EAI_NONAME;
	resolve_job_unref(j);
	return rc;
}

int dbl_net_wait(int fd, short events, double deadline_ms,
		 const volatile int *cancel)
{
	for (;;) {
		if (dbl_net_canceled(cancel))
			return -ECANCELED;
		int left = dbl_ms_left(deadline_ms);
		if (left <= 0)
			return -ETIMEDOUT;
		struct pollfd p = {.fd = fd, .events = events};
		int n = poll(&p, 1,
			     left < DBL_NET_SLICE_MS ? left : DBL_NET_SLICE_MS);
		if (n > 0)
			return 0; /* ready, or an error the next call reports */
		if (n < 0 && errno != EINTR)
			return -errno;
	}
}

int dbl_net_connect(const struct dbl_net_addr *a, double deadline_ms,
		    const volatile int *cancel)
{
	int fd = socket(a->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			0);
	int err = 0;
	socklen_t len = sizeof(err);

	if (fd < 0)
		return -errno;
	if (connect(fd, (const struct sockaddr *)&a->sa, a->sa_len) == 0)
		return fd;
	err = errno;
	if (err != EINPROGRESS && err != EINTR)
		goto fail;
	err = -dbl_net_wait(fd, POLLOUT, deadline_ms, cancel);
	if (err)
		goto fail;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err)
		goto fail;
	return fd;
fail:
	close(fd);
	return -err;
}

ssize_t dbl_net_read_some(int fd, void *buf, size_t cap, double deadline_ms,
			  const volatile int *cancel)
{
	for (;;) {
		ssize_t n = read(fd, buf, cap);
		if (n >= 0)
			return n;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -errno;
		int rc = dbl_net_wait(fd, POLLIN, deadline_ms, cancel);
		if (rc < 0)
			return rc;
	}
}

int dbl_net_read_until(int fd, void *buf, size_t *have, size_t want,
		       double deadline_ms, const volatile int *cancel)
{
	while (*have < want) {
		ssize_t n =
			dbl_net_read_some(fd, (char *)buf + *have, want - *have,
					  deadline_ms, cancel);
		if (n < 0)
			return (int)n;
		if (n == 0)
			return 1;
		*have += (size_t)n;
	}
	return 0;
}

int dbl_net_write_all(int fd, const void *buf, size_t n, double deadline_ms,
		      const volatile int *cancel)
{
	size_t done = 0;

	while (done < n) {
		ssize_t w = send(fd, (const char *)buf + done, n - done,
				 MSG_NOSIGNAL);
		if (w > 0) {
			done += (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return -errno;
		int rc = dbl_net_wait(fd, POLLOUT, deadline_ms, cancel);
		if (rc < 0)
			return rc;
	}
	return 0;
}
