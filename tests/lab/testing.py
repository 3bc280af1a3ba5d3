"""unittest glue for the integration tests: the skip-or-fail policy, one
test method per scenario, the report assertions, and timing figures.

With CI=true a test whose lab or dbloop binary is unavailable FAILS; without
it the test skips with the reason.  Every test class ends by asserting that
no process it started is left running.
"""

import json
import os
import sys
import time
import unittest

from . import (LabUnavailable, check_prerequisites, dbloop_bin, in_ci, mariadb, pg,
               processes_under, run_cleanups, run_root)
from . import dbloop as dbl
from . import scenarios

TIMINGS = []  # (scenario, start_s, stop_s, dbloop_s)


def require(needs_dbloop):
    """Raise unittest.SkipTest (or AssertionError under CI) when the lab cannot run."""
    try:
        check_prerequisites()
        if needs_dbloop:
            binary = dbloop_bin()
            if not binary or not os.access(binary, os.X_OK):
                raise LabUnavailable(f"DBLOOP_BIN={binary!r} is not an executable "
                                     "(run through ctest, or set it)")
    except LabUnavailable as exc:
        if in_ci():
            raise AssertionError(f"lab unavailable under CI=true: {exc}") from None
        raise unittest.SkipTest(f"lab unavailable: {exc}") from None


class LabTestCase(unittest.TestCase):
    needs_dbloop = True

    @classmethod
    def setUpClass(cls):
        require(cls.needs_dbloop)

    @classmethod
    def tearDownClass(cls):
        root = run_root()
        run_cleanups()
        left = processes_under(root)
        if TIMINGS:
            print_timings()
        if left:
            raise AssertionError(f"processes left running under {root}: {left}")


def print_timings():
    out = sys.stderr
    tmpl = {"pg_template_s": pg.TIMINGS.get("template_s"),
            "mariadb_template_s": mariadb.TIMINGS.get("template_s")}
    print(f"\nlab timings: {json.dumps(tmpl)}", file=out)
    for name, start, stop, run in TIMINGS:
        print(f"  {name:28} start {start:6.2f}s  stop {stop:5.2f}s  dbloop {run:5.2f}s", file=out)
    path = os.environ.get("DBLOOP_LAB_TIMINGS")
    if path:
        with open(path, "a") as fh:
            for row in TIMINGS:
                fh.write(json.dumps({"scenario": row[0], "start_s": row[1], "stop_s": row[2],
                                     "dbloop_s": row[3], **tmpl}) + "\n")
    TIMINGS.clear()


def text_of(finding):
    parts = [finding.get("fix") or ""] + list(finding.get("commands") or [])
    return "\n".join(p for p in parts if isinstance(p, str))


def check_report(scenario, status, report, out, err, secrets, schema=True):
    """Every way the report misses scenarios.md, as a list of sentences."""
    problems = []
    for secret in secrets:
        if secret and (secret in out or secret in err):
            problems.append("a password appears in dbloop's output")
    if report is None:
        return problems + [f"stdout is not JSON (status {status}): {out[:400]!r} "
                           f"stderr: {err[:400]!r}"]
    valid, why = dbl.validate(out) if schema else (None, "")
    if valid is False:
        problems.append(f"report fails the schema: {why[:400]}")
    if status != scenario.exit_status:
        problems.append(f"exit status {status}, want {scenario.exit_status}")
    if report.get("ok") is not (status == 0):
        problems.append(f"report ok={report.get('ok')!r} disagrees with exit status {status}")
    try:
        probes = dbl.probes_by_transport(report)
        findings = report["targets"][0].get("findings") or []
    except (KeyError, IndexError, TypeError) as exc:
        return problems + [f"no targets[0] with probes: {exc!r}"]
    for transport, want in scenario.probes.items():
        probe = probes.get(transport)
        if probe is None:
            problems.append(f"no {transport} probe")
        elif probe.get("class") != want:
            problems.append(f"{transport}: class {probe.get('class')!r}, want {want!r} "
                            f"(stage {probe.get('stage')!r}, errno {probe.get('errno')!r}, "
                            f"sqlstate {probe.get('sqlstate')!r}, "
                            f"code {probe.get('server_error_code')!r}, "
                            f"message {str(probe.get('message'))[:160]!r})")
    problems += check_findings(scenario, probes, findings)
    problems += check_probe_details(scenario, probes)
    return problems


def check_probe_details(scenario, probes, timeout_s=3.0):
    """Issue 3's facts: tarpit probes end at their deadline; a protocol
    mismatch names what answered."""
    problems = []
    for transport, probe in probes.items():
        if scenario.finding == "timeout":
            elapsed = probe.get("elapsed_ms")
            if isinstance(elapsed, (int, float)) and elapsed > timeout_s * 1200:
                problems.append(f"{transport}: tarpit probe took {elapsed} ms")
        if scenario.finding == "protocol_mismatch":
            other = "postgres" if scenario.engine == "mysql" else ("mariadb", "mysql")
            text = json.dumps(probe).lower()
            if not any(word in text for word in ((other,) if isinstance(other, str) else other)):
                problems.append(f"{transport}: the probe does not name what answered ({other})")
    return problems


KINDS = {"shell", "sql", "config", "env", "url"}


def check_steps(scenario, finding):
    """The typed steps (report schema minor 1): one per command, each of a
    known kind with its fields, and the kinds the scenario's fix needs."""
    problems = []
    steps = finding.get("steps") or []
    if len(steps) != len(finding.get("commands") or []):
        problems.append(f"{len(steps)} steps for {len(finding.get('commands') or [])} commands")
    for st in steps:
        kind = st.get("kind")
        if kind not in KINDS:
            problems.append(f"a step of unknown kind {kind!r}")
        elif kind == "sql" and (st.get("engine") != scenario.engine or not st.get("as")):
            problems.append(f"a sql step without its engine and account: {st}")
        elif kind == "config" and st.get("action") not in (
                "replace", "insert_after", "append", "comment_out"):
            problems.append(f"a config step without its action: {st}")
        elif kind == "env" and not st.get("name"):
            problems.append(f"an env step without its variable: {st}")
    want = scenarios.STEP_KINDS.get(scenario.name, set())
    have = {st.get("kind") for st in steps}
    if not want <= have:
        problems.append(f"the fix has steps of kinds {sorted(have)}, needs {sorted(want)}")
    return problems


def check_findings(scenario, probes, findings):
    problems = []
    if scenario.finding == "ok":
        errors = [f.get("class") for f in findings if f.get("severity") == "error"]
        if errors:
            problems.append(f"healthy target has error findings {errors}")
        return problems
    match = [f for f in findings if f.get("class") == scenario.finding]
    if not match:
        return [f"no {scenario.finding!r} finding among {[f.get('class') for f in findings]}"]
    finding = match[0]
    problems += check_steps(scenario, finding)
    fix = text_of(finding)
    if not (finding.get("fix") or "").strip():
        problems.append(f"{scenario.finding} finding has an empty fix")
    elif scenario.fix_terms and not any(t.lower() in fix.lower() for t in scenario.fix_terms):
        problems.append(f"fix names none of {scenario.fix_terms}: {fix[:300]!r}")
    words = getattr(scenario, "evidence", "")
    if words and not any(words in e for e in finding.get("evidence") or []):
        problems.append(f"{scenario.finding} evidence lacks {words!r}: "
                        f"{(finding.get('evidence') or [])[:6]}")
    classes = [f.get("class") for f in findings]
    for other in getattr(scenario, "also", ()):
        if other not in classes:
            problems.append(f"no {other!r} finding besides {scenario.finding!r}: {classes}")
    covered = {t for f in findings for t in (f.get("transports") or [])}
    for transport, probe in probes.items():
        if probe.get("class") != "ok" and transport not in covered:
            problems.append(f"non-ok {transport} probe is named by no finding")
    return problems


class ScenarioTests(LabTestCase):
    """Subclasses set engine; one test_<scenario> method per row is generated."""

    engine = None
    timeout = "3s"

    def run_scenario(self, name):
        scenario = scenarios.lookup(name)
        started = time.monotonic()
        with scenarios.running(name) as run:
            up = time.monotonic() - started
            began = time.monotonic()
            status, report, out, err = dbl.diagnose(run, timeout=self.timeout)
            elapsed = time.monotonic() - began
            secrets = {run.client.password, scenarios.password()}
        TIMINGS.append((name, up, run.timings.get("stop_s", 0.0), elapsed))
        problems = check_report(scenario, status, report, out, err, secrets)
        if scenario.finding == "timeout" and elapsed > float(self.timeout[:-1]) * 1.2 + 0.3:
            problems.append(f"a tarpit run took {elapsed:.2f}s, over timeout + 20%")
        if problems:
            self.fail(f"{name}:\n  " + "\n  ".join(problems))
        return report


def generate(cls, names):
    """Add one test_<name> method per scenario name to cls."""
    for name in names:
        def test(self, name=name):
            self.run_scenario(name)

        test.__name__ = f"test_{name}"
        test.__doc__ = f"scenario {name}: {scenarios.lookup(name).finding}"
        setattr(cls, test.__name__, test)
    return cls
