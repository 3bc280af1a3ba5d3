/* Sockets with deadlines, against real loopback sockets. */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "dbloop/util.h"
#include "probes/net.h"

/* A bound loopback TCP socket on a kernel-chosen port; listening or not. */
static int bound_socket(bool listening, int *port)
{
	struct sockaddr_in sin = {.sin_family = AF_INET};
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	if (listening)
		assert_int_equal(listen(fd, 8), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

static void test_refused(void **state)
{
	struct dbl_net_addr a;
	int port, holder = bound_socket(false, &port);

	(void)state;
	assert_int_equal(dbl_net_addr_ip(&a, "127.0.0.1", port), 0);
	assert_int_equal(dbl_net_connect(&a, dbl_now_ms() + 1000, NULL),
			 -ECONNREFUSED);
	close(holder);
}

static void test_addr_text(void **state)
{
	struct dbl_net_addr a;
	char long_path[200];

	(void)state;
	assert_int_equal(dbl_net_addr_ip(&a, "::1", 5432), 0);
	assert_string_equal(a.shown, "[::1]:5432");
	assert_int_equal(dbl_net_addr_ip(&a, "127.0.0.1", 3306), 0);
	assert_string_equal(a.shown, "127.0.0.1:3306");
	assert_int_equal(dbl_net_addr_ip(&a, "localhost", 1), -EINVAL);
	memset(long_path, 'x', sizeof(long_path) - 1);
	long_path[sizeof(long_path) - 1] = '\0';
	assert_int_equal(dbl_net_addr_unix(&a, long_path), -ENAMETOOLONG);
}

static void test_unix_missing(void **state)
{
	struct dbl_net_addr a;
	char path[] = "/tmp/dbloop-test-net-XXXXXX";

	(void)state;
	assert_non_null(mkdtemp(path));
	char sock[128];
	snprintf(sock, sizeof(sock), "%s/none.sock", path);
	assert_int_equal(dbl_net_addr_unix(&a, sock), 0);
	assert_string_equal(a.shown, sock);
	assert_int_equal(dbl_net_connect(&a, dbl_now_ms() + 1000, NULL),
			 -ENOENT);
	rmdir(path);
}

/* Accepted by the kernel's backlog, never spoken to: the read ends at
 * the deadline, not before and not much after. */
static void test_silent_listener_times_out(void **state)
{
	struct dbl_net_addr a;
	int port, lfd = bound_socket(true, &port);
	char buf[16];

	(void)state;
	assert_int_equal(dbl_net_addr_ip(&a, "127.0.0.1", port), 0);
	int fd = dbl_net_connect(&a, dbl_now_ms() + 1000, NULL);
	assert_true(fd >= 0);
	double t0 = dbl_now_ms();
	assert_int_equal(
		dbl_net_read_some(fd, buf, sizeof(buf), t0 + 300, NULL),
		-ETIMEDOUT);
	double took = dbl_now_ms() - t0;
	assert_true(took >= 299.0);
	assert_true(took < 400.0);
	close(fd);
	close(lfd);
}

static void test_cancel(void **state)
{
	struct dbl_net_addr a;
	int port, lfd = bound_socket(true, &port);
	volatile int cancel = 1;
	char buf[16];

	(void)state;
	assert_int_equal(dbl_net_addr_ip(&a, "127.0.0.1", port), 0);
	int fd = dbl_net_connect(&a, dbl_now_ms() + 1000, NULL);
	assert_true(fd >= 0);
	double t0 = dbl_now_ms();
	assert_int_equal(
		dbl_net_read_some(fd, buf, sizeof(buf), t0 + 5000, &cancel),
		-ECANCELED);
	assert_true(dbl_now_ms() - t0 < 100.0);
	close(fd);
	close(lfd);
}

static void test_read_write(void **state)
{
	int sv[2];
	char buf[8] = {0};
	size_t have = 0;

	(void)state;
	assert_int_equal(
		socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	assert_int_equal(
		dbl_net_write_all(sv[0], "hello", 5, dbl_now_ms() + 1000, NULL),
		0);
	assert_int_equal(dbl_net_read_until(sv[1], buf, &have, 5,
					    dbl_now_ms() + 1000, NULL),
			 0);
	assert_memory_equal(buf, "hello", 5);
	close(sv[0]);
	have = 0;
	assert_int_equal(dbl_net_read_until(sv[1], buf, &have, 5,
					    dbl_now_ms() + 1000, NULL),
			 1); /* end of stream */
	close(sv[1]);
}

static void test_resolve(void **state)
{
	struct dbl_net_addr addrs[DBL_NET_MAX_ADDRS];
	int n = 0, sys_err = 0;

	(void)state;
	assert_int_equal(dbl_net_resolve("localhost", 5432, addrs,
					 DBL_NET_MAX_ADDRS, &n,
					 dbl_now_ms() + 10000, NULL, &sys_err),
			 0);
	assert_true(n >= 1);
	assert_non_null(strstr(addrs[0].shown, ":5432"));
	/* An address literal needs no resolver. */
	assert_int_equal(dbl_net_resolve("::1", 1, addrs, DBL_NET_MAX_ADDRS, &n,
					 dbl_now_ms() + 10000, NULL, &sys_err),
			 0);
	assert_int_equal(n, 1);
	assert_string_equal(addrs[0].shown, "[::1]:1");
	/* A cancelled wait reports ECANCELED (the lookup is left behind). */
	volatile int cancel = 1;
	assert_int_equal(
		dbl_net_resolve("localhost", 1, addrs, DBL_NET_MAX_ADDRS, &n,
				dbl_now_ms() + 2000, &cancel, &sys_err),
		EAI_SYSTEM);
	assert_int_equal(sys_err, ECANCELED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_addr_text),
		cmocka_unit_test(test_unix_missing),
		cmocka_unit_test(test_silent_listener_times_out),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_read_write),
		cmocka_unit_test(test_resolve),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
