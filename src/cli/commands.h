/* The commands of the command table in main.c. argv[0] is the command's
 * name; each returns the process exit status of cli.md. */
#ifndef DBLOOP_COMMANDS_H
#define DBLOOP_COMMANDS_H

int dbl_cmd_diagnose(int argc, char **argv);
int dbl_cmd_wait(int argc, char **argv);
int dbl_cmd_explain(int argc, char **argv);
int dbl_cmd_show(int argc, char **argv);

#endif
