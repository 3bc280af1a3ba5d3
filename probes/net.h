/* Sockets with deadlines: resolve, connect, read and write, each bounded by
 * a dbl_now_ms() deadline and a cancel flag checked at least every 50 ms. */
#ifndef DBLOOP_NET_H
#define DBLOOP_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "dbloop/result.h"

#define DBL_NET_MAX_ADDRS DBL_MAX_ATTEMPTS
#define DBL_NET_SLICE_MS 50 /* longest wait between two cancel checks */

/* One endpoint to connect to, with the text the report shows for it. */
struct dbl_net_addr {
	struct sockaddr_storage sa;
	socklen_t sa_len;
	int family;		  /* AF_UNIX, AF_INET, AF_INET6 */
	char ip[64];		  /* numeric host, "" for AF_UNIX */
	char shown[DBL_ADDR_MAX]; /* "/x/.s.PGSQL.5432", "[::1]:5432" */
};

/* Fills a with a Unix socket address. 0, or -ENAMETOOLONG when path does
 * not fit in sun_path. */
int dbl_net_addr_unix(struct dbl_net_addr *a, const char *path);

/* Fills a from a numeric address ("127.0.0.1", "::1"). 0, or -EINVAL. */
int dbl_net_addr_ip(struct dbl_net_addr *a, const char *ip, int port);

/* Resolves host:port (TCP) with getaddrinfo, in the order it returns, into
 * out[0..max). getaddrinfo runs in a helper thread so a slow resolver never
 * outlives the deadline or a cancel. Returns 0 and *n_out, an EAI_* code
 * (non-zero) when the name does not resolve, EAI_SYSTEM with *sys_err =
 * ETIMEDOUT or ECANCELED when the wait was cut short. */
int dbl_net_resolve(const char *host, int port, struct dbl_net_addr *out,
		    int max, int *n_out, double deadline_ms,
		    const volatile int *cancel, int *sys_err);

/* Non-blocking connect to a with a deadline. Returns the connected socket
 * (non-blocking, close-on-exec; caller closes) or -errno: -ETIMEDOUT when
 * the deadline fired, -ECANCELED on cancel. */
int dbl_net_connect(const struct dbl_net_addr *a, double deadline_ms,
		    const volatile int *cancel);

/* Waits for events (POLLIN/POLLOUT) on fd in slices of at most 50 ms.
 * 0 when ready, -ETIMEDOUT, -ECANCELED, or -errno of poll. */
int dbl_net_wait(int fd, short events, double deadline_ms,
		 const volatile int *cancel);

/* Reads what is available (at least one byte) into buf. Returns the
 * count, 0 at end of stream, or -errno (-ETIMEDOUT, -ECANCELED, ...). */
ssize_t dbl_net_read_some(int fd, void *buf, size_t cap, double deadline_ms,
			  const volatile int *cancel);

/* Reads until buf holds want bytes (starting at *have). Returns 0 when
 * complete, 1 at end of stream before that, or -errno. *have is updated
 * either way. */
int dbl_net_read_until(int fd, void *buf, size_t *have, size_t want,
		       double deadline_ms, const volatile int *cancel);

/* Writes all n bytes. 0, or -errno (-ETIMEDOUT, -ECANCELED, -EPIPE...). */
int dbl_net_write_all(int fd, const void *buf, size_t n, double deadline_ms,
		      const volatile int *cancel);

/* True when the cancel flag is set (NULL means never). */
bool dbl_net_canceled(const volatile int *cancel);

#endif
