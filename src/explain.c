/* dbloop explain: places a pasted error message from what its parts mean —
 * errno names and numbers, SQLSTATEs, MySQL error numbers and ER_ names,
 * Prisma codes, the client libraries' fixed phrases (some localised) —
 * never from a list of whole messages. Each recognised part adds weight
 * to a class; the heaviest wins, the rest become alternatives. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbloop/explain.h"

#define SCAN_MAX (256 * 1024) /* a pasted log beyond this adds nothing */
#define MAX_HITS 64

struct hit {
	enum dbl_class cls;
	int weight;
};

/* What was read from the text. */
struct scan {
	char *low; /* lower-cased copy (ASCII only; UTF-8 bytes kept) */
	size_t len;
	int pg, my; /* engine scores */
	bool unix_sock, v6, v4, localhost, container;
	int err; /* errno (positive, Linux numbering), 0 none */
	int port;
	char sock[256]; /* socket path named in the text */
	struct hit hits[MAX_HITS];
	size_t n_hits;
	struct dbl_explanation *out;
	bool oom;
};

static bool has(const struct scan *s, const char *needle)
{
	return strstr(s->low, needle) != NULL;
}

static void add(struct scan *s, enum dbl_class c, int w)
{
	for (size_t i = 0; i < s->n_hits; i++) {
		if (s->hits[i].cls == c) {
			s->hits[i].weight += w;
			return;
		}
	}
	if (s->n_hits < MAX_HITS)
		s->hits[s->n_hits++] = (struct hit){c, w};
}

static void evidence(struct scan *s, const char *what)
{
	if (!dbl_strlist_contains(&s->out->evidence, what) &&
	    dbl_strlist_push(&s->out->evidence, what) < 0)
		s->oom = true;
}

/* ---- engine and transport hints --------------------------------------- */

static const char *const pg_hints[] = {
	"postgres",	  "psql",   "libpq",	  "pg_hba",
	"pq: ",		  "pgx",    "psycopg",	  "pg::",
	".s.pgsql",	  ":5432",  "port 5432",  "`5432`",
	"org.postgresql", "npgsql", "asyncpg",	  "sqlstate 28p01",
	"pg_connect",	  "pgsql",  "postmaster", "sslmode",
	"fatal:  "};
static const char *const my_hints[] = {"mysql",
				       "mariadb",
				       "mysqli",
				       "pymysql",
				       "mysqldb",
				       ":3306",
				       "port 3306",
				       "`3306`",
				       "mysqld.sock",
				       "mysql.sock",
				       "er_",
				       "access denied for user",
				       "using password",
				       "go-sql-driver",
				       "can't connect to local server",
				       "communications link failure"};

static void engine_hints(struct scan *s)
{
	for (size_t i = 0; i < sizeof(pg_hints) / sizeof(pg_hints[0]); i++)
		if (has(s, pg_hints[i]))
			s->pg += 2;
	for (size_t i = 0; i < sizeof(my_hints) / sizeof(my_hints[0]); i++)
		if (has(s, my_hints[i]))
			s->my += 2;
}

/* The path inside the quotes that follow marker, e.g. socket "/x". */
static void grab_path(struct scan *s, const char *marker)
{
	const char *p = strstr(s->low, marker);
	if (!p || s->sock[0])
		return;
	p += strlen(marker);
	while (*p == ' ' || *p == '"' || *p == '\'')
		p++;
	size_t n = strcspn(p, "\"' )\n");
	if (*p != '/' || n == 0 || n >= sizeof(s->sock))
		return;
	memcpy(s->sock, p, n);
	s->sock[n] = '\0';
}

static int port_after(const char *p)
{
	while (*p == ' ' || *p == '`' || *p == ':')
		p++;
	int v = atoi(p);
	return v > 0 && v < 65536 ? v : 0;
}

static void transport_hints(struct scan *s)
{
	s->unix_sock = has(s, "unix domain socket") ||
		       has(s, "through socket") || has(s, ".s.pgsql") ||
		       has(s, "dial unix") || has(s, "mysqld.sock") ||
		       has(s, "mysql.sock") || has(s, "server on socket") ||
		       has(s, "connect enoent /");
	s->v6 = has(s, "::1");
	s->v4 = has(s, "127.0.0.1");
	s->localhost = has(s, "localhost");
	s->container = has(s, "docker") || has(s, "compose") ||
		       has(s, "container") || has(s, "172.1") ||
		       has(s, "127.0.0.11") || strstr(s->low, "-1  | ") ||
		       strstr(s->low, "_1  | ");
	grab_path(s, "socket ");
	grab_path(s, "dial unix ");
	grab_path(s, "connect enoent ");
	/* The port: "port 5432", "`localhost`:`5432`", "[::1]:5432",
	 * "127.0.0.1:3306", "localhost:5432" — never a line number. */
	static const char *const marks[] = {"port ", "port=",	   "`:`",
					    "]:",    "127.0.0.1:", "localhost:",
					    "::1:"};
	for (size_t i = 0; !s->port && i < sizeof(marks) / sizeof(marks[0]);
	     i++) {
		const char *p = strstr(s->low, marks[i]);
		if (p && isdigit((unsigned char)p[strlen(marks[i])]))
			s->port = port_after(p + strlen(marks[i]));
	}
}

/* ---- errno, in every spelling a message carries ----------------------- */

struct errno_word {
	const char *word;
	int err;
};

/* Names (Node.js, Go, Python), strerror texts and their glibc and Windows
 * translations, the numbers MySQL clients print in parentheses. */
static const struct errno_word errno_words[] = {
	{"econnrefused", 111},
	{"connection refused", 111},
	{"actively refused", 111},
	{"10061", 111},
	{"verbindungsaufbau abgelehnt", 111},
	{"connexion refusée", 111},
	{"conexión rehusada", 111},
	{"conexão recusada", 111},
	{"connessione rifiutata", 111},
	{"соединении отказано", 111},
	{"接続を拒否", 111},
	{"拒绝连接", 111},
	{"积极拒绝", 111},
	{"verbinding geweigerd", 111},
	{"połączenie odrzucone", 111},
	{"enoent", 2},
	{"no such file or directory", 2},
	{"datei oder verzeichnis nicht gefunden", 2},
	{"aucun fichier ou dossier", 2},
	{"no existe el archivo", 2},
	{"no existe el fichero", 2},
	{"arquivo ou diretório inexistente", 2},
	{"file o directory non esistente", 2},
	{"нет такого файла", 2},
	{"そのようなファイルやディレクトリはありません", 2},
	{"没有那个文件或目录", 2},
	{"eacces", 13},
	{"permission denied", 13},
	{"keine berechtigung", 13},
	{"permission non accordée", 13},
	{"permiso denegado", 13},
	{"отказано в доступе", 13},
	{"权限不够", 13},
	{"etimedout", 110},
	{"timed out", 110},
	{"timeout expired", 110},
	{"i/o timeout", 110},
	{"10060", 110},
	{"wartezeit für die verbindung", 110},
	{"délai d'attente", 110},
	{"время ожидания", 110},
	{"eaddrnotavail", 99},
	{"cannot assign requested address", 99},
	{"ehostunreach", 113},
	{"no route to host", 113},
	{"enetunreach", 101},
	{"network is unreachable", 101},
	{"econnreset", 104},
	{"connection reset by peer", 104},
};

/* The number MySQL prints after the socket or host, "(111)" or
 * "(2 \"No such file...\")", and Python's "[Errno 111]". */
static int number_errno(const struct scan *s)
{
	const char *p = strstr(s->low, "[errno ");
	if (p)
		return abs(atoi(p + 7));
	p = strstr(s->low, "errno: -");
	if (p)
		return atoi(p + 8) == 4078 ? 111 : atoi(p + 8);
	for (p = s->low; (p = strstr(p, "' (")) != NULL; p += 3)
		if (isdigit((unsigned char)p[3]))
			return atoi(p + 3);
	return 0;
}

static void find_errno(struct scan *s)
{
	int n = number_errno(s);
	if (n == 115)
		n = 111; /* MariaDB's EINPROGRESS for a refused connect */
	if (n == 10061)
		n = 111;
	if (n == 10060)
		n = 110;
	if (n == 2 || n == 13 || n == 99 || n == 110 || n == 111 || n == 113)
		s->err = n;
	for (size_t i = 0;
	     !s->err && i < sizeof(errno_words) / sizeof(errno_words[0]); i++)
		if (has(s, errno_words[i].word))
			s->err = errno_words[i].err;
	if (s->err) {
		const char *name = s->err == 111   ? "errno ECONNREFUSED"
				   : s->err == 2   ? "errno ENOENT"
				   : s->err == 13  ? "errno EACCES"
				   : s->err == 110 ? "errno ETIMEDOUT"
				   : s->err == 99  ? "errno EADDRNOTAVAIL"
				   : s->err == 104 ? "errno ECONNRESET"
						   : "errno EHOSTUNREACH";
		evidence(s, name);
	}
}

/* What a connect-level errno means, given where it happened. */
static void weigh_errno(struct scan *s)
{
	switch (s->err) {
	case 111:
		if (s->unix_sock) {
			add(s, DBL_CLASS_SOCKET_STALE, 70);
		} else if (s->v6 && !s->v4) {
			add(s, DBL_CLASS_LOCALHOST_RESOLUTION, 65);
			add(s, DBL_CLASS_IPV6_NOT_LISTENING, 35);
		} else if (s->container && !s->v6) {
			add(s, DBL_CLASS_CONNECTION_REFUSED, 65);
			add(s, DBL_CLASS_SERVER_NOT_RUNNING, 45);
		} else {
			add(s, DBL_CLASS_SERVER_NOT_RUNNING, 60);
			add(s, DBL_CLASS_TCP_DISABLED, 25);
		}
		break;
	case 2:
		add(s, DBL_CLASS_SOCKET_MISSING, 70);
		add(s, DBL_CLASS_SERVER_NOT_RUNNING, 45);
		break;
	case 13:
		add(s, DBL_CLASS_SOCKET_PERMISSION, 70);
		break;
	case 110:
		add(s, DBL_CLASS_TIMEOUT, 70);
		break;
	case 99:
		add(s,
		    s->v6 ? DBL_CLASS_IPV6_NOT_LISTENING
			  : DBL_CLASS_CONNECTION_REFUSED,
		    55);
		break;
	case 113:
	case 101:
		add(s, DBL_CLASS_TIMEOUT, 40);
		add(s, DBL_CLASS_DNS_FAILURE, 15);
		break;
	case 104:
		add(s, DBL_CLASS_PROTOCOL_MISMATCH, 20);
		add(s, DBL_CLASS_TLS_MISMATCH, 15);
		break;
	default:
		break;
	}
}

/* ---- codes ------------------------------------------------------------ */

struct code_map {
	int code;
	const char *er_name;
	enum dbl_class cls;
	int weight;
};

/* MySQL/MariaDB server and client error numbers. 2002/2003 only say
 * "could not connect": the errno beside them decides. */
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
	{2059, NULL, DBL_CLASS_AUTH_METHOD_MISMATCH, 100},
	{2061, NULL, DBL_CLASS_AUTH_METHOD_MISMATCH, 90},
	{2005, NULL, DBL_CLASS_DNS_FAILURE, 100},
	{2013, NULL, DBL_CLASS_TIMEOUT, 35},
	{2006, NULL, DBL_CLASS_TIMEOUT, 20},
	{1043, "er_handshake_error", DBL_CLASS_PROTOCOL_MISMATCH, 60},
	{2002, NULL, DBL_CLASS_SERVER_NOT_RUNNING, 20},
	{2003, NULL, DBL_CLASS_SERVER_NOT_RUNNING, 20},
};

/* A 4-digit number standing alone (not part of an address, a port, a
 * longer number or a time). */
static bool lone_number_at(const char *low, const char *p, size_t len)
{
	if (p > low && (isalnum((unsigned char)p[-1]) || p[-1] == '.' ||
			p[-1] == ':' || p[-1] == '-'))
		return false;
	char after = p[len];
	return !isalnum((unsigned char)after) && after != '.' && after != ':' &&
	       after != '-';
}

static void find_mysql_codes(struct scan *s)
{
	char key[8];
	for (size_t i = 0; i < sizeof(mysql_codes) / sizeof(mysql_codes[0]);
	     i++) {
		const struct code_map *m = &mysql_codes[i];
		bool found = m->er_name && has(s, m->er_name);
		snprintf(key, sizeof(key), "%d", m->code);
		for (const char *p = s->low; !found && (p = strstr(p, key));
		     p++)
			found = lone_number_at(s->low, p, 4);
		if (!found)
			continue;
		add(s, m->cls, m->weight);
		s->my += m->code < 2000 || m->code > 2999 ? 6 : 3;
		char ev[48];
		snprintf(ev, sizeof(ev), "MySQL error %d", m->code);
		evidence(s, ev);
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

static void find_states(struct scan *s)
{
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		const char *p = s->low;
		bool found = false;
		size_t n = strlen(states[i].state);
		while (!found && (p = strstr(p, states[i].state)) != NULL) {
			found = (p == s->low ||
				 !isalnum((unsigned char)p[-1])) &&
				!isalnum((unsigned char)p[n]);
			p++;
		}
		if (!found)
			continue;
		add(s, states[i].cls, states[i].weight);
		s->pg += states[i].pg;
		char ev[32];
		snprintf(ev, sizeof(ev), "SQLSTATE %.5s", states[i].state);
		for (char *c = ev + 9; *c; c++)
			*c = (char)toupper((unsigned char)*c);
		evidence(s, ev);
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

static void find_prisma(struct scan *s)
{
	for (size_t i = 0; i < sizeof(prisma_codes) / sizeof(prisma_codes[0]);
	     i++) {
		const char *p = strstr(s->low, prisma_codes[i].code);
		if (!p || (p > s->low && isalnum((unsigned char)p[-1])) ||
		    isalnum((unsigned char)p[5]))
			continue;
		add(s, prisma_codes[i].cls, prisma_codes[i].weight);
		char ev[32];
		snprintf(ev, sizeof(ev), "Prisma %c%.4s", 'P',
			 prisma_codes[i].code + 1);
		evidence(s, ev);
	}
}

/* ---- fixed phrases of the servers and client libraries ----------------- */

struct phrase {
	const char *text; /* lower-case */
	enum dbl_class cls;
	int weight;
	int engine; /* -1 either, else the engine it implies */
};

#define PG DBL_ENGINE_POSTGRES
#define MY DBL_ENGINE_MYSQL

static const struct phrase phrases[] = {
	/* PostgreSQL server, some localised */
	{"password authentication failed", DBL_CLASS_ACCESS_DENIED, 100, PG},
	{"passwort-authentifizierung", DBL_CLASS_ACCESS_DENIED, 90, PG},
	{"authentification par mot de passe", DBL_CLASS_ACCESS_DENIED, 90, PG},
	{"autentificación password falló", DBL_CLASS_ACCESS_DENIED, 90, PG},
	{"autenticação do tipo senha falhou", DBL_CLASS_ACCESS_DENIED, 90, PG},
	{"не прошёл проверку подлинности", DBL_CLASS_ACCESS_DENIED, 90, PG},
	{"パスワード認証に失敗", DBL_CLASS_ACCESS_DENIED, 90, PG},
	{"no password supplied", DBL_CLASS_ACCESS_DENIED, 90, PG},
	{"no pg_hba.conf entry", DBL_CLASS_HOST_NOT_ALLOWED, 90, PG},
	{"kein pg_hba.conf-eintrag", DBL_CLASS_HOST_NOT_ALLOWED, 90, PG},
	{"aucune entrée dans pg_hba.conf", DBL_CLASS_HOST_NOT_ALLOWED, 90, PG},
	{"no hay una línea en pg_hba.conf", DBL_CLASS_HOST_NOT_ALLOWED, 90, PG},
	{"pg_hba.conf нет записи", DBL_CLASS_HOST_NOT_ALLOWED, 90, PG},
	{"pg_hba.conf rejects", DBL_CLASS_HOST_NOT_ALLOWED, 90, PG},
	{"peer authentication failed", DBL_CLASS_AUTH_METHOD_MISMATCH, 110, PG},
	{"ident authentication failed", DBL_CLASS_AUTH_METHOD_MISMATCH, 110,
	 PG},
	{"is not permitted to log in", DBL_CLASS_ACCOUNT_UNUSABLE, 110, PG},
	{"too many connections for role", DBL_CLASS_ACCOUNT_UNUSABLE, 120, PG},
	{"sorry, too many clients", DBL_CLASS_TOO_MANY_CONNECTIONS, 100, PG},
	{"remaining connection slots are reserved",
	 DBL_CLASS_TOO_MANY_CONNECTIONS, 100, PG},
	{"the database system is starting up", DBL_CLASS_SERVER_STARTING, 100,
	 PG},
	{"the database system is shutting down", DBL_CLASS_SERVER_STARTING, 90,
	 PG},
	{"the database system is in recovery", DBL_CLASS_SERVER_STARTING, 90,
	 PG},
	{"not accepting connections", DBL_CLASS_SERVER_STARTING, 90, PG},
	{"not yet accepting connections", DBL_CLASS_SERVER_STARTING, 90, PG},
	{"server does not support ssl", DBL_CLASS_TLS_MISMATCH, 100, -1},
	{"ssl is not enabled on the server", DBL_CLASS_TLS_MISMATCH, 100, PG},
	{"the server does not support ssl", DBL_CLASS_TLS_MISMATCH, 100, -1},
	{"ssl connection is required", DBL_CLASS_TLS_MISMATCH, 90, -1},
	{"ssl is required", DBL_CLASS_TLS_MISMATCH, 80, -1},
	{"ssl required", DBL_CLASS_TLS_MISMATCH, 60, -1},
	{"certificate verify failed", DBL_CLASS_TLS_MISMATCH, 80, -1},
	{"self signed certificate", DBL_CLASS_TLS_MISMATCH, 80, -1},
	{"self-signed certificate", DBL_CLASS_TLS_MISMATCH, 80, -1},
	{"unable to verify the first certificate", DBL_CLASS_TLS_MISMATCH, 80,
	 -1},
	{"tls requested but server does not", DBL_CLASS_TLS_MISMATCH, 100, MY},
	{"ssl connection error", DBL_CLASS_TLS_MISMATCH, 80, -1},
	{"invalid response to ssl negotiation", DBL_CLASS_PROTOCOL_MISMATCH,
	 100, PG},
	{"expected authentication request from server",
	 DBL_CLASS_PROTOCOL_MISMATCH, 100, PG},
	{"got packets out of order", DBL_CLASS_PROTOCOL_MISMATCH, 60, MY},
	{"malformed packet", DBL_CLASS_PROTOCOL_MISMATCH, 50, MY},
	{"scram authentication requires libpq", DBL_CLASS_AUTH_METHOD_MISMATCH,
	 100, PG},
	{"authentication method 10 not supported",
	 DBL_CLASS_AUTH_METHOD_MISMATCH, 100, PG},
	{"authentication type 10 is not supported",
	 DBL_CLASS_AUTH_METHOD_MISMATCH, 100, PG},
	{"sasl authentication", DBL_CLASS_AUTH_METHOD_MISMATCH, 50, PG},
	{"could not translate host name", DBL_CLASS_DNS_FAILURE, 100, PG},
	{"server closed the connection unexpectedly", DBL_CLASS_SERVER_STARTING,
	 25, PG},
	{"connection terminated unexpectedly", DBL_CLASS_SERVER_STARTING, 20,
	 PG},
	/* MySQL / MariaDB servers and clients */
	{"unknown database", DBL_CLASS_DATABASE_MISSING, 100, MY},
	{"is not allowed to connect to this", DBL_CLASS_HOST_NOT_ALLOWED, 100,
	 MY},
	{"is blocked because of many connection errors", DBL_CLASS_HOST_BLOCKED,
	 100, MY},
	{"too many connections", DBL_CLASS_TOO_MANY_CONNECTIONS, 90, MY},
	{"has more than 'max_user_connections'", DBL_CLASS_ACCOUNT_UNUSABLE,
	 100, MY},
	{"account is locked", DBL_CLASS_ACCOUNT_UNUSABLE, 100, MY},
	{"password has expired", DBL_CLASS_ACCOUNT_UNUSABLE, 100, -1},
	{"must reset your password", DBL_CLASS_ACCOUNT_UNUSABLE, 100, MY},
	{"insecure transport are prohibited", DBL_CLASS_TLS_MISMATCH, 100, MY},
	{"authentication plugin", DBL_CLASS_AUTH_METHOD_MISMATCH, 60, MY},
	{"does not support authentication protocol",
	 DBL_CLASS_AUTH_METHOD_MISMATCH, 100, MY},
	{"public key retrieval is not allowed", DBL_CLASS_AUTH_METHOD_MISMATCH,
	 100, MY},
	{"unknown mysql server host", DBL_CLASS_DNS_FAILURE, 100, MY},
	{"unknown server host", DBL_CLASS_DNS_FAILURE, 100, MY},
	{"reading initial communication packet", DBL_CLASS_TIMEOUT, 30, MY},
	{"server shutdown in progress", DBL_CLASS_SERVER_STARTING, 90, MY},
	{"mysql init process in progress", DBL_CLASS_SERVER_STARTING, 90, MY},
	{"the last packet sent successfully to the server was 0",
	 DBL_CLASS_SERVER_NOT_RUNNING, 25, MY},
	/* name resolution, any client */
	{"getaddrinfo enotfound", DBL_CLASS_DNS_FAILURE, 100, -1},
	{"getaddrinfo eai_again", DBL_CLASS_DNS_FAILURE, 100, -1},
	{"no such host", DBL_CLASS_DNS_FAILURE, 90, -1},
	{"name or service not known", DBL_CLASS_DNS_FAILURE, 90, -1},
	{"temporary failure in name resolution", DBL_CLASS_DNS_FAILURE, 90, -1},
	{"nodename nor servname provided", DBL_CLASS_DNS_FAILURE, 90, -1},
	{"name does not resolve", DBL_CLASS_DNS_FAILURE, 90, -1},
	{"no address associated with hostname", DBL_CLASS_DNS_FAILURE, 90, -1},
	{"unknownhostexception", DBL_CLASS_DNS_FAILURE, 90, -1},
	{"getaddrinfo failed", DBL_CLASS_DNS_FAILURE, 90, -1},
	/* connect, worded by drivers */
	{"can't reach database server", DBL_CLASS_SERVER_NOT_RUNNING, 30, -1},
	{"is the server running", DBL_CLASS_SERVER_NOT_RUNNING, 20, PG},
	{"check that the hostname and port are correct",
	 DBL_CLASS_SERVER_NOT_RUNNING, 20, PG},
	{"activerecord::nodatabaseerror", DBL_CLASS_DATABASE_MISSING, 80, -1},
	{"sorry, too many", DBL_CLASS_TOO_MANY_CONNECTIONS, 40, PG},
};

/* "database "x" does not exist" in any of its forms, and role ones. */
static void weigh_does_not_exist(struct scan *s)
{
	const char *p = strstr(s->low, "does not exist");
	if (!p && !has(s, "existiert nicht") && !has(s, "n'existe pas") &&
	    !has(s, "не существует") && !has(s, "no existe la base"))
		return;
	if (has(s, "database \"") || has(s, "datenbank »") ||
	    has(s, "la base de données") || has(s, "база данных") ||
	    has(s, "no existe la base") || has(s, "database '"))
		add(s, DBL_CLASS_DATABASE_MISSING, 90);
	else if (has(s, "role \"") || has(s, "rolle »") || has(s, "le rôle"))
		add(s, DBL_CLASS_ACCESS_DENIED, 80);
	else
		return;
	s->pg += 3; /* MySQL words it "Unknown database" */
}

static void find_phrases(struct scan *s)
{
	for (size_t i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++) {
		if (!has(s, phrases[i].text))
			continue;
		add(s, phrases[i].cls, phrases[i].weight);
		if (phrases[i].engine == PG)
			s->pg += 3;
		else if (phrases[i].engine == MY)
			s->my += 3;
	}
	weigh_does_not_exist(s);
}

/* Codes that cover several causes, split by what surrounds them. */
static void split_ambiguous(struct scan *s)
{
	/* A hostssl-only server rejects a plaintext client with the same
	 * pg_hba text; TLS is likelier when the text says "no encryption"
	 * and the address is one a rule would normally cover. */
	if (has(s, "no pg_hba.conf entry") &&
	    (has(s, "no encryption") || has(s, "ssl off")))
		add(s, DBL_CLASS_TLS_MISMATCH, 30);
	/* 1698: root with unix_socket, or an account for another host. */
	if (has(s, "1698") || has(s, "er_access_denied_no_password_error")) {
		if (has(s, "'root'@"))
			add(s, DBL_CLASS_AUTH_METHOD_MISMATCH, 40);
		else if (has(s, "'@'127.0.0.1'") || has(s, "'@'::1'") ||
			 has(s, "'@'172.") || has(s, "'@'192.168."))
			add(s, DBL_CLASS_HOST_NOT_ALLOWED, 95);
	}
	if (has(s, "1044") || has(s, "er_dbaccess_denied_error") ||
	    (has(s, "access denied for user") && has(s, "to database")))
		add(s, DBL_CLASS_DATABASE_MISSING, 40);
	/* 1045 from an IP while an account exists for 'localhost' only. */
	if ((has(s, "1045") || has(s, "access denied for user")) &&
	    (has(s, "'@'127.0.0.1'") || has(s, "'@'::1'")))
		add(s, DBL_CLASS_HOST_NOT_ALLOWED, 30);
	/* The name that does not resolve is localhost itself. */
	if ((has(s, "host 'localhost'") || has(s, "name \"localhost\"") ||
	     has(s, "enotfound localhost") || has(s, "lookup localhost")) &&
	    (has(s, "unknown") || has(s, "could not translate") ||
	     has(s, "enotfound") || has(s, "no such host")))
		add(s, DBL_CLASS_LOCALHOST_RESOLUTION, 300);
	/* MySQL 2002/2003 without errno: "local ... socket" is the socket. */
	if (!s->err &&
	    (has(s, "through socket") || has(s, "local mysql server")))
		add(s, DBL_CLASS_SOCKET_MISSING, 30);
}

/* ---- placing ----------------------------------------------------------- */

struct class_text {
	enum dbl_class cls;
	const char *cause;
	const char *fix;
	const char *fix_my; /* MySQL/MariaDB wording, NULL: fix serves both */
	/* Other causes the same text arises from: class, what tells it
	 * apart. */
	struct {
		enum dbl_class cls;
		const char *why;
	} alts[3];
};

static const struct class_text texts[] = {
	{DBL_CLASS_SERVER_NOT_RUNNING,
	 "nothing listens where the client connects: the server is not "
	 "running, or not at that address or port",
	 "start the server, or point the client at the host and port where "
	 "it listens",
	 NULL,
	 {{DBL_CLASS_WRONG_PORT,
	   "the server is up but on another port (a container published as "
	   "5433:5432, a second cluster)"},
	  {DBL_CLASS_TCP_DISABLED,
	   "the server runs with TCP off (listen_addresses='', "
	   "skip-networking) and only its socket works"},
	  {DBL_CLASS_LOCALHOST_RESOLUTION,
	   "localhost resolved to ::1 while the server listens on 127.0.0.1 "
	   "only"}}},
	{DBL_CLASS_CONNECTION_REFUSED,
	 "the TCP endpoint refused: inside a container 127.0.0.1 and "
	 "localhost are the container itself, not the database service",
	 "use the database service's name (compose service or container "
	 "name) as the host, or the address where the server listens",
	 "remove skip-networking from the server's option file and restart, "
	 "or connect over the socket",
	 {{DBL_CLASS_SERVER_NOT_RUNNING,
	   "the database container is not up yet or exited"},
	  {DBL_CLASS_WRONG_PORT,
	   "the server listens on another port than the one given"},
	  {DBL_CLASS_SERVER_STARTING,
	   "the entrypoint's temporary server runs without TCP during "
	   "initialisation"}}},
	{DBL_CLASS_LOCALHOST_RESOLUTION,
	 "the name localhost resolved to ::1 first (Node.js 17+, Go, a hosts "
	 "file mapping localhost to ::1) while the server listens on "
	 "127.0.0.1 only",
	 "connect to 127.0.0.1 instead of localhost, or make the server "
	 "listen on ::1 too (listen_addresses = '127.0.0.1,::1' / "
	 "bind-address = 127.0.0.1,::1)",
	 NULL,
	 {{DBL_CLASS_SERVER_NOT_RUNNING,
	   "127.0.0.1 is refused as well: nothing listens at all"},
	  {DBL_CLASS_IPV6_NOT_LISTENING,
	   "the client asked for ::1 explicitly and the server binds IPv4 "
	   "only"},
	  {DBL_CLASS_WRONG_PORT, "the server is up on another port"}}},
	{DBL_CLASS_SOCKET_MISSING,
	 "no socket file at the path the client uses: the server is not "
	 "running, or it puts its socket elsewhere",
	 "find where the server's socket really is and point the client "
	 "there (PGHOST=/dir, socket= under [client]), or start the server",
	 "find the server's socket (SELECT @@socket over TCP) and set "
	 "socket= under [client], or use host 127.0.0.1 to go over TCP",
	 {{DBL_CLASS_SERVER_NOT_RUNNING,
	   "no socket of the engine exists anywhere and TCP is refused too"},
	  {DBL_CLASS_SOCKET_PORT_IGNORED,
	   "a MySQL client took host localhost to mean the socket; the "
	   "server is reachable over TCP (use 127.0.0.1)"},
	  {DBL_CLASS_SOCKET_PERMISSION,
	   "a directory above the socket is not searchable by this user"}}},
	{DBL_CLASS_SOCKET_STALE,
	 "a socket file exists but nothing accepts on it: the server died "
	 "and left it behind",
	 "start the server again (check its log for why it stopped); remove "
	 "the stale file if it is in the way",
	 NULL,
	 {{DBL_CLASS_SERVER_NOT_RUNNING, "the server is not running at all"},
	  {DBL_CLASS_SERVER_STARTING, "the server is restarting right now"},
	  {DBL_CLASS_UNKNOWN, ""}}},
	{DBL_CLASS_SOCKET_PERMISSION,
	 "this OS user may not reach the socket or a directory above it",
	 "add the user to the group that owns the socket's directory, or "
	 "connect over TCP (127.0.0.1)",
	 NULL,
	 {{DBL_CLASS_SOCKET_MISSING, "the path points somewhere else"},
	  {DBL_CLASS_UNKNOWN, ""},
	  {DBL_CLASS_UNKNOWN, ""}}},
	{DBL_CLASS_ACCESS_DENIED,
	 "the server rejected the user name or password",
	 "check the password the application really sends (environment, "
	 ".env, .pgpass, option files); reset it on the server if needed",
	 "check the password the application really sends (environment, "
	 "~/.my.cnf, MYSQL_PWD); reset it with ALTER USER ... IDENTIFIED BY",
	 {{DBL_CLASS_HOST_NOT_ALLOWED,
	   "the account exists only for another client host ('app'@'localhost' "
	   "vs a TCP client seen as 127.0.0.1)"},
	  {DBL_CLASS_TLS_MISMATCH,
	   "MariaDB with require_secure_transport=ON answers 1045 to a client "
	   "without TLS"},
	  {DBL_CLASS_AUTH_METHOD_MISMATCH,
	   "the account authenticates by a method other than a password"}}},
	{DBL_CLASS_HOST_NOT_ALLOWED,
	 "no account or pg_hba.conf rule covers the address the client comes "
	 "from",
	 "add a pg_hba.conf line for the client address (then reload), or "
	 "create the MySQL account for that host with the same grants",
	 "create the account for the client's host with the same grants "
	 "(CREATE USER 'app'@'127.0.0.1' ...; GRANT ...), or connect over the "
	 "socket (host=localhost)",
	 {{DBL_CLASS_TLS_MISMATCH,
	   "pg_hba.conf has only hostssl lines and the client disabled TLS"},
	  {DBL_CLASS_ACCESS_DENIED, "the user does not exist at all"},
	  {DBL_CLASS_AUTH_METHOD_MISMATCH,
	   "the account exists but authenticates by unix_socket"}}},
	{DBL_CLASS_AUTH_METHOD_MISMATCH,
	 "the authentication method works only on another transport or the "
	 "client cannot do it (peer/ident on the socket, unix_socket for "
	 "root, caching_sha2_password or SCRAM in an old driver)",
	 "use an account with password authentication (or log in as the "
	 "matching OS user), or upgrade the driver / change the account's "
	 "plugin",
	 "create a dedicated account with a password (root uses unix_socket: "
	 "sudo mariadb works), or switch the account to "
	 "mysql_native_password / upgrade the driver for caching_sha2_password",
	 {{DBL_CLASS_HOST_NOT_ALLOWED,
	   "MariaDB 1698 for a non-root user from 127.0.0.1: the account "
	   "exists for 'localhost' only"},
	  {DBL_CLASS_ACCESS_DENIED, "the password is simply wrong"},
	  {DBL_CLASS_TLS_MISMATCH,
	   "caching_sha2_password needs TLS or the server's RSA key"}}},
	{DBL_CLASS_DATABASE_MISSING,
	 "authenticated, but the database named does not exist",
	 "create the database (createdb / CREATE DATABASE) or fix its name "
	 "in the connection settings",
	 "use TLS in the client (--ssl, ssl-mode=REQUIRED) when the server has "
	 "require_secure_transport=ON, or connect over the socket",
	 {{DBL_CLASS_ACCESS_DENIED,
	   "MySQL 1044: the user has no privilege on that database, which "
	   "may exist"},
	  {DBL_CLASS_ENDPOINT_MISMATCH,
	   "the client reached another server than the one holding the "
	   "database"},
	  {DBL_CLASS_UNKNOWN, ""}}},
	{DBL_CLASS_TLS_MISMATCH,
	 "one side requires TLS that the other will not or cannot do",
	 "align sslmode / ssl-mode with the server: require TLS in the client "
	 "when the server demands it, or enable ssl on the server",
	 "CREATE DATABASE and GRANT it to the account, or fix the database "
	 "name in the connection settings",
	 {{DBL_CLASS_HOST_NOT_ALLOWED,
	   "pg_hba.conf has no line for this address at all, TLS or not"},
	  {DBL_CLASS_PROTOCOL_MISMATCH, "something else answers on the port"},
	  {DBL_CLASS_UNKNOWN, ""}}},
	{DBL_CLASS_TIMEOUT,
	 "the connection or handshake did not finish in time: a filtered "
	 "port, a proxy with no backend, or an overloaded server",
	 "check what accepts on the port (ss -ltnp) and any firewall; give a "
	 "starting server more time",
	 NULL,
	 {{DBL_CLASS_SERVER_STARTING,
	   "a container's published port accepts before the server inside is "
	   "up"},
	  {DBL_CLASS_PROTOCOL_MISMATCH,
	   "a PostgreSQL server on the MySQL port stays silent the same way"},
	  {DBL_CLASS_HOST_BLOCKED, "the server blocks this host"}}},
	{DBL_CLASS_PROTOCOL_MISMATCH,
	 "something other than the engine asked for answers on that port",
	 "find which program owns the port (ss -ltnp) and use the engine's "
	 "real port",
	 NULL,
	 {{DBL_CLASS_TIMEOUT, "nothing answers at all"},
	  {DBL_CLASS_TLS_MISMATCH, "a TLS-only endpoint"},
	  {DBL_CLASS_UNKNOWN, ""}}},
	{DBL_CLASS_SERVER_STARTING,
	 "the server is up but not accepting connections yet (starting, in "
	 "recovery, shutting down, or an entrypoint's temporary server)",
	 "wait until it is ready (dbloop wait, a compose healthcheck with "
	 "depends_on: condition: service_healthy); if it persists, read the "
	 "server log",
	 NULL,
	 {{DBL_CLASS_SERVER_NOT_RUNNING, "the server crashed and is not "
					 "coming back"},
	  {DBL_CLASS_TOO_MANY_CONNECTIONS,
	   "the server closes new connections at its limit"},
	  {DBL_CLASS_PROTOCOL_MISMATCH, "a proxy or another service closed the "
					"connection"}}},
	{DBL_CLASS_TOO_MANY_CONNECTIONS,
	 "the server's connection limit is reached",
	 "find who holds the connections (pg_stat_activity / SHOW "
	 "PROCESSLIST), fix leaks or pool sizes, or raise max_connections",
	 NULL,
	 {{DBL_CLASS_ACCOUNT_UNUSABLE,
	   "the role's own CONNECTION LIMIT or max_user_connections"},
	  {DBL_CLASS_UNKNOWN, ""},
	  {DBL_CLASS_UNKNOWN, ""}}},
	{DBL_CLASS_HOST_BLOCKED,
	 "the server blocks this client host after too many interrupted "
	 "connection attempts",
	 "run FLUSH HOSTS (mariadb-admin flush-hosts) and raise "
	 "max_connect_errors; fix the health check that aborts handshakes",
	 NULL,
	 {{DBL_CLASS_UNKNOWN, ""},
	  {DBL_CLASS_UNKNOWN, ""},
	  {DBL_CLASS_UNKNOWN, ""}}},
	{DBL_CLASS_ACCOUNT_UNUSABLE,
	 "the account exists but may not log in now: locked, password "
	 "expired, no LOGIN, or at its connection limit",
	 "unlock or renew it (ALTER USER ... ACCOUNT UNLOCK / IDENTIFIED BY; "
	 "ALTER ROLE ... LOGIN / CONNECTION LIMIT -1)",
	 NULL,
	 {{DBL_CLASS_ACCESS_DENIED, "wrong credentials"},
	  {DBL_CLASS_UNKNOWN, ""},
	  {DBL_CLASS_UNKNOWN, ""}}},
	{DBL_CLASS_DNS_FAILURE,
	 "the host name does not resolve (in Docker compose: the service "
	 "name is only known inside the compose network, or the service is "
	 "not up)",
	 "use the right host name: the compose service name from a container "
	 "on the same network, localhost/127.0.0.1 with the published port "
	 "from the host",
	 NULL,
	 {{DBL_CLASS_LOCALHOST_RESOLUTION,
	   "the name is localhost and the hosts file lacks it"},
	  {DBL_CLASS_SERVER_NOT_RUNNING,
	   "the compose service is stopped, so its name is gone"},
	  {DBL_CLASS_UNKNOWN, ""}}},
	{DBL_CLASS_IPV6_NOT_LISTENING,
	 "::1 is not usable: IPv6 is off on the loopback or the server binds "
	 "IPv4 only",
	 "connect to 127.0.0.1, or make the server listen on ::1 too",
	 NULL,
	 {{DBL_CLASS_LOCALHOST_RESOLUTION,
	   "the client used the name localhost"},
	  {DBL_CLASS_SERVER_NOT_RUNNING, "127.0.0.1 is refused too"},
	  {DBL_CLASS_UNKNOWN, ""}}},
	{DBL_CLASS_TCP_DISABLED,
	 "the server accepts on its Unix socket only",
	 "enable TCP (listen_addresses = 'localhost' / remove skip-networking) "
	 "and restart, or connect over the socket",
	 NULL,
	 {{DBL_CLASS_SERVER_NOT_RUNNING, "the socket fails too"},
	  {DBL_CLASS_UNKNOWN, ""},
	  {DBL_CLASS_UNKNOWN, ""}}},
};

static const struct class_text *text_of(enum dbl_class c)
{
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (texts[i].cls == c)
			return &texts[i];
	return NULL;
}

static int guess_engine(const struct scan *s)
{
	if (s->pg == 0 && s->my == 0)
		return -1;
	return s->pg >= s->my ? DBL_ENGINE_POSTGRES : DBL_ENGINE_MYSQL;
}

static int guess_transport(const struct scan *s)
{
	if (s->unix_sock)
		return DBL_TRANSPORT_UNIX;
	if ((s->v6 && s->v4) || (s->localhost && (s->v6 || s->v4)))
		return DBL_TRANSPORT_LOCALHOST;
	if (s->v6)
		return DBL_TRANSPORT_TCP6;
	if (s->v4)
		return DBL_TRANSPORT_TCP4;
	if (s->localhost)
		return DBL_TRANSPORT_LOCALHOST;
	return s->err || s->port ? DBL_TRANSPORT_HOST : -1;
}

/* The dbloop diagnose command that settles it, from what the text gave. */
static char *settle_cmd(const struct scan *s, int engine)
{
	struct dbl_buf b = {0};
	dbl_buf_puts(&b, "dbloop diagnose");
	if (engine >= 0)
		dbl_buf_printf(&b, " -e %s",
			       dbl_engine_name((enum dbl_engine)engine));
	if (s->sock[0])
		dbl_buf_printf(&b, " -S %s", s->sock);
	if (s->port)
		dbl_buf_printf(&b, " -P %d", s->port);
	return dbl_buf_detach(&b);
}

static void sort_hits(struct scan *s)
{
	for (size_t i = 1; i < s->n_hits; i++)
		for (size_t j = i;
		     j > 0 && s->hits[j].weight > s->hits[j - 1].weight; j--) {
			struct hit t = s->hits[j];
			s->hits[j] = s->hits[j - 1];
			s->hits[j - 1] = t;
		}
}

static bool alt_known(const struct dbl_explanation *e, enum dbl_class c)
{
	if (c == e->cls || c == DBL_CLASS_UNKNOWN)
		return true;
	for (size_t i = 0; i < e->n_alts; i++)
		if (e->alts[i].cls == c)
			return true;
	return false;
}

/* An alternative worded for the other engine does not apply. */
static bool other_engine_words(const char *why, int engine)
{
	if (engine == DBL_ENGINE_MYSQL)
		return strstr(why, "pg_hba") ||
		       strstr(why, "PostgreSQL server");
	if (engine == DBL_ENGINE_POSTGRES)
		return strstr(why, "MariaDB") || strstr(why, "MySQL") ||
		       strstr(why, "unix_socket") ||
		       strstr(why, "caching_sha2");
	return false;
}

static void push_alt(struct scan *s, enum dbl_class c, const char *why,
		     int engine)
{
	struct dbl_explanation *e = s->out;
	if (e->n_alts >= DBL_EXPLAIN_MAX_ALT || alt_known(e, c) ||
	    other_engine_words(why, engine))
		return;
	struct dbl_explain_alt *a = &e->alts[e->n_alts];
	a->cls = c;
	a->why = dbl_strdup(why);
	a->settle = settle_cmd(s, engine);
	if (!a->why || !a->settle) {
		free(a->why);
		free(a->settle);
		a->why = a->settle = NULL;
		s->oom = true;
		return;
	}
	e->n_alts++;
}

static double confidence(const struct scan *s)
{
	int top = s->hits[0].weight;
	int second = s->n_hits > 1 ? s->hits[1].weight : 0;
	double c = top >= 100 ? 0.9 : top >= 70 ? 0.75 : top >= 50 ? 0.6 : 0.4;
	if (second * 10 >= top * 8)
		c -= 0.2;
	return c < 0.1 ? 0.1 : c;
}

static void place(struct scan *s)
{
	struct dbl_explanation *e = s->out;
	sort_hits(s);
	e->engine = guess_engine(s);
	e->transport = guess_transport(s);
	if (s->n_hits == 0 || s->hits[0].weight < 15)
		return;
	e->cls = s->hits[0].cls;
	e->confidence = confidence(s);
	const struct class_text *t = text_of(e->cls);
	e->cause = dbl_strdup(t ? t->cause : dbl_class_name(e->cls));
	e->fix = dbl_strdup(!t ? "run dbloop diagnose"
			    : e->engine == DBL_ENGINE_MYSQL && t->fix_my
				    ? t->fix_my
				    : t->fix);
	if (!e->cause || !e->fix)
		s->oom = true;
	/* Other classes the text itself supports come first, then what the
	 * same text is known to arise from. */
	for (size_t i = 1; i < s->n_hits; i++) {
		const struct class_text *at = text_of(s->hits[i].cls);
		push_alt(s, s->hits[i].cls,
			 at ? at->cause : dbl_class_name(s->hits[i].cls),
			 e->engine);
	}
	for (size_t i = 0; t && i < 3; i++)
		if (t->alts[i].why && t->alts[i].why[0])
			push_alt(s, t->alts[i].cls, t->alts[i].why, e->engine);
}

int dbl_explain(const char *text, size_t len, struct dbl_explanation *out)
{
	struct scan s;
	memset(out, 0, sizeof(*out));
	out->cls = DBL_CLASS_UNKNOWN;
	out->engine = out->transport = -1;
	memset(&s, 0, sizeof(s));
	s.out = out;
	s.len = len > SCAN_MAX ? SCAN_MAX : len;
	s.low = malloc(s.len + 1);
	if (!s.low)
		return -DBL_ENOMEM;
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)text[i];
		s.low[i] = c == '\0' ? ' ' : (char)tolower(c);
	}
	s.low[s.len] = '\0';
	engine_hints(&s);
	transport_hints(&s);
	find_errno(&s);
	find_mysql_codes(&s);
	find_states(&s);
	find_prisma(&s);
	find_phrases(&s);
	split_ambiguous(&s);
	weigh_errno(&s);
	place(&s);
	free(s.low);
	if (s.oom) {
		dbl_explanation_release(out);
		return -DBL_ENOMEM;
	}
	return 0;
}

void dbl_explanation_release(struct dbl_explanation *e)
{
	if (!e)
		return;
	free(e->cause);
	free(e->fix);
	for (size_t i = 0; i < e->n_alts; i++) {
		free(e->alts[i].why);
		free(e->alts[i].settle);
	}
	dbl_strlist_release(&e->evidence);
	e->cause = e->fix = NULL;
	e->n_alts = 0;
}
