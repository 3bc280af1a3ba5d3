/* Fixes for what fails once the server answers: connection limits,
 * blocked hosts, passwords, accounts and databases. */
#include <stdlib.h>
#include <string.h>

#include "fixes/fixes_int.h"

void dbl_fix_too_many(struct dbl_fixw *w)
{
	dbl_fix_text(w,
		     "Find who holds the connections (a leak, a pool sized too "
		     "big), or raise max_connections and restart.");
	if (is_pg(w)) {
		dbl_fix_sql(w, "SELECT usename, application_name, state, "
			       "count(*) FROM pg_stat_activity GROUP BY 1, 2, "
			       "3 ORDER BY 4 DESC;");
		dbl_fix_conf_set(w, NULL, dbl_fix_pg_conf_file(w),
				 "max_connections = 200");
	} else {
		dbl_fix_sql(w, "SHOW PROCESSLIST;");
		dbl_fix_sql(w, "SET GLOBAL max_connections = 200;");
		if (dbl_fix_my_server_file(w))
			dbl_fix_my_conf_set(w, NULL, dbl_fix_my_server_file(w),
					    "max_connections = 200");
	}
	if (is_pg(w))
		dbl_fix_apply_server(w, "restart");
}

void dbl_fix_host_blocked(struct dbl_fixw *w)
{
	dbl_fix_text(
		w,
		"Flush the server's host cache and raise max_connect_errors; "
		"health checks that close during the handshake (--stage "
		"greet) count as errors.");
	dbl_fix_root_cmd(w, "mariadb-admin flush-hosts");
	dbl_fix_sql(w, "SET GLOBAL max_connect_errors = 10000;");
}

void dbl_fix_access_denied(struct dbl_fixw *w)
{
	const char *u = user_or(w, "USER");
	if (!is_pg(w) && dbl_fix_any_message_has(w, "to database")) {
		dbl_fix_text(
			w,
			"'%s' has no privilege on database '%s' (or it does "
			"not exist): grant it, or create the database.",
			u, dbl_fix_db_or(w, "DB"));
		dbl_fix_sql(w, "SHOW DATABASES;");
		dbl_fix_sql(w,
			    "GRANT ALL PRIVILEGES ON %B.* TO %M@'localhost';",
			    dbl_fix_db_or(w, "DB"), u);
		return;
	}
	dbl_fix_text(w,
		     "Check the password the client sends for '%s'; reset it "
		     "on the server if needed.",
		     u);
	if (is_pg(w)) {
		dbl_fix_sql(w, "ALTER ROLE %I PASSWORD '<new password>';", u);
		const struct dbl_pgpass_facts *pp = &w->d->f->pgpass;
		if (pp->file && pp->ignored) {
			dbl_fix_text(
				w,
				"libpq ignores %s: its mode %03o is too open.",
				pp->file, (unsigned)pp->mode);
			dbl_fix_cmd(w, "chmod 0600 %q", pp->file);
		}
	} else {
		dbl_fix_sql(w,
			    "ALTER USER %M@'localhost' IDENTIFIED BY '<new "
			    "password>';",
			    u);
	}
}

void dbl_fix_account_unusable(struct dbl_fixw *w)
{
	const char *u = user_or(w, "USER");
	dbl_fix_text(w,
		     "The account '%s' is locked, expired, without LOGIN or at "
		     "its connection limit: unlock or renew it.",
		     u);
	if (is_pg(w)) {
		dbl_fix_sql(w, "ALTER ROLE %I LOGIN CONNECTION LIMIT -1;", u);
		return;
	}
	dbl_fix_sql(w, "ALTER USER %M@'localhost' ACCOUNT UNLOCK;", u);
	dbl_fix_sql(w,
		    "ALTER USER %M@'localhost' IDENTIFIED BY '<new password>';",
		    u);
}

void dbl_fix_database_missing(struct dbl_fixw *w)
{
	const char *db = dbl_fix_db_or(w, "DB"), *u = user_or(w, "USER");
	dbl_fix_text(w,
		     "Create the database '%s' (or fix the name the client "
		     "uses).",
		     db);
	if (is_pg(w)) {
		dbl_fix_sql(w, "CREATE DATABASE %I OWNER %I;", db, u);
	} else {
		/* Plain SQL lines (run as root: sudo mariadb), like the
		 * other account steps. */
		dbl_fix_sql(w, "CREATE DATABASE %B;", db);
		dbl_fix_sql(w, "GRANT ALL ON %B.* TO %M@'localhost';", db, u);
	}
}
