"""dbloop explain places a message the same however it was pasted.

A message reaches explain wrapped by a terminal or a tracker, padded into
columns, quoted in Markdown, logged as JSON (json.dumps escapes every
non-ASCII letter as \\uXXXX), HTML-escaped, with curly quotes, with
a web page's zero-width spaces, with CRLF line ends, behind
docker compose's service prefix, indented, or inside a log of other
lines. Each development-half record of the real-message sets
(tests/fixtures/explain/threads*.txt, i18n*.txt; the held-out halves are
not looked into) is explained as written and in each of those forms; the
class must not change. With main at f848c9c, before explain folded
white space, decoded \\u escapes and read typographic characters
(2026-12-04), of 690 records 86 changed wrapped at 60 columns, 189 at 40,
495 with every space doubled, 7 as JSON, 48 with curly quotes, 10 with
zero-width spaces and 7 of the 34 non-English ones as UTF-8 read as
Windows-1252; 0 now in every form.

The second group of forms puts numbers and prefixes of logs and stack
traces around a message: ANSI colours, RFC 3339 and syslog time stamps
(a PID in brackets), logfmt, a Python traceback's "line 1045" above, Java
frames with "... 1698 more" below, a log dated 2003/04/12, one flattened
line, Python's repr. With main at 9135663 (2026-12-04) all but two forms
changed nothing over 1,035 records; Java's frames changed 46 (the count
of elided frames read as MySQL error 1698) and the 2003/... date 1 (read
as MySQL error 2003 after a line ending in "ERROR"); 0 now.
"""

import concurrent.futures
import glob
import html
import json
import os
import re
import subprocess
import textwrap
import unittest

BIN = os.environ.get("DBLOOP_BIN", "dbloop")
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SETS = sorted(glob.glob(os.path.join(ROOT, "tests/fixtures/explain/threads*.txt")) +
              glob.glob(os.path.join(ROOT, "tests/fixtures/explain/i18n.txt")) +
              glob.glob(os.path.join(ROOT, "tests/fixtures/explain/i18n2.txt")))
FIELDS = ("source", "thread", "stack", "lang", "cause", "split", "skip")


def dev_messages():
    out = []
    for path in SETS:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for rec in re.split(r"(?m)^(?==== )", text)[1:]:
            lines = rec.split("\n")[1:]
            fields, msg = {}, []
            for line in lines:
                m = re.match(r"^(\w+): (.*)$", line)
                if not msg and m and m.group(1) in FIELDS:
                    fields[m.group(1)] = m.group(2)
                else:
                    # as the unit test's reader (explain_corpus.h): a
                    # message line may start with "#" (phpMyAdmin's
                    # "#2002 - ...", a build log's "#11 15.69 ...")
                    msg.append(line)
            if fields.get("split") == "dev" and "skip" not in fields:
                out.append((os.path.basename(path), "\n".join(msg).strip("\n")))
    return out


def wrap(t, width):
    return "\n".join(textwrap.fill(line, width, break_long_words=False,
                                   break_on_hyphens=False,
                                   subsequent_indent="    ")
                     for line in t.split("\n"))


def curly(t):
    """' and " as a tracker, a chat or a word processor retypes them."""
    out, dq, sq = [], True, True
    for ch in t:
        if ch == '"':
            out.append("\u201c" if dq else "\u201d")
            dq = not dq
        elif ch == "'":
            out.append("\u2018" if sq else "\u2019")
            sq = not sq
        else:
            out.append(ch)
    return "".join(out)


def mojibake(t):
    """UTF-8 read as Windows-1252 (Latin-1 where 1252 has no character)
    and written out again, as a Windows console's log often reaches a
    tracker."""
    b = t.encode("utf-8")
    try:
        return b.decode("cp1252")
    except UnicodeDecodeError:
        return b.decode("latin-1")


FORMS = {
    "wrapped at 60, continuation indented": lambda t: wrap(t, 60),
    "wrapped at 40": lambda t: wrap(t, 40),
    "every space doubled": lambda t: t.replace(" ", "  "),
    "curly quotes": curly,
    "a zero-width space after each comma": lambda t: t.replace(",", ",\u200b"),
    "UTF-8 read as Windows-1252": mojibake,
    "Markdown quote": lambda t: "\n".join("> " + x for x in t.split("\n")),
    "CRLF": lambda t: t.replace("\n", "\r\n"),
    "JSON log line": lambda t: json.dumps({"level": "error", "msg": t}),
    "HTML-escaped": lambda t: html.escape(t),
    "compose prefix": lambda t: "\n".join("api-1  | " + x for x in t.split("\n")),
    "indented": lambda t: "\n".join("\t    " + x for x in t.split("\n")),
    # (a noise line ending in "to database" before a line opening with a
    # quote reads as MySQL's "database '...'" once the break is a space:
    # the noise names its host, as an application's log does)
    "ANSI colour per line": lambda t: "\n".join(
        "\x1b[31;1m" + x + "\x1b[0m" for x in t.split("\n")),
    "RFC 3339 time stamps": lambda t: "\n".join(
        "2024-05-01T12:00:%02d.123456789Z " % (i % 60) + x
        for i, x in enumerate(t.split("\n"))),
    "syslog prefix with a PID": lambda t: "\n".join(
        "Dec  4 05:09:55 web01 app[2003]: " + x for x in t.split("\n")),
    "logfmt": lambda t: ('time="2024-05-01T12:00:00Z" level=error msg='
                         + json.dumps(t.replace("\n", " ")) + " pid=1045"),
    "Python traceback above": lambda t: (
        'Traceback (most recent call last):\n'
        '  File "/app/db.py", line 1045, in connect\n'
        '    conn = driver.connect(**params)\n'
        '  File "/usr/lib/python3/site.py", line 2003, in _open\n'
        '    raise err\n' + t + "\n"),
    "Java frames below": lambda t: (
        t + "\n\tat com.example.db.Pool.open(Pool.java:1049)\n"
        "\tat com.example.App.main(App.java:2002)\n\t... 1698 more\n"),
    "dated 2003/04/12": lambda t: "\n".join(
        "2003/04/12 10:20:13 ERROR " + x for x in t.split("\n")),
    "flattened to one line": lambda t: " ".join(
        x.strip() for x in t.split("\n")),
    "Python repr": repr,
    "inside a log": lambda t: ("Starting app v1.2.3\nINFO loading config\n"
                               "INFO connecting to the database at db:5432\n"
                               + t + "\nINFO shutting down\n"),
}


def explain_class(text):
    p = subprocess.run([BIN, "explain", "--format", "json", "-"],
                       input=text.encode(), capture_output=True, timeout=30)
    if p.returncode not in (0, 1):
        return "exit %d: %s" % (p.returncode, p.stderr.decode()[:200])
    return json.loads(p.stdout)["class"]


class PasteForms(unittest.TestCase):
    def test_same_class_in_every_form(self):
        msgs = dev_messages()
        self.assertGreater(len(msgs), 600)
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            base = list(pool.map(explain_class, [m for _, m in msgs]))
            failures = []
            for name, form in FORMS.items():
                got = list(pool.map(explain_class, [form(m) for _, m in msgs]))
                changed = [(f, m, b, g) for (f, m), b, g in zip(msgs, base, got)
                           if g != b]
                print("explain paste form %-38s %d of %d changed class"
                      % (name + ":", len(changed), len(msgs)))
                failures += ["%s: %s: %s -> %s: %r" % (name, f, b, g, m[:120])
                             for f, m, b, g in changed[:5]]
        self.assertEqual(failures, [])


if __name__ == "__main__":
    unittest.main()
