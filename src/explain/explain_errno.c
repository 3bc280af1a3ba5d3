/* dbloop explain: the errno behind a message, in every spelling clients
 * print it — Node/Go/Python names, strerror texts and their glibc and
 * Windows translations, the numbers MySQL prints in parentheses or after
 * "system error:", Python's [Errno N], Node's errno: -N, Winsock's 100xx —
 * and what that errno means given where it happened. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbloop/codes.h"
#include "explain/explain_int.h"

#define E_CLOSED (-1) /* the peer closed without an error: "system error: 0" */

struct errno_word {
	const char *word;
	int err;
};

/* The English names and strerror texts come from the code table
 * (dbloop/codes.h); these are the glibc and Windows translations. */
static const struct errno_word errno_words[] = {
	{"actively refused", 111},
	{"refused. check that the hostname and port", 111}, /* PgJDBC */
	{"verbindungsaufbau abgelehnt", 111},
	{"connexion refusée", 111},
	{"conexión rehusada", 111},
	{"conexão recusada", 111},
	{"connessione rifiutata", 111},
	{"соединении отказано", 111},
	{"接続を拒否", 111},
	{"拒绝连接", 111},
	{"连接被拒绝", 111}, /* PgJDBC's zh_CN: "与 host:port 的连接被拒绝" */
	{"积极拒绝", 111},
	{"verbinding geweigerd", 111},
	{"połączenie odrzucone", 111},
	{"datei oder verzeichnis nicht gefunden", 2},
	{"aucun fichier ou dossier", 2},
	{"no existe el archivo", 2},
	{"no existe el fichero", 2},
	{"arquivo ou diretório inexistente", 2},
	{"file o directory non esistente", 2},
	{"нет такого файла", 2},
	{"そのようなファイルやディレクトリはありません", 2},
	{"没有那个文件或目录", 2},
	{"keine berechtigung", 13},
	{"permission non accordée", 13},
	{"permiso denegado", 13},
	{"отказано в доступе", 13},
	{"权限不够", 13},
	/* Java's SocketException, without "by peer" */
	{"connection reset", 104},
	/* Winsock's text for WSAECONNRESET (10054), as Go and .NET print it
	 * on Windows ("wsarecv: An existing connection was forcibly closed
	 * by the remote host") */
	{"connection was forcibly closed by the remote host", 104},
	/* Winsock's text for WSAETIMEDOUT (10060), as .NET, Go and PHP
	 * print it on Windows */
	{"did not properly respond after a period of time", 110},
	/* musl's and the BSDs' strerror for EHOSTUNREACH (glibc's is "No
	 * route to host"), as Alpine images print it */
	{"host is unreachable", 113},
	/* MariaDB Connector/J: the greeting's read met the end of the
	 * stream ("unexpected end of stream, read 0 bytes from 4 (socket was
	 * closed by server)") */
	{"socket was closed by server", E_CLOSED},
	{"unexpected end of stream", E_CLOSED},
	{"timed out", 110},
	{"timeout expired", 110},
	{"i/o timeout", 110},
	{"wartezeit für die verbindung", 110},
	{"délai d'attente", 110},
	{"время ожидания", 110},
};

struct errno_spelling {
	const char *name; /* "ECONNREFUSED" */
	const char *text; /* strerror, lower case; "" none */
	int err;
};

#define X(e, text) {#e, text, e},
static const struct errno_spelling spellings[] = {DBL_ERRNO_MAP(X)};
#undef X

/* Winsock and BSD/macOS numbers to Linux ones; EINPROGRESS (115, macOS'
 * 36) is how MariaDB reports a refused non-blocking connect. */
static int linux_errno(int n)
{
	static const int map[][2] = {
		{10061, 111}, {10060, 110}, {10054, 104}, {10065, 113},
		{10013, 13},  {10049, 99},  {115, 111},	  {36, 111},
		{61, 111},    {60, 110},    {54, 104},	  {65, 113},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i][0] == n)
			return map[i][1];
	return n;
}

/* "system error: N" (MySQL 2013): 0 is a close without error, EAGAIN a
 * receive timeout. */
static int system_error(const struct dbl_xscan *s)
{
	const char *p = strstr(s->low, "system error");
	if (!p)
		return 0;
	p += 12;
	while (*p == ':' || *p == ' ')
		p++;
	if (!isdigit((unsigned char)*p))
		return 0;
	int n = atoi(p);
	/* the errno of a read on a connected socket: ENOENT there names no
	 * path (a stale errno, as proxies leave it) */
	if (n == 2)
		return 0;
	return n == 0 ? E_CLOSED : n == 11 ? 110 : n;
}

/* Python's [Errno N] / [WinError N], .NET's SocketException (N), Rust's
 * os error N, Node's errno: -N, MySQL's "' (N".
 * A negative Python number is a resolver code (EAI_*); so are Node's
 * -3008 and the number after a 2005 "Unknown ... host". */
static int number_errno(struct dbl_xscan *s)
{
	const char *p = strstr(s->low, "[errno ");
	if (!p)
		p = strstr(s->low, "[winerror ");
	if (p) {
		int n = atoi(strchr(p, ' ') + 1);
		s->eai = s->eai || n < 0;
		return n < 0 ? 0 : n;
	}
	/* .NET's SocketException (10061) / (111), Rust's "(os error 111)"
	 * and io::Error's Debug form "Os { code: 111, kind: ... }" */
	static const char *const forms[] = {"socketexception (", "os error ",
					    "os { code: "};
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		if ((p = strstr(s->low, forms[i])) != NULL &&
		    isdigit((unsigned char)p[strlen(forms[i])]))
			return atoi(p + strlen(forms[i]));
	if ((p = strstr(s->low, "errno: -")) != NULL) {
		int n = atoi(p + 8);
		s->eai = s->eai || n == 3008 || n == 3007;
		return n == 4078 ? 111 : n == 4039 ? 110 : n;
	}
	if (dbl_xhas(s, "unknown mysql server host") ||
	    dbl_xhas(s, "unknown server host"))
		return 0;
	for (p = s->low; (p = strstr(p, "' (")) != NULL; p += 3)
		if (isdigit((unsigned char)p[3])) {
			s->mysql_errno = true;
			return atoi(p + 3);
		}
	return system_error(s);
}

static const char *errno_name(int err)
{
	switch (err) {
	case 1:
		return "errno EPERM";
	case 111:
		return "errno ECONNREFUSED";
	case 2:
		return "errno ENOENT";
	case 20:
		return "errno ENOTDIR";
	case 13:
		return "errno EACCES";
	case 110:
		return "errno ETIMEDOUT";
	case 99:
		return "errno EADDRNOTAVAIL";
	case 104:
		return "errno ECONNRESET";
	case 101:
		return "errno ENETUNREACH";
	case 113:
		return "errno EHOSTUNREACH";
	case E_CLOSED:
		return "connection closed by the server";
	default:
		return NULL;
	}
}

/* ENOENT about a client plugin's shared library is not about the server. */
static bool library_context(const struct dbl_xscan *s)
{
	return dbl_xhas(s, "shared librar") || dbl_xhas(s, "shared object") ||
	       dbl_xhas(s, "could not be loaded") ||
	       dbl_xhas(s, "cannot be loaded");
}

/* err when its name or strerror text is in the text, else 0 */
static int spelled(const struct dbl_xscan *s, int err)
{
	for (size_t i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
		if (spellings[i].err != err)
			continue;
		char low[32];
		size_t n = strlen(spellings[i].name);
		for (size_t k = 0; k <= n && k < sizeof(low); k++)
			low[k] = (char)tolower(
				(unsigned char)spellings[i].name[k]);
		if (dbl_xhas_word(s, low) ||
		    (spellings[i].text[0] &&
		     dbl_xhas_word(s, spellings[i].text)))
			return err;
	}
	return 0;
}

/* Whether the n bytes at p are an endpoint: host:port, [v6]:port. */
static bool endpoint_at(const char *p, size_t n)
{
	const char *colon = NULL;
	for (size_t i = 0; i < n; i++)
		if (p[i] == ':')
			colon = p + i;
	if (!colon || colon == p || (size_t)(colon - p) + 1 >= n)
		return false;
	for (const char *d = colon + 1; d < p + n; d++)
		if (!isdigit((unsigned char)*d))
			return false;
	return true;
}

/* PgJDBC's "Connection to HOST:PORT refused", however the sentence after
 * it goes on: the refusal of a TCP connect. */
static bool jdbc_refused(const struct dbl_xscan *s)
{
	for (const char *p = s->low; (p = strstr(p, "connection to ")) != NULL;
	     p++) {
		const char *h = p + 14;
		size_t n = strcspn(h, " \t\r\n");
		if (n > 0 && n < 100 && endpoint_at(h, n) &&
		    strncmp(h + n, " refused", 8) == 0)
			return true;
	}
	return false;
}

/* An errno of the client's own side, where connect() was refused by the
 * client's kernel, not by a server: a bad address or socket argument,
 * every local port or descriptor taken, no buffers (Winsock's 10022,
 * 10048, 10024 and 10055 as well). */
static bool local_errno(int n)
{
	switch (n) {
	case EINVAL:
	case EADDRINUSE:
	case EMFILE:
	case ENFILE:
	case ENOBUFS:
	case 10022:
	case 10048:
	case 10024:
	case 10055:
		return true;
	default:
		return false;
	}
}

/* The same in words: glibc's strerror texts, Winsock's (English and
 * French, as PDO on Windows prints them). */
static bool local_errno_words(const struct dbl_xscan *s)
{
	static const char *const words[] = {
		"invalid argument",
		"address already in use",
		"too many open files",
		"no buffer space available",
		"only one usage of each socket address",
		"une seule utilisation de chaque adresse de socket",
	};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (dbl_xhas(s, words[i]))
			return true;
	return false;
}

void dbl_xscan_errno(struct dbl_xscan *s)
{
	/* the errnos explain weighs, most telling first */
	static const int order[] = {ECONNREFUSED, ENOENT,	 EACCES,
				    ETIMEDOUT,	  EADDRNOTAVAIL, EHOSTUNREACH,
				    ENETUNREACH,  ECONNRESET,	 ENOTDIR};
	int n = linux_errno(number_errno(s));
	/* EPERM only where a socket file was opened: MySQL's "through socket
	 * '...' (1)" (a sandbox or a mode that lets the user not connect);
	 * a 1 elsewhere is as likely a count as an errno */
	if (n == 1 && !s->unix_sock)
		n = 0;
	/* EINTR on a TCP connect: libmysqlclient's connect_timeout alarm
	 * (or another signal) cut the connect short, "Can't connect to MySQL
	 * server on 'H' (4)": a connect that did not finish in time */
	if (n == 4 && !s->unix_sock)
		n = ETIMEDOUT;
	/* Winsock's WSAHOST_NOT_FOUND and WSANO_DATA: a lookup that failed
	 * ("Unknown MySQL server host 'h' (11001)", "'localhost'(11001)") */
	if (dbl_xhas(s, "(11001)") || dbl_xhas(s, "(11004)"))
		s->eai = true;
	if (errno_name(n))
		s->err = n;
	else if (local_errno(n))
		s->never_connected = true;
	/* MySQL's "... '/tmp/mysql.sock' (95)": an errno in its place that
	 * none of connect()'s explain reads (Solaris' ENOTSOCK, Linux's
	 * EOPNOTSUPP): the code's usual cause is not what happened */
	else if (n > 0 && s->mysql_errno && !s->eai)
		s->never_connected = true;
	for (size_t i = 0; !s->err && i < sizeof(order) / sizeof(order[0]); i++)
		s->err = spelled(s, order[i]);
	for (size_t i = 0;
	     !s->err && i < sizeof(errno_words) / sizeof(errno_words[0]); i++)
		if (dbl_xhas(s, errno_words[i].word))
			s->err = errno_words[i].err;
	if (!s->err && jdbc_refused(s))
		s->err = 111;
	if (!s->err && (local_errno_words(s) ||
			dbl_xhas(s, "trying to connect via (null)")))
		s->never_connected = true;
	if (s->err == 13 && dbl_xhas(s, "permission denied for ") &&
	    !dbl_xhas(s, "socket"))
		s->err = 0; /* a missing privilege (CONNECT on a database) */
	if (s->err == 2 && library_context(s))
		s->err = 0;
	/* Go's resolver: "dial tcp: lookup db on 127.0.0.11:53: read udp
	 * ...: connection refused" is the DNS server's refusal, or its
	 * timeout; the name did not resolve, the database was never tried */
	if (dbl_xhas(s, "dial tcp: lookup ") ||
	    dbl_xhas(s, "dial udp: lookup ")) {
		s->err = 0;
		s->eai = true;
	}
	if (s->err == 2 && dbl_xhas(s, "getaddrinfo enoent")) {
		s->err = 0; /* old Node's name for a failed lookup */
		s->eai = true;
	}
	if (s->err == 2)
		s->unix_sock = true; /* connect() says ENOENT only for a path */
	if (s->err == E_CLOSED) {
		s->closed = true;
		s->err = 0;
		dbl_xevidence(s, errno_name(E_CLOSED));
	} else if (s->err) {
		dbl_xevidence(s, errno_name(s->err));
		const char *nm = errno_name(s->err);
		const char *sp = nm ? strrchr(nm, ' ') : NULL;
		dbl_xtoken(s, DBL_XTOK_ERRNO, s->err, sp ? sp + 1 : nm);
	}
	if (s->eai)
		dbl_xevidence(s, "resolver error (EAI_NONAME/EAI_AGAIN)");
}

/* A refused TCP connect: which pattern the addresses in the text show. */
static void weigh_refused_tcp(struct dbl_xscan *s)
{
	bool named = s->host[0] && !dbl_xloopback(s->host);
	/* a name of one label ('db', 'postgres', 'mysql'): a compose or
	 * Kubernetes service, whose server may not be up yet */
	bool service = named && !strpbrk(s->host, ".:[");
	/* port 0 is no server's: the client's port setting was empty or
	 * did not parse (Go's "dial tcp :0:", libpq's "port 0 failed") */
	if (dbl_xhas(s, ":0: connect") || dbl_xhas(s, "port 0 failed"))
		dbl_xadd(s, DBL_CLASS_WRONG_PORT, 40);
	if (s->v6 && !s->v4 && !named) {
		/* ::1 refused proves the refusal; the IPv6 causes lead the
		 * alternatives */
		dbl_xadd(s, DBL_CLASS_CONNECTION_REFUSED, 90);
		dbl_xadd(s, DBL_CLASS_LOCALHOST_RESOLUTION, 45);
		if (s->container)
			dbl_xadd(s, DBL_CLASS_ENDPOINT_MISMATCH, 40);
		dbl_xadd(s, DBL_CLASS_IPV6_NOT_LISTENING, 35);
	} else if ((s->container || named) && !s->v6 && !s->v4) {
		dbl_xadd(s, DBL_CLASS_CONNECTION_REFUSED, 90);
		dbl_xadd(s, DBL_CLASS_SERVER_NOT_RUNNING, 45);
		if (s->container || service)
			dbl_xadd(s, DBL_CLASS_SERVER_STARTING, 20);
	} else {
		/* the text proves only that the endpoint refused; the causes
		 * are alternatives, the IPv6/localhost ones first when the
		 * text names localhost or ::1 */
		dbl_xadd(s, DBL_CLASS_CONNECTION_REFUSED, 90);
		/* a loopback address from inside a container is the container
		 * itself, not the host or the database's container */
		if (s->container && !named)
			dbl_xadd(s, DBL_CLASS_ENDPOINT_MISMATCH, 40);
		/* a port from Docker's range for published ports left to it
		 * (Testcontainers', a compose file's "5432" without a host
		 * side) refused on the loopback: the container behind it is
		 * not up yet, or no longer (threads15) */
		if (!named && s->port >= 32768)
			dbl_xadd(s, DBL_CLASS_SERVER_STARTING, 15);
		/* 127.0.0.1 refused, beside ::1 or not: the IPv4 loopback was
		 * tried and refused too, so the IPv6 causes explain nothing */
		if ((s->v6 || s->localhost) && !s->v4) {
			/* the name alone: it may have resolved to ::1 */
			if (s->v6)
				dbl_xadd(s, DBL_CLASS_IPV6_NOT_LISTENING, 14);
			dbl_xadd(s, DBL_CLASS_LOCALHOST_RESOLUTION, 13);
		}
	}
}

static void weigh_closed(struct dbl_xscan *s)
{
	/* accepted, then closed before the greeting: a published container
	 * port with no server behind it yet, or a proxy */
	dbl_xadd(s, DBL_CLASS_SERVER_STARTING, 30);
	dbl_xadd(s, DBL_CLASS_TIMEOUT, 25);
	dbl_xadd(s, DBL_CLASS_PROTOCOL_MISMATCH, 10);
}

void dbl_xweigh_errno(struct dbl_xscan *s)
{
	if (s->closed)
		weigh_closed(s);
	if (s->eai)
		dbl_xadd(s, DBL_CLASS_DNS_FAILURE, 90);
	switch (s->err) {
	case 111:
		if (s->unix_sock)
			dbl_xadd(s, DBL_CLASS_SOCKET_STALE, 70);
		else
			weigh_refused_tcp(s);
		break;
	case 2:
		dbl_xadd(s, DBL_CLASS_SOCKET_MISSING, 70);
		dbl_xadd(s, DBL_CLASS_SERVER_NOT_RUNNING, 45);
		break;
	case 20:
		/* a part of the socket's path is a file: the path is wrong
		 * (the socket given where its directory belongs) */
		dbl_xadd(s, DBL_CLASS_SOCKET_MISSING, 70);
		break;
	case 13:
	case 1:
		dbl_xadd(s, DBL_CLASS_SOCKET_PERMISSION, 70);
		break;
	case 110:
		dbl_xadd(s, DBL_CLASS_TIMEOUT, 70);
		break;
	case 99:
		/* the local address cannot be assigned: ::1 on a loopback
		 * without IPv6, also where the name localhost went to ::1
		 * first (no IPv4 address in the text) */
		if ((s->v6 || s->localhost) && !s->v4) {
			dbl_xadd(s, DBL_CLASS_IPV6_NOT_LISTENING, 55);
			if (s->localhost)
				dbl_xadd(s, DBL_CLASS_LOCALHOST_RESOLUTION, 40);
		} else {
			dbl_xadd(s, DBL_CLASS_CONNECTION_REFUSED, 55);
		}
		break;
	case 113:
	case 101:
		dbl_xadd(s, DBL_CLASS_TIMEOUT, 40);
		dbl_xadd(s, DBL_CLASS_CONNECTION_REFUSED, 15);
		break;
	case 104:
		/* reset during the handshake: another protocol or TLS on the
		 * port, or a published container port with no server behind
		 * it yet (Docker's proxy resets) */
		dbl_xadd(s, DBL_CLASS_PROTOCOL_MISMATCH, 20);
		dbl_xadd(s, DBL_CLASS_SERVER_STARTING, 18);
		dbl_xadd(s, DBL_CLASS_TLS_MISMATCH, 15);
		break;
	default:
		break;
	}
}
