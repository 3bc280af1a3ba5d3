#!/usr/bin/env python3
"""Prove that two dbloop binaries behave the same (before/after a refactor).

    scripts/compare-behaviour.py [OPTIONS] OLD_DBLOOP NEW_DBLOOP [SCENARIO...]

Run as root (the lab needs network namespaces and runuser), from anywhere.
Both binaries are copied into a private 0755 directory first, so a rebuild
during the run does not change what is compared and `runuser -u nobody`
(pg_socket_permission) can execute them.

1. Every lab scenario (tests/lab/scenarios.py: SCENARIOS and EXTRA, or only
   the SCENARIOs named) is brought up once in its own namespace; against
   that same running scenario OLD and NEW each run
   `diagnose <the scenario's client settings> -f json` and `... -f text`
   exactly as the integration tests do (tests/lab/dbloop.py). Exit status,
   stdout and stderr must be equal after masking only what differs from
   run to run of one binary:
     JSON  generated_at, duration_ms, every elapsed_ms, every stage_ms
           value, greeting connection_id, the "uptime" server setting;
     both  "up for N s" (server uptime, in an evidence line) and "N ms".
   Masking works on the raw output (a JSON scanner finds the value's bytes),
   so everything else -- layout, key order, number spelling -- must be
   byte-identical. One scenario is racy by nature: in
   my_too_many_connections which concurrent probe gets MariaDB's last slot
   (1040 after the greeting, not instead of it) changes from run to run.
   So each comparison samples again, up to --attempts times (default 20;
   it took up to 7), until some NEW output equals some OLD output; it stops
   after two attempts when both binaries repeated one output each (a real,
   deterministic difference). A racy comparison that differs shows the
   first sample of each.
   Then OLD's JSON report is rendered by `OLD show` and `NEW show` in
   text, text -v, text --color always, markdown, json and junit: those
   must be byte-identical, no masking (same input file).
2. Every record of tests/fixtures/explain/messages.txt: `explain --format
   json MESSAGE` and `explain MESSAGE` (text), byte for byte (stdout,
   stderr, exit status). `--` goes before a message that starts with '-'.
3. The CLI's fixed texts: --help, --version, help COMMAND, two usage errors.

Prints one line per scenario / message / CLI item that differs, with a
short unified diff (OLD is ---, NEW is +++), then
`compare-behaviour: N same, N different`. Exit 0 when nothing differs, 1
when something does (a scenario that cannot be brought up counts as
different), 2 on bad use. Progress goes to stderr (-q: none).
"""

import argparse
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTS = os.path.join(ROOT, "tests")
MESSAGES = os.path.join(TESTS, "fixtures", "explain", "messages.txt")
sys.path.insert(0, TESTS)

from lab import LabError, check_prerequisites, run_cleanups  # noqa: E402
from lab import dbloop as dbl  # noqa: E402
from lab import scenarios  # noqa: E402

PLAIN_ENV = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8", "HOME": "/"}
LIVE_FORMATS = (("json", ["-f", "json"]), ("text", ["-f", "text"]))
SHOW_FORMATS = (("text", ["-f", "text"]), ("text -v", ["-f", "text", "-v"]),
                ("text --color always", ["-f", "text", "--color", "always"]),
                ("markdown", ["-f", "markdown"]), ("json", ["-f", "json"]),
                ("junit", ["-f", "junit"]))
CLI_CASES = ([["--help"], ["--version"], ["help"]]
             + [["help", c] for c in ("diagnose", "wait", "explain", "show")]
             + [["diagnose", "--no-such-option"], ["show", "/nonexistent/report.json"]])


# -- masking what varies from run to run -------------------------------------------


class _Scanner:
    """A JSON scanner that keeps each scalar's byte span (json hides them)."""

    NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
    STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
    SPACE = re.compile(r"[ \t\r\n]*")

    def __init__(self, text):
        self.text, self.pos = text, 0

    def ws(self):
        self.pos = self.SPACE.match(self.text, self.pos).end()

    def value(self):
        """('obj', [(key, node)]) | ('arr', [node]) | ('lit', start, end)."""
        self.ws()
        t, c = self.text, self.text[self.pos:self.pos + 1]
        if c == "{":
            self.pos += 1
            members = []
            self.ws()
            if t.startswith("}", self.pos):
                self.pos += 1
                return ("obj", members)
            while True:
                self.ws()
                m = self.STRING.match(t, self.pos)
                if not m:
                    raise ValueError(f"key expected at {self.pos}")
                key = json.loads(m.group(0))
                self.pos = m.end()
                self.ws()
                if not t.startswith(":", self.pos):
                    raise ValueError(f"':' expected at {self.pos}")
                self.pos += 1
                members.append((key, self.value()))
                self.ws()
                if t.startswith(",", self.pos):
                    self.pos += 1
                    continue
                if t.startswith("}", self.pos):
                    self.pos += 1
                    return ("obj", members)
                raise ValueError(f"',' or '}}' expected at {self.pos}")
        if c == "[":
            self.pos += 1
            items = []
            self.ws()
            if t.startswith("]", self.pos):
                self.pos += 1
                return ("arr", items)
            while True:
                items.append(self.value())
                self.ws()
                if t.startswith(",", self.pos):
                    self.pos += 1
                    continue
                if t.startswith("]", self.pos):
                    self.pos += 1
                    return ("arr", items)
                raise ValueError(f"',' or ']' expected at {self.pos}")
        for pattern in (self.STRING, self.NUMBER, re.compile(r"true|false|null")):
            m = pattern.match(t, self.pos)
            if m:
                self.pos = m.end()
                return ("lit", m.start(), m.end())
        raise ValueError(f"value expected at {self.pos}")


def _varying_spans(node, path, out):
    """(start, end, label) of the values that differ between runs of one binary."""
    kind = node[0]
    if kind == "lit":
        key = path[-1] if path else None
        if path in (("generated_at",), ("duration_ms",)) or key in ("elapsed_ms", "connection_id") \
                or (len(path) >= 2 and path[-2] == "stage_ms"):
            out.append((node[1], node[2], f"<{key}>"))
        return
    if kind == "obj":
        for key, child in node[1]:
            _varying_spans(child, path + (key,), out)
        return
    for i, child in enumerate(node[1]):
        _varying_spans(child, path + (i,), out)


def _uptime_spans(node, text, path, out):
    """The value of a server setting {"name": "uptime", "value": "12", ...}."""
    if node[0] == "obj":
        members = dict(node[1])
        name = members.get("name")
        if (len(path) >= 2 and path[-2] == "settings" and name and name[0] == "lit"
                and text[name[1]:name[2]] == '"uptime"' and members.get("value", ("",))[0] == "lit"):
            value = members["value"]
            out.append((value[1], value[2], "<uptime>"))
        for key, child in node[1]:
            _uptime_spans(child, text, path + (key,), out)
    elif node[0] == "arr":
        for i, child in enumerate(node[1]):
            _uptime_spans(child, text, path + (i,), out)


TEXT_MASKS = (
    (re.compile(r"\bup for \d+ s\b"), "up for <N> s"),                 # server uptime
    (re.compile(r"(?<![\w.])\d+(?:\.\d+)? ms\b"), "<N> ms"),           # a measured time
)


def mask_text(text):
    for pattern, repl in TEXT_MASKS:
        text = pattern.sub(repl, text)
    return text


def mask_json(text):
    """text with the varying values replaced, every other byte kept; not JSON: as text."""
    try:
        scanner = _Scanner(text)
        tree = scanner.value()
        scanner.ws()
        if scanner.pos != len(text):
            raise ValueError("trailing bytes")
    except ValueError:
        return mask_text(text)
    spans = []
    _varying_spans(tree, (), spans)
    _uptime_spans(tree, text, (), spans)
    pieces, at = [], 0
    for start, end, label in sorted(spans):
        pieces.append(text[at:start])
        pieces.append(label)
        at = end
    pieces.append(text[at:])
    return mask_text("".join(pieces))


# -- running ------------------------------------------------------------------------


class Result:
    """What one run produced: exit status, stdout, stderr (masked or raw)."""

    def __init__(self, status, out, err):
        self.status, self.out, self.err = status, out, err

    def key(self):
        return (self.status, self.out, self.err)


def run_plain(binary, args):
    try:
        res = subprocess.run([binary] + args, capture_output=True, env=PLAIN_ENV, cwd="/",
                             stdin=subprocess.DEVNULL, timeout=60)
    except subprocess.TimeoutExpired:
        return Result("timeout (60 s)", "", "")
    dec = lambda b: b.decode("utf-8", "surrogateescape")  # noqa: E731
    return Result(res.returncode, dec(res.stdout), dec(res.stderr))


def run_in_scenario(binary, run, args):
    """dbloop ARGS in the scenario's namespace, as the lab runs DBLOOP_BIN."""
    os.environ["DBLOOP_BIN"] = binary
    try:
        status, out, err = dbl.run_dbloop(run, args)
    except subprocess.TimeoutExpired:
        return Result("timeout (60 s)", "", "")
    return Result(status, out, err)


def diff_results(old, new, max_lines):
    """A short unified diff of two Results (OLD ---, NEW +++)."""
    lines = []
    if old.status != new.status:
        lines.append(f"exit status: OLD {old.status}, NEW {new.status}")
    for what, a, b in (("stdout", old.out, new.out), ("stderr", old.err, new.err)):
        if a != b:
            diff = list(difflib.unified_diff(a.splitlines(), b.splitlines(), f"OLD {what}",
                                             f"NEW {what}", n=1, lineterm=""))
            lines += diff or [f"{what} differs only in line ends: OLD ends {a[-20:]!r}, "
                              f"NEW ends {b[-20:]!r}"]
    if len(lines) > max_lines:
        lines = lines[:max_lines] + [f"... ({len(lines) - max_lines} more diff lines)"]
    return lines


class Tally:
    def __init__(self, max_lines, quiet):
        self.same = self.different = 0
        self.max_lines, self.quiet = max_lines, quiet

    def item(self, title, problems):
        """problems: [(what, diff lines)]; one stdout line + diffs when any."""
        if not problems:
            self.same += 1
            return
        self.different += 1
        print(f"DIFF {title}: {', '.join(what for what, _ in problems)}", flush=True)
        for what, lines in problems:
            print(f"    -- {what}")
            for line in lines:
                print(f"    {line}")
        sys.stdout.flush()

    def progress(self, text):
        if not self.quiet:
            print(f"compare-behaviour: {text}", file=sys.stderr, flush=True)


def compare_sampled(sample_old, sample_new, attempts):
    """(same, old Result, new Result, attempts used) for a possibly racy comparison."""
    olds, news = {}, {}
    for attempt in range(1, attempts + 1):
        o, n = sample_old(), sample_new()
        olds.setdefault(o.key(), o)
        news.setdefault(n.key(), n)
        common = olds.keys() & news.keys()
        if common:
            k = next(iter(common))
            return True, olds[k], news[k], attempt
        if attempt >= 2 and len(olds) == 1 and len(news) == 1:
            break
    return False, next(iter(olds.values())), next(iter(news.values())), attempt


def compare_scenario(name, old, new, opts, tally, workdir):
    started = time.monotonic()
    problems, notes = [], []
    try:
        with scenarios.running(name) as run:
            base = ["diagnose"] + dbl.client_args(run.client)
            report_path = None
            for label, fmt in LIVE_FORMATS:
                mask = mask_json if label == "json" else mask_text
                raw_old = []

                def sample(binary, keep=None):
                    r = run_in_scenario(binary, run, base + fmt)
                    if keep is not None:
                        keep.append(r.out)
                    return Result(r.status, mask(r.out), mask(r.err))

                same, o, n, used = compare_sampled(lambda: sample(old, raw_old),
                                                   lambda: sample(new), opts.attempts)
                if used > 1:
                    notes.append(f"{label}: {'matched' if same else 'gave up'} after {used} attempts")
                if not same:
                    problems.append((f"diagnose -f {label}", diff_results(o, n, opts.diff_lines)))
                if label == "json" and raw_old:
                    report_path = os.path.join(workdir, f"{name}.json")
                    with open(report_path, "w") as fh:
                        fh.write(raw_old[0])
    except (LabError, OSError) as exc:
        tally.item(f"scenario {name}", [("could not run", [f"{type(exc).__name__}: {exc}"])])
        return
    # The renderers on one fixed report: no masking, byte for byte.
    if report_path:
        for label, fmt in SHOW_FORMATS:
            o, n = run_plain(old, ["show"] + fmt + [report_path]), run_plain(new, ["show"] + fmt + [report_path])
            if o.key() != n.key():
                problems.append((f"show {label}", diff_results(o, n, opts.diff_lines)))
    tally.item(f"scenario {name}", problems)
    extra = f"; {'; '.join(notes)}" if notes else ""
    tally.progress(f"scenario {name}: {'same' if not problems else 'DIFFERENT'} "
                   f"({time.monotonic() - started:.1f} s{extra})")


# -- explain messages ---------------------------------------------------------------


def read_messages(path):
    """[(line number, header, message)] of messages.txt (format: the file's top).

    A record is "=== CLASS ENGINE [TRANSPORT]", "source: ...", optional
    "also: ..." / "settle: ..." lines, then the message up to the next "===".
    Comment lines ("#" alone or "# ...") are skipped; "#1130 - ..." is text.
    """
    records, current = [], None
    comment = re.compile(r"^#( |$)")
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if comment.match(line):
                continue
            if line.startswith("=== "):
                current = [number, line[4:].strip(), None, []]
                records.append(current)
                continue
            if current is None:
                continue
            if current[2] is None:
                if not line.startswith("source: "):
                    raise SystemExit(f"{path}:{number}: 'source: ' expected")
                current[2] = line[8:]
                continue
            if not current[3] and (line.startswith("also: ") or line.startswith("settle: ")):
                continue
            current[3].append(line)
    out = []
    for number, header, _source, lines in records:
        while lines and not lines[-1].strip():
            lines.pop()
        out.append((number, header, "\n".join(lines)))
    return out


def compare_explain(old, new, opts, tally):
    started = time.monotonic()
    messages = read_messages(MESSAGES)
    before = tally.different
    for number, header, message in messages:
        tail = (["--"] if message.startswith("-") else []) + [message]
        problems = []
        for label, fmt in (("json", ["--format", "json"]), ("text", [])):
            o = run_plain(old, ["explain"] + fmt + tail)
            n = run_plain(new, ["explain"] + fmt + tail)
            if o.key() != n.key():
                problems.append((f"explain {label}", diff_results(o, n, opts.diff_lines)))
        tally.item(f"explain messages.txt:{number} ({header})", problems)
    tally.progress(f"explain: {len(messages)} messages, {tally.different - before} different "
                   f"({time.monotonic() - started:.1f} s)")


def compare_cli(old, new, opts, tally):
    for args in CLI_CASES:
        o, n = run_plain(old, args), run_plain(new, args)
        problems = [] if o.key() == n.key() else [("output", diff_results(o, n, opts.diff_lines))]
        tally.item(f"cli dbloop {' '.join(args)}", problems)


# -- main ---------------------------------------------------------------------------


def snapshot(path, workdir, tag):
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise SystemExit(f"compare-behaviour: not an executable file: {path}")
    directory = os.path.join(workdir, tag)
    os.mkdir(directory, 0o755)
    copy = os.path.join(directory, "dbloop")  # same basename for both
    shutil.copyfile(path, copy)
    os.chmod(copy, 0o755)
    return copy


def main(argv):
    ap = argparse.ArgumentParser(
        prog="compare-behaviour.py",
        description="Compare two dbloop binaries on every lab scenario, every "
                    "explain message and the CLI texts.")
    ap.add_argument("old", metavar="OLD_DBLOOP")
    ap.add_argument("new", metavar="NEW_DBLOOP")
    ap.add_argument("scenarios", metavar="SCENARIO", nargs="*",
                    help="only these scenarios (default: all of SCENARIOS and EXTRA)")
    ap.add_argument("--attempts", type=int, default=20,
                    help="samples per live comparison before a racy one counts as "
                         "different (default 20)")
    ap.add_argument("--diff-lines", type=int, default=40, help="diff lines shown per comparison")
    ap.add_argument("--no-lab", action="store_true", help="skip the scenarios (no root needed)")
    ap.add_argument("--no-explain", action="store_true", help="skip explain and the CLI texts")
    ap.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    opts = ap.parse_args(argv)
    if opts.attempts < 1:
        ap.error("--attempts must be at least 1")
    every = list(scenarios.SCENARIOS) + list(scenarios.EXTRA)
    unknown = [n for n in opts.scenarios if n not in every]
    if unknown:
        ap.error(f"unknown scenario(s): {', '.join(unknown)} (see: cd tests && python3 -m lab list)")
    if not opts.no_lab:
        try:
            check_prerequisites()
        except LabError as exc:
            print(f"compare-behaviour: {exc} (--no-lab compares explain and the CLI only)",
                  file=sys.stderr)
            return 2

    started = time.monotonic()
    tally = Tally(opts.diff_lines, opts.quiet)
    workdir = tempfile.mkdtemp(prefix="compare-behaviour-")
    os.chmod(workdir, 0o755)  # runuser -u nobody must reach the copies
    try:
        old = snapshot(opts.old, workdir, "old")
        new = snapshot(opts.new, workdir, "new")
        if not opts.no_explain:
            compare_cli(old, new, opts, tally)
            compare_explain(old, new, opts, tally)
        if not opts.no_lab:
            for name in opts.scenarios or every:
                compare_scenario(name, old, new, opts, tally, workdir)
    finally:
        run_cleanups()
        shutil.rmtree(workdir, ignore_errors=True)
    tally.progress(f"took {time.monotonic() - started:.0f} s")
    print(f"compare-behaviour: {tally.same} same, {tally.different} different", flush=True)
    return 1 if tally.different else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
