"""The built dbloop binary's command line: usage errors, help, --version,
diagnose and wait with nothing listening, wait -- CMD, Ctrl-C.

Needs no database server: "ready" is reached with --stage connect against a
plain TCP listener this test opens, and the Ctrl-C cases use a tarpit (a
listener that accepts and never speaks) opened here too. Real-server wait
scenarios live with the lab's tests.
"""

import json
import os
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest

BIN = os.environ.get("DBLOOP_BIN", "dbloop")


def free_port():
    """A port nothing listens on (bound and released: nobody else asked)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Listener:
    """Accepts on 127.0.0.1 and holds every connection without a byte:
    with --stage connect it is a ready server, past connect a tarpit."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.accepted = threading.Event()
        self.held = []
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)
            self.accepted.set()

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        for c in self.held:
            c.close()


class CliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="dbloop-cli-")
        self.addCleanup(self.tmp.cleanup)
        self.sockdir = os.path.join(self.tmp.name, "sockets")
        os.mkdir(self.sockdir)
        # nothing from this machine's configuration may leak in
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("PG", "MYSQL", "MARIADB"))
                    and k != "DATABASE_URL"}
        self.env.update(HOME=self.tmp.name, NO_COLOR="1", LC_ALL="C")

    def run_dbloop(self, *args, timeout=20):
        start = time.monotonic()
        p = subprocess.run([BIN, *args], env=self.env, capture_output=True,
                           text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        return p, time.monotonic() - start

    def local(self, port):
        """Options that aim every probe at port and the empty socket dir."""
        return ["-P", str(port), "-S", self.sockdir, "--no-defaults"]

    # -- usage errors ---------------------------------------------------

    BAD = [
        [],
        ["frobnicate"],
        ["--frobnicate"],
        ["diagnose", "--frobnicate"],
        ["diagnose", "-x"],
        ["diagnose", "-p", "secret"],
        ["diagnose", "--port"],
        ["diagnose", "--port", "0"],
        ["diagnose", "--port", "65536"],
        ["diagnose", "--port", "http"],
        ["diagnose", "--timeout", "0"],
        ["diagnose", "--timeout", "-1s"],
        ["diagnose", "--timeout", "3h"],
        ["diagnose", "--engine", "oracle"],
        ["diagnose", "--format", "yaml"],
        ["diagnose", "--transports", "udp"],
        ["diagnose", "--transports", "unix,,tcp4"],
        ["diagnose", "--require", "most"],
        ["diagnose", "--require", "unix", "-4"],
        ["diagnose", "--stage", "login"],
        ["diagnose", "--ssl-mode", "on"],
        ["diagnose", "--color", "yes"],
        ["diagnose", "-q", "-v"],
        ["diagnose", "--user", ""],
        ["diagnose", "--redact=yes"],
        ["diagnose", "--no-defaults", "--defaults-file", "/x.cnf"],
        ["diagnose", "--interval", "1s"],
        ["diagnose", "http://localhost/"],
        ["diagnose", "localhost"],
        ["wait", "--wait-timeout", "never"],
        ["wait", "--interval", "0"],
        ["wait", "postgres://localhost/", "--"],
        ["help", "frobnicate"],
    ]

    def test_bad_command_lines_exit_2_with_one_line(self):
        for args in self.BAD:
            with self.subTest(args=args):
                p, took = self.run_dbloop(*args)
                self.assertEqual(p.returncode, 2, p.stderr)
                if args:  # bare `dbloop` prints the usage
                    lines = p.stderr.splitlines()
                    self.assertEqual(len(lines), 1, p.stderr)
                    self.assertTrue(lines[0].startswith("dbloop: "), lines)
                    self.assertEqual(p.stdout, "")
                self.assertLess(took, 5)

    def test_version(self):
        p, _ = self.run_dbloop("--version")
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = p.stdout.splitlines()
        self.assertRegex(lines[0], r"^dbloop \d+\.\d+\.\d+$")
        # one line per probe: the client library it is linked with, or
        # "not built"
        self.assertTrue(any(l.startswith("postgres: ") for l in lines), lines)
        self.assertTrue(any(l.startswith("mysql: ") for l in lines), lines)

    def test_help(self):
        p, _ = self.run_dbloop("--help")
        self.assertEqual(p.returncode, 0)
        for cmd in ("diagnose", "wait", "explain", "show"):
            self.assertIn(cmd, p.stdout)
        for args in (["help", "wait"], ["wait", "--help"],
                     ["wait", "-t", "1s", "-h"]):
            p, _ = self.run_dbloop(*args)
            self.assertEqual(p.returncode, 0, args)
            self.assertIn("--wait-timeout", p.stdout)
        p, _ = self.run_dbloop("diagnose", "--help")
        self.assertIn("--stage", p.stdout)
        self.assertNotIn("--wait-timeout", p.stdout)
        p, _ = self.run_dbloop("help", "explain")
        self.assertEqual(p.returncode, 0)
        self.assertIn("dbloop explain", p.stdout)

    def test_explain_file(self):
        """--file reads a pasted log (CRLF kept as it came); a file that
        cannot be read and a message given twice are usage errors."""
        with tempfile.TemporaryDirectory() as d:
            log = os.path.join(d, "app.log")
            with open(log, "wb") as f:
                f.write(b"app_1 | starting\r\n"
                        b"app_1 | SQLSTATE[HY000] [2002] Connection refused\r\n")
            p, _ = self.run_dbloop("explain", "--file", log, "-q")
            self.assertEqual((p.returncode, p.stdout), (0, "connection_refused\n"))
            p, _ = self.run_dbloop("explain", "--file", os.path.join(d, "none"))
            self.assertEqual(p.returncode, 2)
            self.assertIn("cannot read '", p.stderr)
            p, _ = self.run_dbloop("explain", "--file", log, "more text")
            self.assertEqual(p.returncode, 2)
            self.assertIn("not both", p.stderr)

    def test_explain_log_with_several_errors(self):
        """A log with several connection errors: JSON "errors" lists each
        line that places alone (number, class, text); "line" stays the one
        the class comes from; text output says "errors:"."""
        with tempfile.TemporaryDirectory() as d:
            log = os.path.join(d, "compose.log")
            with open(log, "w", encoding="utf-8") as f:
                f.write('db-1  | FATAL:  password authentication failed for user "root"\n'
                        'db-1  | DETAIL:  Role "root" does not exist.\n'
                        'db-1  | FATAL:  database "todo" does not exist\n'
                        'db-1  | SCHWERWIEGEND:  Datenbank »shop« existiert nicht\n')
            p, _ = self.run_dbloop("explain", "--format", "json", "--file", log)
            self.assertEqual(p.returncode, 0, p.stderr)
            j = json.loads(p.stdout)
            got = [(x["number"], x["class"]) for x in j["errors"]]
            self.assertEqual(got, [(1, "access_denied"), (3, "database_missing"),
                                   (4, "database_missing")])
            self.assertIn("»shop«", j["errors"][2]["text"])
            self.assertIn(j["line"]["number"], (1, 3, 4))
            p, _ = self.run_dbloop("explain", "--file", log)
            self.assertIn("errors: 1: access_denied:", p.stdout)

    # -- nothing listening ----------------------------------------------

    def test_diagnose_with_no_server_exits_1_quickly(self):
        p, took = self.run_dbloop("diagnose", *self.local(free_port()),
                                  "-t", "2s")
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertLess(took, 8)

    def test_diagnose_writes_a_complete_json_report(self):
        out = os.path.join(self.tmp.name, "report.json")
        p, _ = self.run_dbloop("diagnose", *self.local(free_port()),
                               "-t", "2s", "-o", out)
        self.assertEqual(p.returncode, 1, p.stderr)
        with open(out) as f:
            report = json.load(f)  # -f json inferred from the extension
        self.assertEqual(report["schema"], "dbloop.report/1")
        self.assertIs(report["ok"], False)

    def test_wait_times_out_at_the_deadline(self):
        p, took = self.run_dbloop("wait", *self.local(free_port()),
                                  "--wait-timeout", "1500ms",
                                  "--interval", "100ms", "-t", "1s")
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertGreaterEqual(took, 1.5)
        self.assertLess(took, 5)
        self.assertIn("timed out", p.stderr)
        # not a terminal: one line per change of state, not per attempt
        # (about 15 attempts per target here; a server another process starts
        # or stops on this machine meanwhile is a real change of state)
        progress = [l for l in p.stderr.splitlines() if "(attempt " in l]
        self.assertLessEqual(len(progress), 6, p.stderr)

    # -- wait -- CMD ----------------------------------------------------

    def wait_connect(self, port, *cmd):
        return self.run_dbloop("wait", "-e", "postgres", "--transports",
                               "tcp4", "--stage", "connect", "-P", str(port),
                               "--no-defaults", "--wait-timeout", "10s",
                               "--", *cmd)

    def test_wait_runs_command_and_passes_its_status(self):
        srv = Listener()
        self.addCleanup(srv.close)
        marker = os.path.join(self.tmp.name, "ran")
        p, _ = self.wait_connect(srv.port, "sh", "-c",
                                 f'echo "$0" > {marker}; exit 7', "arg0")
        self.assertEqual(p.returncode, 7, p.stderr)
        with open(marker) as f:
            self.assertEqual(f.read().strip(), "arg0")
        self.assertIn("ready after", p.stderr)

    def test_wait_missing_command_is_127_not_executable_126(self):
        srv = Listener()
        self.addCleanup(srv.close)
        p, _ = self.wait_connect(srv.port, "/nonexistent/dbloop-no-such")
        self.assertEqual(p.returncode, 127, p.stderr)
        self.assertIn("cannot run", p.stderr)
        plain = os.path.join(self.tmp.name, "not-executable")
        with open(plain, "w") as f:
            f.write("#!/bin/sh\nexit 0\n")
        os.chmod(plain, 0o644)
        p, _ = self.wait_connect(srv.port, plain)
        self.assertEqual(p.returncode, 126, p.stderr)

    def test_wait_ready_prints_one_line_per_target(self):
        srv = Listener()
        self.addCleanup(srv.close)
        p, _ = self.run_dbloop("wait", "-e", "postgres", "--transports",
                               "tcp4", "--stage", "connect", "-P",
                               str(srv.port), "--no-defaults")
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = p.stdout.splitlines()
        self.assertEqual(len(lines), 1, p.stdout)
        self.assertRegex(lines[0], r"ready after \d+\.\d+s")

    def test_wait_never_runs_command_when_not_ready(self):
        marker = os.path.join(self.tmp.name, "ran")
        p, _ = self.run_dbloop("wait", *self.local(free_port()),
                               "--wait-timeout", "500ms", "--",
                               "touch", marker)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertFalse(os.path.exists(marker))

    # -- Ctrl-C and SIGTERM ---------------------------------------------

    def interrupt(self, args, sig):
        """Starts dbloop against a tarpit, signals it once it connected;
        returns (exit status, seconds from signal to exit, process)."""
        tarpit = Listener()
        self.addCleanup(tarpit.close)
        proc = subprocess.Popen(
            [BIN, *args, "-e", "postgres", "--transports", "tcp4", "-P",
             str(tarpit.port), "--no-defaults", "-t", "30s"],
            env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL, text=True)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        self.assertTrue(tarpit.accepted.wait(10), "dbloop never connected")
        sent = time.monotonic()
        proc.send_signal(sig)
        try:
            proc.wait(timeout=5)
        finally:
            proc.stdout.close()
            proc.stderr.close()
        return proc.returncode, time.monotonic() - sent, proc

    def test_ctrl_c_during_diagnose_is_prompt(self):
        out = os.path.join(self.tmp.name, "r.json")
        rc, took, _ = self.interrupt(["diagnose", "-o", out], signal.SIGINT)
        self.assertEqual(rc, 130)
        self.assertLess(took, 1.0)
        # a complete report or none: none, and no temporary file left
        self.assertEqual(os.listdir(self.tmp.name), ["sockets"])

    def test_ctrl_c_during_wait_is_prompt(self):
        rc, took, _ = self.interrupt(["wait", "--wait-timeout", "60s"],
                                     signal.SIGINT)
        self.assertEqual(rc, 130)
        self.assertLess(took, 1.0)

    def test_sigterm_during_wait_exits_143(self):
        rc, took, _ = self.interrupt(["wait"], signal.SIGTERM)
        self.assertEqual(rc, 143)
        self.assertLess(took, 1.0)

    # -- a password in a URL target ---------------------------------------

    def test_url_password_is_scrubbed_from_cmdline(self):
        tarpit = Listener()
        self.addCleanup(tarpit.close)
        url = f"postgres://app:sekrit-pw@127.0.0.1:{tarpit.port}/db"
        proc = subprocess.Popen(
            [BIN, "diagnose", url, "-t", "30s", "--no-defaults"],
            env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL, text=True)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        self.assertTrue(tarpit.accepted.wait(10), "dbloop never connected")
        with open(f"/proc/{proc.pid}/cmdline", "rb") as f:
            cmdline = f.read()
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=5)
        self.assertNotIn(b"sekrit-pw", cmdline)
        self.assertIn(b"postgres://app:", cmdline)
        self.assertEqual(err.count("password on the command line"), 1, err)
        self.assertNotIn("sekrit-pw", err)


if __name__ == "__main__":
    unittest.main()
