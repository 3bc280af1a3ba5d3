/* The command line of diagnose and wait (../shared/spec/cli.md): one
 * getopt_long parser, every value checked, errors as one line. */
#ifndef DBLOOP_CLI_H
#define DBLOOP_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "dbloop/options.h"

enum dbl_cli_cmd { DBL_CLI_DIAGNOSE, DBL_CLI_WAIT };

/* dbl_cli_parse's answer when --help was asked for. */
#define DBL_CLI_HELP 1

/* The parsed command line: the options plus what only the command needs. */
struct dbl_cli {
	struct dbl_options o;
	bool help;
	bool healthcheck; /* --healthcheck: greet, require tcp4, one line */
	/* TARGET arguments as they sit in argv (for scrubbing); o.targets
	 * holds owned copies taken before any scrubbing. */
	char **target_args;
};

/* Parses argv (argv[0] is the command name) into c. Strings in c->o are
 * borrowed from argv except the targets, which are copied. Returns 0,
 * DBL_CLI_HELP, or -DBL_EUSAGE with one line (no "dbloop: " prefix) in
 * err; -DBL_ENOMEM. Call dbl_cli_release in every case. */
int dbl_cli_parse(struct dbl_cli *c, enum dbl_cli_cmd cmd, int argc,
		  char **argv, char *err, size_t errlen);

/* Frees the target copies (wiping them: they may hold a password) and
 * wipes and frees o.prompted_password. */
void dbl_cli_release(struct dbl_cli *c);

/* Overwrites with '*' every password inside the TARGET arguments in argv
 * (URL user info, password= parameters, conninfo password=), so that
 * /proc/PID/cmdline no longer shows it. Returns how many were found. */
int dbl_cli_scrub_argv(struct dbl_cli *c);

/* Overwrites the password(s) in one target string in place; returns how
 * many were found. */
int dbl_cli_scrub_target(char *target);

/* What every command of cli.md does before its work: parse (printing the
 * usage for --help, or one "dbloop: ..." line on a usage error), scrub
 * passwords from argv with one warning, install the signal handlers and,
 * for -W, ask for the password. Returns true when the command should go
 * on; false with *status set to the exit status otherwise. Call
 * dbl_cli_release in both cases. */
bool dbl_cli_start(struct dbl_cli *c, enum dbl_cli_cmd cmd, int argc,
		   char **argv, int *status);

/* The usage text of a command (for --help and `dbloop help COMMAND`). */
const char *dbl_cli_usage(enum dbl_cli_cmd cmd);

#endif
