/* One option table per command (git's parse-options is the model): the
 * parser, `--help`, and through `dbloop help --options COMMAND` the checks
 * of the man page and the shell completions all read it
 * (tests/integration/test_options.py). Adding an option is one row plus
 * its case in the command's switch. */
#ifndef DBLOOP_PARSE_OPTIONS_H
#define DBLOOP_PARSE_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "dbloop/util.h"

enum dbl_opt_flag {
	/* accepted but not offered: an alias (--colour), or an option of
	 * another command that gets a better message than "unknown" */
	DBL_OPT_HIDDEN = 1u << 0,
	/* the value is a comma-separated list of the choices */
	DBL_OPT_LIST = 1u << 1,
	/* refused at once with the row's help as the hint ("-p") */
	DBL_OPT_REFUSED = 1u << 2,
};

/* What a shell completes for an option's value. */
enum dbl_opt_complete {
	DBL_COMPLETE_NONE,    /* free text */
	DBL_COMPLETE_CHOICES, /* one of .choices */
	DBL_COMPLETE_FILE,    /* a path */
	DBL_COMPLETE_ENV,     /* the name of an environment variable */
};

/* One option. A row with only .group set starts a group in --help. */
struct dbl_opt {
	int code;	       /* handed to the command: the short letter, or
				  a value >= 256 of the command's enum */
	char short_name;       /* 0: none */
	const char *long_name; /* NULL: none */
	const char *arg;       /* the value's name in --help; NULL: a flag */
	const char *help;      /* one line in --help */
	enum dbl_opt_complete complete;
	const char *choices; /* space separated, for DBL_COMPLETE_CHOICES */
	unsigned flags;	     /* enum dbl_opt_flag */
	const char *group;   /* heading of a group of --help ("Target:") */
};

/* The end of a table. */
#define DBL_OPT_END                                                            \
	{                                                                      \
		0, 0, NULL, NULL, NULL, 0, NULL, 0, NULL                       \
	}
/* A heading row. */
#define DBL_OPT_GROUP(title)                                                   \
	{                                                                      \
		0, 0, NULL, NULL, NULL, 0, NULL, 0, title                      \
	}

/* How operands mix with options. */
enum dbl_opt_operands {
	DBL_OPERANDS_ANYWHERE, /* options and operands in any order */
	DBL_OPERANDS_LAST,     /* the first operand ends the options */
};

/* A command: its usage and its options (tables ending with DBL_OPT_END,
 * the list of them ending with NULL). */
struct dbl_cmd_spec {
	const char *name;     /* "explain" */
	const char *synopsis; /* "[OPTIONS] [MESSAGE]" */
	const char *about;    /* paragraph(s) before the options */
	const char *epilogue; /* paragraph(s) after them */
	const struct dbl_opt *const *tables;
	enum dbl_opt_operands operands;
	/* unknown options say " (see 'dbloop NAME --help')" */
	bool see_help;
};

/* dbl_opt_next's answers besides an option's code. */
enum {
	DBL_OPT_DONE = 0,     /* no more arguments; see it->rest */
	DBL_OPT_OPERAND = -1, /* *arg is an operand */
	DBL_OPT_HELP = -2,    /* -h or --help */
	DBL_OPT_ERROR = -3,   /* a usage error, one line in err */
	DBL_OPT_NOMEM = -4,
};

#define DBL_OPT_MAX 64

struct dbl_opt_iter {
	const struct dbl_cmd_spec *spec;
	int argc;
	char **argv;
	char *err;
	size_t errlen;
	/* after DBL_OPT_DONE: argv[rest] is the first argument not parsed;
	 * dashdash says whether a "--" stood before it */
	int rest;
	bool dashdash;
	const char *last_value; /* the last option's value (a "--" it may be) */
	char shorts[2 * DBL_OPT_MAX + 4];
	int n_longs;
	struct option longs[DBL_OPT_MAX + 1];
};

/* Starts parsing argv (argv[0] the command's name). err receives the
 * message of a usage error, without the "dbloop: " prefix. */
void dbl_opt_init(struct dbl_opt_iter *it, const struct dbl_cmd_spec *spec,
		  int argc, char **argv, char *err, size_t errlen);

/* The next option: its code with *arg its value (NULL for a flag), or one
 * of the answers above. */
int dbl_opt_next(struct dbl_opt_iter *it, const char **arg);

/* Formats a usage error into err; returns DBL_OPT_ERROR. */
int dbl_opt_fail(struct dbl_opt_iter *it, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The row of code, or NULL. */
const struct dbl_opt *dbl_opt_find(const struct dbl_cmd_spec *spec, int code);

/* "--port" (or "-4" for an option with no long name), as typed. */
const char *dbl_opt_name(const struct dbl_cmd_spec *spec, int code, char *buf,
			 size_t len);

/* The --help text of a command. */
void dbl_opt_usage(const struct dbl_cmd_spec *spec, struct dbl_buf *out);

/* Writes it to f; 0, or -1 out of memory. */
int dbl_opt_print_usage(const struct dbl_cmd_spec *spec, FILE *f);

/* One line per option, tab separated, for the test that holds the man
 * page and the completions to the table (`dbloop help --options CMD`):
 * "-s --long ARG complete choices flags", "-" for an empty field; complete
 * is none, choices, file or env; flags a comma list of hidden, list,
 * refused, or "-". */
void dbl_opt_dump(const struct dbl_cmd_spec *spec, struct dbl_buf *out);

#endif
