"""Every report format of `dbloop diagnose` against every scenario of the lab.

For each scenario of tests/lab/scenarios.py (the spec's rows and the two
IPv6-disabled extras) the scenario is brought up once and the built dbloop
(DBLOOP_BIN) is run against it in every format: text (--color never), json,
markdown and junit, each to stdout and through -o FILE (the format of -o
taken from the file's extension), and --redact in json and text, to stdout
and -o. Then, for the saved JSON, `dbloop show` in text, markdown, json and
junit. Asserted:

- every JSON (stdout, -o, redacted, show's) validates against
  docs/report.schema.json through tests/tools/validate_report.py;
- no password appears in any stdout, stderr or -o file: the lab's random
  one, the scenario client's (a wrong one in the *_wrong_password rows),
  and distinctive PGPASSWORD / MYSQL_PWD values set in the environment of
  every run; for pg_ok and my_ok also a run whose only password is the real
  one in PGPASSWORD / MYSQL_PWD (it must log in: exit 0);
- --redact output names none of the scenario's user, database and host
  names nor any path of the lab (the run root /tmp/dbloop-lab-...), in any
  string of the JSON (walked) or in the text (-v), markdown and junit, and
  no absolute path at all; each user, database and path of the plain report
  has one placeholder, the same everywhere; `show` renders the redacted
  JSON; the unredacted JSON does name the user and a lab path, so the check
  is not vacuous;
- JUnit validates with xmllint against tests/fixtures/junit/junit-10.xsd,
  has one <testsuite> per target and one <testcase> per probe, a <failure>
  (type = the probe's class) exactly for the non-ok probes of a target that
  is not ok; `--require tcp4` on rows where tcp4 works gives exit 0, no
  <failure>, and a <skipped> for each non-ok probe; `-e all` gives two
  suites;
- markdown has the matrix table (a row per probe) and a <details> block;
- -o writes atomically: the directory holds exactly the reports asked for,
  no temporary file, and an existing report is replaced by rename (a new
  inode), never rewritten in place;
- text with --color never has no escape sequence and fits 80 columns
  (commands, ready to paste, excepted);
- `dbloop show REPORT.json` renders the same text twice, exits with the
  status diagnose had, re-emits the JSON byte for byte, and renders the
  same structure as `diagnose -f text` (a separate run, since one run
  writes one format): the matrix rows' transports and classes, the finding
  headers (severity, class, transports) and the fix sentences.

Run: cd tests/integration && CI=true DBLOOP_BIN=... PYTHONPATH=..
/usr/bin/python3 -m unittest -v test_report_formats
"""

import importlib.util
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import time
import unittest
import xml.etree.ElementTree as ET

from lab import dbloop as dbl
from lab import dbloop_bin, run_root, scenarios, testing

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
XSD = os.path.join(TESTS, "fixtures", "junit", "junit-10.xsd")
PG_DECOY = "dblpgenv-" + secrets.token_hex(8)
MY_DECOY = "dblmyenv-" + secrets.token_hex(8)
DECOY_ENV = {"PGPASSWORD": PG_DECOY, "MYSQL_PWD": MY_DECOY}
TRANSPORT_ROW = re.compile(r"^  (unix|tcp4|tcp6|localhost|host)\s+(.*\S)\s*$")
FINDING_HEAD = re.compile(r"^  \S+ (error|warning|info)\s+(\S+)(?: \(([^)]*)\))?\s*$")
LOOPBACK = ("localhost", "127.0.0.1", "::1")
# an absolute path: a slash not inside a word, a URL ("://") or a placeholder
ABS_PATH = re.compile(r"(?<![\w<>.:/])/[\w.@-]+(?:/[\w.@-]*)*")
PLACEHOLDER = re.compile(r"<(user|db|host|path)[0-9]+>")
# --client per scenario for exercise_app: a path that works (the socket the
# lab gives with -S), one where only the app's path works (TCP off), one
# where it fails (a socket path the server does not use)
APP_CLIENT = {"pg_ok": "php-pdo-pgsql", "my_ok": "php-mysqli",
              "my_skip_networking": "php-mysqli", "my_wrong_socket_path": "php-pdo-mysql",
              "pg_tcp_disabled": "jdbc-postgresql"}
STATS = {"scenarios": 0, "runs": 0, "show": 0, "text_exact": 0, "text_differs": [],
         "app": []}


def _load_validator():
    spec = importlib.util.spec_from_file_location("validate_report", dbl.VALIDATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def all_scenarios():
    return scenarios.names() + list(scenarios.EXTRA)


def words_re(words):
    """A regex matching any of words as a whole word (not inside another)."""
    alts = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True) if w)
    return re.compile(rf"(?<![A-Za-z0-9_])(?:{alts})(?![A-Za-z0-9_])") if alts else None


def json_strings(node, path="$"):
    """(path, string) for every string value of a parsed JSON document."""
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from json_strings(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from json_strings(value, f"{path}[{i}]")


class Output:
    """One dbloop run: argv tail, status, stdout, stderr, the -o file's text."""

    def __init__(self, label, status, out, err, file_text=None):
        self.label, self.status, self.out, self.err = label, status, out, err
        self.file_text = file_text

    @property
    def report_text(self):
        return self.file_text if self.file_text is not None else self.out

    def texts(self):
        yield f"{self.label} stdout", self.out
        yield f"{self.label} stderr", self.err
        if self.file_text is not None:
            yield f"{self.label} -o file", self.file_text


class ScenarioFormats:
    """Runs every format against one running scenario and collects problems."""

    def __init__(self, run, validator):
        self.run = run
        self.validator = validator
        self.scenario = run.scenario
        self.problems = []
        self.outputs = []
        self.outdir = os.path.join(run.dir, "reports")
        self.scratch = os.path.join(run.dir, "scratch")
        os.mkdir(self.outdir, 0o755)
        os.mkdir(self.scratch, 0o755)
        if run.client.run_as:
            shutil.chown(self.outdir, run.client.run_as)
        self.expected_files = set()
        self.timeout = "1s" if self.scenario.finding == "timeout" else "3s"

    def fail(self, what):
        self.problems.append(what)

    # -- running dbloop ---------------------------------------------------------

    def base_args(self, password_env=True):
        args = dbl.client_args(self.run.client, self.timeout)
        if not password_env:
            i = args.index("--password-env")
            del args[i:i + 2]
        return args

    def diagnose(self, label, fmt_args, out_name=None, env=None, password_env=True,
                 extra=()):
        args = ["diagnose"] + self.base_args(password_env) + list(extra) + list(fmt_args)
        path = None
        if out_name:
            path = os.path.join(self.outdir, out_name)
            args += ["-o", path]
        status, out, err = dbl.run_dbloop(self.run, args, env=dict(DECOY_ENV, **(env or {})))
        STATS["runs"] += 1
        text = None
        if path:
            self.expected_files.add(out_name)
            self.check_atomic(label)
            if os.path.exists(path):
                with open(path, encoding="utf-8", errors="replace") as fh:
                    text = fh.read()
            else:
                self.fail(f"{label}: -o {out_name} not written (status {status}, "
                          f"stderr {err[:200]!r})")
                text = ""
            if out.strip():
                self.fail(f"{label}: with -o FILE stdout is not empty: {out[:200]!r}")
        if status not in (0, 1):
            self.fail(f"{label}: exit status {status}, stderr {err[:300]!r}")
        result = Output(label, status, out, err, text)
        self.outputs.append(result)
        return result

    def show(self, label, path, fmt_args=()):
        argv = [dbloop_bin(), "show"] + list(fmt_args) + [path]
        res = subprocess.run(argv, capture_output=True, text=True, timeout=30, cwd="/",
                             env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
        STATS["show"] += 1
        result = Output(label, res.returncode, res.stdout, res.stderr)
        self.outputs.append(result)
        return result

    def check_atomic(self, label):
        present = set(os.listdir(self.outdir))
        if present != self.expected_files:
            self.fail(f"{label}: after -o the directory holds {sorted(present)}, "
                      f"want {sorted(self.expected_files)}")
            self.expected_files |= present  # report each stray file once

    # -- per-format checks ---------------------------------------------------------

    def parse_json(self, output):
        text = output.report_text
        try:
            report = json.loads(text)
        except ValueError as exc:
            self.fail(f"{output.label}: not JSON ({exc}): {text[:200]!r}")
            return None
        path = os.path.join(self.scratch, "report.json")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
        why = self.validator.problems(self.schema, path)
        if why:
            self.fail(f"{output.label}: fails the schema: {'; '.join(why)[:500]}")
        if report.get("ok") is not (output.status == 0):
            self.fail(f"{output.label}: ok={report.get('ok')!r} but exit status {output.status}")
        return report

    def check_junit(self, output, report=None, require_tcp4=False):
        """xmllint against the XSD; suites/testcases/failures against report."""
        text = output.report_text
        path = os.path.join(self.scratch, "report.xml")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
        res = subprocess.run(["xmllint", "--noout", "--schema", XSD, path],
                             capture_output=True, text=True, timeout=60)
        if res.returncode != 0:
            self.fail(f"{output.label}: xmllint --schema junit-10.xsd: "
                      f"{res.stderr.strip()[:500]}")
        try:
            root = ET.fromstring(text.encode("utf-8"))
        except ET.ParseError as exc:
            self.fail(f"{output.label}: not XML: {exc}")
            return None
        suites = root.findall("testsuite") if root.tag == "testsuites" else [root]
        for suite in suites:
            self.check_suite_counts(output.label, suite)
        if require_tcp4:
            failures = [tc.get("name") for s in suites for tc in s.findall("testcase")
                        if tc.find("failure") is not None]
            if (output.status == 0) != (not failures):
                self.fail(f"{output.label}: exit status {output.status} but failures {failures}")
        if report is not None:
            self.check_junit_against(output.label, suites, report)
        return suites

    def check_suite_counts(self, label, suite):
        cases = suite.findall("testcase")
        counts = {"tests": len(cases),
                  "failures": sum(tc.find("failure") is not None for tc in cases),
                  "skipped": sum(tc.find("skipped") is not None for tc in cases)}
        for attr, want in counts.items():
            got = suite.get(attr)
            if got is not None and got != str(want):
                self.fail(f"{label}: suite {suite.get('name')!r} {attr}={got}, "
                          f"but it holds {want}")

    def check_junit_against(self, label, suites, report):
        targets = report.get("targets") or []
        if len(suites) != len(targets):
            self.fail(f"{label}: {len(suites)} <testsuite>, report has {len(targets)} targets")
            return
        for suite, target in zip(suites, targets):
            cases = suite.findall("testcase")
            apps = [tc for tc in cases if tc.get("name", "").startswith("app ")]
            cases = [tc for tc in cases if tc not in apps]
            self.check_app_case(label, apps, target.get("app"))
            probes = target.get("probes") or []
            got = [tc.get("name", "").split(" ", 1)[0] for tc in cases]
            want = [p.get("transport") for p in probes]
            if got != want:
                self.fail(f"{label}: testcases {got}, probes {want}")
                continue
            for tc, probe in zip(cases, probes):
                self.check_verdict(label, tc, probe, target)

    def check_app_case(self, label, apps, app):
        """--client / --app: one testcase "app NAME", first, failing iff the app's path does."""
        if not app:
            if apps:
                self.fail(f"{label}: app testcase {apps[0].get('name')!r} without an app block")
            return
        if len(apps) != 1 or apps[0].get("name") != f"app {app.get('client')}":
            self.fail(f"{label}: app testcases {[tc.get('name') for tc in apps]}, "
                      f"want ['app {app.get('client')}']")
            return
        failed = apps[0].find("failure") is not None
        if failed == bool(app.get("ok")):
            self.fail(f"{label}: app testcase failure={failed} but app ok={app.get('ok')}")

    def check_verdict(self, label, tc, probe, target):
        transport, cls = probe.get("transport"), probe.get("class")
        errors = [f for f in target.get("findings") or []
                  if transport in (f.get("transports") or []) and f.get("severity") == "error"]
        if probe.get("ok") and cls == "ok":
            want = "pass"
        elif errors or not target.get("ok"):
            want = "failure"
        else:
            want = "skipped"
        failure, skipped = tc.find("failure"), tc.find("skipped")
        got = "failure" if failure is not None else "skipped" if skipped is not None else "pass"
        if got != want:
            self.fail(f"{label}: {transport} ({cls}, target ok={target.get('ok')}) is "
                      f"{got}, want {want}")
        elif failure is not None and failure.get("type") != cls:
            self.fail(f"{label}: {transport} failure type {failure.get('type')!r}, want {cls!r}")

    def check_markdown(self, output, report):
        text = output.report_text
        lines = text.splitlines()
        header = [i for i, ln in enumerate(lines) if ln.startswith("| transport |")]
        if not header or not lines[header[0] + 1].startswith("|---"):
            self.fail(f"{output.label}: no matrix table (| transport | ... then |---|)")
        else:
            rows = []
            for ln in lines[header[0] + 2:]:
                if not ln.startswith("|"):
                    break
                rows.append(ln.split("|")[1].strip())
            want = [p.get("transport") for p in report["targets"][0].get("probes") or []] \
                if report else None
            if want is not None and rows != want:
                self.fail(f"{output.label}: table rows {rows}, probes {want}")
        opened, closed = text.find("<details>"), text.find("</details>")
        if opened < 0 or closed < opened:
            self.fail(f"{output.label}: no <details> ... </details> block")

    # -- secrets and redaction -------------------------------------------------------

    def check_secrets(self, passwords):
        for output in self.outputs:
            for where, text in output.texts():
                for pw in passwords:
                    if pw and pw in text:
                        self.fail(f"password {pw[:9]}... appears in {where}")

    def redact_patterns(self):
        c = self.run.client
        users = {c.user, "app"} | ({c.run_as} if c.run_as else set())
        hosts = {socket.gethostname(), socket.getfqdn()} - set(LOOPBACK)
        names = words_re(users | {c.database, "appdb"} | hosts)
        paths = [run_root(), self.run.dir, c.home, c.socket, "dbloop-lab-"]
        return names, [p for p in paths if p]

    def forbidden_in(self, text):
        names, paths = self.redact_patterns()
        hits = [p for p in paths if p in text]
        hits += [p for p in ABS_PATH.findall(text) if p not in hits]
        if names:
            hits += sorted({m.group(0) for m in names.finditer(text)})
        return hits

    def check_redacted_json(self, output, report):
        if report is None:
            return
        if report.get("redacted") is not True:
            self.fail(f"{output.label}: \"redacted\" is {report.get('redacted')!r}, want true")
        for path, value in json_strings(report):
            hits = self.forbidden_in(value)
            if hits:
                self.fail(f"{output.label}: {path} keeps {hits}: {value[:200]!r}")

    def check_redacted_text(self, output):
        for i, line in enumerate(output.report_text.splitlines(), 1):
            hits = self.forbidden_in(line)
            if hits:
                self.fail(f"{output.label}: line {i} keeps {hits}: {line[:200]!r}")

    def check_not_vacuous(self, report):
        """The plain report names what --redact must hide (else the check proves nothing)."""
        if report is None:
            return
        strings = "\n".join(v for _, v in json_strings(report))
        c = self.run.client
        if not re.search(rf"(?<![A-Za-z0-9_]){re.escape(c.user)}(?![A-Za-z0-9_])", strings):
            self.fail(f"plain json never names the user {c.user!r}: redaction check is vacuous")
        if run_root() not in strings:
            self.fail("plain json names no path of the lab: redaction check is vacuous")

    def check_placeholders(self, label, plain, redacted):
        """Each user, database and pure path of the plain report has one placeholder,
        the same at every place, and no two share one (reports of two runs, so only
        the probes' fields, whose layout does not depend on timing, are paired)."""
        if plain is None or redacted is None:
            return
        c = self.run.client
        plain_at = {p: v for p, v in json_strings(plain) if ".findings" not in p}
        redacted_at = dict(json_strings(redacted))
        to_ph, from_ph = {}, {}
        for path, value in plain_at.items():
            is_path = value.startswith("/") and " " not in value and len(value) > 1
            if not (is_path or value in (c.user, c.database)) or path not in redacted_at:
                continue
            ph = redacted_at[path]
            if not PLACEHOLDER.fullmatch(ph):
                self.fail(f"{label}: {path}: {value!r} became {ph!r}, not a placeholder")
                continue
            to_ph.setdefault(value, set()).add(ph)
            from_ph.setdefault(ph, set()).add(value)
        for value, phs in to_ph.items():
            if len(phs) > 1:
                self.fail(f"{label}: {value!r} has several placeholders {sorted(phs)}")
        for ph, values in from_ph.items():
            if len(values) > 1:
                self.fail(f"{label}: {ph} stands for several values {sorted(values)}")

    def check_plain_text(self, output, width=True):
        """--color never: no escape sequence; text within 80 columns but commands."""
        for where, text in output.texts():
            if "\x1b" in text and "stderr" not in where:
                self.fail(f"{where}: an escape sequence with --color never")
        if not width:
            return
        in_commands = False
        in_summary = True
        for i, line in enumerate(output.report_text.splitlines(), 1):
            stripped = line.strip()
            if in_summary and stripped:
                # The summary: "postgres  ✗ class → first command"; the
                # command pastes as one line, the verdict fits.
                verdict = re.split(r" (?:→|->) ", line, maxsplit=1)[0]
                if len(verdict) > 80:
                    self.fail(f"{output.label}: summary line {i} has {len(verdict)} columns "
                              f"before its command: {line[:100]!r}")
                continue
            in_summary = False
            if stripped in ("commands:", "steps:"):
                in_commands = stripped
                continue
            if in_commands == "commands:" and line.startswith("      ") and stripped:
                continue  # commands are ready to paste: never wrapped
            if in_commands == "steps:" and line.startswith("      "):
                if line.startswith("           "):
                    continue  # a step's text pastes as one line: never wrapped
                if len(line) <= 80:
                    continue  # where it goes, wrapped
            in_commands = False
            if len(line) > 80:
                self.fail(f"{output.label}: line {i} has {len(line)} columns: {line[:100]!r}")

    # -- show --------------------------------------------------------------------------

    def check_show(self, saved_path, saved_text, saved_status, diag_text):
        one = self.show("show text", saved_path, ["--color", "never"])
        two = self.show("show text again", saved_path, ["--format", "text", "--color", "never"])
        if one.status != saved_status:
            self.fail(f"show exits {one.status}, diagnose exited {saved_status}: {one.err[:200]!r}")
        if one.out != two.out or not one.out:
            self.fail("show renders the same report differently twice (or not at all)")
        if one.err:
            self.fail(f"show writes to stderr: {one.err[:200]!r}")
        as_json = self.show("show json", saved_path, ["--format", "json"])
        if as_json.out != saved_text:
            self.fail("show --format json does not re-emit the saved report byte for byte: "
                      + first_difference(saved_text, as_json.out))
        md = self.show("show markdown", saved_path, ["--format", "markdown"])
        junit = self.show("show junit", saved_path, ["--format", "junit"])
        report = json.loads(saved_text)
        self.check_markdown(md, report)
        self.check_junit(junit, report)
        self.compare_text(one.out, diag_text)

    def compare_text(self, shown, diagnosed):
        if normalise(shown) == normalise(diagnosed):
            STATS["text_exact"] += 1
            return
        STATS["text_differs"].append(self.scenario.name)
        got, want = structure(shown), structure(diagnosed)
        for key in want:
            if got[key] != want[key]:
                self.fail(f"show text and diagnose text differ in {key}: "
                          f"show {got[key]} vs diagnose {want[key]}")


def normalise(text):
    """Text modulo what differs between two runs: the server's uptime."""
    return re.sub(r"up for \d+ s", "up for N s", text)


def structure(text):
    """What must agree between two runs' texts: matrix, finding heads, fixes."""
    rows, heads, fixes = [], [], []
    fix = None
    for line in text.splitlines():
        m = TRANSPORT_ROW.match(line)
        if m:
            rows.append((m.group(1), m.group(2).split()[-1]))
            continue
        m = FINDING_HEAD.match(line)
        if m:
            heads.append(m.groups())
            continue
        stripped = line.strip()
        if stripped.startswith("fix:"):
            fix = [stripped[4:].strip()]
        elif fix is not None and line.startswith("         ") and stripped:
            fix.append(stripped)
        elif fix is not None:
            fixes.append(" ".join(fix))
            fix = None
    if fix is not None:
        fixes.append(" ".join(fix))
    return {"matrix rows": rows, "finding heads": heads, "fixes": fixes}


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"at byte {i}: {a[max(0, i - 40):i + 40]!r} vs {b[max(0, i - 40):i + 40]!r}"
    return f"lengths {len(a)} and {len(b)}"


class ReportFormatTests(testing.LabTestCase):
    """One test per scenario; see the module docstring."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.validator = _load_validator()
        cls.schema = cls.validator.load_schema()
        cls.started = time.monotonic()

    @classmethod
    def tearDownClass(cls):
        elapsed = time.monotonic() - cls.started
        differs = STATS["text_differs"]
        print(f"\nreport formats: {STATS['scenarios']} scenarios, {STATS['runs']} diagnose "
              f"runs, {STATS['show']} show runs, {elapsed:.1f}s; show text == diagnose text "
              f"(modulo uptime) in {STATS['text_exact']}, structure only in "
              f"{len(differs)} {differs}; --client app paths: {STATS['app']}", flush=True)
        super().tearDownClass()

    def run_formats(self, name):
        if shutil.which("xmllint") is None:
            testing.unavailable(self, "xmllint not found: apt-get install libxml2-utils")
        with scenarios.running(name) as run:
            checks = ScenarioFormats(run, self.validator)
            checks.schema = self.schema
            self.exercise(checks)
            passwords = {run.client.password, scenarios.password(), PG_DECOY, MY_DECOY}
            checks.check_secrets(passwords)
        STATS["scenarios"] += 1
        if checks.problems:
            self.fail(f"{name}:\n  " + "\n  ".join(checks.problems))

    def exercise(self, c):
        text = c.diagnose("text", ["-f", "text", "--color", "never"])
        c.check_plain_text(text)
        text_o = c.diagnose("text -o", ["--color", "never"], out_name="report.txt")
        c.check_plain_text(text_o)
        for key, value in structure(text.out).items():
            if structure(text_o.report_text)[key] != value:
                c.fail(f"text -o and text on stdout differ in {key}")
        plain = c.parse_json(c.diagnose("json", ["-f", "json"]))
        c.check_not_vacuous(plain)
        saved = self.replace_existing(c, "report.json")
        saved_report = c.parse_json(saved)
        for label, args, out_name in (("markdown", ["-f", "markdown"], None),
                                      ("markdown -o", [], "report.md")):
            c.check_markdown(c.diagnose(label, args, out_name), plain)
        for label, args, out_name in (("junit", ["-f", "junit"], None),
                                      ("junit -o", [], "report.xml")):
            c.check_junit(c.diagnose(label, args, out_name), plain)
        for label, args, out_name in (("redact json", ["-f", "json"], None),
                                      ("redact json -o", [], "redacted.json")):
            out = c.diagnose(label, ["--redact"] + args, out_name)
            redacted = c.parse_json(out)
            if out_name and redacted is not None:
                shown = c.show("show redacted", os.path.join(c.outdir, out_name),
                               ["--color", "never"])
                if shown.status != out.status or not shown.out or shown.err:
                    c.fail(f"show of the redacted report: exit {shown.status} (diagnose "
                           f"{out.status}), stderr {shown.err[:200]!r}")
                c.check_redacted_text(shown)
            c.check_redacted_json(out, redacted)
            c.check_placeholders(label, plain, redacted)
        # -v adds the raw driver messages and every address tried
        for label, args, out_name in (("redact text -v", ["-f", "text", "-v"], None),
                                      ("redact text -o", [], "redacted.txt"),
                                      ("redact markdown", ["-f", "markdown"], None),
                                      ("redact junit", ["-f", "junit"], None)):
            out = c.diagnose(label, ["--redact", "--color", "never"] + args, out_name)
            c.check_redacted_text(out)
            if "text" in label:
                c.check_plain_text(out, width=False)
        if saved_report is not None:
            c.check_junit(c.show("show junit of -o", os.path.join(c.outdir, "report.json"),
                                 ["--format", "junit"]), saved_report)
            c.check_show(os.path.join(c.outdir, "report.json"), saved.file_text, saved.status,
                         text.out)
        self.exercise_require(c)
        if c.scenario.name in ("pg_ok", "my_ok"):
            self.exercise_env_password(c)
            self.exercise_two_engines(c)
        if c.scenario.name in APP_CLIENT:
            self.exercise_app(c)

    def replace_existing(self, c, name):
        """-o over an existing file: renamed over it (a new inode), never rewritten."""
        path = os.path.join(c.outdir, name)
        with open(path, "w") as fh:
            fh.write("{\"partial\": ")
        if c.run.client.run_as:
            shutil.chown(path, c.run.client.run_as)
        before = os.stat(path).st_ino
        c.expected_files.add(name)
        out = c.diagnose("json -o (over a file)", [], out_name=name)
        if os.path.exists(path) and os.stat(path).st_ino == before:
            c.fail(f"-o {name} rewrote the existing file in place (same inode)")
        return out

    def exercise_require(self, c):
        """--require tcp4 where tcp4 works: exit 0, no <failure>, the rest <skipped>."""
        probes = c.scenario.probes
        if probes.get("tcp4") != "ok" or all(v == "ok" for v in probes.values()):
            return
        out = c.diagnose("junit --require tcp4", ["-f", "junit"], extra=["--require", "tcp4"])
        suites = c.check_junit(out, require_tcp4=True) or []
        if out.status != 0:
            c.fail(f"--require tcp4 with tcp4 ok exits {out.status}")
        cases = {tc.get("name", "").split(" ", 1)[0]: tc
                 for s in suites for tc in s.findall("testcase")}
        for transport, cls in probes.items():
            tc = cases.get(transport)
            if cls != "ok" and tc is not None and tc.find("skipped") is None:
                c.fail(f"--require tcp4: non-required {transport} ({cls}) is not <skipped>")

    def exercise_app(self, c):
        """--client: the app block in JSON, markdown, JUnit and text, and through show."""
        client = APP_CLIENT[c.scenario.name]
        extra = ["--client", client]
        report = c.parse_json(c.diagnose("app json", ["-f", "json"], out_name="app.json",
                                         extra=extra))
        app = ((report or {}).get("targets") or [{}])[0].get("app")
        if not app or app.get("client") != client:
            c.fail(f"--client {client}: no app block in the JSON: {app!r}")
            return
        STATS["app"].append(f"{c.scenario.name}:{client}:{'ok' if app.get('ok') else 'fails'}")
        if report.get("ok") is not bool(app.get("ok")):
            c.fail(f"--client {client}: report ok={report.get('ok')} but app ok={app.get('ok')}")
        saved = os.path.join(c.outdir, "app.json")
        for label, run in (("app", lambda f: c.diagnose(f"app {f}", ["-f", f, "--color", "never"],
                                                        extra=extra)),
                           ("show app", lambda f: c.show(f"show app {f}", saved,
                                                         ["--format", f, "--color", "never"]))):
            md, junit, text = run("markdown"), run("junit"), run("text")
            if f"### App path: `{client}`" not in md.out:
                c.fail(f"{label} markdown: no '### App path: `{client}`' block")
            c.check_markdown(md, report)
            c.check_junit(junit, report)
            if f"App path ({client}" not in text.out:
                c.fail(f"{label} text: no 'App path ({client}' block")
            for step in app.get("steps") or []:
                for out in (md, text):
                    if step["address"] not in out.out:
                        c.fail(f"{out.label}: step {step['address']} not shown")
            for line in app.get("config") or []:
                if line not in text.out:
                    c.fail(f"{label} text: config {line!r} not shown")
        shown = c.show("show app json", saved, ["--format", "json"])
        with open(saved, encoding="utf-8") as fh:
            if shown.out != fh.read():
                c.fail("show --format json drops or changes the app block")

    def exercise_env_password(self, c):
        """The real password only in PGPASSWORD / MYSQL_PWD: used, and never printed."""
        var = "PGPASSWORD" if c.scenario.engine == "postgres" else "MYSQL_PWD"
        env = {var: c.run.client.password}
        for label, args in (("env password json", ["-f", "json"]),
                            ("env password text", ["-f", "text", "--color", "never"]),
                            ("env password junit", ["-f", "junit", "-v"])):
            out = c.diagnose(label, args, env=env, password_env=False)
            if out.status != 0:
                c.fail(f"{label}: the password in {var} did not log in (exit {out.status}): "
                       f"{out.out[:300]!r}")

    def exercise_two_engines(self, c):
        """-e all: one <testsuite> per target."""
        args = ["-e", "all", "-f", "json"]
        both = c.diagnose("json -e all", args, out_name="both.json")
        report = c.parse_json(both)
        if report is not None and len(report.get("targets") or []) != 2:
            c.fail(f"-e all gives {len(report.get('targets') or [])} targets, want 2")
        if report is not None:
            c.check_junit(c.show("show junit -e all", os.path.join(c.outdir, "both.json"),
                                 ["--format", "junit"]), report)
        live = c.diagnose("junit -e all", ["-e", "all", "-f", "junit"])
        suites = c.check_junit(live)
        if suites is not None and len(suites) != 2:
            c.fail(f"junit -e all has {len(suites)} <testsuite>, want 2")


def _generate():
    for name in all_scenarios():
        def test(self, name=name):
            self.run_formats(name)

        test.__name__ = f"test_{name}"
        test.__doc__ = f"report formats: {name}"
        setattr(ReportFormatTests, test.__name__, test)


_generate()

if __name__ == "__main__":
    unittest.main()
