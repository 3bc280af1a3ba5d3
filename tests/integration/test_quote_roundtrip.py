"""The quoters (src/util/quote.c, through tests/tools/quote_tool.c) against
the real languages: each hostile value, shell-quoted, is one argument that
bash hands back byte for byte; each PostgreSQL and MySQL literal, run on
the lab's PostgreSQL 15 and MariaDB 10.11, is the exact value, and each
identifier quotes it into one statement that runs.

Servers keep text in UTF-8, so the SQL half leaves out the non-UTF-8
values (the shell half keeps them).
"""

import os
import subprocess
import unittest

from lab import mariadb, net, pg, testing

HOSTILE = [b"plain", b"it's", b'dq"x', b"$(id)", b"`id`", b"a;b", b"semi; DROP TABLE t; --",
           b"new\nline", b"tab\tcr\r", b"back\\slash", b"\\'", b"\xff\xfe", b"\x1a",
           b"x" * 150 + b"'\"`$;\\" * 25]


def quoted(values):
    tool = os.environ["DBLOOP_QUOTE_TOOL"]
    out = subprocess.run([tool], input=b"".join(v + b"\0" for v in values),
                         capture_output=True, check=True).stdout
    parts = out.split(b"\0")[:-1]
    assert len(parts) == 5 * len(values), len(parts)
    return [parts[i:i + 5] for i in range(0, len(parts), 5)]


class ShellTest(unittest.TestCase):
    def test_each_value_is_one_bash_argument(self):
        for value, (sh, *_rest) in zip(HOSTILE, quoted(HOSTILE)):
            out = subprocess.run(["bash", "-c", b"printf '%s\\0' " + sh + b" " + sh],
                                 capture_output=True, check=True).stdout
            self.assertEqual(out, value + b"\0" + value + b"\0", sh)


class SqlTest(testing.LabTestCase):
    needs_dbloop = False

    def test_literals_round_trip_on_both_servers(self):
        values = [v for v in HOSTILE if b"\0" not in v and _utf8(v)]
        rows = quoted(values)
        with net.Netns() as ns:
            server = pg.PgServer(ns, net.free_port()).start()
            try:
                for value, (_sh, lit, ident, _ml, _mi) in zip(values, rows):
                    stmt = (f"SELECT convert_to({lit.decode()}, 'UTF8') = "
                            f"decode('{value.hex()}', 'hex') AS {ident.decode()}")
                    out = server.sql(stmt)
                    self.assertIn(" t\n", out, (value, stmt))
            finally:
                server.stop()
            server = mariadb.MyServer(ns, net.free_port()).start()
            try:
                for value, (_sh, _pl, _pi, lit, ident) in zip(values, rows):
                    stmt = (f"SELECT CAST({lit.decode()} AS BINARY) = UNHEX('{value.hex()}') "
                            f"AS {ident.decode()}")
                    out = server.sql(stmt)
                    self.assertEqual(out.strip(), "1", (value, stmt))
            finally:
                server.stop()


def _utf8(v):
    try:
        v.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


if __name__ == "__main__":
    unittest.main()
