/* dbloop entry point: the command table and the global options.
 * Each command parses its own options (cli.c for diagnose and wait). */
#include <ctype.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "util/textfile.h"
#include "dbloop/common.h"
#include "dbloop/probe.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
	const char *usage; /* NULL: from cli.c */
};

static const char usage_explain[] =
	"usage: dbloop explain [OPTIONS] [MESSAGE]\n"
	"\n"
	"Classify an error message pasted from a log or ticket: the most\n"
	"likely cause and fix, and the other causes the same text can have.\n"
	"Reads standard input when MESSAGE is absent or \"-\".\n"
	"\n"
	"  -f, --format text|json   output format (default text)\n"
	"  -h, --help               this help\n"
	"\n"
	"Exit status: 0 the message was placed, 1 it was not (class\n"
	"unknown), 2 usage error.\n";

static const char usage_show[] =
	"usage: dbloop show [OPTIONS] REPORT.json\n"
	"\n"
	"Render a JSON report saved with `dbloop diagnose -f json` as text\n"
	"or markdown.\n"
	"\n"
	"  -f, --format text|markdown|json|junit  output format (default "
	"text)\n"
	"      --color auto|always|never           colour (honours NO_COLOR)\n"
	"  -h, --help                             this help\n"
	"\n"
	"Exit status: 0 shown, 2 the file is unreadable or not a valid "
	"report.\n";

static const struct command commands[] = {
	{"diagnose", dbl_cmd_diagnose,
	 "probe, classify, suggest fixes (the main job)", NULL},
	{"wait", dbl_cmd_wait, "retry until ready; diagnose on timeout", NULL},
	{"explain", dbl_cmd_explain,
	 "classify an error message pasted from a log or ticket",
	 usage_explain},
	{"show", dbl_cmd_show, "render a saved JSON report as text or markdown",
	 usage_show},
	{NULL, NULL, NULL, NULL},
};

static const struct command *find_command(const char *name)
{
	for (const struct command *c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static const char *usage_of(const struct command *c)
{
	if (c->usage)
		return c->usage;
	return dbl_cli_usage(c->fn == dbl_cmd_wait ? DBL_CLI_WAIT
						   : DBL_CLI_DIAGNOSE);
}

static void print_help(FILE *out)
{
	fputs("usage: dbloop COMMAND [OPTIONS] [ARGS]\n"
	      "       dbloop help [COMMAND] | --help | --version\n"
	      "\n"
	      "Tell why a program cannot reach a local PostgreSQL or\n"
	      "MySQL/MariaDB server, and how to fix it.\n"
	      "\n"
	      "Commands:\n",
	      out);
	for (const struct command *c = commands; c->name; c++)
		fprintf(out, "  %-10s %s\n", c->name, c->summary);
	fputs("\nSee 'dbloop help COMMAND' or 'man dbloop' for more.\n", out);
}

/* The client library behind each probe, for a version string that is
 * only a number. */
static const char *library_of(const struct dbl_probe *p)
{
	return p->engine == DBL_ENGINE_POSTGRES ? "libpq" : "libmariadb";
}

/* dbloop's version and the client libraries each probe is linked with:
 * they matter in tickets. */
static int print_version(void)
{
	printf("dbloop %s\n", DBL_VERSION);
	for (size_t i = 0; dbl_probes[i]; i++) {
		const struct dbl_probe *p = dbl_probes[i];
		const char *v = p->ops && p->ops->client_version
					? p->ops->client_version()
					: NULL;
		if (!p->ops)
			printf("%s: not built\n", p->name);
		else if (!v)
			printf("%s: %s (version unknown)\n", p->name,
			       library_of(p));
		else if (isdigit((unsigned char)v[0]))
			printf("%s: %s %s\n", p->name, library_of(p), v);
		else
			printf("%s: %s\n", p->name, v);
	}
	return 0;
}

static int help_command(int argc, char **argv)
{
	if (argc < 2) {
		print_help(stdout);
		return 0;
	}
	const struct command *c = find_command(argv[1]);
	if (!c) {
		fprintf(stderr,
			"dbloop: no help for '%s': not a dbloop "
			"command\n",
			argv[1]);
		return 2;
	}
	fputs(usage_of(c), stdout);
	return 0;
}

int main(int argc, char **argv)
{
	setlocale(LC_CTYPE, "");
	if (argc < 2) {
		print_help(stderr);
		return 2;
	}
	const char *name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0)
		return help_command(1, argv);
	if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0)
		return print_version();
	if (strcmp(name, "help") == 0)
		return help_command(argc - 1, argv + 1);
	const struct command *c = find_command(name);
	if (!c) {
		char shown[256];
		dbl_line_escape(shown, sizeof(shown), name);
		if (name[0] == '-')
			fprintf(stderr, "dbloop: unknown option '%s'\n", shown);
		else
			fprintf(stderr,
				"dbloop: '%s' is not a dbloop command; see "
				"'dbloop --help'\n",
				shown);
		return 2;
	}
	if (argc > 2 && c->usage &&
	    (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0)) {
		fputs(c->usage, stdout);
		return 0;
	}
	return c->fn(argc - 1, argv + 1);
}
