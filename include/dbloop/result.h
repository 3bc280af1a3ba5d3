/* What one probe (engine x transport) observed: facts only, no class.
 *
 * Fixed-size fields keep a result self-contained: it can be copied, filled
 * by a probe thread and read by the classifier without any ownership
 * questions. Every buffer is written with dbl_strlcpy. */
#ifndef DBLOOP_RESULT_H
#define DBLOOP_RESULT_H

#include <stdbool.h>
#include <stdint.h>

#include "dbloop/common.h"

#define DBL_ADDR_MAX 300 /* "[v6addr]:port" or a socket path (108 + slack) */
#define DBL_MSG_MAX 1024
#define DBL_MAX_ATTEMPTS 8
#define DBL_MAX_SETTINGS 24

/* One address tried during connect, in order. */
struct dbl_attempt {
	char address
		[DBL_ADDR_MAX]; /* "/run/x/.s.PGSQL.5432", "127.0.0.1:5432", "[::1]:5432" */
	int err;		/* errno of the connect, 0 when it connected */
	double elapsed_ms;
};

/* One introspection value read over a working transport. */
struct dbl_setting {
	char name
		[48]; /* "listen_addresses", "@@skip_networking", "current_user" */
	char value[256]; /* as the server printed it */
	bool denied;	 /* the account may not read it: value is empty */
};

/* What the MySQL/MariaDB initial handshake (or error packet) said. */
struct dbl_mysql_greeting {
	bool seen;		  /* a handshake v10 packet was parsed */
	int protocol_version;	  /* 10 */
	char server_version[128]; /* "10.11.6-MariaDB-0+deb12u1" */
	uint32_t connection_id;
	uint32_t capabilities; /* lower and upper capability flags joined */
	bool tls_offered;      /* CLIENT_SSL in capabilities */
	char auth_plugin[64];  /* "mysql_native_password" */
	int error_code; /* an error packet instead of a greeting: 1130, 1040, ... */
	char error_message[256];
};

/* Authentication request codes of the PostgreSQL protocol we name. */
enum dbl_pg_auth {
	DBL_PG_AUTH_NONE = -1, /* no request seen */
	DBL_PG_AUTH_OK = 0,
	DBL_PG_AUTH_CLEARTEXT = 3,
	DBL_PG_AUTH_MD5 = 5,
	DBL_PG_AUTH_GSS = 7,
	DBL_PG_AUTH_SSPI = 9,
	DBL_PG_AUTH_SASL = 10,
};

/* What a PostgreSQL server answered to SSLRequest and StartupMessage. */
struct dbl_pg_greeting {
	char ssl_answer;  /* 'S', 'N', or 0 when not asked / no answer */
	int auth_request; /* enum dbl_pg_auth, or another code the server sent */
	char sasl_mechanisms[128]; /* "SCRAM-SHA-256,SCRAM-SHA-256-PLUS" */
	/* ErrorResponse fields, when the server said no before auth. */
	char severity[16]; /* "FATAL" */
	char sqlstate[6];
	char message[DBL_MSG_MAX];
	char detail[256];
	char hint[256];
	/* SCRAM-SHA-256 server-first-message, asked for with a client-first
	 * that proves nothing: the salt and iteration count of the role's
	 * secret, the same for one role on one server, another on another
	 * server (or the server's mock salt for a role it has no SCRAM
	 * secret for). "" and 0 when not asked or not answered. */
	char scram_salt[64];
	int scram_iterations;
};

struct dbl_result {
	int target_index; /* the target (index into the targets run) probed */
	enum dbl_engine engine;
	enum dbl_transport transport;
	char address[DBL_ADDR_MAX]; /* the endpoint as the report shows it */

	/* Where it stopped: the stage that failed, or the last one done. */
	enum dbl_stage stage;
	bool ok;		  /* reached the deepest stage asked for */
	enum dbl_stage max_stage; /* the deepest stage asked for */
	bool timed_out; /* dbloop's own deadline fired (errno ETIMEDOUT) */

	int sys_errno;	  /* errno of the failing system call, 0 when none */
	int eai_error;	  /* getaddrinfo error (EAI_*), 0 when none */
	char sqlstate[6]; /* "" when none */
	int server_error; /* MySQL server error number, 0 when none */
	int client_error; /* driver error number (MySQL 2002, 2013...), 0 when none */
	int wrapped_error; /* server error wrapped inside a client error (1130 in a TLS 2002) */
	char message
		[DBL_MSG_MAX]; /* the driver's or server's message, copied before close */

	double stage_ms
		[DBL_STAGE__COUNT]; /* elapsed per stage, 0 when not run */
	double elapsed_ms;	    /* the whole probe */

	struct dbl_attempt attempts[DBL_MAX_ATTEMPTS];
	int n_attempts;

	/* greet stage */
	enum dbl_protocol protocol; /* what answered */
	struct dbl_mysql_greeting mysql;
	struct dbl_pg_greeting pg;

	/* auth stage */
	bool tls_used; /* the login ran over TLS */
	char auth_method
		[64]; /* "scram-sha-256", "peer", "unix_socket", ... when known */

	/* What identifies the server reached (empty when unknown). */
	char product[32];   /* "PostgreSQL", "MariaDB", "MySQL" */
	char version[128];  /* "15.18 (Debian 15.18-0+deb12u1)" */
	char instance[160]; /* e.g. "port=5432 pid=1234 data=/var/lib/..." */
	/* Where the start time in instance is derived (MySQL: now minus
	 * uptime, read by each probe at its own moment, so a second apart on
	 * one server): instance without it, and the time, for comparing.
	 * "" and 0 when instance is exact or unknown (and in a report read
	 * back). */
	char instance_key[160];
	long long started_at; /* seconds since the epoch */

	/* The localhost probe did not connect on its own: localhost resolved
	 * first to the address of this transport's probe (tcp4 or tcp6),
	 * which ended ok (or at the deadline) with provably the same
	 * parameters, so its outcome is this probe's (probes/run.c). */
	bool reused;
	enum dbl_transport reused_from;

	/* query stage: read-only introspection */
	struct dbl_setting settings[DBL_MAX_SETTINGS];
	int n_settings;
};

/* Zeroes r and sets the fields that are not zero by default. */
void dbl_result_init(struct dbl_result *r, enum dbl_engine e,
		     enum dbl_transport t, enum dbl_stage max_stage);

/* Looks up an introspection value by name; NULL when absent or denied. */
const char *dbl_result_setting(const struct dbl_result *r, const char *name);

/* Adds an introspection value (copied, truncated to fit). 0, or
 * -DBL_ENOMEM when the table is full. */
int dbl_result_add_setting(struct dbl_result *r, const char *name,
			   const char *value, bool denied);

/* Records one connect attempt; silently drops past DBL_MAX_ATTEMPTS. */
void dbl_result_add_attempt(struct dbl_result *r, const char *address, int err,
			    double elapsed_ms);

#endif
