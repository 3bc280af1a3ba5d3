/* dbloop explain's client block (explain_client_out.c): the app's driver
 * the message or --client names, and the path it takes for the host. */
#ifndef DBLOOP_EXPLAIN_CLIENT_OUT_H
#define DBLOOP_EXPLAIN_CLIENT_OUT_H

#include <stdio.h>

#include "dbloop/explain.h"

struct cJSON;

/* dbl_explain_in.php_ini over phpini.c; ctx is the root ("" or NULL: /). */
int dbl_explain_php_ini(void *ctx, const char *key, char **value,
			char **source);

/* The block's lines in text output; nothing when no client was named. */
void dbl_explain_client_print(FILE *out, const struct dbl_explanation *e);

/* The "client" member: an object, JSON null when none, NULL on OOM. */
struct cJSON *dbl_explain_client_json(const struct dbl_explanation *e);

#endif
