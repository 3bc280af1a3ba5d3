"""Read-only: on a real PostgreSQL with log_statement=all and a MariaDB
with the general log on, a full diagnose (every transport, stage query)
sends only SELECT 1 and read-only introspection (SELECT / SHOW).
"""

import os
import re
import unittest

from hostile import runner

ALLOWED = re.compile(r"^\s*(SELECT|SHOW)\b", re.I)
# statements that change something, wherever they appear in the text
WRITES = re.compile(r"\b(INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|GRANT|REVOKE|TRUNCATE|COPY|"
                    r"SET\s+(GLOBAL|PERSIST|PASSWORD)|FLUSH|KILL|LOCK|CALL|DO|LOAD)\b", re.I)


def _lab():
    try:
        import lab
        from lab import mariadb, net, pg, scratch_dir
        lab.check_prerequisites()
        return lab, mariadb, net, pg, scratch_dir
    except Exception as exc:
        runner.need(False, f"lab unavailable: {exc}")


def split_statements(text):
    """One simple-query text split at the semicolons outside quotes."""
    out, cur, quote = [], "", None
    for ch in text:
        if quote:
            cur += ch
            if ch == quote:
                quote = None
        elif ch in "'\"`":
            quote = ch
            cur += ch
        elif ch == ";":
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return [s.strip() for s in out if s.strip()]


def _tail(path, offset):
    with open(path, "rb") as fh:
        fh.seek(offset)
        return fh.read().decode("utf-8", "replace")


def pg_statements(log_text):
    """Statements from 'LOG:  statement: ...' lines (continuations are
    tab-indented lines without a log prefix)."""
    out = []
    for line in log_text.splitlines():
        m = re.search(r"LOG:\s+statement:\s(.*)$", line)
        if m:
            out.append(m.group(1))
        elif out and line.startswith("\t"):
            out[-1] += "\n" + line.strip()
    return out


def my_statements(log_text):
    """Statements of 'Query' lines of the MariaDB general log."""
    out = []
    cmd = re.compile(r"^(?:\d{6}\s+\d{1,2}:\d{2}:\d{2})?\s+\d+\s+(\w[\w ]*?)\t(.*)$")
    current = None
    for line in log_text.splitlines():
        m = cmd.match(line)
        if m:
            current = None
            if m.group(1) == "Query":
                out.append(m.group(2))
                current = len(out) - 1
        elif current is not None and not line.startswith(("Time", "Tcp port", "/")):
            out[current] += "\n" + line
    return out


class ReadOnlyTest(unittest.TestCase):
    def diagnose(self, ns, engine, port, sock, home, password):
        args = ["diagnose", "-e", engine, "-P", str(port), "-S", sock, "-u", "app",
                "-d", "appdb", "--password-env", "DBL_PW", "-t", "5s", "-f", "json"]
        if engine == "mysql":
            args.append("--no-defaults")
        r = runner.run(args, runner.clean_env(home, {"DBL_PW": password}),
                       hard_deadline=60, prefix=ns.prefix())
        self.assertEqual(r.rc, 0, f"the healthy server must diagnose ok: {r!r}")
        probes = [p for _, p in runner.probes_of(r.json())]
        self.assertTrue(probes and all(p["stage"] == "query" and p["ok"] for p in probes),
                        f"every probe must reach the query stage: {r!r}")
        return r

    def check(self, queries, what):
        # a simple query may carry several statements: each must be read-only
        statements = [s for q in queries for s in split_statements(q)]
        print(f"readonly {what}: {len(statements)} statements: "
              f"{sorted(set(s.strip()[:60] for s in statements))}", flush=True)
        self.assertTrue(any(re.match(r"^\s*SELECT\s+1\s*;?\s*$", s, re.I) for s in statements),
                        f"{what}: no SELECT 1 seen in {statements}")
        for s in statements:
            self.assertRegex(s, ALLOWED, f"{what}: not a read-only statement: {s!r}")
            self.assertNotRegex(s, WRITES, f"{what}: writes: {s!r}")

    def test_postgres_log_statement_all(self):
        lab, _, net, pg, scratch_dir = _lab()
        with net.Netns() as ns:
            server = pg.PgServer(ns, net.free_port(),
                                 conf={"log_statement": "'all'", "log_connections": "on"})
            try:
                server.start()
                home = scratch_dir("readonly-home")
                offset = os.path.getsize(server.log_path)
                self.diagnose(ns, "postgres", server.port, server.socket_dir, home,
                              lab.password())
                text = _tail(server.log_path, offset)
            finally:
                server.stop()
        self.check(pg_statements(text), "postgres")

    def test_mariadb_general_log(self):
        lab, mariadb, net, _, scratch_dir = _lab()
        with net.Netns() as ns:
            logdir = scratch_dir("readonly-log", owner="mysql")
            general = os.path.join(logdir, "general.log")
            server = mariadb.MyServer(ns, net.free_port(),
                                      options=["--general-log=1",
                                               f"--general-log-file={general}"])
            try:
                server.start()
                home = scratch_dir("readonly-home")
                offset = os.path.getsize(general)
                self.diagnose(ns, "mysql", server.port, server.socket_path, home,
                              lab.password())
                text = _tail(general, offset)
            finally:
                server.stop()
        self.check(my_statements(text), "mariadb")


if __name__ == "__main__":
    unittest.main()
