/* The option tables' parser, usage and dump (parse_options.h).
 *
 * Parsing is getopt_long with its optstring and long options built from
 * the table: "-" first (operands returned in order, so a "--" is seen
 * where it stands) or "+" (the first operand ends the options), then ':'
 * so a missing value is told from an unknown option. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/parse_options.h"

#define EACH_OPT(spec, o)                                                      \
	for (const struct dbl_opt *const *t_ = (spec)->tables; *t_; t_++)      \
		for (const struct dbl_opt *o = *t_; o->code || o->group; o++)  \
			if (o->code)

const struct dbl_opt *dbl_opt_find(const struct dbl_cmd_spec *spec, int code)
{
	EACH_OPT(spec, o)
	{
		if (o->code == code)
			return o;
	}
	return NULL;
}

const char *dbl_opt_name(const struct dbl_cmd_spec *spec, int code, char *buf,
			 size_t len)
{
	const struct dbl_opt *o = dbl_opt_find(spec, code);
	if (o && o->long_name)
		snprintf(buf, len, "--%s", o->long_name);
	else
		snprintf(buf, len, "-%c", code > 0 && code < 256 ? code : '?');
	return buf;
}

void dbl_opt_init(struct dbl_opt_iter *it, const struct dbl_cmd_spec *spec,
		  int argc, char **argv, char *err, size_t errlen)
{
	memset(it, 0, sizeof(*it));
	it->spec = spec;
	it->argc = argc;
	it->argv = argv;
	it->err = err;
	it->errlen = errlen;
	if (errlen)
		err[0] = '\0';
	size_t n = 0;
	it->shorts[n++] = spec->operands == DBL_OPERANDS_LAST ? '+' : '-';
	it->shorts[n++] = ':';
	EACH_OPT(spec, o)
	{
		if (o->short_name && n + 3 < sizeof(it->shorts)) {
			it->shorts[n++] = o->short_name;
			if (o->arg)
				it->shorts[n++] = ':';
		}
		if (o->long_name && it->n_longs < DBL_OPT_MAX)
			it->longs[it->n_longs++] = (struct option){
				o->long_name,
				o->arg ? required_argument : no_argument, NULL,
				o->code};
	}
	it->shorts[n] = '\0';
	optind = 0; /* full re-initialisation of GNU getopt */
	opterr = 0;
}

int dbl_opt_fail(struct dbl_opt_iter *it, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(it->err, it->errlen, fmt, ap);
	va_end(ap);
	return DBL_OPT_ERROR;
}

/* getopt reports "--quiet=1" (a value given to a flag) with optopt set to
 * the flag, as for an unknown short option: tell them apart by the text. */
static bool takes_no_value(const struct dbl_opt_iter *it, const char *arg,
			   int code)
{
	char name[64];
	if (code >= 256)
		return true;
	const char *eq = strchr(arg, '=');
	if (strncmp(arg, "--", 2) != 0 || !eq)
		return false;
	dbl_opt_name(it->spec, code, name, sizeof(name));
	size_t n = (size_t)(eq - arg);
	return strncmp(name, "--", 2) == 0 && strncmp(arg, name, n) == 0;
}

static int unknown(struct dbl_opt_iter *it, const char *shown, int len)
{
	char see[96] = "";
	if (it->spec->see_help)
		snprintf(see, sizeof(see), " (see 'dbloop %s --help')",
			 it->spec->name);
	return dbl_opt_fail(it, "unknown option '%.*s'%s", len, shown, see);
}

/* getopt's error returns, turned into one line. */
static int getopt_error(struct dbl_opt_iter *it, int code)
{
	const char *arg = it->argv[optind - 1];
	char name[64];
	if (code == ':')
		return dbl_opt_fail(it, "option '%s' needs a value",
				    optopt ? dbl_opt_name(it->spec, optopt,
							  name, sizeof(name))
					   : arg);
	if (optopt && dbl_opt_find(it->spec, optopt) &&
	    takes_no_value(it, arg, optopt))
		return dbl_opt_fail(
			it, "option '%s' takes no value",
			dbl_opt_name(it->spec, optopt, name, sizeof(name)));
	if (optopt > 0 && optopt < 256) {
		char c = (char)optopt;
		name[0] = '-';
		name[1] = c;
		return unknown(it, name, 2);
	}
	const char *eq = strchr(arg, '=');
	if (strncmp(arg, "--", 2) == 0 && eq)
		return unknown(it, arg, (int)(eq - arg));
	return unknown(it, arg, (int)strlen(arg));
}

/* Whether getopt stopped at a "--" (and not at the end of argv, at an
 * operand, or at a "--" that was some option's value). */
static bool stopped_at_dashdash(const struct dbl_opt_iter *it)
{
	if (optind > it->argc || optind < 2)
		return false;
	const char *prev = it->argv[optind - 1];
	return strcmp(prev, "--") == 0 && prev != it->last_value;
}

int dbl_opt_next(struct dbl_opt_iter *it, const char **arg)
{
	int code = getopt_long(it->argc, it->argv, it->shorts, it->longs, NULL);
	*arg = NULL;
	if (code == -1) {
		it->dashdash = stopped_at_dashdash(it);
		it->rest = optind;
		return DBL_OPT_DONE;
	}
	if (code == '?' || code == ':')
		return getopt_error(it, code);
	*arg = optarg;
	if (code == 1)
		return DBL_OPT_OPERAND;
	it->last_value = optarg;
	const struct dbl_opt *o = dbl_opt_find(it->spec, code);
	if (o && o->long_name && strcmp(o->long_name, "help") == 0)
		return DBL_OPT_HELP;
	if (o && (o->flags & DBL_OPT_REFUSED)) {
		char name[64];
		return dbl_opt_fail(
			it, "unknown option '%s': %s",
			dbl_opt_name(it->spec, code, name, sizeof(name)),
			o->help);
	}
	return code;
}

/* --- usage and dump -------------------------------------------------- */

#define HELP_COLUMN 28

static void usage_row(const struct dbl_opt *o, struct dbl_buf *out)
{
	char left[128];
	int n;
	if (o->short_name && o->long_name)
		n = snprintf(left, sizeof(left), "  -%c, --%s", o->short_name,
			     o->long_name);
	else if (o->short_name)
		n = snprintf(left, sizeof(left), "  -%c", o->short_name);
	else
		n = snprintf(left, sizeof(left), "      --%s", o->long_name);
	if (o->arg && n > 0 && (size_t)n < sizeof(left))
		n += snprintf(left + n, sizeof(left) - (size_t)n, " %s",
			      o->arg);
	if (n < 0)
		return;
	if (n < HELP_COLUMN - 1)
		dbl_buf_printf(out, "%-*s%s\n", HELP_COLUMN, left, o->help);
	else
		dbl_buf_printf(out, "%s  %s\n", left, o->help);
}

void dbl_opt_usage(const struct dbl_cmd_spec *spec, struct dbl_buf *out)
{
	dbl_buf_printf(out, "usage: dbloop %s %s\n", spec->name,
		       spec->synopsis);
	if (spec->about)
		dbl_buf_printf(out, "\n%s", spec->about);
	dbl_buf_puts(out, "\n");
	for (const struct dbl_opt *const *t = spec->tables; *t; t++)
		for (const struct dbl_opt *o = *t; o->code || o->group; o++) {
			if (!o->code)
				dbl_buf_printf(out, "%s\n", o->group);
			else if (!(o->flags & DBL_OPT_HIDDEN))
				usage_row(o, out);
		}
	if (spec->epilogue)
		dbl_buf_printf(out, "\n%s", spec->epilogue);
}

int dbl_opt_print_usage(const struct dbl_cmd_spec *spec, FILE *f)
{
	struct dbl_buf b = {0};
	dbl_opt_usage(spec, &b);
	if (b.oom) {
		dbl_buf_release(&b);
		return -1;
	}
	fwrite(b.data, 1, b.len, f);
	dbl_buf_release(&b);
	return 0;
}

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

void dbl_opt_dump(const struct dbl_cmd_spec *spec, struct dbl_buf *out)
{
	static const char *const completes[] = {"none", "choices", "file",
						"env"};
	EACH_OPT(spec, o)
	{
		char shrt[3] = {'-', o->short_name, '\0'}, flags[32] = "";
		if (o->flags & DBL_OPT_HIDDEN)
			strcat(flags, ",hidden");
		if (o->flags & DBL_OPT_LIST)
			strcat(flags, ",list");
		if (o->flags & DBL_OPT_REFUSED)
			strcat(flags, ",refused");
		dbl_buf_printf(out, "%s\t%s%s\t%s\t%s\t%s\t%s\n",
			       o->short_name ? shrt : "-",
			       o->long_name ? "--" : "", or_dash(o->long_name),
			       or_dash(o->arg), completes[o->complete],
			       or_dash(o->choices), or_dash(flags + !!*flags));
	}
}
