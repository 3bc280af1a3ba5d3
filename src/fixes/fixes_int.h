/* Private to the fixes_*.c files: the finding being written, the writers
 * of its fix text and commands, and the fixer of each class. fixes.c picks
 * the fixer; fixes_server.c knows where the server's configuration lives
 * and how to apply it; the other files hold the fixers, by what they
 * repair (reaching the server, its socket, logging in) or by engine where
 * the two engines need different repairs. */
#ifndef DBLOOP_FIXES_INT_H
#define DBLOOP_FIXES_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "fixes/fixes.h"
#include "util/quote.h"

/* The finding being written and its target. */
struct dbl_fixw {
	struct dbl_finding *fd;
	const struct dbl_diag *d;
	bool oom;
	char named_db[128]; /* the database a message named */
};

/* ---- writers (fixes.c) ------------------------------------------------ */

/* Appends a sentence to the fix; sets w->oom when out of memory. */
void dbl_fix_text(struct dbl_fixw *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Appends a ready-to-paste command built by dbl_qfmt (util/quote.h): the
 * template's only directives are %d and the quoters (%q shell word, %L/%I
 * PostgreSQL literal/identifier, %M/%B MySQL literal/identifier); there is
 * no %s, so every value is quoted for its language (tests/unit/test_quote.c
 * checks each template). Sets w->oom when out of memory. */
void dbl_fix_cmd(struct dbl_fixw *w, const char *fmt, ...);

/* A shell command that runs SQL: runner (a fixed command such as
 * "sudo mariadb -e") and the statement built by dbl_qfmt from sqlfmt,
 * passed as one shell word. */
void dbl_fix_cmd_sql(struct dbl_fixw *w, const char *runner, const char *sqlfmt,
		     ...);

/* sudo (when asked) sed -i SCRIPT FILE, both shell-quoted; the caller has
 * checked every value in script with dbl_q_conf_ok (or refused). */
void dbl_fix_sed(struct dbl_fixw *w, bool sudo, const char *script,
		 const char *file);

/* A config step: line (its values checked with dbl_q_conf_ok by the
 * caller) written as "LINE   # in FILE, WHERE"; refused with a note when
 * line or file could not stand in a config line. */
void dbl_fix_config(struct dbl_fixw *w, const char *line, const char *file,
		    const char *where);

/* A config line with no file known: "LINE   # COMMENT". */
void dbl_fix_bare(struct dbl_fixw *w, const char *line, const char *comment);

/* sudo sed -i 'Ns/FROM/TO/' FILE for a pg_hba method; refused when a
 * method is not a plain word. */
void dbl_fix_hba_method(struct dbl_fixw *w, int line, const char *from,
			const char *to, const char *file);

/* Says in the fix text that a step is left out because what (a value
 * named by kind) cannot be written safely into a config line. */
void dbl_fix_refuse(struct dbl_fixw *w, const char *kind, const char *what);

static inline bool is_pg(const struct dbl_fixw *w)
{
	return w->d->t->engine == DBL_ENGINE_POSTGRES;
}

static inline const char *user_or(const struct dbl_fixw *w, const char *dflt)
{
	return w->d->t->user ? w->d->t->user : dflt;
}

/* The database: the one a covered probe's message named for the classes
 * where the server says which, else the target's, else dflt. The result
 * may point into w. */
const char *dbl_fix_db_or(struct dbl_fixw *w, const char *dflt);

/* Whether the message of some probe the finding covers contains needle. */
bool dbl_fix_any_message_has(const struct dbl_fixw *w, const char *needle);

/* The MySQL account ('user'@'host') the first covered probe's message
 * names; user and host are left as they were when none names one. */
void dbl_fix_msg_account(const struct dbl_fixw *w, char *user, size_t ulen,
			 char *host, size_t hlen);

/* A variable and a DSN that point the client at port. */
void dbl_fix_dsn_port(struct dbl_fixw *w, int port);

/* ---- the server's configuration and service (fixes_server.c) ---------- */

/* The server's own word (read over a working transport) first, then what
 * discovery read; NULL when neither is known. */
const char *dbl_fix_pg_conf_file(const struct dbl_fixw *w);
const char *dbl_fix_pg_hba_file(const struct dbl_fixw *w);
const char *dbl_fix_pg_data_dir(const struct dbl_fixw *w);

/* A "FILE line N" source, unless FILE is not the server's own file. */
const char *dbl_fix_pg_source(const struct dbl_fixw *w, const char *source);

/* Debian's cluster unit (postgresql@15-main) from the config file path. */
bool dbl_fix_pg_unit(const struct dbl_fixw *w, char *out, size_t len);

bool dbl_fix_is_mariadb(const struct dbl_fixw *w);

/* Commands that start, restart or reload (verb) the server. */
void dbl_fix_apply_server(struct dbl_fixw *w, const char *verb);

/* The option file discovery read belongs to the server reached. */
bool dbl_fix_my_conf_applies(const struct dbl_fixw *w);

/* A command that puts line into a PostgreSQL config file (conf_set) or
 * under [mysqld] in a MySQL option file (my_conf_set): replacing the line
 * source names, else appending to file, else the bare line. */
void dbl_fix_conf_set(struct dbl_fixw *w, const char *source, const char *file,
		      const char *line);
void dbl_fix_my_conf_set(struct dbl_fixw *w, const char *source,
			 const char *file, const char *line);

/* Says which fact would name the exact file and line. */
void dbl_fix_no_conf_note(struct dbl_fixw *w);

/* ---- fixers, one per class (and engine) ------------------------------- */

/* fixes_reach.c: is the server running, where it listens */
void dbl_fix_not_running(struct dbl_fixw *w);
void dbl_fix_starting(struct dbl_fixw *w);
void dbl_fix_wrong_port(struct dbl_fixw *w);
void dbl_fix_ipv6(struct dbl_fixw *w);
void dbl_fix_ipv4(struct dbl_fixw *w);
void dbl_fix_localhost(struct dbl_fixw *w);
void dbl_fix_endpoint(struct dbl_fixw *w);
void dbl_fix_protocol(struct dbl_fixw *w);
void dbl_fix_timeout(struct dbl_fixw *w);
void dbl_fix_dns(struct dbl_fixw *w);
void dbl_fix_refused(struct dbl_fixw *w);

/* fixes_socket.c: the Unix socket */
void dbl_fix_socket_stale(struct dbl_fixw *w);
void dbl_fix_socket_missing(struct dbl_fixw *w);
void dbl_fix_socket_permission(struct dbl_fixw *w);
void dbl_fix_port_ignored(struct dbl_fixw *w);

/* fixes_login.c: accounts, databases, connection limits */
void dbl_fix_too_many(struct dbl_fixw *w);
void dbl_fix_host_blocked(struct dbl_fixw *w);
void dbl_fix_access_denied(struct dbl_fixw *w);
void dbl_fix_account_unusable(struct dbl_fixw *w);
void dbl_fix_database_missing(struct dbl_fixw *w);

/* fixes_split.c: credentials right on one transport, refused on another
 * (classify/split.c). True when it wrote the fix of w's finding. */
bool dbl_fix_split(struct dbl_fixw *w);

/* fixes_pg.c and fixes_mysql.c: where the engines differ */
void dbl_fix_tcp_disabled_pg(struct dbl_fixw *w);
void dbl_fix_host_not_allowed_pg(struct dbl_fixw *w);
void dbl_fix_tls_pg(struct dbl_fixw *w);
void dbl_fix_auth_method_pg(struct dbl_fixw *w);
void dbl_fix_tcp_disabled_my(struct dbl_fixw *w);
void dbl_fix_host_not_allowed_my(struct dbl_fixw *w);
void dbl_fix_tls_my(struct dbl_fixw *w);
void dbl_fix_auth_method_my(struct dbl_fixw *w);

#endif
