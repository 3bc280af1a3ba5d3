/* Reading and scoring a set of real messages from public threads
 * (tests/fixtures/explain/{threads,threads2,threads3,i18n,i18n2}.txt: records
 * "=== CLASS ENGINE" with source:, thread:, stack:, lang:, cause:, split:,
 * skip: and template: lines, then the message). Both halves are scored — the class
 * the text proves right first, the cause the thread confirmed among the
 * class and the alternatives, and the cause or else a proven class among
 * them — and the caller holds the held-out half to its committed floors.
 * Misses are printed (DBL_CORPUS_VERBOSE=1) for the development half
 * only: the held-out half is not looked into. */
#ifndef DBLOOP_TEST_EXPLAIN_CORPUS_H
#define DBLOOP_TEST_EXPLAIN_CORPUS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain_score.h"

struct corpus_score {
	int n, class_ok, n_cause, cause_ok, any_ok;
};

struct corpus_halves {
	struct corpus_score dev, held;
	int n_skipped; /* "skip: duplicate thread of FILE" records */
};

static inline int corpus_pct(int a, int b)
{
	return b ? a * 100 / b : 100;
}

static inline void corpus_judge(struct corpus_score *s, bool dev,
				const char *expect, const char *cause,
				const char *msg, const char *source)
{
	struct dbl_explanation e;
	assert_int_equal(dbl_explain(msg, strlen(msg), &e), 0);
	bool verbose = dev && getenv("DBL_CORPUS_VERBOSE") != NULL;
	s->n++;
	bool ok = class_accepted(expect, e.cls);
	s->class_ok += ok;
	s->any_ok += cause_or_class_listed(&e, expect, cause);
	if (!ok && verbose)
		printf("  dev miss: %s: want %s, got %s\n", source, expect,
		       dbl_class_name(e.cls));
	if (strcmp(cause, "-") != 0) {
		s->n_cause++;
		bool c = listed(&e, cause);
		s->cause_ok += c;
		if (!c && verbose)
			printf("  dev cause missing: %s: %s\n", source, cause);
	}
	dbl_explanation_release(&e);
}

static inline bool corpus_field(const char *line, const char *name, char *out,
				size_t n)
{
	size_t k = strlen(name);
	if (strncmp(line, name, k) != 0)
		return false;
	dbl_strlcpy(out, line + k, n);
	out[strcspn(out, "\n")] = '\0';
	return true;
}

/* Scores every record of the set at path into h. */
static inline void corpus_score_file(const char *path, struct corpus_halves *h)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	memset(h, 0, sizeof(*h));
	char line[4096], expect[128] = "", cause[64] = "", split[16] = "",
			 source[512] = "", other[256], dup[256] = "";
	struct dbl_buf msg = {0};
	bool in = false;
	for (;;) {
		bool eof = !fgets(line, sizeof(line), f);
		if ((eof || strncmp(line, "=== ", 4) == 0) && in) {
			bool is_dev = strcmp(split, "dev") == 0;
			assert_true(is_dev || strcmp(split, "held") == 0);
			/* "skip: duplicate thread of FILE": scored in FILE,
			 * an earlier set, on the other half; not here. */
			if (dup[0])
				h->n_skipped++;
			else
				corpus_judge(is_dev ? &h->dev : &h->held,
					     is_dev, expect, cause,
					     msg.data ? msg.data : "", source);
			dbl_buf_release(&msg);
			memset(&msg, 0, sizeof(msg));
		}
		if (eof)
			break;
		if (strncmp(line, "=== ", 4) == 0) {
			in = true;
			if (sscanf(line + 4, "%127s", expect) != 1)
				fail_msg("bad record header: %s", line);
			cause[0] = split[0] = source[0] = dup[0] = '\0';
			continue;
		}
		if (!in)
			continue;
		if (!msg.len &&
		    (corpus_field(line, "source: ", source, sizeof(source)) ||
		     corpus_field(line, "skip: ", dup, sizeof(dup)) ||
		     corpus_field(line, "cause: ", cause, sizeof(cause)) ||
		     corpus_field(line, "split: ", split, sizeof(split)) ||
		     corpus_field(line, "thread: ", other, sizeof(other)) ||
		     corpus_field(line, "stack: ", other, sizeof(other)) ||
		     corpus_field(line, "lang: ", other, sizeof(other)) ||
		     corpus_field(line, "template: ", other, sizeof(other))))
			continue;
		dbl_buf_puts(&msg, line);
	}
	fclose(f);
}

static inline void corpus_print_half(const char *set, const char *half,
				     const struct corpus_score *s)
{
	printf("explain %s: %s %d messages, class right first %d%% (%d), "
	       "cause listed %d%% (%d of %d), cause or class listed %d%% "
	       "(%d)\n",
	       set, half, s->n, corpus_pct(s->class_ok, s->n), s->class_ok,
	       corpus_pct(s->cause_ok, s->n_cause), s->cause_ok, s->n_cause,
	       corpus_pct(s->any_ok, s->n), s->any_ok);
}

/* Prints both halves and fails unless each holds at least min_n messages
 * and the held-out half reaches the floors (percent). */
static inline void corpus_check(const char *set, const struct corpus_halves *h,
				int min_n, int class_floor, int cause_floor)
{
	corpus_print_half(set, "dev", &h->dev);
	corpus_print_half(set, "held-out", &h->held);
	if (h->n_skipped)
		printf("explain %s: %d records not scored (duplicate threads "
		       "of another file)\n",
		       set, h->n_skipped);
	assert_true(h->dev.n >= min_n && h->held.n >= min_n);
	assert_true(corpus_pct(h->held.class_ok, h->held.n) >= class_floor);
	assert_true(corpus_pct(h->held.cause_ok, h->held.n_cause) >=
		    cause_floor);
}

#endif
