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

/* Steps: each appends one typed step to the finding (fd->steps) and its
 * flat string to fd->commands, and sets w->oom when out of memory.
 * Templates are dbl_qfmt formats (util/quote.h): the only directives are
 * %d and the quoters (%q shell word, %L/%I PostgreSQL literal/identifier,
 * %M/%B MySQL literal/identifier, %U/%P/%H URL parts, %K conninfo value);
 * there is no %s, so every value is quoted for its language
 * (tests/unit/test_quote.c checks each template). */

/* A shell command; it needs root when it starts with "sudo ". */
void dbl_fix_cmd(struct dbl_fixw *w, const char *fmt, ...);
/* A shell command that needs root: "sudo " in front unless dbloop runs
 * as root. */
void dbl_fix_root_cmd(struct dbl_fixw *w, const char *fmt, ...);
/* Whether dbloop runs as root (no sudo needed). */
bool dbl_fix_root(const struct dbl_fixw *w);

/* A SQL statement for the target's engine, run as its superuser
 * (postgres, root) through the client that logs in as that account on
 * the server the probes reached. */
void dbl_fix_sql(struct dbl_fixw *w, const char *fmt, ...);

/* The same for a statement already built (s is taken). */
void dbl_fix_sql_text(struct dbl_fixw *w, char *s);

/* A listener of the target's engine whose server command line holds
 * needle ("skip-networking"), NULL when none is readable. */
const struct dbl_listener *dbl_fix_server_cmdline(const struct dbl_fixw *w,
						  const char *needle);

/* A connection URL or libpq conninfo string for the client. */
void dbl_fix_url(struct dbl_fixw *w, const char *fmt, ...);

/* A variable of the client's environment: export NAME=VALUE (quoted), or
 * unset NAME when value is NULL. A name that is not a shell name is left
 * out. */
void dbl_fix_env(struct dbl_fixw *w, const char *name, const char *value);

/* A line of a configuration file: file (NULL: not known), line (for
 * replace, insert_after, comment_out), the MySQL option group an appended
 * line goes under, the text and a note on where ("before any reject
 * line"). Refused with a note in the fix when text, file or group could
 * not stand in a config line; the caller has checked the values it put
 * into text with dbl_q_conf_ok. */
void dbl_fix_conf(struct dbl_fixw *w, const char *file, int line,
		  enum dbl_conf_action action, const char *group,
		  const char *text, const char *note);

/* pg_hba rule h with its method changed to `to`, as a config step that
 * replaces its line; refused when a field is not a plain word. */
void dbl_fix_hba_method(struct dbl_fixw *w, const struct dbl_hba_rule *h,
			const char *to);

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

/* The change of a client setting at the source it came from (the
 * target's origin of set): an environment variable is exported with
 * value (unset when value is NULL: the default is right), an option or
 * service file line becomes key=value (commented out when NULL), and a
 * command-line option or URL is named in the text. 1 when a step was
 * written there, 2 when only the text names the source, 0 when the
 * setting is the default. */
int dbl_fix_client_setting(struct dbl_fixw *w, enum dbl_target_setting set,
			   const char *key, const char *value);

/* A DSN that points the client at port. */
void dbl_fix_dsn_url(struct dbl_fixw *w, int port);

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

/* A container is involved here (see fixes_server.c). */
bool dbl_fix_container_involved(const struct dbl_fixw *w);

/* The MySQL option file a server line goes into; NULL when none known. */
const char *dbl_fix_my_server_file(const struct dbl_fixw *w);

/* The MySQL service's name here (systemd unit or SysV script), NULL when
 * none is installed. */
const char *dbl_fix_my_service(const struct dbl_fixw *w);

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
