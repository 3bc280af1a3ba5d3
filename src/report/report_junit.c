/* JUnit XML for CI: one <testsuite> per target, one <testcase> per
 * transport, a <failure> (class, summary, fix, commands) where a probe
 * failed. Valid against the Jenkins junit-10.xsd (a copy is in
 * tests/fixtures/junit/). A probe that failed where only warnings name it
 * on a target that is ok (a transport not required) is <skipped>, so the
 * JUnit verdict matches the exit status. */
#include <stdlib.h>
#include <string.h>

#include "report/report_common.h"

/* Text as XML character data or attribute value. */
static void xml(struct dbl_buf *out, const char *s)
{
	struct dbl_buf c = {0};
	dbl_rc_clean(&c, s ? s : "", DBL_CLEAN_XML);
	for (const char *p = c.data ? c.data : ""; *p; p++) {
		switch (*p) {
		case '&':
			dbl_buf_puts(out, "&amp;");
			break;
		case '<':
			dbl_buf_puts(out, "&lt;");
			break;
		case '>':
			dbl_buf_puts(out, "&gt;");
			break;
		case '"':
			dbl_buf_puts(out, "&quot;");
			break;
		case '\'':
			dbl_buf_puts(out, "&apos;");
			break;
		case '\r':
			dbl_buf_puts(out, "&#13;");
			break;
		default:
			dbl_buf_append(out, p, 1);
		}
	}
	dbl_buf_release(&c);
}

static void seconds(struct dbl_buf *out, double ms)
{
	dbl_buf_printf(out, "%.4f", dbl_rc_round_ms(ms) / 1000.0);
}

/* How a probe's testcase ends: 0 passed, 1 failure, 2 skipped. */
static int verdict(const struct dbl_target_report *tr,
		   const struct dbl_probe_report *p)
{
	if (p->r.ok && p->cls == DBL_CLASS_OK)
		return 0;
	bool named = false;
	for (size_t i = 0; i < tr->n_findings; i++) {
		const struct dbl_finding *f = &tr->findings[i];
		if (!(f->transports & DBL_TRANSPORT_BIT(p->r.transport)))
			continue;
		named = true;
		if (f->severity == DBL_SEV_ERROR)
			return 1;
	}
	return named && tr->ok ? 2 : 1;
}

static void failure_text(struct dbl_buf *out,
			 const struct dbl_target_report *tr,
			 const struct dbl_probe_report *p)
{
	bool any = false;
	for (size_t i = 0; i < tr->n_findings; i++) {
		const struct dbl_finding *f = &tr->findings[i];
		if (!(f->transports & DBL_TRANSPORT_BIT(p->r.transport)))
			continue;
		dbl_buf_printf(out, "%s%s %s: ", any ? "\n\n" : "",
			       dbl_severity_name(f->severity),
			       dbl_class_name(f->cls));
		xml(out, f->summary);
		dbl_buf_puts(out, "\nfix: ");
		xml(out, f->fix);
		for (size_t j = 0; j < f->commands.n; j++) {
			dbl_buf_puts(out, "\n  ");
			xml(out, f->commands.items[j]);
		}
		any = true;
	}
	if (!any)
		xml(out,
		    p->r.message[0] ? p->r.message : dbl_class_name(p->cls));
}

static void testcase(struct dbl_buf *out, const struct dbl_target_report *tr,
		     const struct dbl_probe_report *p)
{
	struct dbl_buf addr = {0};
	dbl_rc_address(&p->r, true, &addr);
	dbl_buf_printf(out, "    <testcase classname=\"dbloop.%s\" name=\"%s ",
		       dbl_engine_name(tr->engine),
		       dbl_transport_name(p->r.transport));
	xml(out, addr.data);
	dbl_buf_release(&addr);
	dbl_buf_puts(out, "\" time=\"");
	seconds(out, p->r.elapsed_ms);
	const char *cls = dbl_class_name(p->cls);
	switch (verdict(tr, p)) {
	case 0:
		dbl_buf_puts(out, "\"/>\n");
		return;
	case 2:
		dbl_buf_printf(out,
			       "\">\n      <skipped message=\"%s: not "
			       "required\"/>\n",
			       cls);
		break;
	default:
		dbl_buf_printf(out,
			       "\">\n      <failure message=\"%s\" "
			       "type=\"%s\">",
			       cls, cls);
		failure_text(out, tr, p);
		dbl_buf_puts(out, "</failure>\n");
	}
	if (p->r.message[0]) {
		dbl_buf_puts(out, "      <system-out>");
		xml(out, p->r.message);
		dbl_buf_puts(out, "</system-out>\n");
	}
	dbl_buf_puts(out, "    </testcase>\n");
}

/* The app's own path (--client / --app) as the first testcase of its
 * target: it fails when the connection the app makes fails, whatever the
 * other transports do (the exit status follows it too). */
static void app_testcase(struct dbl_buf *out,
			 const struct dbl_target_report *tr)
{
	const struct dbl_app_path *ap = tr->app;
	double ms = 0;
	const struct dbl_app_step *last = NULL;
	for (size_t i = 0; i < ap->n_steps; i++)
		if (ap->steps[i].tried)
			last = &ap->steps[i];
	for (size_t i = 0; i < tr->n_probes; i++)
		for (size_t k = 0; k < ap->n_steps; k++)
			if (ap->steps[k].tried &&
			    tr->probes[i].r.transport ==
				    ap->steps[k].transport) {
				ms += dbl_rc_round_ms(
					tr->probes[i].r.elapsed_ms);
				break;
			}
	dbl_buf_printf(out,
		       "    <testcase classname=\"dbloop.%s.app\" name=\"app ",
		       dbl_engine_name(tr->engine));
	xml(out, ap->client);
	dbl_buf_puts(out, "\" time=\"");
	seconds(out, ms);
	if (ap->ok) {
		dbl_buf_puts(out, "\">\n");
	} else {
		const char *cls = last ? dbl_class_name(last->cls) : "unknown";
		dbl_buf_printf(out,
			       "\">\n      <failure message=\"the app's "
			       "connection fails: %s\" type=\"%s\">",
			       cls, cls);
		for (size_t i = 0; i < ap->n_steps; i++) {
			const struct dbl_app_step *st = &ap->steps[i];
			dbl_buf_printf(out, "%s%zu. %s ", i ? "\n" : "", i + 1,
				       dbl_transport_name(st->transport));
			xml(out, st->address);
			dbl_buf_printf(out, ": %s",
				       !st->tried ? "not tried"
				       : st->ok	  ? "ok"
						  : dbl_class_name(st->cls));
		}
		if (ap->n_steps == 0)
			dbl_buf_puts(out, "no connection this driver can make");
		dbl_buf_puts(out, "</failure>\n");
	}
	dbl_buf_puts(out, "      <system-out>");
	xml(out, ap->driver ? ap->driver : "");
	dbl_buf_puts(out, "\nrule: ");
	xml(out, ap->rule ? ap->rule : "");
	if (ap->socket) {
		dbl_buf_puts(out, "\nsocket ");
		xml(out, ap->socket);
		dbl_buf_puts(out, " from ");
		xml(out, ap->socket_source ? ap->socket_source : "default");
	}
	for (size_t i = 0; i < ap->config.n; i++) {
		dbl_buf_puts(out, "\n");
		xml(out, ap->config.items[i]);
	}
	if (ap->verified) {
		dbl_buf_puts(out, "\nverified against ");
		xml(out, ap->verified);
	}
	dbl_buf_puts(out, "</system-out>\n    </testcase>\n");
}

static void property(struct dbl_buf *out, const char *name, const char *value)
{
	dbl_buf_printf(out, "      <property name=\"%s\" value=\"", name);
	xml(out, value);
	dbl_buf_puts(out, "\"/>\n");
}

static void properties(struct dbl_buf *out, const struct dbl_report *rep,
		       const struct dbl_target_report *tr)
{
	dbl_buf_puts(out, "    <properties>\n");
	property(out, "dbloop_version",
		 rep->dbloop_version ? rep->dbloop_version : "?");
	property(out, "target", tr->target ? tr->target : "discovered");
	char *server = dbl_rc_server_name(tr);
	property(out, "server", server ? server : "none reached");
	free(server);
	for (size_t i = 0; i < tr->settings.n; i++)
		property(out, "setting", tr->settings.items[i]);
	dbl_buf_puts(out, "    </properties>\n");
}

/* Every finding, those that name no transport included. */
static void suite_out(struct dbl_buf *out, const struct dbl_target_report *tr)
{
	dbl_buf_puts(out, "    <system-out>");
	for (size_t i = 0; i < tr->n_findings; i++) {
		const struct dbl_finding *f = &tr->findings[i];
		dbl_buf_printf(out, "%s%s %s", i ? "\n" : "",
			       dbl_severity_name(f->severity),
			       dbl_class_name(f->cls));
		if (f->transports) {
			dbl_buf_puts(out, " (");
			dbl_rc_transports(out, f->transports, ", ");
			dbl_buf_puts(out, ")");
		}
		dbl_buf_puts(out, ": ");
		xml(out, f->summary);
		dbl_buf_puts(out, " fix: ");
		xml(out, f->fix);
	}
	dbl_buf_puts(out, "</system-out>\n    <system-err></system-err>\n");
}

static void suite(struct dbl_buf *out, const struct dbl_report *rep, size_t idx)
{
	const struct dbl_target_report *tr = &rep->targets[idx];
	int n[3] = {0};
	double ms = 0;
	for (size_t i = 0; i < tr->n_probes; i++) {
		n[verdict(tr, &tr->probes[i])]++;
		ms += dbl_rc_round_ms(tr->probes[i].r.elapsed_ms);
	}
	size_t tests = tr->n_probes + (tr->app ? 1 : 0);
	n[1] += tr->app && !tr->app->ok;
	dbl_buf_printf(out, "  <testsuite name=\"%s ",
		       dbl_engine_name(tr->engine));
	xml(out, tr->target ? tr->target : "discovered");
	dbl_buf_printf(out,
		       "\" tests=\"%zu\" failures=\"%d\" errors=\"0\" "
		       "skipped=\"%d\" time=\"",
		       tests, n[1], n[2]);
	seconds(out, ms);
	/* The Ant schema's timestamp has no zone designator. */
	char stamp[32] = "";
	dbl_strlcpy(stamp, rep->generated_at ? rep->generated_at : "",
		    sizeof(stamp));
	stamp[strcspn(stamp, "Z")] = '\0';
	dbl_buf_puts(out, "\" timestamp=\"");
	xml(out, stamp);
	dbl_buf_printf(out,
		       "\" hostname=\"localhost\" id=\"%zu\" "
		       "package=\"dbloop.%s\">\n",
		       idx, dbl_engine_name(tr->engine));
	properties(out, rep, tr);
	if (tr->app)
		app_testcase(out, tr);
	for (size_t i = 0; i < tr->n_probes; i++)
		testcase(out, tr, &tr->probes[i]);
	suite_out(out, tr);
	dbl_buf_puts(out, "  </testsuite>\n");
}

int dbl_report_write_junit(const struct dbl_report *rep, struct dbl_buf *out)
{
	size_t tests = 0, failures = 0;
	for (size_t i = 0; i < rep->n_targets; i++) {
		if (rep->targets[i].app) {
			tests++;
			failures += !rep->targets[i].app->ok;
		}
		for (size_t j = 0; j < rep->targets[i].n_probes; j++) {
			tests++;
			failures += verdict(&rep->targets[i],
					    &rep->targets[i].probes[j]) == 1;
		}
	}
	dbl_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	dbl_buf_printf(out,
		       "<testsuites name=\"dbloop\" tests=\"%zu\" "
		       "failures=\"%zu\" errors=\"0\" time=\"",
		       tests, failures);
	seconds(out, rep->duration_ms);
	dbl_buf_puts(out, "\">\n");
	for (size_t i = 0; i < rep->n_targets; i++)
		suite(out, rep, i);
	dbl_buf_puts(out, "</testsuites>\n");
	return out->oom ? -DBL_ENOMEM : 0;
}
