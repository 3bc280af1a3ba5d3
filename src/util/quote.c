/* Quoting of values for shell, SQL and config lines (util/quote.h). */
#include <stdarg.h>
#include <string.h>

#include "util/quote.h"

static bool shell_safe(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || strchr("@%+=:,./_-", c);
}

void dbl_q_shell(struct dbl_buf *b, const char *s)
{
	if (!s)
		s = "";
	bool bare = *s != '\0';
	for (const char *p = s; *p && bare; p++)
		bare = shell_safe((unsigned char)*p);
	if (bare) {
		dbl_buf_puts(b, s);
		return;
	}
	dbl_buf_puts(b, "'");
	for (const char *p = s; *p; p++) {
		if (*p == '\'')
			dbl_buf_puts(b, "'\\''");
		else
			dbl_buf_append(b, p, 1);
	}
	dbl_buf_puts(b, "'");
}

void dbl_q_pg_literal(struct dbl_buf *b, const char *s)
{
	if (!s)
		s = "";
	bool bs = strchr(s, '\\') != NULL;
	dbl_buf_puts(b, bs ? "E'" : "'");
	for (const char *p = s; *p; p++) {
		if (*p == '\'' || (*p == '\\' && bs))
			dbl_buf_append(b, p, 1);
		dbl_buf_append(b, p, 1);
	}
	dbl_buf_puts(b, "'");
}

static void doubled(struct dbl_buf *b, const char *s, char q)
{
	if (!s)
		s = "";
	dbl_buf_append(b, &q, 1);
	for (const char *p = s; *p; p++) {
		if (*p == q)
			dbl_buf_append(b, p, 1);
		dbl_buf_append(b, p, 1);
	}
	dbl_buf_append(b, &q, 1);
}

void dbl_q_pg_ident(struct dbl_buf *b, const char *s)
{
	doubled(b, s, '"');
}

void dbl_q_my_ident(struct dbl_buf *b, const char *s)
{
	doubled(b, s, '`');
}

void dbl_q_my_literal(struct dbl_buf *b, const char *s)
{
	if (!s)
		s = "";
	dbl_buf_puts(b, "'");
	for (const char *p = s; *p; p++) {
		switch (*p) {
		case '\\':
			dbl_buf_puts(b, "\\\\");
			break;
		case '\'':
			dbl_buf_puts(b, "\\'");
			break;
		case '"':
			dbl_buf_puts(b, "\\\"");
			break;
		case '\n':
			dbl_buf_puts(b, "\\n");
			break;
		case '\r':
			dbl_buf_puts(b, "\\r");
			break;
		case '\032':
			dbl_buf_puts(b, "\\Z");
			break;
		default:
			dbl_buf_append(b, p, 1);
		}
	}
	dbl_buf_puts(b, "'");
}

bool dbl_q_conf_ok(const char *s)
{
	if (!s || !*s)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f || strchr("#'\"\\|&`$", *p))
			return false;
	return true;
}

void dbl_vqfmt(struct dbl_buf *b, const char *fmt, va_list ap)
{
	for (const char *p = fmt; *p; p++) {
		const char *e = strchr(p, '%');
		if (!e) {
			dbl_buf_puts(b, p);
			return;
		}
		dbl_buf_append(b, p, (size_t)(e - p));
		p = e + 1;
		switch (*p) {
		case '%':
			dbl_buf_puts(b, "%");
			break;
		case 'd':
			dbl_buf_printf(b, "%d", va_arg(ap, int));
			break;
		case 'q':
			dbl_q_shell(b, va_arg(ap, const char *));
			break;
		case 'L':
			dbl_q_pg_literal(b, va_arg(ap, const char *));
			break;
		case 'I':
			dbl_q_pg_ident(b, va_arg(ap, const char *));
			break;
		case 'M':
			dbl_q_my_literal(b, va_arg(ap, const char *));
			break;
		case 'B':
			dbl_q_my_ident(b, va_arg(ap, const char *));
			break;
		default:
			dbl_buf_puts(b, "%?");
			b->oom = true;
			return;
		}
	}
}

void dbl_qfmt(struct dbl_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dbl_vqfmt(b, fmt, ap);
	va_end(ap);
}

char *dbl_qfmt_new(const char *fmt, ...)
{
	struct dbl_buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	dbl_vqfmt(&b, fmt, ap);
	va_end(ap);
	if (b.oom) {
		dbl_buf_release(&b);
		return NULL;
	}
	return b.data ? dbl_buf_detach(&b) : dbl_strdup("");
}
