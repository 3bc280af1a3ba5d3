/* dbloop entry point: the command table and the global options.
 * Each command parses its own options through its option table
 * (cli/parse_options.h; cli.c holds diagnose's and wait's). */
#include <ctype.h>
#include <stdbool.h>
#include <locale.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "util/textfile.h"
#include "dbloop/common.h"
#include "dbloop/probe.h"

struct command {
	int (*fn)(int argc, char **argv);
	const char *summary;
	const struct dbl_cmd_spec *spec; /* its usage and options */
	/* reads the machine's configuration: pg_hba.conf's regular
	 * expressions match user names as the user's LC_CTYPE reads them */
	bool user_ctype;
};

static const struct command commands[] = {
	{dbl_cmd_diagnose, "probe, classify, suggest fixes (the main job)",
	 &dbl_diagnose_spec, true},
	{dbl_cmd_wait, "retry until ready; diagnose on timeout", &dbl_wait_spec,
	 true},
	/* the same answer whatever the locale (isalnum() of a byte above
	 * 127 is true in a Latin-1 one), and no locale files read at start:
	 * 0.2-0.3 ms of explain's start-up */
	{dbl_cmd_explain,
	 "classify an error message pasted from a log or ticket",
	 &dbl_explain_spec, false},
	{dbl_cmd_show, "render a saved JSON report as text or markdown",
	 &dbl_show_spec, false},
	{NULL, NULL, NULL, false},
};

static const struct command *find_command(const char *name)
{
	for (const struct command *c = commands; c->fn; c++)
		if (strcmp(c->spec->name, name) == 0)
			return c;
	return NULL;
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
	for (const struct command *c = commands; c->fn; c++)
		fprintf(out, "  %-10s %s\n", c->spec->name, c->summary);
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
#ifdef DBL_BUILD_INFO
	printf("build: %s\n", DBL_BUILD_INFO);
#endif
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

/* `dbloop help [COMMAND]`, and `dbloop help --options COMMAND`: the
 * option table of COMMAND, for tests/integration/test_options.py. */
static int help_command(int argc, char **argv)
{
	bool dump = argc > 1 && strcmp(argv[1], "--options") == 0;
	if (dump) {
		argc--;
		argv++;
	}
	if (argc < 2 && !dump) {
		print_help(stdout);
		return 0;
	}
	if (!dump && strcmp(argv[1], "clients") == 0)
		return dbl_print_clients(stdout) < 0 ? 3 : 0;
	const struct command *c = argc < 2 ? NULL : find_command(argv[1]);
	if (!c) {
		char shown[256];
		dbl_line_escape(shown, sizeof(shown), argc < 2 ? "" : argv[1]);
		fprintf(stderr,
			"dbloop: no help for '%s': not a dbloop "
			"command\n",
			shown);
		return 2;
	}
	if (!dump)
		return dbl_opt_print_usage(c->spec, stdout) < 0 ? 3 : 0;
	struct dbl_buf b = {0};
	dbl_opt_dump(c->spec, &b);
	if (b.oom) {
		dbl_buf_release(&b);
		return 3;
	}
	fwrite(b.data, 1, b.len, stdout);
	dbl_buf_release(&b);
	return 0;
}

int main(int argc, char **argv)
{
#ifdef M_ARENA_MAX
	/* One malloc arena for all threads: the probe threads allocate little
	 * (glibc's per-thread caches serve SCRAM's rounds without the arena
	 * lock), and an arena per thread cost 0.25 MB of peak RSS (issue 16:
	 * <= 12 MB) and CPU time in page faults. */
	mallopt(M_ARENA_MAX, 1);
#endif
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
	if (c->user_ctype)
		setlocale(LC_CTYPE, "");
	return c->fn(argc - 1, argv + 1);
}
