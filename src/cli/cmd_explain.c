/* dbloop explain [--format text|json] [-q] [MESSAGE]: places an error
 * message pasted from a log or ticket. Reads stdin when MESSAGE is absent
 * or "-". Exit 0 placed, 1 not placed, 2 usage, 3 internal. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/explain_client_out.h"
#include "util/textfile.h"
#include "dbloop/explain.h"

#define INPUT_MAX (1024 * 1024) /* more than any pasted message */

enum {
	OPT_FORMAT = 'f',
	OPT_QUIET = 'q',
	OPT_HELP = 'h',
	OPT_FILE = 256,
	OPT_CLIENT,
};

static const struct dbl_opt explain_opts[] = {
	{OPT_FORMAT, 'f', "format", "text|json", "output format (default text)",
	 DBL_COMPLETE_CHOICES, "text json", 0, NULL},
	{OPT_FILE, 0, "file", "FILE",
	 "read the message from FILE (a pasted log; \"-\" is stdin)",
	 DBL_COMPLETE_FILE, NULL, 0, NULL},
	{OPT_CLIENT, 0, "client", "NAME",
	 "the app's driver, when the message does not name it (dbloop help "
	 "clients)",
	 DBL_COMPLETE_CHOICES,
	 "libpq psql mysql php-mysqli php-pdo-mysql php-pdo-pgsql "
	 "jdbc-mariadb jdbc-postgresql node-mysql2 node-pg python-mysqlclient "
	 "python-pymysql python-psycopg go-mysql go-pgx go-pq ruby-mysql2 "
	 "ruby-pg",
	 0, NULL},
	{OPT_QUIET, 'q', "quiet", NULL, "print only the class",
	 DBL_COMPLETE_NONE, NULL, 0, NULL},
	{OPT_HELP, 'h', "help", NULL, "this help", DBL_COMPLETE_NONE, NULL, 0,
	 NULL},
	DBL_OPT_END,
};

const struct dbl_cmd_spec dbl_explain_spec = {
	.name = "explain",
	.synopsis = "[OPTIONS] [MESSAGE]",
	.about = "Classify an error message pasted from a log or ticket: the "
		 "most\n"
		 "likely cause and fix, and the other causes the same text can "
		 "have.\n"
		 "Reads standard input when MESSAGE is absent or \"-\", or "
		 "FILE\n"
		 "with --file.\n",
	.epilogue = "Exit status: 0 the message was placed, 1 it was not "
		    "(class\n"
		    "unknown), 2 usage error.\n",
	.tables = (const struct dbl_opt *const[]){explain_opts, NULL},
	.operands = DBL_OPERANDS_LAST,
};

struct explain_opts {
	bool json;
	bool quiet;
	const char *file;   /* --file FILE, NULL when not given */
	const char *client; /* --client NAME, NULL when not given */
	const char **words; /* MESSAGE, possibly split by the shell */
	int n_words;
};

static int apply(struct dbl_opt_iter *it, struct explain_opts *o, int code,
		 const char *v)
{
	switch (code) {
	case OPT_QUIET:
		o->quiet = true;
		return 0;
	case OPT_FILE:
		o->file = v;
		return 0;
	case OPT_CLIENT:
		if (!dbl_client_find(v))
			return dbl_opt_fail(it,
					    "unknown client '%s' (see 'dbloop "
					    "help clients')",
					    v);
		o->client = v;
		return 0;
	case OPT_FORMAT:
		if (strcmp(v, "json") == 0)
			o->json = true;
		else if (strcmp(v, "text") == 0)
			o->json = false;
		else
			return dbl_opt_fail(
				it, "unknown format '%s' (text or json)", v);
		return 0;
	default:
		return dbl_opt_fail(it, "internal: unhandled option %d", code);
	}
}

/* 0, 1 after --help, or 2 with the message printed. */
static int parse_args(int argc, char **argv, struct explain_opts *o)
{
	struct dbl_opt_iter it;
	char err[300], line[400];
	const char *v;
	int code;
	memset(o, 0, sizeof(*o));
	dbl_opt_init(&it, &dbl_explain_spec, argc, argv, err, sizeof(err));
	while ((code = dbl_opt_next(&it, &v)) != DBL_OPT_DONE) {
		if (code == DBL_OPT_HELP)
			return 1;
		if (code == DBL_OPT_OPERAND) /* not with DBL_OPERANDS_LAST */
			code = dbl_opt_fail(&it, "internal: operand");
		if (code > 0)
			code = apply(&it, o, code, v);
		if (code < 0) {
			fprintf(stderr, "dbloop explain: %s\n",
				dbl_line_escape(line, sizeof(line), err));
			return 2;
		}
	}
	o->words = (const char **)&argv[it.rest];
	o->n_words = argc - it.rest;
	if (o->file && o->n_words) {
		fprintf(stderr, "dbloop explain: give the message either as an "
				"argument or with --file, not both\n");
		return 2;
	}
	return 0;
}

/* Past INPUT_MAX, keeps the first half and slides the second half along
 * the rest, so the error at the end of a long log is still seen. */
static void slide_tail(FILE *f, char *buf)
{
	size_t half = INPUT_MAX / 2;
	char chunk[65536];
	size_t got;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		memmove(buf + half, buf + half + got, half - got);
		memcpy(buf + INPUT_MAX - got, chunk, got);
	}
	memcpy(buf + half, "\n", 1); /* the cut is never inside a phrase */
}

/* Reads f whole, keeping at most INPUT_MAX bytes: its head and tail. */
static char *read_bounded(FILE *f, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	while (buf && n < INPUT_MAX) {
		if (n == cap) {
			size_t ncap = cap * 2 > INPUT_MAX ? INPUT_MAX : cap * 2;
			char *nb = realloc(buf, ncap);
			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
			cap = ncap;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (buf && n == INPUT_MAX)
		slide_tail(f, buf);
	*len = n;
	return buf;
}

static char *join_words(const struct explain_opts *o, size_t *len)
{
	struct dbl_buf b = {0};
	for (int i = 0; i < o->n_words; i++) {
		if (i)
			dbl_buf_puts(&b, " ");
		dbl_buf_puts(&b, o->words[i]);
	}
	*len = b.len;
	return b.data ? dbl_buf_detach(&b) : calloc(1, 1);
}

static const char *or_text(const char *s, const char *dflt)
{
	return s ? s : dflt;
}

static void print_text(const struct dbl_explanation *e)
{
	printf("class: %s", dbl_class_name(e->cls));
	if (e->engine >= 0 || e->transport >= 0)
		printf(" (%s%s%s)",
		       e->engine >= 0 ? dbl_engine_name(e->engine) : "",
		       e->engine >= 0 && e->transport >= 0 ? ", " : "",
		       e->transport >= 0 ? dbl_transport_name(e->transport)
					 : "");
	if (e->cls != DBL_CLASS_UNKNOWN)
		printf(", confidence %.2f", e->confidence);
	printf("\n");
	printf("cause: %s\n", or_text(e->cause, "no code or phrase dbloop "
						"knows; run dbloop diagnose "
						"on the machine"));
	if (e->fix)
		printf("fix:   %s\n", e->fix);
	if (e->line) {
		char esc[1024];
		printf("line:  %zu: %s\n", e->line,
		       dbl_line_escape(esc, sizeof(esc), e->line_text));
	}
	/* a log with several errors: each line that places alone */
	for (size_t i = 0; e->n_lines >= 2 && i < e->n_lines; i++) {
		char esc[1024];
		printf("%s %zu: %s: %s\n",
		       i ? "       " : "errors:", e->lines[i].number,
		       dbl_class_name(e->lines[i].cls),
		       dbl_line_escape(esc, sizeof(esc), e->lines[i].text));
	}
	if (e->n_lines >= 2 && e->n_lines_more)
		printf("        (%zu more)\n", e->n_lines_more);
	for (size_t i = 0; i < e->evidence.n; i++)
		printf("%s %s\n",
		       i ? "      " : "seen: ", e->evidence.items[i]);
	dbl_explain_client_print(stdout, e);
	if (e->n_alts)
		printf("also possible:\n");
	for (size_t i = 0; i < e->n_alts; i++)
		printf("  - %s: %s\n    settle: %s\n",
		       dbl_class_name(e->alts[i].cls), e->alts[i].why,
		       e->alts[i].settle);
}

static cJSON *str_or_null(const char *s)
{
	return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *to_json(const struct dbl_explanation *e)
{
	cJSON *o = cJSON_CreateObject(), *alts = cJSON_CreateArray();
	if (!o || !alts) {
		cJSON_Delete(o);
		cJSON_Delete(alts);
		return NULL;
	}
	cJSON_AddStringToObject(o, "class", dbl_class_name(e->cls));
	cJSON_AddItemToObject(o, "engine",
			      str_or_null(e->engine >= 0
						  ? dbl_engine_name(e->engine)
						  : NULL));
	cJSON_AddItemToObject(
		o, "transport",
		str_or_null(e->transport >= 0 ? dbl_transport_name(e->transport)
					      : NULL));
	cJSON_AddItemToObject(o, "cause", str_or_null(e->cause));
	cJSON_AddItemToObject(o, "fix", str_or_null(e->fix));
	cJSON_AddNumberToObject(o, "confidence", e->confidence);
	for (size_t i = 0; i < e->n_alts; i++) {
		cJSON *a = cJSON_CreateObject();
		if (!a)
			break;
		cJSON_AddStringToObject(a, "class",
					dbl_class_name(e->alts[i].cls));
		cJSON_AddStringToObject(a, "why", e->alts[i].why);
		cJSON_AddStringToObject(a, "settle", e->alts[i].settle);
		cJSON_AddItemToArray(alts, a);
	}
	cJSON_AddItemToObject(o, "alternatives", alts);
	cJSON_AddItemToObject(o, "client", dbl_explain_client_json(e));
	if (e->line) {
		cJSON *l = cJSON_AddObjectToObject(o, "line");
		if (l) {
			cJSON_AddNumberToObject(l, "number", (double)e->line);
			cJSON_AddStringToObject(l, "text", e->line_text);
		}
	}
	if (e->n_lines >= 2) {
		cJSON *ls = cJSON_AddArrayToObject(o, "errors");
		for (size_t i = 0; ls && i < e->n_lines; i++) {
			cJSON *j = cJSON_CreateObject();
			if (!j)
				break;
			cJSON_AddNumberToObject(j, "number",
						(double)e->lines[i].number);
			cJSON_AddStringToObject(
				j, "class", dbl_class_name(e->lines[i].cls));
			cJSON_AddStringToObject(j, "text", e->lines[i].text);
			cJSON_AddItemToArray(ls, j);
		}
		if (e->n_lines_more)
			cJSON_AddNumberToObject(o, "errors_more",
						(double)e->n_lines_more);
	}
	cJSON *ev = cJSON_AddArrayToObject(o, "evidence");
	for (size_t i = 0; ev && i < e->n_tokens; i++) {
		const struct dbl_explain_token *t = &e->tokens[i];
		cJSON *j = cJSON_CreateObject();
		if (!j)
			break;
		cJSON_AddStringToObject(j, "kind", dbl_xtok_kind_name(t->kind));
		if (t->kind == DBL_XTOK_MYSQL_ERROR)
			cJSON_AddNumberToObject(j, "value", t->value);
		else
			cJSON_AddStringToObject(j, "value", t->text);
		cJSON_AddItemToArray(ev, j);
	}
	return o;
}

static int print_json(const struct dbl_explanation *e)
{
	cJSON *o = to_json(e);
	char *s = o ? cJSON_Print(o) : NULL;
	cJSON_Delete(o);
	if (!s)
		return -1;
	printf("%s\n", s);
	cJSON_free(s);
	return 0;
}

/* NULL with *failed set when FILE cannot be opened (said on stderr). */
static char *read_file(const char *path, size_t *len, bool *failed)
{
	if (strcmp(path, "-") == 0)
		return read_bounded(stdin, len);
	FILE *f = fopen(path, "rb");
	if (!f) {
		char line[400];
		fprintf(stderr, "dbloop explain: cannot read '%s': %s\n",
			dbl_line_escape(line, sizeof(line), path),
			strerror(errno));
		*failed = true;
		return NULL;
	}
	char *buf = read_bounded(f, len);
	fclose(f);
	return buf;
}

static char *read_message(const struct explain_opts *o, size_t *len,
			  bool *failed)
{
	if (o->file)
		return read_file(o->file, len, failed);
	if (o->n_words == 0 ||
	    (o->n_words == 1 && strcmp(o->words[0], "-") == 0))
		return read_bounded(stdin, len);
	return join_words(o, len);
}

int dbl_cmd_explain(int argc, char **argv)
{
	struct explain_opts o;
	int rc = parse_args(argc, argv, &o);
	if (rc == 1)
		return dbl_opt_print_usage(&dbl_explain_spec, stdout) < 0 ? 3
									  : 0;
	if (rc)
		return rc;
	size_t len = 0;
	bool failed = false;
	char *text = read_message(&o, &len, &failed);
	if (!text && failed)
		return 2;
	if (!text) {
		fprintf(stderr, "dbloop explain: out of memory\n");
		return 3;
	}
	if (strspn(text, " \t\r\n") == len) {
		free(text);
		fprintf(stderr, "dbloop explain: no message given (pass it as "
				"an argument or on stdin)\n");
		return 2;
	}
	struct dbl_explanation e;
	struct dbl_explain_in in = {.client = o.client,
				    .php_ini = dbl_explain_php_ini};
	rc = dbl_explain_with(text, len, &in, &e);
	free(text);
	if (rc < 0) {
		fprintf(stderr, "dbloop explain: out of memory\n");
		return 3;
	}
	if (o.quiet && !o.json)
		printf("%s\n", dbl_class_name(e.cls));
	else if (o.json)
		rc = print_json(&e);
	else
		print_text(&e);
	int status = rc < 0 ? 3 : e.cls == DBL_CLASS_UNKNOWN ? 1 : 0;
	dbl_explanation_release(&e);
	return status;
}
