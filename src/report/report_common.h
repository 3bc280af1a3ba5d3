/* Shared pieces of the report writers: the matrix cells, glyphs, address
 * labels, times and the cleaning of untrusted text. Private to report_*.c. */
#ifndef DBLOOP_REPORT_COMMON_H
#define DBLOOP_REPORT_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#include "dbloop/report.h"

/* What one cell of the matrix (probe x stage) shows. */
enum dbl_cell {
	DBL_CELL_OK,	     /* the stage was passed */
	DBL_CELL_FAIL,	     /* the probe stopped here */
	DBL_CELL_NOT_REACHED /* after the failing stage, or not asked */
};

enum dbl_cell dbl_rc_cell(const struct dbl_result *r, enum dbl_stage s);
/* "✓" "✗" "·", or "+" "x" "." without UTF-8. */
const char *dbl_rc_cell_glyph(enum dbl_cell c, bool utf8);
/* Glyph of a severity: ✗ ! i (x ! i). */
const char *dbl_rc_severity_glyph(enum dbl_severity s, bool utf8);
/* "→" or "->". */
const char *dbl_rc_arrow(bool utf8);

/* The deepest stage any probe of rep was asked for: the matrix columns. */
enum dbl_stage dbl_rc_last_stage(const struct dbl_report *rep);

/* The address a row shows: the probe's address, and for the name-based
 * transports the addresses tried ("localhost:5432 → ::1, 127.0.0.1").
 * Appends cleaned text to out. */
void dbl_rc_address(const struct dbl_result *r, bool utf8, struct dbl_buf *out);

/* A time as the reports show it: rounded to 0.1 ms. Writers print through
 * this so a report read back from JSON renders the same digits. */
double dbl_rc_round_ms(double ms);
void dbl_rc_put_ms(struct dbl_buf *out, double ms); /* "1.8" */
/* "12.4 ms (resolve 0, connect 0.3, greet 1.1, auth 9.8, query 1.2)" */
void dbl_rc_put_times(struct dbl_buf *out, const struct dbl_result *r);

/* True when no finding of tr has severity error and tr is ok. */
bool dbl_rc_target_healthy(const struct dbl_target_report *tr);

/* report_app.c: the app's own path block that leads a target. */
void dbl_rc_app_text(struct dbl_buf *out, const struct dbl_app_path *ap,
		     bool utf8, int width);
/* True when some finding of tr names transport t. */
bool dbl_rc_transport_explained(const struct dbl_target_report *tr,
				enum dbl_transport t);
/* Indexes of tr's findings, worst severity first (stable). idx holds
 * tr->n_findings entries; caller frees. NULL on OOM. */
size_t *dbl_rc_findings_order(const struct dbl_target_report *tr);
/* "tcp4, tcp6" for a mask; sep between names. */
void dbl_rc_transports(struct dbl_buf *out, unsigned mask, const char *sep);
/* Name of the server a target reached: "PostgreSQL 15.18 (...)", or NULL
 * when none. Caller frees. */
char *dbl_rc_server_name(const struct dbl_target_report *tr);

/* Cleaning of untrusted text (server messages, file contents) for
 * display. */
enum dbl_clean_mode {
	DBL_CLEAN_UTF8,	   /* valid UTF-8 only: bad bytes become U+FFFD */
	DBL_CLEAN_DISPLAY, /* and control characters become '?', keep \n */
	DBL_CLEAN_ASCII,   /* and anything not ASCII becomes '?' */
	DBL_CLEAN_XML	   /* UTF-8 without the characters XML 1.0 forbids */
};
/* Appends s to out cleaned by mode; trailing white space is dropped for
 * the display modes. */
void dbl_rc_clean(struct dbl_buf *out, const char *s, enum dbl_clean_mode m);
/* The display mode for ro. */
enum dbl_clean_mode dbl_rc_display_mode(bool utf8);
/* Columns s takes on a terminal (code points; wide glyphs are not used). */
size_t dbl_rc_width(const char *s, size_t n);
/* Appends n spaces. */
void dbl_rc_pad(struct dbl_buf *out, size_t n);

/* Appends text word-wrapped to width columns: first line after prefix1,
 * the next ones after prefix2 (both already in the buffer's line for the
 * first). Words longer than a line are split, never cut. Embedded new
 * lines start new lines. */
void dbl_rc_wrap(struct dbl_buf *out, const char *text, const char *prefix1,
		 const char *prefix2, int width);

/* Where a step goes, as one sentence ending in ':' ("In a shell:", "SQL
 * for PostgreSQL, run as postgres (open the client with: ...):", "In
 * FILE, line 60 becomes:", with edit_hint the client of a SQL step and "...; editing it needs root:
 * sudoedit FILE:").
 * Uncleaned: the writer cleans it. */
void dbl_rc_step_where(struct dbl_buf *out, const struct dbl_step *st,
		       bool edit_hint);
/* "sudoedit FILE" (quoted) for a config step whose file needs root, else
 * nothing. */
void dbl_rc_step_edit(struct dbl_buf *out, const struct dbl_step *st);
/* One line for a summary: the text, or "FILE line N: LINE" for a config
 * step. Uncleaned. */
void dbl_rc_step_brief(struct dbl_buf *out, const struct dbl_step *st);
/* The fence info of a step's text in markdown: sh, sql, ini, text. */
const char *dbl_rc_step_lang(const struct dbl_step *st);

#endif
