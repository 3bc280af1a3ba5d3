/* dbloop explain: the codes in a message — MySQL/MariaDB server and client
 * error numbers and their ER_ names, SQLSTATEs, Prisma's P10xx, Node
 * drivers' PROTOCOL_* codes, MySQL Connector/J's "last packet" figures.
 * Codes decide wherever they are specific; 2002/2003 only say "could not
 * connect", so the errno beside them decides. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain/explain_int.h"

struct code_map {
	int code;
	const char *er_name;
	enum dbl_class cls;
	int weight;
};

static const struct code_map mysql_codes[] = {
	{1045, "er_access_denied_error", DBL_CLASS_ACCESS_DENIED, 90},
	{1698, "er_access_denied_no_password_error",
	 DBL_CLASS_AUTH_METHOD_MISMATCH, 80},
	{1044, "er_dbaccess_denied_error", DBL_CLASS_ACCESS_DENIED, 80},
	{1049, "er_bad_db_error", DBL_CLASS_DATABASE_MISSING, 100},
	{1130, "er_host_not_privileged", DBL_CLASS_HOST_NOT_ALLOWED, 100},
	{1040, "er_con_count_error", DBL_CLASS_TOO_MANY_CONNECTIONS, 100},
	{1129, "er_host_is_blocked", DBL_CLASS_HOST_BLOCKED, 100},
	{1053, "er_server_shutdown", DBL_CLASS_SERVER_STARTING, 90},
	{3118, "er_account_has_been_locked", DBL_CLASS_ACCOUNT_UNUSABLE, 100},
	{4151, NULL, DBL_CLASS_ACCOUNT_UNUSABLE, 100},
	{1862, "er_must_change_password_login", DBL_CLASS_ACCOUNT_UNUSABLE,
	 100},
	{1820, "er_must_change_password", DBL_CLASS_ACCOUNT_UNUSABLE, 90},
	{1203, "er_too_many_user_connections", DBL_CLASS_ACCOUNT_UNUSABLE, 90},
	{1226, "er_user_limit_reached", DBL_CLASS_ACCOUNT_UNUSABLE, 90},
	{1251, "er_not_supported_auth_mode", DBL_CLASS_AUTH_METHOD_MISMATCH,
	 100},
	{3159, "er_secure_transport_required", DBL_CLASS_TLS_MISMATCH, 100},
	{2026, NULL, DBL_CLASS_TLS_MISMATCH, 90},
	{2054, NULL, DBL_CLASS_AUTH_METHOD_MISMATCH, 100},
	{2059, NULL, DBL_CLASS_AUTH_METHOD_MISMATCH, 100},
	{2061, NULL, DBL_CLASS_AUTH_METHOD_MISMATCH, 90},
	{2005, NULL, DBL_CLASS_DNS_FAILURE, 100},
	{2013, NULL, DBL_CLASS_TIMEOUT, 20},
	{2006, NULL, DBL_CLASS_TIMEOUT, 20},
	{1043, "er_handshake_error", DBL_CLASS_PROTOCOL_MISMATCH, 60},
	{2002, NULL, DBL_CLASS_SERVER_NOT_RUNNING, 20},
	{2003, NULL, DBL_CLASS_SERVER_NOT_RUNNING, 20},
};

static bool code_present(const struct dbl_xscan *s, const struct code_map *m)
{
	if (m->er_name && dbl_xhas(s, m->er_name))
		return true;
	char key[8];
	snprintf(key, sizeof(key), "%d", m->code);
	for (const char *p = s->low; (p = strstr(p, key)) != NULL; p++)
		if (dbl_xlone(s->low, p, 4))
			return true;
	return false;
}

static void find_mysql_codes(struct dbl_xscan *s)
{
	for (size_t i = 0; i < sizeof(mysql_codes) / sizeof(mysql_codes[0]);
	     i++) {
		const struct code_map *m = &mysql_codes[i];
		if (!code_present(s, m))
			continue;
		dbl_xadd(s, m->cls, m->weight);
		s->my += m->code < 2000 || m->code > 2999 ? 6 : 3;
		char ev[48];
		snprintf(ev, sizeof(ev), "MySQL error %d", m->code);
		dbl_xevidence(s, ev);
	}
}

struct state_map {
	const char *state; /* lower-case, as in s->low */
	enum dbl_class cls;
	int weight;
	int pg; /* +engine score */
};

static const struct state_map states[] = {
	{"28p01", DBL_CLASS_ACCESS_DENIED, 100, 6},
	{"3d000", DBL_CLASS_DATABASE_MISSING, 100, 6},
	{"53300", DBL_CLASS_TOO_MANY_CONNECTIONS, 90, 6},
	{"57p03", DBL_CLASS_SERVER_STARTING, 100, 6},
	{"57p01", DBL_CLASS_SERVER_STARTING, 60, 6},
	{"42501", DBL_CLASS_ACCESS_DENIED, 50, 3},
	{"28000", DBL_CLASS_ACCESS_DENIED, 25, 0}, /* split by phrases */
	{"08001", DBL_CLASS_SERVER_NOT_RUNNING, 15, 2},
	{"08006", DBL_CLASS_SERVER_NOT_RUNNING, 15, 2},
	{"08s01", DBL_CLASS_SERVER_NOT_RUNNING, 25, -4},
	{"08004", DBL_CLASS_TOO_MANY_CONNECTIONS, 30, 0},
};

static bool state_present(const struct dbl_xscan *s, const char *state)
{
	size_t n = strlen(state);
	for (const char *p = s->low; (p = strstr(p, state)) != NULL; p++)
		if ((p == s->low || !isalnum((unsigned char)p[-1])) &&
		    !isalnum((unsigned char)p[n]))
			return true;
	return false;
}

static void find_states(struct dbl_xscan *s)
{
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		if (!state_present(s, states[i].state))
			continue;
		dbl_xadd(s, states[i].cls, states[i].weight);
		s->pg += states[i].pg;
		char ev[32];
		snprintf(ev, sizeof(ev), "SQLSTATE %.5s", states[i].state);
		for (char *c = ev + 9; *c; c++)
			*c = (char)toupper((unsigned char)*c);
		dbl_xevidence(s, ev);
	}
}

static const struct {
	const char *code;
	enum dbl_class cls;
	int weight;
} prisma_codes[] = {
	{"p1000", DBL_CLASS_ACCESS_DENIED, 100},
	{"p1001", DBL_CLASS_SERVER_NOT_RUNNING, 60},
	{"p1002", DBL_CLASS_TIMEOUT, 90},
	{"p1003", DBL_CLASS_DATABASE_MISSING, 100},
	{"p1008", DBL_CLASS_TIMEOUT, 60},
	{"p1010", DBL_CLASS_ACCESS_DENIED, 90},
	{"p1011", DBL_CLASS_TLS_MISMATCH, 90},
	{"p1017", DBL_CLASS_SERVER_STARTING, 30},
	{"p2024", DBL_CLASS_TOO_MANY_CONNECTIONS, 50},
};

static void find_prisma(struct dbl_xscan *s)
{
	for (size_t i = 0; i < sizeof(prisma_codes) / sizeof(prisma_codes[0]);
	     i++) {
		const char *p = strstr(s->low, prisma_codes[i].code);
		if (!p || (p > s->low && isalnum((unsigned char)p[-1])) ||
		    isalnum((unsigned char)p[5]))
			continue;
		dbl_xadd(s, prisma_codes[i].cls, prisma_codes[i].weight);
		char ev[32];
		snprintf(ev, sizeof(ev), "Prisma %c%.4s", 'P',
			 prisma_codes[i].code + 1);
		dbl_xevidence(s, ev);
	}
}

/* Node drivers' own codes (mysql, mysql2), beside the ER_ names above. */
static void find_driver_codes(struct dbl_xscan *s)
{
	if (dbl_xhas(s, "protocol_connection_lost") ||
	    dbl_xhas(s, "the server closed the connection")) {
		/* an idle connection outlived wait_timeout, or a restart */
		dbl_xadd(s, DBL_CLASS_TIMEOUT, 40);
		dbl_xadd(s, DBL_CLASS_SERVER_STARTING, 30);
		dbl_xevidence(s, "driver code PROTOCOL_CONNECTION_LOST");
	}
	if (dbl_xhas(s, "protocol_sequence_timeout") ||
	    dbl_xhas(s, "handshake inactivity timeout"))
		dbl_xadd(s, DBL_CLASS_TIMEOUT, 60);
}

/* Connector/J: "The last packet sent successfully to the server was N
 * milliseconds ago". 0 ms: it never got a greeting (nothing listens, or
 * the connect timed out); more: an idle connection was cut. */
static void find_last_packet(struct dbl_xscan *s)
{
	const char *p = strstr(s->low, "the last packet sent successfully");
	if (!p)
		p = strstr(s->low, "the last packet successfully received");
	const char *was = p ? strstr(p, " was ") : NULL;
	if (!was)
		return;
	long ms = 0;
	for (const char *c = was + 5; isdigit((unsigned char)*c) || *c == ',';
	     c++)
		if (*c != ',' && ms < 100000000)
			ms = ms * 10 + (*c - '0');
	if (ms == 0) {
		dbl_xadd(s, DBL_CLASS_SERVER_NOT_RUNNING, 25);
		dbl_xadd(s, DBL_CLASS_TIMEOUT, 15);
	} else {
		dbl_xadd(s, DBL_CLASS_TIMEOUT, 45);
		dbl_xadd(s, DBL_CLASS_SERVER_STARTING, 15);
	}
}

void dbl_xscan_codes(struct dbl_xscan *s)
{
	find_mysql_codes(s);
	find_states(s);
	find_prisma(s);
	find_driver_codes(s);
	find_last_packet(s);
}
