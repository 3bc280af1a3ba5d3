/* dbloop explain: places an error message pasted from a log or ticket. */
#ifndef DBLOOP_EXPLAIN_H
#define DBLOOP_EXPLAIN_H

#include <stddef.h>

#include "dbloop/clients.h"
#include "dbloop/common.h"
#include "dbloop/util.h"

#define DBL_EXPLAIN_MAX_ALT 4
#define DBL_EXPLAIN_MAX_TOKENS 12
#define DBL_EXPLAIN_MAX_LINES 16

/* A token that decided: a code in the position its syntax gives it, or,
 * where no code is present, a phrase. */
enum dbl_xtok_kind {
	DBL_XTOK_MYSQL_ERROR, /* value: the number */
	DBL_XTOK_SQLSTATE,    /* text: "28P01" */
	DBL_XTOK_ERRNO,	      /* value: Linux number, text: "ECONNREFUSED" */
	DBL_XTOK_PRISMA,      /* text: "P1001" */
	DBL_XTOK_PHRASE,      /* text: the phrase, lower case */
};

struct dbl_explain_token {
	enum dbl_xtok_kind kind;
	int value;
	char text[64];
};

/* One line of a pasted log that alone places as an error. */
struct dbl_explain_line {
	size_t number; /* 1-based */
	enum dbl_class cls;
	char text[241]; /* cleaned, cut at 240 (on a UTF-8 boundary) */
};

struct dbl_explain_alt {
	enum dbl_class cls;
	char *why;    /* what tells it apart */
	char *settle; /* the dbloop diagnose command that settles it */
};

/* The app's driver, when the text or --client names it, and what that
 * driver makes of the host in the message: a row of the driver table
 * planned as dbloop diagnose --client plans it (src/explain/
 * explain_client.c). */
struct dbl_explain_client {
	bool found;
	char named[32];	   /* the driver the text names: the row's name, or
			   "jdbc-mysql" (not in the table: path is its
			   nearest verified row's) */
	char driver[64];   /* the named driver ("MySQL Connector/J") */
	char by[64];	   /* "--client", or the marker seen in the text */
	bool host_in_text; /* path.host is the message's; else none given */
	struct dbl_app_path path; /* steps, socket and its source, rule */
	char *settle;		  /* dbloop diagnose --client NAME ... */
	char fix[400];		  /* what to change for that driver (also the
			  explanation's fix), "" when the class's fix serves */
};

struct dbl_explanation {
	enum dbl_class cls; /* DBL_CLASS_UNKNOWN when not placed */
	int engine;	    /* enum dbl_engine, -1 unknown */
	int transport;	    /* enum dbl_transport, -1 unknown */
	char *cause;
	char *fix;
	double confidence; /* 0..1 */
	struct dbl_explain_alt alts[DBL_EXPLAIN_MAX_ALT];
	size_t n_alts;
	/* The codes it recognised, for the reader: "errno ECONNREFUSED", ... */
	struct dbl_strlist evidence;
	struct dbl_explain_token tokens[DBL_EXPLAIN_MAX_TOKENS];
	size_t n_tokens;
	bool by_code; /* a code decided, not only a phrase */
	/* In a text of several lines, the line that alone gives the same
	 * class most surely: 1-based, 0 when the text is one line or no
	 * single line does; line_text is that line (cleaned, cut at 240). */
	size_t line;
	char line_text[241];
	/* Every line of such a text that alone places with confidence 0.5
	 * or more, in order: a log with several connection errors names
	 * each. At most DBL_EXPLAIN_MAX_LINES; n_lines_more counts the rest. */
	struct dbl_explain_line lines[DBL_EXPLAIN_MAX_LINES];
	size_t n_lines, n_lines_more;
	struct dbl_explain_client client;
};

/* What explain takes besides the text. */
struct dbl_explain_in {
	const char *client; /* --client NAME (a table row); NULL: the text's */
	/* PHP's default socket: the php.ini value of key ("mysqli.
	 * default_socket") and the file and line that decided, both owned by
	 * the caller, NULL when unset (phpini.h's dbl_phpini_lookup). 0 or
	 * -DBL_ENOMEM. NULL: php.ini is not read, PHP's compiled-in default
	 * is said. */
	int (*php_ini)(void *ctx, const char *key, char **value, char **source);
	void *ctx;
};

const char *dbl_xtok_kind_name(enum dbl_xtok_kind k);

/* Places text (any length, untrusted). 0 or -DBL_ENOMEM; *out must be
 * released with dbl_explanation_release. */
int dbl_explain(const char *text, size_t len, struct dbl_explanation *out);
/* As dbl_explain, with in (NULL: as dbl_explain). */
int dbl_explain_with(const char *text, size_t len,
		     const struct dbl_explain_in *in,
		     struct dbl_explanation *out);
void dbl_explanation_release(struct dbl_explanation *e);

#endif
