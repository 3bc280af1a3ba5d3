"""The committed explain tables and splits are what their scripts make:

- src/explain/explain_phrases_i18n.c and tests/fixtures/explain/
  i18n_rendered.txt are what scripts/gen_explain_i18n.py writes from the
  Debian catalogues installed here (postgres-15.mo, libpq5-15.mo, libc.mo,
  MariaDB's errmsg-utf8.txt); skipped where those packages are missing;
- corpus.txt, i18n.txt and threads2.txt carry their seeded split (explain_corpus_split.py
  --check): a message never moves between halves.
"""

import os
import subprocess
import sys
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CATALOGUES = ["/usr/share/locale/de/LC_MESSAGES/postgres-15.mo",
              "/usr/share/locale/de/LC_MESSAGES/libpq5-15.mo",
              "/usr/share/locale/de/LC_MESSAGES/libc.mo",
              "/usr/share/mysql/errmsg-utf8.txt"]


def run(*args):
    return subprocess.run([sys.executable, *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


class ExplainCatalogues(unittest.TestCase):
    @unittest.skipUnless(all(os.path.exists(p) for p in CATALOGUES),
                         "postgresql-15, libpq5, libc-l10n or mariadb-server missing")
    def test_generated_table_is_current(self):
        p = run("scripts/gen_explain_i18n.py", "--check")
        self.assertEqual(p.returncode, 0, p.stderr + p.stdout)

    def test_splits_are_the_seeded_ones(self):
        for f in ("tests/fixtures/explain/corpus.txt",
                  "tests/fixtures/explain/i18n.txt",
                  "tests/fixtures/explain/threads2.txt"):
            p = run("scripts/explain_corpus_split.py", "--file", f, "--check")
            self.assertEqual(p.returncode, 0, f + ": " + p.stderr)


if __name__ == "__main__":
    unittest.main()
