/* The report: everything a writer needs, and nothing that could hold a
 * password. Built by cmd_diagnose from targets, results and findings, or
 * read back from JSON by `dbloop show`. Heap object: dbl_report_new /
 * dbl_report_free; every string in it is owned by it. */
#ifndef DBLOOP_REPORT_H
#define DBLOOP_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "dbloop/clients.h"
#include "dbloop/common.h"
#include "dbloop/options.h"
#include "dbloop/result.h"
#include "dbloop/util.h"

/* What kind of thing a step is, so a reader knows where to paste it. */
enum dbl_step_kind {
	DBL_STEP_SHELL,	 /* a command for a shell on this machine */
	DBL_STEP_SQL,	 /* a statement for the engine's client, run as */
	DBL_STEP_CONFIG, /* a line of a configuration file */
	DBL_STEP_ENV,	 /* a variable of the client's environment */
	DBL_STEP_URL,	 /* a connection URL or libpq conninfo string */
	DBL_STEP__COUNT
};

/* "shell", "sql", "config", "env", "url"; NULL out of range. */
const char *dbl_step_kind_name(enum dbl_step_kind k);
/* 0, or -DBL_EINVAL for an unknown name. */
int dbl_step_kind_parse(const char *name, enum dbl_step_kind *out);

/* How a config step changes its file. */
enum dbl_conf_action {
	DBL_CONF_REPLACE,      /* line `line` becomes text */
	DBL_CONF_INSERT_AFTER, /* text goes in after line `line` */
	DBL_CONF_APPEND,       /* text goes at the end (under group) */
	DBL_CONF_COMMENT_OUT,  /* line `line` is commented out */
	DBL_CONF__COUNT
};
const char *dbl_conf_action_name(enum dbl_conf_action a);
int dbl_conf_action_parse(const char *name, enum dbl_conf_action *out);

/* One step of a fix. text is what to paste (the command, the statement,
 * the config line, "export X=v" / "unset X", the URL) and is the same
 * string as the finding's commands item of the same index, except that a
 * config step's commands item also says where ("LINE   # FILE line N").
 * Strings owned; NULL where they do not apply. */
struct dbl_step {
	enum dbl_step_kind kind;
	char *text;
	/* sql: the engine, the account to run it as ("postgres", "root")
	 * and the shell command that opens a client as that account
	 * ("sudo -u postgres psql"), NULL when dbloop knows none. */
	enum dbl_engine engine;
	char *run_as;
	char *client;
	/* config: the file, the line (0: none), the change, the option
	 * group ("mysqld") of an appended MySQL line. */
	char *file;
	int line;
	enum dbl_conf_action action;
	char *group;
	/* config: editing the file needs root (sudoedit FILE); shell: the
	 * command runs sudo. */
	bool needs_root;
	/* env: the variable; value NULL means unset it. */
	char *name;
	char *value;
	/* Where it goes when that needs saying ("before any reject line"). */
	char *note;
};

/* Frees the strings of s (not s itself). */
void dbl_step_release(struct dbl_step *s);

struct dbl_finding {
	enum dbl_class cls;
	enum dbl_severity severity;
	unsigned transports;	     /* mask of the transports it explains */
	char *summary;		     /* one sentence: what is wrong */
	struct dbl_strlist evidence; /* facts observed, each a sentence */
	/* The first n_probe_evidence items of evidence are one line per probe
	 * covered, repeating the transport table: text shows them under -v. */
	size_t n_probe_evidence;
	char *fix; /* one or two sentences: what to change, where */
	struct dbl_strlist commands; /* exact commands or config lines */
	/* The same, typed: n_steps == commands.n when the report has them
	 * (schema minor 1); 0 in a report read from an older dbloop. */
	struct dbl_step *steps;
	size_t n_steps;
};

/* Frees the strings of f (not f itself). */
void dbl_finding_release(struct dbl_finding *f);

/* A probe as the report shows it: the facts plus its class. */
struct dbl_probe_report {
	struct dbl_result r;
	enum dbl_class cls;
};

struct dbl_target_report {
	char *target; /* as given (password removed), or "discovered" */
	enum dbl_engine engine;
	char *product; /* server reached, NULL when none */
	char *version;
	/* Where each setting came from ("socket=/tmp/x from ~/.my.cnf line 3"). */
	struct dbl_strlist settings;
	struct dbl_probe_report *probes;
	size_t n_probes;
	struct dbl_finding *findings; /* most urgent first */
	size_t n_findings;
	bool ok;
	/* --client / --app: the path the app's own driver takes, whose
	 * verdict is ok; NULL without them. */
	struct dbl_app_path *app;
};

struct dbl_report {
	char *dbloop_version;
	char *generated_at; /* RFC 3339 UTC */
	double duration_ms;
	/* host */
	char *os;
	bool in_container;
	struct dbl_strlist localhost_resolves_to;
	bool ipv6_loopback;
	struct dbl_strlist warnings; /* discovery warnings worth showing */
	struct dbl_target_report *targets;
	size_t n_targets;
	bool ok;
	/* Rendering choices, not part of the JSON. */
	enum dbl_stage max_stage;
	bool redacted;
};

struct dbl_report *dbl_report_new(void);
void dbl_report_free(struct dbl_report *rep);

/* Adds an empty target report and returns it (owned by rep), NULL on OOM. */
struct dbl_target_report *dbl_report_add_target(struct dbl_report *rep);

/* How a writer renders. */
struct dbl_render_opts {
	bool color;    /* ANSI colour */
	bool utf8;     /* ✓ ✗ · or ASCII */
	int verbosity; /* -1 quiet, 0, 1+ verbose */
	int width;     /* columns to fit; 80 by default */
};

/* Chooses how to render for output to fd: colour per mode (auto: fd is a
 * terminal and NO_COLOR is unset or empty; always wins over NO_COLOR),
 * UTF-8 glyphs when the locale (LC_ALL, LC_CTYPE, LANG) says UTF-8, 80
 * columns. */
void dbl_render_opts_init(struct dbl_render_opts *ro, enum dbl_color color,
			  int verbosity, int fd);

/* Renders rep in format f into out: the one entry point diagnose, wait and
 * show share, so a saved report shows as it did. 0 or -DBL_E code. */
int dbl_report_render(const struct dbl_report *rep, enum dbl_format f,
		      const struct dbl_render_opts *ro, struct dbl_buf *out);

/* Writers: render rep into out. 0, or a negative -DBL_E code. They never
 * decide anything; they only show what the report holds. */
int dbl_report_write_text(const struct dbl_report *rep,
			  const struct dbl_render_opts *ro,
			  struct dbl_buf *out);
int dbl_report_write_json(const struct dbl_report *rep, struct dbl_buf *out);
int dbl_report_write_markdown(const struct dbl_report *rep,
			      const struct dbl_render_opts *ro,
			      struct dbl_buf *out);
int dbl_report_write_junit(const struct dbl_report *rep, struct dbl_buf *out);

/* Reads a saved JSON report (dbloop show). On failure returns a negative
 * code and writes one line naming what is wrong into err. *out is a new
 * report the caller frees. Input over DBL_REPORT_MAX_BYTES is refused. */
#define DBL_REPORT_MAX_BYTES (16u * 1024 * 1024)
#define DBL_REPORT_SCHEMA "dbloop.report/1"
/* Fields added within dbloop.report/1: 1 adds findings[].steps. */
#define DBL_REPORT_SCHEMA_MINOR 1
int dbl_report_read_json(const char *text, size_t len, struct dbl_report **out,
			 char *err, size_t errlen);

/* Replaces user names, database names, non-loopback host names and paths
 * with stable placeholders (<user1>, <db1>, <host1>, <path1>) across the
 * whole report, messages included. 0 or -DBL_ENOMEM. */
int dbl_report_redact(struct dbl_report *rep);

/* Writes data to path atomically (temporary file in the same directory,
 * then rename); "-" is stdout. 0 or -DBL_EIO with err filled. */
int dbl_write_file_atomic(const char *path, const char *data, size_t len,
			  char *err, size_t errlen);

#endif
