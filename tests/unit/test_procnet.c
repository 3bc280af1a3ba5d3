/* /proc/net parsing on tables captured while a PostgreSQL 15 and a MariaDB
 * 10.11 ran (tests/fixtures/procnet/README.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "dbloop/discover.h"
#include "discover/procnet.h"
#include "util/textfile.h"

static char *fixture(const char *name)
{
	char path[512], *text = NULL;
	snprintf(path, sizeof(path), "%s/procnet/%s", DBL_FIXTURES, name);
	assert_int_equal(dbl_textfile_read(path, NULL, &text, NULL), 0);
	return text;
}

static const struct dbl_listener *find(const struct dbl_listener_list *l,
				       int family, const char *addr, int port)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->items[i].family == family &&
		    strcmp(l->items[i].address, addr) == 0 &&
		    l->items[i].port == port)
			return &l->items[i];
	return NULL;
}

static void test_tcp_listen_rows_only(void **state)
{
	(void)state;
	struct dbl_listener_list l = {0};
	struct dbl_strlist w = {0};
	char *text = fixture("tcp");
	assert_int_equal(dbl_procnet_parse_tcp(text, AF_INET, "tcp", &l, &w),
			 0);
	/* 127.0.0.1:49791 (postgres), 127.0.0.1:42481 (mariadb), 0.0.0.0:2024;
	 * the ESTABLISHED and TIME_WAIT rows are not listeners. */
	assert_int_equal(l.n, 3);
	assert_non_null(find(&l, AF_INET, "127.0.0.1", 49791));
	assert_non_null(find(&l, AF_INET, "127.0.0.1", 42481));
	assert_non_null(find(&l, AF_INET, "0.0.0.0", 2024));
	assert_int_equal(w.n, 0);
	free(text);
	free(l.items);
	dbl_strlist_release(&w);
}

static void test_tcp6_and_tagging(void **state)
{
	(void)state;
	struct dbl_listener_list l = {0};
	char *tcp6 = fixture("tcp6"), *unx = fixture("unix");
	assert_int_equal(
		dbl_procnet_parse_tcp(tcp6, AF_INET6, "tcp6", &l, NULL), 0);
	assert_int_equal(dbl_procnet_parse_unix(unx, "unix", &l, NULL), 0);
	assert_int_equal(l.n, 4); /* 2 v6 listeners, 2 listening sockets */
	dbl_procnet_tag(&l);
	const struct dbl_listener *pg6 = find(&l, AF_INET6, "::1", 49791);
	assert_non_null(pg6);
	assert_int_equal(pg6->engine, DBL_ENGINE_POSTGRES);
	assert_string_equal(pg6->why, "socket .s.PGSQL.49791");
	const struct dbl_listener *my6 = find(&l, AF_INET6, "::1", 42481);
	assert_non_null(my6);
	assert_int_equal(my6->engine, -1); /* no process info in a fixture */
	int unix_tagged = 0;
	for (size_t i = 0; i < l.n; i++)
		if (l.items[i].family == AF_UNIX) {
			assert_int_not_equal(l.items[i].engine, -1);
			unix_tagged++;
		}
	assert_int_equal(unix_tagged, 2);
	free(tcp6);
	free(unx);
	free(l.items);
}

static void test_dualstack_any(void **state)
{
	(void)state;
	struct dbl_listener_list l = {0};
	char *text = fixture("tcp6_dualstack");
	dbl_procnet_parse_tcp(text, AF_INET6, "tcp6", &l, NULL);
	assert_non_null(find(&l, AF_INET6, "::", 42481));
	free(text);
	free(l.items);
}

static void test_process_beats_port(void **state)
{
	(void)state;
	struct dbl_listener_list l = {0};
	char text[] = "  sl  local_address rem_address   st\n"
		      "   0: 0100007F:1538 00000000:0000 0A 00000000:00000000 "
		      "00:00000000 00000000   102        0 777 1\n";
	dbl_procnet_parse_tcp(text, AF_INET, "tcp", &l, NULL);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.items[0].port, 5432);
	assert_int_equal(l.items[0].inode, 777);
	strcpy(l.items[0].process, "mariadbd");
	dbl_procnet_tag(&l);
	assert_int_equal(l.items[0].engine, DBL_ENGINE_MYSQL);
	free(l.items);
}

static void test_malformed_rows_warn(void **state)
{
	(void)state;
	struct dbl_listener_list l = {0};
	struct dbl_strlist w = {0};
	char text[] = "header\n   0: ZZZZ:QQ 0 0A\n\x01\x02 junk\n"
		      "   1: 0100007F:FFFFF 00000000:0000 0A 0 0 0 0 0 5\n";
	assert_int_equal(dbl_procnet_parse_tcp(text, AF_INET, "tcp", &l, &w),
			 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(w.n, 3);
	assert_non_null(strstr(w.items[0], "tcp line 2"));
	free(l.items);
	dbl_strlist_release(&w);
}

static void test_discover_listeners_fixture_dir(void **state)
{
	(void)state;
	struct dbl_facts *f = dbl_facts_new();
	char dir[512];
	snprintf(dir, sizeof(dir), "%s/procnet", DBL_FIXTURES);
	struct dbl_discover_paths p = {.proc_net = dir};
	assert_int_equal(dbl_discover_listeners(f, &p), 0);
	/* 3 tcp + 2 tcp6 + 2 unix */
	assert_int_equal(f->n_listeners, 7);
	const struct dbl_listener *pg[8];
	assert_int_equal(dbl_facts_listeners_of(f, DBL_ENGINE_POSTGRES, pg, 8),
			 3);
	dbl_facts_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp_listen_rows_only),
		cmocka_unit_test(test_tcp6_and_tagging),
		cmocka_unit_test(test_dualstack_any),
		cmocka_unit_test(test_process_beats_port),
		cmocka_unit_test(test_malformed_rows_warn),
		cmocka_unit_test(test_discover_listeners_fixture_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
