/* Private to the explain modules: what one scan of a pasted message
 * found. explain_scan.c reads names (engine, transport, host, port, user,
 * socket path), explain_errno.c errno values in every spelling,
 * explain_codes.c error numbers, SQLSTATEs and driver codes,
 * explain_phrases.c the libraries' fixed phrases, explain_text.c holds the
 * causes and fixes, explain.c weighs and places. */
#ifndef DBLOOP_EXPLAIN_INT_H
#define DBLOOP_EXPLAIN_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "dbloop/explain.h"

#define DBL_XSCAN_MAX (256 * 1024) /* a pasted log beyond this adds nothing */
#define DBL_XHITS_MAX 32
#define DBL_XTEXT_ALTS 6 /* some are worded for one engine only */

struct dbl_xhit {
	enum dbl_class cls;
	int weight;
};

struct dbl_xscan {
	char *raw; /* the text, NULs and ANSI colour codes removed */
	char *low; /* raw, ASCII lower-cased (UTF-8 bytes kept): same offsets */
	size_t len;
	int pg, my; /* engine scores */
	bool unix_sock, v6, v4, localhost, container;
	int err;     /* errno (Linux numbering), 0 none */
	bool eai;    /* a resolver failure: EAI_NONAME, [Errno -2], ENOTFOUND */
	bool closed; /* the peer closed without an error ("system error: 0") */
	/* the client's own side failed before a connect reached the
	 * server (EINVAL, EADDRINUSE, EMFILE, ENOBUFS; mysqlnd's "via
	 * (null)"): MySQL 2002/2003 then prove no refusal */
	bool never_connected;
	bool mysql_errno; /* a number in MySQL's "'host' (N)" place */
	int port;
	char sock[256]; /* socket path named in the text, as written */
	char host[128]; /* server host named in the text */
	char user[64];
	char db[64];
	struct dbl_xhit hits[DBL_XHITS_MAX];
	size_t n_hits;
	struct dbl_strlist *evidence;
	struct dbl_explain_token tokens[DBL_EXPLAIN_MAX_TOKENS];
	size_t n_tokens;
	const struct dbl_client *client; /* the app's driver, NULL unknown */
	bool oom;
};

/* explain_scan.c: the copy of the text and the names in it */
int dbl_xscan_init(struct dbl_xscan *s, const char *text, size_t len,
		   struct dbl_strlist *evidence);
void dbl_xscan_release(struct dbl_xscan *s);
bool dbl_xhas(const struct dbl_xscan *s, const char *needle);
/* needle where a word starts: not "eacces" in "SequelizeAccessDenied" */
bool dbl_xhas_word(const struct dbl_xscan *s, const char *needle);
/* whether p, inside the text at base, starts a word */
bool dbl_xword_at(const char *base, const char *p);
void dbl_xadd(struct dbl_xscan *s, enum dbl_class c, int weight);
void dbl_xevidence(struct dbl_xscan *s, const char *what);
void dbl_xtoken(struct dbl_xscan *s, enum dbl_xtok_kind kind, int value,
		const char *text);
bool dbl_xlone(const char *low, const char *p, size_t n);
void dbl_xscan_hints(struct dbl_xscan *s);
bool dbl_xloopback(const char *host);

/* explain_names.c: the server's host and port, the user, the database */
void dbl_xscan_names(struct dbl_xscan *s);

/* explain_errno.c */
void dbl_xscan_errno(struct dbl_xscan *s);
void dbl_xweigh_errno(struct dbl_xscan *s);

/* explain_codes.c */
void dbl_xscan_codes(struct dbl_xscan *s);

/* explain_phrases.c */
void dbl_xscan_phrases(struct dbl_xscan *s);

/* explain_client.c: which driver the text (or in->client) names, before
 * placing; what it makes of the host in the text, after. */
void dbl_xscan_client(struct dbl_xscan *s, const struct dbl_explain_in *in,
		      struct dbl_explain_client *out);
void dbl_xplace_client(struct dbl_xscan *s, const struct dbl_explain_in *in,
		       struct dbl_explanation *e);

/* explain_text.c: what each class means, its fix, and what else the same
 * text arises from */
struct dbl_xtext {
	enum dbl_class cls;
	const char *cause;
	const char *fix;
	const char *fix_my; /* MySQL/MariaDB wording, NULL: fix serves both */
	struct {
		enum dbl_class cls;
		const char *why; /* what tells it apart */
	} alts[DBL_XTEXT_ALTS];
};
const struct dbl_xtext *dbl_xtext_of(enum dbl_class c);

#endif
