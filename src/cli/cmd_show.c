/* dbloop show [OPTIONS] REPORT.json (the options: dbl_show_spec): renders
 * a saved report exactly as diagnose printed it, through the same
 * dbl_report_render. The file is untrusted: it is read
 * with a size bound and any problem is one line on stderr, exit 2. The
 * exit status of a rendered report is the one diagnose had (0 ok, 1
 * problems), so `show` can stand in for it in scripts. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/commands.h"
#include "dbloop/report.h"
#include "util/textfile.h"

enum { OPT_FORMAT = 'f', OPT_QUIET = 'q', OPT_VERBOSE = 'v', OPT_COLOR = 256 };

static const struct dbl_opt show_opts[] = {
	{OPT_FORMAT, 'f', "format", "text|markdown|json|junit",
	 "output format (default text)", DBL_COMPLETE_CHOICES,
	 "text markdown json junit", 0, NULL},
	{OPT_COLOR, 0, "color", "auto|always|never",
	 "colour (honours NO_COLOR)", DBL_COMPLETE_CHOICES, "auto always never",
	 0, NULL},
	{OPT_QUIET, 'q', "quiet", NULL, "less output", DBL_COMPLETE_NONE, NULL,
	 0, NULL},
	{OPT_VERBOSE, 'v', "verbose", NULL, "more output", DBL_COMPLETE_NONE,
	 NULL, 0, NULL},
	{'h', 'h', "help", NULL, "this help", DBL_COMPLETE_NONE, NULL, 0, NULL},
	DBL_OPT_END,
};

const struct dbl_cmd_spec dbl_show_spec = {
	.name = "show",
	.synopsis = "[OPTIONS] REPORT.json",
	.about = "Render a JSON report saved with `dbloop diagnose -f json` as "
		 "text\n"
		 "or markdown (REPORT.json may be - for standard input).\n",
	.epilogue = "Exit status: 0 shown and ok, 1 the report has problems, "
		    "2 the file\n"
		    "is unreadable or not a valid report.\n",
	.tables = (const struct dbl_opt *const[]){show_opts, NULL},
	.operands = DBL_OPERANDS_ANYWHERE,
	.see_help = true,
};

struct show_opts {
	enum dbl_format format;
	enum dbl_color color;
	int verbosity;
	const char *file;
};

static int parse_format(const char *s, enum dbl_format *f)
{
	static const char *const names[] = {"text", "json", "markdown",
					    "junit"};
	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0) {
			*f = (enum dbl_format)i;
			return 0;
		}
	return -1;
}

static int parse_color(const char *s, enum dbl_color *c)
{
	static const char *const names[] = {"auto", "always", "never"};
	for (int i = 0; i < 3; i++)
		if (strcmp(s, names[i]) == 0) {
			*c = (enum dbl_color)i;
			return 0;
		}
	return -1;
}

/* A command-line word or file name quoted in a message: one line. */
static const char *q(const char *s, char *buf, size_t len)
{
	return dbl_line_escape(buf, len, s);
}

static int apply(struct dbl_opt_iter *it, struct show_opts *o, int code,
		 const char *v)
{
	switch (code) {
	case OPT_FORMAT:
		if (parse_format(v, &o->format) < 0)
			return dbl_opt_fail(it, "unknown format '%s'", v);
		return 0;
	case OPT_COLOR:
		if (parse_color(v, &o->color) < 0)
			return dbl_opt_fail(it,
					    "--color takes auto, always or "
					    "never, not '%s'",
					    v);
		return 0;
	case OPT_QUIET:
		o->verbosity = -1;
		return 0;
	case OPT_VERBOSE:
		o->verbosity = o->verbosity < 0 ? 1 : o->verbosity + 1;
		return 0;
	default:
		return dbl_opt_fail(it, "internal: unhandled option %d", code);
	}
}

static int operand(struct dbl_opt_iter *it, struct show_opts *o, const char *a)
{
	if (o->file)
		return dbl_opt_fail(it, "one report at a time (see 'dbloop "
					"show --help')");
	o->file = a;
	return 0;
}

/* 0, 1 for --help, or 2 with the message printed. */
static int parse_args(int argc, char **argv, struct show_opts *o)
{
	struct dbl_opt_iter it;
	char err[300], line[400];
	const char *v;
	int code;
	dbl_opt_init(&it, &dbl_show_spec, argc, argv, err, sizeof(err));
	while ((code = dbl_opt_next(&it, &v)) != DBL_OPT_DONE) {
		if (code == DBL_OPT_HELP)
			return 1;
		if (code == DBL_OPT_OPERAND)
			code = operand(&it, o, v);
		else if (code > 0)
			code = apply(&it, o, code, v);
		if (code < 0)
			goto fail;
	}
	for (int i = it.rest; it.dashdash && i < argc; i++)
		if (operand(&it, o, argv[i]) < 0)
			goto fail;
	if (!o->file) {
		fprintf(stderr, "dbloop show: missing REPORT.json (see "
				"'dbloop show --help')\n");
		return 2;
	}
	return 0;
fail:
	fprintf(stderr, "dbloop show: %s\n", q(err, line, sizeof(line)));
	return 2;
}

/* Reads at most DBL_REPORT_MAX_BYTES of fd into out; a regular file that
 * is larger is refused before any byte is read. */
static int read_bounded(int fd, struct dbl_buf *out, char *err, size_t errlen)
{
	struct stat st = {0};
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (unsigned long long)st.st_size > DBL_REPORT_MAX_BYTES) {
		snprintf(err, errlen, "too large (%lld bytes, at most %u)",
			 (long long)st.st_size, DBL_REPORT_MAX_BYTES);
		return -DBL_EINVAL;
	}
	char chunk[65536];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "%s", strerror(errno));
			return -DBL_EIO;
		}
		if (n == 0)
			break;
		if (out->len + (size_t)n > DBL_REPORT_MAX_BYTES) {
			snprintf(err, errlen, "too large (more than %u bytes)",
				 DBL_REPORT_MAX_BYTES);
			return -DBL_EINVAL;
		}
		dbl_buf_append(out, chunk, (size_t)n);
		if (out->oom) {
			snprintf(err, errlen, "out of memory");
			return -DBL_ENOMEM;
		}
	}
	return 0;
}

/* Opens file for reading without blocking on a FIFO and refuses anything
 * but a regular file: fd, or -1 with the reason in err. */
static int open_report(const char *file, char *err, size_t errlen)
{
	int fd = open(file, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	struct stat st = {0};
	if (fd < 0) {
		snprintf(err, errlen, "cannot open '%s': %s", file,
			 strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "cannot read '%s': %s", file,
			 S_ISDIR(st.st_mode) ? "is a directory"
					     : "not a regular file");
		close(fd);
		return -1;
	}
	return fd;
}

static int load(const char *file, struct dbl_report **rep)
{
	char err[300] = "", line[400], shown[200];
	struct dbl_buf text = {0};
	bool is_stdin = strcmp(file, "-") == 0;
	q(is_stdin ? "<stdin>" : file, shown, sizeof(shown));
	int fd = is_stdin ? STDIN_FILENO : open_report(file, err, sizeof(err));
	int rc;
	if (fd < 0) {
		fprintf(stderr, "dbloop show: %s\n",
			q(err, line, sizeof(line)));
		return 2;
	}
	rc = read_bounded(fd, &text, err, sizeof(err));
	if (!is_stdin)
		close(fd);
	if (rc == 0)
		rc = dbl_report_read_json(text.data ? text.data : "", text.len,
					  rep, err, sizeof(err));
	dbl_buf_release(&text);
	if (rc == -DBL_ENOMEM) {
		fprintf(stderr, "dbloop show: out of memory\n");
		return 3;
	}
	if (rc < 0) {
		fprintf(stderr, "dbloop show: '%s' is not a valid report: %s\n",
			shown, q(err, line, sizeof(line)));
		return 2;
	}
	return 0;
}

int dbl_cmd_show(int argc, char **argv)
{
	struct show_opts o = {DBL_FORMAT_TEXT, DBL_COLOR_AUTO, 0, NULL};
	struct dbl_report *rep = NULL;
	struct dbl_render_opts ro;
	struct dbl_buf out = {0};
	char err[300];
	int rc = parse_args(argc, argv, &o);
	if (rc == 1)
		return dbl_opt_print_usage(&dbl_show_spec, stdout) < 0 ? 3 : 0;
	if (rc || (rc = load(o.file, &rep)) != 0)
		return rc;
	dbl_render_opts_init(&ro, o.color, o.verbosity, STDOUT_FILENO);
	if (dbl_report_render(rep, o.format, &ro, &out) < 0 || out.oom) {
		fprintf(stderr, "dbloop show: out of memory\n");
		rc = 3;
	} else if (dbl_write_file_atomic("-", out.data ? out.data : "", out.len,
					 err, sizeof(err)) < 0) {
		fprintf(stderr, "dbloop show: %s\n", err);
		rc = 3;
	} else {
		rc = rep->ok ? 0 : 1;
	}
	dbl_buf_release(&out);
	dbl_report_free(rep);
	return rc;
}
