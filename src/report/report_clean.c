/* Untrusted text (server messages, file contents, saved reports) made safe
 * to show: valid UTF-8, no terminal control sequences, nothing XML 1.0
 * forbids; and word wrapping that never cuts a word off. */
#include <string.h>

#include "report/report_common.h"

/* Decodes one UTF-8 sequence at s (n bytes left). Returns its length and
 * sets *cp, or 0 when the bytes are not valid UTF-8. */
static size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
	static const unsigned min[] = {0, 0, 0x80, 0x800, 0x10000};
	size_t len;
	unsigned c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xe0) == 0xc0)
		len = 2, c &= 0x1f;
	else if ((c & 0xf0) == 0xe0)
		len = 3, c &= 0x0f;
	else if ((c & 0xf8) == 0xf0)
		len = 4, c &= 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min[len] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* What replaces code point c in mode m: NULL keeps it. */
static const char *replacement(unsigned c, enum dbl_clean_mode m)
{
	if (m == DBL_CLEAN_UTF8)
		return NULL;
	if (m == DBL_CLEAN_XML) {
		bool ok = c == '\t' || c == '\n' || c == '\r' ||
			  (c >= 0x20 && c <= 0xd7ff) ||
			  (c >= 0xe000 && c <= 0xfffd) || c >= 0x10000;
		return ok ? NULL : "\xef\xbf\xbd";
	}
	if (c == '\t')
		return " ";
	if (c == '\r')
		return "";
	if ((c < 0x20 && c != '\n') || (c >= 0x7f && c < 0xa0))
		return "?";
	if (m == DBL_CLEAN_ASCII && c >= 0x80)
		return "?";
	return NULL;
}

void dbl_rc_clean(struct dbl_buf *out, const char *s, enum dbl_clean_mode m)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p);
	if (m == DBL_CLEAN_DISPLAY || m == DBL_CLEAN_ASCII)
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\n' ||
				 p[n - 1] == '\r' || p[n - 1] == '\t'))
			n--;
	for (size_t i = 0; i < n;) {
		unsigned c;
		size_t len = utf8_decode(p + i, n - i, &c);
		if (!len) {
			dbl_buf_puts(out, m == DBL_CLEAN_ASCII
						  ? "?"
						  : "\xef\xbf\xbd");
			i++;
			continue;
		}
		const char *rep = replacement(c, m);
		if (rep)
			dbl_buf_puts(out, rep);
		else
			dbl_buf_append(out, (const char *)p + i, len);
		i += len;
	}
	if (!out->data)
		dbl_buf_puts(out, "");
}

enum dbl_clean_mode dbl_rc_display_mode(bool utf8)
{
	return utf8 ? DBL_CLEAN_DISPLAY : DBL_CLEAN_ASCII;
}

size_t dbl_rc_width(const char *s, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n && s[i]; i++) {
		if (s[i] == '\033' && i + 1 < n && s[i + 1] == '[') {
			/* Our own colour codes take no column. */
			i += 2;
			while (i < n && s[i] && !(s[i] >= '@' && s[i] <= '~'))
				i++;
			continue;
		}
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	}
	return w;
}

void dbl_rc_pad(struct dbl_buf *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dbl_buf_append(out, " ", 1);
}

/* Bytes of the longest prefix of s (n bytes) that fits in cols columns,
 * at least one character; ending after a '/', '&' or ',' when one falls in
 * the second half, so a path breaks between its parts. */
static size_t fit_bytes(const char *s, size_t n, size_t cols)
{
	size_t i = 0, w = 0, soft = 0;
	while (i < n) {
		size_t len = 1;
		while (i + len < n &&
		       ((unsigned char)s[i + len] & 0xc0) == 0x80)
			len++;
		if (w + 1 > cols && w > 0)
			break;
		i += len;
		w++;
		if (strchr("/&,", s[i - 1]) && w > cols / 2)
			soft = i;
	}
	return i < n && soft ? soft : i;
}

struct wrap_state {
	struct dbl_buf *out;
	const char *prefix2;
	size_t avail;	   /* columns after the current line's prefix */
	size_t avail_next; /* the same for the lines after it */
	size_t col;	   /* columns used after the prefix */
	bool pending;	   /* prefix2 still to write on this line */
};

static void wrap_newline(struct wrap_state *w)
{
	dbl_buf_puts(w->out, "\n");
	w->pending = true; /* written with the first word: no trailing blanks */
	w->col = 0;
	w->avail = w->avail_next;
}

static void put_prefix(struct wrap_state *w)
{
	if (w->pending)
		dbl_buf_puts(w->out, w->prefix2);
	w->pending = false;
}

static void wrap_word(struct wrap_state *w, const char *word, size_t n)
{
	size_t ww = dbl_rc_width(word, n);
	if (w->col > 0 && w->col + 1 + ww > w->avail)
		wrap_newline(w);
	else if (w->col > 0) {
		dbl_buf_puts(w->out, " ");
		w->col++;
	}
	while (w->col + ww > w->avail && n > 0) {
		/* A word longer than a line: split it where the line ends. */
		size_t b = fit_bytes(word, n, w->avail - w->col);
		put_prefix(w);
		dbl_buf_append(w->out, word, b);
		word += b, n -= b;
		ww = dbl_rc_width(word, n);
		w->col = w->avail;
		if (n)
			wrap_newline(w);
	}
	put_prefix(w);
	dbl_buf_append(w->out, word, n);
	w->col += ww;
}

/* Columns left after a prefix of p columns; never fewer than 20. */
static size_t avail_after(size_t p, int width)
{
	size_t wmax = width > 0 ? (size_t)width : 80;
	return wmax >= p + 20 ? wmax - p : 20;
}

void dbl_rc_wrap(struct dbl_buf *out, const char *text, const char *prefix1,
		 const char *prefix2, int width)
{
	struct wrap_state w = {out, prefix2, 0, 0, 0, false};
	w.avail = avail_after(dbl_rc_width(prefix1, strlen(prefix1)), width);
	w.avail_next =
		avail_after(dbl_rc_width(prefix2, strlen(prefix2)), width);
	dbl_buf_puts(out, prefix1);
	for (const char *s = text ? text : ""; *s;) {
		if (*s == '\n') {
			wrap_newline(&w);
			s++;
			continue;
		}
		if (*s == ' ') {
			s++;
			continue;
		}
		size_t n = strcspn(s, " \n");
		wrap_word(&w, s, n);
		s += n;
	}
	dbl_buf_puts(out, "\n");
}
