/* dbloop explain: the codes in a message — MySQL/MariaDB server and client
 * error numbers and their ER_ names, SQLSTATEs, Prisma's P10xx, Node
 * drivers' PROTOCOL_* codes, MySQL Connector/J's "last packet" figures.
 * Codes decide wherever they are specific; 2002/2003 only say "could not
 * connect", so the errno beside them decides. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbloop/codes.h"
#include "dbloop/util.h"
#include "explain/explain_int.h"

struct code_map {
	int code;
	const char *er_name; /* as the table spells it: ER_..., CR_... */
	enum dbl_class cls;
	int weight;
};

#define X(code, name, kind, cls, xcls, xw) {code, #name, DBL_CLASS_##xcls, xw},
static const struct code_map mysql_codes[] = {DBL_MYSQL_CODE_MAP(X)};
#undef X

/* The symbol in s->low (lower-cased) */
static bool name_present(const struct dbl_xscan *s, const char *name)
{
	char low[64];
	size_t n = strlen(name);
	if (n >= sizeof(low))
		return false;
	for (size_t i = 0; i <= n; i++)
		low[i] = (char)tolower((unsigned char)name[i]);
	return dbl_xhas(s, low);
}

static bool ends_with(const char *low, const char *p, const char *w)
{
	size_t n = strlen(w);
	return (size_t)(p - low) >= n && memcmp(p - n, w, n) == 0;
}

/* The number of 4 digits at p stands where the syntax makes it a MySQL
 * error number: "ERROR 2003 (HY000):", "Error 1045:", "Got error: 2002:",
 * "SQLSTATE[HY000] [2002]", "(HY000/1698)", "(2003, \"...\")", "(2003)",
 * "#1045 -", "Error code: \"1045\"", "1045 (28000)". Not a syslog PID
 * (postgres[1049]:), a port (port 1045), a line or a byte count. */
static bool code_position(const char *low, const char *p)
{
	const char *a = p + 4;
	static const char *const before[] = {
		"error ",     "error: ",   "error:",   "errno ",   "errno: ",
		"error no. ", "error no ", "hy000/",   "code: \"", "code \"",
		"#",	      "error (",   "error: (", "number: "};
	for (size_t i = 0; i < sizeof(before) / sizeof(before[0]); i++)
		if (ends_with(low, p, before[i]))
			return true;
	/* strnlen first: a[7] is read only when the text reaches it. */
	if (strnlen(a, 8) == 8 && a[0] == ' ' && a[1] == '(' && a[7] == ')' &&
	    isalnum((unsigned char)a[2]))
		return true; /* 1045 (28000) */
	if (p > low && p[-1] == '(' && (a[0] == ')' || a[0] == ','))
		return true; /* (2003) / (1045, "...") */
	/* PDO's "SQLSTATE[HY000] [2002]" and DBeaver's "SQL Error [1045]
	 * [28000]", not a PID: "postgres[1049]:", "UTC [1045] LOG:" */
	if (p > low + 2 && p[-1] == '[' && a[0] == ']' &&
	    (p[-2] == ']' || (p[-2] == ' ' && p[-3] == ']') ||
	     ends_with(low, p, "error [") || strncmp(a, "] [", 3) == 0))
		return true;
	if (p == low && (a[0] == ',' || a[0] == ':'))
		return true; /* 2003, "Can't connect..." */
	return false;
}

static bool code_present(const struct dbl_xscan *s, const struct code_map *m)
{
	if (name_present(s, m->er_name))
		return true;
	char key[8];
	snprintf(key, sizeof(key), "%d", m->code);
	for (const char *p = s->low; (p = strstr(p, key)) != NULL; p++)
		if (dbl_xlone(s->low, p, 4) && code_position(s->low, p))
			return true;
	return false;
}

static void find_mysql_codes(struct dbl_xscan *s)
{
	for (size_t i = 0; i < sizeof(mysql_codes) / sizeof(mysql_codes[0]);
	     i++) {
		const struct code_map *m = &mysql_codes[i];
		if (m->cls == DBL_CLASS_UNKNOWN || !code_present(s, m))
			continue;
		/* "could not connect" with the client's own errno beside it:
		 * no server refused */
		bool local = s->never_connected && !s->err &&
			     (m->code == 2002 || m->code == 2003);
		if (!local)
			dbl_xadd(s, m->cls, m->weight);
		s->my += m->code < 2000 || m->code > 2999 ? 6 : 3;
		char ev[48];
		snprintf(ev, sizeof(ev), "MySQL error %d", m->code);
		dbl_xevidence(s, ev);
		dbl_xtoken(s, DBL_XTOK_MYSQL_ERROR, m->code, NULL);
	}
}

struct state_map {
	const char *state; /* as the table spells it (upper case) */
	enum dbl_class cls;
	int weight;
	int pg; /* +engine score */
};

#define X(state, cls, xcls, xw, pg) {state, DBL_CLASS_##xcls, xw, pg},
static const struct state_map states[] = {DBL_SQLSTATE_MAP(X)};
#undef X

static bool state_present(const struct dbl_xscan *s, const char *upper)
{
	char state[8];
	/* copy, then lower in place: gcc 12 -O3 misreads an indexed copy
	 * bounded by strlen as overflowing (-Wstringop-overflow) */
	size_t n = dbl_strlcpy(state, upper, sizeof(state));
	if (n >= sizeof(state))
		return false;
	for (char *c = state; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	for (const char *p = s->low; (p = strstr(p, state)) != NULL; p++)
		if ((p == s->low || !isalnum((unsigned char)p[-1])) &&
		    !isalnum((unsigned char)p[n]))
			return true;
	return false;
}

static void find_states(struct dbl_xscan *s)
{
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		if (states[i].cls == DBL_CLASS_UNKNOWN ||
		    !state_present(s, states[i].state))
			continue;
		dbl_xadd(s, states[i].cls, states[i].weight);
		s->pg += states[i].pg;
		char ev[32];
		snprintf(ev, sizeof(ev), "SQLSTATE %.5s", states[i].state);
		for (char *c = ev + 9; *c; c++)
			*c = (char)toupper((unsigned char)*c);
		dbl_xevidence(s, ev);
		dbl_xtoken(s, DBL_XTOK_SQLSTATE, 0, ev + 9);
	}
}

static const struct {
	const char *code;
	enum dbl_class cls;
	int weight;
} prisma_codes[] = {
	{"p1000", DBL_CLASS_ACCESS_DENIED, 100},
	{"p1001", DBL_CLASS_CONNECTION_REFUSED, 60},
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
		/* "Can't reach database server at `localhost`": the name may
		 * have gone to ::1 first, as for a refusal (explain_errno.c) */
		if (prisma_codes[i].cls == DBL_CLASS_CONNECTION_REFUSED &&
		    s->localhost && !s->v4)
			dbl_xadd(s, DBL_CLASS_LOCALHOST_RESOLUTION, 13);
		char pc[8];
		snprintf(pc, sizeof(pc), "P%s", prisma_codes[i].code + 1);
		dbl_xtoken(s, DBL_XTOK_PRISMA, 0, pc);
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
		dbl_xadd(s, DBL_CLASS_CONNECTION_REFUSED, 25);
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
