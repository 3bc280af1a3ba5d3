/* 1,000 probes through dbl_run_probes against in-process hostile listeners
 * (a tarpit on TCP and on a Unix socket, a closer, a garbage sender), both
 * engines: every probe ends by its deadline and no file descriptor is left
 * open (/proc/self/fd counted before and after). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <cmocka.h>

#include "dbloop/options.h"
#include "dbloop/probe.h"
#include "dbloop/result.h"
#include "dbloop/util.h"

#define PROBES_WANTED 1000
#define PROBE_TIMEOUT_MS 30
/* slack over the timeout for one dbl_run_probes call (threads, connect) */
#define RUN_SLACK_MS 500
#define MAX_HELD 256

enum behaviour { TARPIT, CLOSER, GARBAGE };

struct listener {
	int fd;
	enum behaviour what;
};

/* The hostile side: one thread polling every listener and the tarpit's
 * held connections; a pipe tells it to stop. */
struct lab {
	struct listener ls[5];
	int n_ls;
	int held[MAX_HELD];
	int n_held;
	int stop_pipe[2];
	pthread_t thread;
	char dir[64];
	char pg_sock[128], my_sock[128];
	int tcp_port[3]; /* per behaviour */
};

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	assert_non_null(d);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static int listen_tcp(int *port)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t alen = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(fd, 128), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

static int listen_unix(const char *path)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	dbl_strlcpy(a.sun_path, path, sizeof(a.sun_path));
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(fd, 128), 0);
	return fd;
}

static void serve_accept(struct lab *lab, const struct listener *l)
{
	static const char garbage[] =
		"\x8a\xe8Zy\xb7\x93\xc1\xc9 not a greeting "
		"\x01\x02\x03\xfe\xfd\xfc";
	int c = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC);
	if (c < 0)
		return;
	if (l->what == TARPIT && lab->n_held < MAX_HELD) {
		lab->held[lab->n_held++] = c;
		return;
	}
	if (l->what == GARBAGE)
		(void)!send(c, garbage, sizeof(garbage) - 1,
			    MSG_NOSIGNAL | MSG_DONTWAIT);
	close(c);
}

/* A held tarpit connection is closed once its client hangs up. */
static void serve_held(struct lab *lab, int i)
{
	char buf[512];
	ssize_t n = recv(lab->held[i], buf, sizeof(buf), MSG_DONTWAIT);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		close(lab->held[i]);
		lab->held[i] = lab->held[--lab->n_held];
	}
}

static void *lab_main(void *arg)
{
	struct lab *lab = arg;
	for (;;) {
		struct pollfd p[1 + 5 + MAX_HELD];
		int n = 0, held0;
		p[n++] = (struct pollfd){.fd = lab->stop_pipe[0],
					 .events = POLLIN};
		for (int i = 0; i < lab->n_ls; i++)
			p[n++] = (struct pollfd){.fd = lab->ls[i].fd,
						 .events = POLLIN};
		held0 = n;
		for (int i = 0; i < lab->n_held; i++)
			p[n++] = (struct pollfd){.fd = lab->held[i],
						 .events = POLLIN};
		if (poll(p, (nfds_t)n, -1) < 0)
			continue;
		if (p[0].revents)
			return NULL;
		for (int i = 0; i < lab->n_ls; i++)
			if (p[1 + i].revents)
				serve_accept(lab, &lab->ls[i]);
		/* backwards: serve_held moves the last entry into slot i */
		for (int i = n - held0 - 1; i >= 0; i--)
			if (p[held0 + i].revents && i < lab->n_held)
				serve_held(lab, i);
	}
}

static void lab_start(struct lab *lab)
{
	memset(lab, 0, sizeof(*lab));
	strcpy(lab->dir, "/tmp/dbloop-fdleak-XXXXXX");
	assert_non_null(mkdtemp(lab->dir));
	snprintf(lab->pg_sock, sizeof(lab->pg_sock), "%s/.s.PGSQL.15998",
		 lab->dir);
	snprintf(lab->my_sock, sizeof(lab->my_sock), "%s/mysqld.sock",
		 lab->dir);
	enum behaviour tcp[3] = {TARPIT, CLOSER, GARBAGE};
	for (int i = 0; i < 3; i++)
		lab->ls[lab->n_ls++] = (struct listener){
			listen_tcp(&lab->tcp_port[i]), tcp[i]};
	/* a tarpit socket file per engine, named as each engine names it */
	lab->ls[lab->n_ls++] =
		(struct listener){listen_unix(lab->pg_sock), TARPIT};
	lab->ls[lab->n_ls++] =
		(struct listener){listen_unix(lab->my_sock), TARPIT};
	assert_int_equal(pipe2(lab->stop_pipe, O_CLOEXEC), 0);
	assert_int_equal(pthread_create(&lab->thread, NULL, lab_main, lab), 0);
}

static void lab_stop(struct lab *lab)
{
	(void)!write(lab->stop_pipe[1], "x", 1);
	pthread_join(lab->thread, NULL);
	for (int i = 0; i < lab->n_ls; i++)
		close(lab->ls[i].fd);
	for (int i = 0; i < lab->n_held; i++)
		close(lab->held[i]);
	close(lab->stop_pipe[0]);
	close(lab->stop_pipe[1]);
	unlink(lab->pg_sock);
	unlink(lab->my_sock);
	rmdir(lab->dir);
}

/* The targets of one round: per engine, the TCP tarpit, closer and
 * garbage sender, and the Unix tarpit. */
#define ROUND_TARGETS 8

static struct dbl_target *make_target(enum dbl_engine e, const char *host,
				      int port, const char *sock)
{
	struct dbl_target *t = dbl_target_new(e);
	assert_non_null(t);
	assert_int_equal(dbl_set_str(&t->label, "fd-leak"), 0);
	assert_int_equal(dbl_set_str(&t->host, host), 0);
	assert_int_equal(dbl_set_str(&t->user, "app"), 0);
	assert_int_equal(dbl_set_str(&t->database, "appdb"), 0);
	t->port = port;
	t->timeout_ms = PROBE_TIMEOUT_MS;
	t->ssl_mode = DBL_SSL_PREFER;
	if (sock) {
		assert_int_equal(dbl_set_str(&t->socket_path, sock), 0);
		t->transports = DBL_TRANSPORT_BIT(DBL_TRANSPORT_UNIX);
	} else {
		t->transports = DBL_TRANSPORT_BIT(DBL_TRANSPORT_TCP4);
	}
	return t;
}

static void make_round(const struct lab *lab, struct dbl_target **ts)
{
	int n = 0;
	for (int e = 0; e < DBL_ENGINE__COUNT; e++) {
		for (int i = 0; i < 3; i++)
			ts[n++] = make_target((enum dbl_engine)e, "127.0.0.1",
					      lab->tcp_port[i], NULL);
		ts[n++] = make_target((enum dbl_engine)e, "localhost", 15998,
				      e == DBL_ENGINE_POSTGRES ? lab->pg_sock
							       : lab->my_sock);
	}
}

/* Runs rounds until `wanted` probes ran; returns how many ran. */
static int run_rounds(const struct lab *lab, int wanted, double *worst_ms)
{
	struct dbl_target *ts[ROUND_TARGETS];
	static struct dbl_result rs[ROUND_TARGETS];
	int done = 0;
	make_round(lab, ts);
	while (done < wanted) {
		size_t n_out = 0;
		double t0 = dbl_now_ms();
		assert_int_equal(dbl_run_probes(ts, ROUND_TARGETS, NULL, rs,
						ROUND_TARGETS, &n_out),
				 0);
		double took = dbl_now_ms() - t0;
		if (took > *worst_ms)
			*worst_ms = took;
		assert_int_equal(n_out, ROUND_TARGETS);
		assert_true(took < PROBE_TIMEOUT_MS + RUN_SLACK_MS);
		for (size_t i = 0; i < n_out; i++) {
			assert_false(rs[i].ok);
			/* targets 0 and 3 of each engine are tarpits */
			if (i % 4 == 0 || i % 4 == 3)
				assert_true(rs[i].timed_out);
		}
		done += (int)n_out;
	}
	for (int i = 0; i < ROUND_TARGETS; i++)
		dbl_target_free(ts[i]);
	return done;
}

static void no_fd_left_after_1000_probes(void **state)
{
	(void)state;
	struct lab lab;
	double worst = 0;
	/* one warm-up round: libraries may open files once per process */
	lab_start(&lab);
	run_rounds(&lab, ROUND_TARGETS, &worst);
	lab_stop(&lab);

	int before = count_fds();
	lab_start(&lab);
	int ran = run_rounds(&lab, PROBES_WANTED, &worst);
	lab_stop(&lab);
	int after = count_fds();
	printf("fd-leak: %d probes, fds before %d after %d, slowest round "
	       "%.1f ms (timeout %d ms)\n",
	       ran, before, after, worst, PROBE_TIMEOUT_MS);
	assert_true(ran >= PROBES_WANTED);
	assert_int_equal(before, after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_fd_left_after_1000_probes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
