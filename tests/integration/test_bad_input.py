"""Bad input never crashes, hangs or changes the contract:

- discovery reads malformed, huge, binary, looping and FIFO option files,
  .pgpass, pg_service.conf and /etc/hosts (through HOME, --defaults-file,
  PGPASSFILE, PGSERVICEFILE and a private mount of /etc/hosts): a warning
  naming the file, exit 0/1 (never 2/3), bounded time;
- `dbloop show` on not-JSON, wrong schema, missing fields, a huge file and
  the like: exit 2 with one line;
- a table of bad command lines: exit 2 with one line naming the problem.
"""

import json
import os
import shutil
import socket
import sys
import unittest

from hostile import runner

# A run probes a refused port with -t 1s; anything past this is a hang.
BOUND_S = 15.0


def _refused_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now: connect is refused
    return port


def _contents():
    """name -> bytes (or "fifo") of the bad files every reader is fed."""
    return {
        "garbage": b"this is = not [ an option\n]]]\n=\n[[client\n\\\n" * 50,
        "binary": bytes(range(256)) * 64,
        "huge": (b"# filler line of a huge file\n" * 80000),  # ~2.3 MB
        "long_line": b"[client]\nuser=" + b"a" * 900000 + b"\n",
        "fifo": "fifo",
        "crlf": b"[client]\r\nuser = app\r\nport = 3306\r\n\r\n",
    }


def _place(path, content):
    if content == "fifo":
        os.mkfifo(path, 0o600)
    else:
        with open(path, "wb") as fh:
            fh.write(content)
        os.chmod(path, 0o600)


# Contents after which a warning naming the file is required (the others
# may be read without complaint, e.g. CRLF lines are valid).
WARNED = {"garbage", "binary", "huge", "fifo"}


class DiscoveryBadFiles(unittest.TestCase):
    def run_dbloop(self, home, args, env_extra=None, prefix=None):
        env = runner.clean_env(home, env_extra)
        r = runner.run(args + ["-t", "1s", "-f", "json"], env,
                       hard_deadline=BOUND_S + 10, prefix=prefix)
        print(f"bad-input {' '.join(args[:3])}.. {env_extra or ''}: rc={r.rc} "
              f"wall={r.wall:.2f}s rss={r.maxrss_kb}KB", file=sys.stderr)
        return r

    def check(self, r, name, fname, warned):
        self.assertFalse(r.killed, f"{name}: hung: {r!r}")
        self.assertLess(r.wall, BOUND_S, f"{name}: too slow: {r!r}")
        self.assertIn(r.rc, (0, 1), f"{name}: {r!r}")
        json.loads(r.out)
        if warned:
            self.assertIn(fname, r.out + r.err, f"{name}: no warning naming {fname}: {r!r}")

    def check_usage(self, r, name, fname):
        """A file the user named that cannot be used at all: exit 2 with one
        line naming it, as the mysql client refuses a bad --defaults-file."""
        self.assertFalse(r.killed, f"{name}: hung: {r!r}")
        self.assertEqual(r.rc, 2, f"{name}: {r!r}")
        lines = r.err.splitlines()
        self.assertEqual(len(lines), 1, f"{name}: one line expected: {r!r}")
        self.assertIn(fname, lines[0], f"{name}: {r!r}")

    def each(self, place_as, engine, args_for, env_for=lambda p: None, names=None,
             warned=WARNED, usage=()):
        for name, content in _contents().items():
            if names and name not in names:
                continue
            with self.subTest(content=name), runner.TempHome() as home:
                path = os.path.join(home, place_as)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                _place(path, content)
                port = _refused_port()
                args = ["diagnose", "-e", engine, "-H", "127.0.0.1", "-P", str(port)]
                r = self.run_dbloop(home, args + args_for(path), env_for(path))
                if name in usage:
                    self.check_usage(r, name, os.path.basename(path))
                else:
                    self.check(r, name, os.path.basename(path), name in warned)

    def test_my_cnf_in_home(self):
        self.each(".my.cnf", "mysql", lambda p: [])

    # A file named on the command line that is binary, over the size bound
    # or not a regular file is a usage error (the lead's decision, issue 8
    # F7); one that merely holds bad lines is read with warnings.
    NAMED_USAGE = {"binary", "huge", "fifo"}

    def test_defaults_extra_file(self):
        self.each("extra.cnf", "mysql", lambda p: ["--defaults-extra-file", p],
                  usage=self.NAMED_USAGE)

    def test_defaults_file(self):
        self.each("only.cnf", "mysql", lambda p: ["--defaults-file", p],
                  usage=self.NAMED_USAGE)

    def test_password_file(self):
        self.each("pw.txt", "mysql", lambda p: ["--password-file", p],
                  warned=set(), usage=self.NAMED_USAGE)

    # libpq skips .pgpass lines it cannot parse without a word, so garbage
    # there needs no warning; a file it cannot read at all does
    def test_pgpass_in_home(self):
        self.each(".pgpass", "postgres", lambda p: [], warned=WARNED - {"garbage"})

    def test_pgpassfile(self):
        self.each("elsewhere/pgpass", "postgres", lambda p: [],
                  env_for=lambda p: {"PGPASSFILE": p}, warned=WARNED - {"garbage"})

    def test_pg_service_conf(self):
        self.each(".pg_service.conf", "postgres", lambda p: [],
                  env_for=lambda p: {"PGSERVICE": "app"})

    def test_pgservicefile(self):
        self.each("svc/pg_service.conf", "postgres", lambda p: [],
                  env_for=lambda p: {"PGSERVICEFILE": p, "PGSERVICE": "app"})

    def test_option_file_include_loops(self):
        """A file that includes itself (several times) and a directory that
        includes itself: bounded, warned about."""
        with runner.TempHome() as home:
            conf_d = os.path.join(home, "conf.d")
            os.mkdir(conf_d)
            me = os.path.join(home, ".my.cnf")
            with open(me, "w") as fh:
                fh.write("[client]\nuser=app\n" + f"!include {me}\n" * 4
                         + f"!includedir {conf_d}\n")
            with open(os.path.join(conf_d, "loop.cnf"), "w") as fh:
                fh.write(f"[client]\n!includedir {conf_d}\n!include {me}\n")
            r = self.run_dbloop(home, ["diagnose", "-e", "mysql", "-H", "127.0.0.1",
                                       "-P", str(_refused_port())])
            self.check(r, "include loop", ".my.cnf", True)

    def test_etc_hosts(self):
        runner.need(os.geteuid() == 0 and shutil.which("unshare"),
                    "needs root and unshare for a private /etc/hosts")
        for name, content in _contents().items():
            if content == "fifo":
                continue  # glibc's own resolver would block on it, not dbloop
            with self.subTest(content=name), runner.TempHome() as home:
                hosts = os.path.join(home, "hosts")
                _place(hosts, content)
                os.chmod(hosts, 0o644)
                prefix = ["unshare", "-m", "sh", "-c",
                          'mount --bind "$0" /etc/hosts && exec "$@"', hosts]
                r = self.run_dbloop(home, ["diagnose", "-e", "postgres", "-P",
                                           str(_refused_port())], prefix=prefix)
                self.assertFalse(r.killed, f"{name}: hung: {r!r}")
                self.assertLess(r.wall, BOUND_S, f"{name}: {r!r}")
                self.assertIn(r.rc, (0, 1), f"{name}: {r!r}")
                if name in ("binary", "huge"):
                    self.assertIn("hosts", r.out + r.err, f"{name}: not warned: {r!r}")


class ShowBadReports(unittest.TestCase):
    def show(self, body, name="report.json", make=None):
        with runner.TempHome() as home:
            path = os.path.join(home, name)
            if make:
                make(path)
            elif body is not None:
                with open(path, "wb") as fh:
                    fh.write(body)
            r = runner.run(["show", path], runner.clean_env(home), hard_deadline=BOUND_S)
        return r

    def expect_usage(self, r, what):
        self.assertFalse(r.killed, f"{what}: hung: {r!r}")
        self.assertEqual(r.rc, 2, f"{what}: {r!r}")
        lines = r.err.splitlines()
        self.assertEqual(len(lines), 1, f"{what}: one line expected: {r!r}")
        self.assertTrue(lines[0].strip(), f"{what}: {r!r}")
        self.assertLess(r.maxrss_kb, 200 * 1024, f"{what}: {r!r}")

    def good(self):
        return {"schema": "dbloop.report/1", "dbloop_version": "0.1.0",
                "generated_at": "2026-11-21T23:59:01Z", "duration_ms": 1.0,
                "host": {"os": "linux", "in_container": False,
                         "localhost_resolves_to": ["127.0.0.1"], "ipv6_loopback": True},
                "targets": [], "ok": True}

    def test_control_valid_report_renders(self):
        # the control: the same writer accepts the good report
        r = self.show(json.dumps(self.good()).encode())
        self.assertEqual(r.rc, 0, f"{r!r}")

    def test_bad_reports(self):
        good = self.good()
        cases = {
            "not json": b"this is not json\n",
            "empty": b"",
            "binary": bytes(range(256)) * 16,
            "json array": b"[1, 2, 3]",
            "wrong schema": json.dumps(dict(good, schema="dbloop.report/999")).encode(),
            "schema with newline": json.dumps(dict(good, schema="x\ny")).encode(),
            "missing targets": json.dumps({k: v for k, v in good.items() if k != "targets"}).encode(),
            "missing schema": json.dumps({k: v for k, v in good.items() if k != "schema"}).encode(),
            "targets not a list": json.dumps(dict(good, targets="x")).encode(),
            "bad class": json.dumps(dict(good, targets=[{"target": "t", "engine": "postgres",
                                                          "server": None, "findings": [],
                                                          "probes": [{"transport": "unix",
                                                                      "class": "no_such_class"}]}]
                                         )).encode(),
            "deep nesting": b"[" * 200000 + b"]" * 200000,
            "truncated": json.dumps(good).encode()[:-7],
            "huge": b'{"schema": "dbloop.report/1", "pad": "' + b"A" * (40 * 1024 * 1024) + b'"}',
        }
        for what, body in cases.items():
            with self.subTest(case=what):
                self.expect_usage(self.show(body), what)

    def test_missing_file(self):
        self.expect_usage(self.show(None, name="absent.json"), "missing file")

    def test_directory(self):
        self.expect_usage(self.show(None, make=os.mkdir), "a directory")

    def test_fifo(self):
        self.expect_usage(self.show(None, make=os.mkfifo), "a fifo")


class BadCommandLines(unittest.TestCase):
    def test_table(self):
        with runner.TempHome() as home:
            fifo = os.path.join(home, "fifo")
            os.mkfifo(fifo)
            unreadable = "/nonexistent/dbloop/file"
            # args -> a word the one error line must contain
            table = [
                (["diagnose", "--no-such-option"], "no-such-option"),
                (["no-such-command"], "no-such-command"),
                (["diagnose", "-t", "0"], "0"),
                (["diagnose", "-t", "-1s"], "-1s"),
                (["diagnose", "-t", "abc"], "abc"),
                (["diagnose", "-t", "5x"], "5x"),
                (["diagnose", "-P", "0"], "0"),
                (["diagnose", "-P", "65536"], "65536"),
                (["diagnose", "-P", "http"], "http"),
                (["diagnose", "-H", ""], "host"),
                (["diagnose", "-e", "oracle"], "oracle"),
                (["diagnose", "-f", "yaml"], "yaml"),
                (["diagnose", "--stage", "dance"], "dance"),
                (["diagnose", "--ssl-mode", "maybe"], "maybe"),
                (["diagnose", "--transports", "carrier-pigeon"], "carrier-pigeon"),
                (["diagnose", "--require", "tcp9"], "tcp9"),
                (["diagnose", "postgres://[::1"], "postgres://[::1"),
                (["diagnose", "--password-file", unreadable], unreadable),
                (["diagnose", "--password-file", home], home),
                (["diagnose", "--defaults-file", unreadable], unreadable),
                (["diagnose", "--defaults-file", home], home),
                (["diagnose", "--defaults-file", fifo], fifo),
                (["diagnose", "--defaults-extra-file", unreadable], unreadable),
                (["diagnose", "--ssl-ca", unreadable], unreadable),
                (["diagnose", "--ssl-cert", home], home),
                (["diagnose", "--ssl-key", fifo], fifo),
                (["diagnose", "--password-file", fifo], fifo),
                (["diagnose", "-P", "1\n2"], "1\\n2"),
                (["diagnose", "postgres://[::1\r\n/db"], "\\r\\n"),
                (["diagnose", "x\ny"], "x\\ny"),
                (["show", "a\nb.json"], "a\\nb.json"),
                (["diagnose", "-o", "/nonexistent/dir/report.json"], "/nonexistent/dir"),
                (["wait", "--wait-timeout", "0"], "0"),
                (["show"], "missing REPORT.json"),
                (["explain", "--format", "yaml", "x"], "yaml"),
            ]
            for args, word in table:
                with self.subTest(args=args):
                    r = runner.run(args, runner.clean_env(home), hard_deadline=BOUND_S)
                    self.assertFalse(r.killed, f"hung: {r!r}")
                    self.assertEqual(r.rc, 2, f"{r!r}")
                    lines = r.err.splitlines()
                    self.assertEqual(len(lines), 1, f"one line expected: {r!r}")
                    self.assertIn(word, lines[0], f"the line should name '{word}': {r!r}")


if __name__ == "__main__":
    unittest.main()
