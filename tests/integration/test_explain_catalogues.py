"""The committed explain tables and splits are what their scripts make:

- src/explain/explain_phrases_i18n.c and tests/fixtures/explain/
  i18n_rendered.txt are what scripts/gen_explain_i18n.py writes from the
  Debian catalogues installed here (postgres-15.mo, libpq5-15.mo, libc.mo,
  MariaDB's errmsg-utf8.txt, PgJDBC's translation bundles); skipped where
  those packages are missing;
- corpus.txt, i18n.txt, threads2.txt, threads3.txt, i18n2.txt,
  threads4.txt, threads5.txt, threads6.txt, threads7.txt, threads8.txt,
  threads9.txt, threads10.txt, threads11.txt, threads12.txt, threads13.txt,
  threads14.txt, threads15.txt, threads16.txt, threads19.txt and
  threads20.txt to threads35.txt carry their seeded split (explain_corpus_split.py --check): a message
  never moves between halves;
- tests/fixtures/explain/driver_templates.txt is what
  scripts/driver_messages.py reads from the client drivers installed here
  (skipped where one is missing), and carries its seeded split too;
- no thread sits on both halves across the sets (corpus.txt, threads.txt,
  i18n.txt, threads2.txt, threads3.txt, i18n2.txt, threads4.txt,
  threads5.txt, threads6.txt, threads7.txt, threads8.txt, threads9.txt,
  threads10.txt, threads11.txt, threads12.txt, threads13.txt, threads14.txt,
  threads15.txt, threads16.txt, threads19.txt, threads20.txt to
  threads35.txt): a
  thread in two files is on the same half in both, or the later file's records carry
  "skip: duplicate thread of FILE" (they are not scored) and FILE holds
  that thread.
"""

import os
import re
import subprocess
import sys
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CATALOGUES = ["/usr/share/locale/de/LC_MESSAGES/postgres-15.mo",
              "/usr/share/locale/de/LC_MESSAGES/libpq5-15.mo",
              "/usr/share/locale/de/LC_MESSAGES/libc.mo",
              "/usr/share/mysql/errmsg-utf8.txt",
              "/usr/share/java/postgresql.jar"]
# the client drivers scripts/driver_messages.py reads
DRIVERS = ["/usr/share/java/mariadb-java-client.jar",
           "/usr/share/java/postgresql.jar",
           "/usr/share/gocode/src/github.com/go-sql-driver/mysql",
           "/usr/share/gocode/src/github.com/lib/pq",
           "/usr/share/gocode/src/github.com/jackc/pgconn",
           "/usr/lib/python3/dist-packages/pymysql",
           "/usr/lib/python3/dist-packages/MySQLdb",
           os.path.join(os.path.dirname(__file__), "..", "clients", "node",
                        "node_modules", "mysql2"),
           os.path.join(os.path.dirname(__file__), "..", "clients", "node",
                        "node_modules", "pg"),
           "/usr/lib/x86_64-linux-gnu/libmariadb.so.3"]


def run(*args):
    return subprocess.run([sys.executable, *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


class ExplainCatalogues(unittest.TestCase):
    @unittest.skipUnless(all(os.path.exists(p) for p in CATALOGUES),
                         "postgresql-15, libpq5, libc-l10n, mariadb-server or "
                         "libpostgresql-jdbc-java missing")
    def test_generated_table_is_current(self):
        p = run("scripts/gen_explain_i18n.py", "--check")
        self.assertEqual(p.returncode, 0, p.stderr + p.stdout)

    @unittest.skipUnless(all(os.path.exists(p) for p in DRIVERS),
                         "a client driver package is missing")
    def test_driver_templates_are_current(self):
        p = run("scripts/driver_messages.py", "--check")
        self.assertEqual(p.returncode, 0, p.stderr + p.stdout)

    def test_splits_are_the_seeded_ones(self):
        for f in ("tests/fixtures/explain/corpus.txt",
                  "tests/fixtures/explain/i18n.txt",
                  "tests/fixtures/explain/threads2.txt",
                  "tests/fixtures/explain/threads3.txt",
                  "tests/fixtures/explain/i18n2.txt",
                  "tests/fixtures/explain/threads4.txt",
                  "tests/fixtures/explain/threads5.txt",
                  "tests/fixtures/explain/threads6.txt",
                  "tests/fixtures/explain/threads7.txt",
                  "tests/fixtures/explain/threads8.txt",
                  "tests/fixtures/explain/threads9.txt",
                  "tests/fixtures/explain/threads10.txt",
                  "tests/fixtures/explain/threads11.txt",
                  "tests/fixtures/explain/threads12.txt",
                  "tests/fixtures/explain/threads13.txt",
                  "tests/fixtures/explain/threads14.txt",
                  "tests/fixtures/explain/threads15.txt",
                  "tests/fixtures/explain/threads16.txt",
                  "tests/fixtures/explain/threads19.txt",
                  "tests/fixtures/explain/threads20.txt",
                  "tests/fixtures/explain/threads21.txt",
                  "tests/fixtures/explain/threads22.txt",
                  "tests/fixtures/explain/threads23.txt",
                  "tests/fixtures/explain/threads24.txt",
                  "tests/fixtures/explain/threads25.txt",
                  "tests/fixtures/explain/threads26.txt",
                  "tests/fixtures/explain/threads27.txt",
                  "tests/fixtures/explain/threads28.txt",
                  "tests/fixtures/explain/threads29.txt",
                  "tests/fixtures/explain/threads30.txt",
                  "tests/fixtures/explain/threads31.txt",
                  "tests/fixtures/explain/threads32.txt",
                  "tests/fixtures/explain/threads33.txt",
                  "tests/fixtures/explain/threads34.txt",
                  "tests/fixtures/explain/threads35.txt",
                  "tests/fixtures/explain/driver_templates.txt"):
            p = run("scripts/explain_corpus_split.py", "--file", f, "--check")
            self.assertEqual(p.returncode, 0, f + ": " + p.stderr)

    def test_no_thread_on_both_halves(self):
        sets = ["corpus.txt", "threads.txt", "i18n.txt", "threads2.txt",
                "threads3.txt", "i18n2.txt", "threads4.txt", "threads5.txt",
                "threads6.txt", "threads7.txt", "threads8.txt",
                "threads9.txt", "threads10.txt", "threads11.txt",
                "threads12.txt", "threads13.txt",
                "threads14.txt", "threads15.txt",
                "threads16.txt", "threads19.txt", "threads20.txt",
                "threads21.txt", "threads22.txt", "threads23.txt",
                "threads24.txt", "threads25.txt", "threads26.txt",
                "threads27.txt", "threads28.txt", "threads29.txt",
                "threads30.txt", "threads31.txt", "threads32.txt",
                "threads33.txt", "threads34.txt", "threads35.txt",
                "driver_templates.txt"]
        seen = {}  # thread -> {file: set of halves of its scored records}
        skips = []
        for name in sets:
            path = os.path.join(ROOT, "tests/fixtures/explain", name)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            for rec in re.split(r"(?m)^(?==== )", text)[1:]:
                fields = dict(re.findall(r"(?m)^(source|thread|split|skip): (.*)$",
                                         rec))
                thread = fields.get("thread")
                if not thread:
                    m = re.match(r"https?://github\.com/([^/]+/[^/]+)/"
                                 r"(?:issues|pull|discussions)/(\d+)",
                                 fields.get("source", ""))
                    self.assertIsNotNone(m, name + ": " + rec[:80])
                    thread = m.group(1) + "#" + m.group(2)
                thread = thread.lower()
                if "skip" in fields:
                    m = re.fullmatch(r"duplicate thread of (\S+)",
                                     fields["skip"])
                    self.assertIsNotNone(m, name + ": " + fields["skip"])
                    skips.append((name, thread, m.group(1)))
                    continue
                seen.setdefault(thread, {}).setdefault(name, set()).add(
                    fields.get("split"))
        for thread, files in seen.items():
            halves = set().union(*files.values())
            self.assertEqual(len(halves), 1,
                             f"{thread} is on both halves: {files}")
        for name, thread, other in skips:
            self.assertIn(other, sets[:sets.index(name)],
                          f"{name}: {thread}: {other} is not an earlier set")
            self.assertIn(other, seen.get(thread, {}),
                          f"{name}: {thread} is not in {other}")


if __name__ == "__main__":
    unittest.main()
