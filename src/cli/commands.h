/* The commands of the command table in main.c. argv[0] is the command's
 * name; each returns the process exit status of cli.md. Each command's
 * spec is its usage and option table (parse_options.h). */
#ifndef DBLOOP_COMMANDS_H
#define DBLOOP_COMMANDS_H

#include "cli/parse_options.h"

int dbl_cmd_diagnose(int argc, char **argv);
int dbl_cmd_wait(int argc, char **argv);
int dbl_cmd_explain(int argc, char **argv);
int dbl_cmd_show(int argc, char **argv);

extern const struct dbl_cmd_spec dbl_diagnose_spec;
extern const struct dbl_cmd_spec dbl_wait_spec;
extern const struct dbl_cmd_spec dbl_explain_spec;
extern const struct dbl_cmd_spec dbl_show_spec;

/* `dbloop help clients`: the driver table with each one's rules
 * (cmd_clients.c). 0, or -DBL_EIO. */
int dbl_print_clients(FILE *out);

#endif
