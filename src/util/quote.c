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

static void url(struct dbl_buf *b, const char *s, int extra)
{
	const char *more = extra == 1 ? "/" : extra == 2 ? ":[]" : "";
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;
	     p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("._~-", *p) ||
		    (*more && strchr(more, *p)))
			dbl_buf_append(b, (const char *)p, 1);
		else
			dbl_buf_printf(b, "%%%02X", *p);
	}
}

void dbl_q_url_part(struct dbl_buf *b, const char *s)
{
	url(b, s, 0);
}

void dbl_q_url_path(struct dbl_buf *b, const char *s)
{
	url(b, s, 1);
}

void dbl_q_url_host(struct dbl_buf *b, const char *s)
{
	url(b, s, 2);
}

void dbl_q_conninfo(struct dbl_buf *b, const char *s)
{
	if (!s)
		s = "";
	if (*s && !strpbrk(s, " \t\n\r\v\f'\\")) {
		dbl_buf_puts(b, s);
		return;
	}
	dbl_buf_puts(b, "'");
	for (const char *p = s; *p; p++) {
		if (*p == '\'' || *p == '\\')
			dbl_buf_puts(b, "\\");
		dbl_buf_append(b, p, 1);
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
		case 'U':
			dbl_q_url_part(b, va_arg(ap, const char *));
			break;
		case 'P':
			dbl_q_url_path(b, va_arg(ap, const char *));
			break;
		case 'H':
			dbl_q_url_host(b, va_arg(ap, const char *));
			break;
		case 'K':
			dbl_q_conninfo(b, va_arg(ap, const char *));
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
