/* dbloop diagnose: probe every target once, classify, report, exit 0/1. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "session/session.h"
#include "util/signals.h"

static int diagnose(const struct dbl_cli *c)
{
	struct dbl_session s;
	struct dbl_probe_set *res = NULL;
	struct dbl_report *rep = NULL;
	char err[512] = "";
	int rc = dbl_session_init(&s, &c->o, &dbl_cancel, err, sizeof(err));
	if (rc == 0 && !(res = calloc(s.n_targets + 1, sizeof(*res))))
		rc = -DBL_ENOMEM;
	if (rc == 0)
		rc = dbl_session_probe(&s, NULL, res, 0);
	if (rc == 0)
		rc = dbl_session_report(&s, res, true, &rep);
	/* cancelled: write no report rather than half of one */
	if (rc == 0 && dbl_cancel)
		rc = -DBL_ECANCELED;
	if (rc == 0)
		rc = dbl_session_output(rep, &c->o, c->healthcheck, err,
					sizeof(err));
	int status = rc < 0 ? dbl_session_fail(rc, err) : rep->ok ? 0 : 1;
	if (rc == 0 && rep->n_targets == 0 && c->o.verbosity >= 0)
		fprintf(stderr, "dbloop: nothing to diagnose: no target was "
				"found\n");
	dbl_report_free(rep);
	if (res)
		dbl_probe_sets_release(res, s.n_targets);
	free(res);
	dbl_session_release(&s);
	return status;
}

int dbl_cmd_diagnose(int argc, char **argv)
{
	struct dbl_cli c;
	int status = 0;
	if (dbl_cli_start(&c, DBL_CLI_DIAGNOSE, argc, argv, &status))
		status = diagnose(&c);
	dbl_cli_release(&c);
	return status;
}
