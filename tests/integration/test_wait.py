"""`dbloop wait` against real servers (issue 7, cli.md), through the lab.

Each test brings a scenario up in its own namespace and runs
`dbloop wait` there as a child process whose output lines and exit are
timestamped by reader threads.  Servers that come up late are started
from the test after a delay: the delay is the scenario ("the database
container takes a while"), never a way to synchronise.  Everything the
test waits for it polls under a deadline: a line from dbloop, a TCP
connection the tarpit accepted, the child's exit.

Timing claims, with INTERVAL (--interval) and SLACK (one probe plus the
process's exit on a loaded 2-core machine):
  - a late server: dbloop exits at most INTERVAL + SLACK after the lab saw
    the server ready, well before --wait-timeout;
  - several late servers: at most INTERVAL + SLACK after the later one,
    so less than the sum;
  - a server that never becomes ready: exit 1 at --wait-timeout, with the
    diagnosis of the last attempt;
  - SIGINT: exit 130 within a second, while pausing or mid-probe.
Figures go to stderr ("wait timing: ...") for the notes.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import unittest

from lab import LabError, mariadb, net, pg, scenarios, wait_until
from lab import dbloop as dbl
from lab.testing import LabTestCase

INTERVAL = "500ms"
INTERVAL_S = 0.5
SLACK_S = 0.6
SIGNAL_LIMIT_S = 1.0
INIT_PHASE_S = 1.5  # how long the entrypoint's temporary server runs
HARD_LIMIT_S = 90


def log(line):
    print(f"wait timing: {line}", file=sys.stderr)


class WaitRun:
    """`dbloop ARGS` in run's namespace; lines and exit time recorded by threads."""

    def __init__(self, run, args):
        self.args = list(args)
        self.lines = {"out": [], "err": []}  # (monotonic time, text)
        self.lock = threading.Lock()
        self.began = time.monotonic()
        self.popen = subprocess.Popen(
            dbl.command(run, args), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=dbl.base_env(run.client), cwd="/",
            start_new_session=True)  # a signal the test sends reaches dbloop alone
        self.ended = None
        self.threads = [threading.Thread(target=self._read, args=(name, stream), daemon=True)
                        for name, stream in (("out", self.popen.stdout),
                                             ("err", self.popen.stderr))]
        self.threads.append(threading.Thread(target=self._reap, daemon=True))
        for thread in self.threads:
            thread.start()

    def _read(self, name, stream):
        for raw in iter(stream.readline, b""):
            with self.lock:
                self.lines[name].append((time.monotonic(), raw.decode("utf-8", "replace")))
        stream.close()

    def _reap(self):
        self.popen.wait()
        self.ended = time.monotonic()

    def text(self, name):
        with self.lock:
            return "".join(line for _, line in self.lines[name])

    def running(self):
        return self.ended is None and self.popen.poll() is None

    def wait_err(self, pattern, timeout=20):
        """Poll until a stderr line matches pattern; fail if dbloop exits first."""
        regex = re.compile(pattern)

        def seen():
            with self.lock:
                return next((t for t, line in self.lines["err"] if regex.search(line)), None)

        try:
            return wait_until(seen, timeout, f"dbloop line /{pattern}/", proc=self.popen)
        except LabError as exc:
            raise AssertionError(f"{exc}\nstdout: {self.text('out')!r}\n"
                                 f"stderr: {self.text('err')!r}") from None

    def finish(self, timeout=HARD_LIMIT_S):
        """(status, stdout, stderr) once dbloop exits; killed and failed past timeout."""
        self.threads[-1].join(timeout)
        if self.ended is None:
            self.kill()
            raise AssertionError(f"dbloop {' '.join(self.args)} still running after "
                                 f"{timeout}s: {self.text('err')[-400:]!r}")
        for thread in self.threads[:-1]:
            thread.join(10)
        return self.popen.returncode, self.text("out"), self.text("err")

    @property
    def elapsed(self):
        return self.ended - self.began

    def kill(self):
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(10)


class LateStart:
    """Starts server in a thread delay seconds from now (the scenario itself).

    Records when the server was launched and when the lab saw it ready;
    check, if given, runs just before the launch (what held while not ready).
    """

    def __init__(self, server, delay, check=None):
        self.server, self.delay, self.check = server, delay, check
        self.abort = threading.Event()
        self.launched = self.ready = self.error = self.checked = None
        self.thread = threading.Thread(target=self._body, daemon=True)
        self.thread.start()

    def _body(self):
        if self.abort.wait(self.delay):  # the test already failed: start nothing
            return
        try:
            self.checked = self.check() if self.check else None
            self.launched = time.monotonic()
            self.server.start()
            self.ready = time.monotonic()
        except BaseException as exc:  # reported by join()
            self.error = exc

    def join(self, timeout=120):
        self.thread.join(timeout)
        if self.error:
            raise self.error
        if self.ready is None:
            raise AssertionError(f"the late server was not ready within {timeout}s")

    def cancel(self):
        self.abort.set()
        self.thread.join(120)


def wait_args(run, *extra, timeout="3s", wait_timeout="30s", interval=INTERVAL):
    return (["wait"] + dbl.client_args(run.client, timeout)
            + ["--interval", interval, "--wait-timeout", wait_timeout] + list(extra))


def attempts_of(out):
    """The attempt counts of wait's "X: ready after 1.23s (4 attempts)" lines."""
    return [int(n) for n in re.findall(r"ready after [\d.]+s \((\d+) attempts?\)", out)]


def findings_of(report, index=0):
    return [f.get("class") for f in report["targets"][index].get("findings") or []]


def pg_late(run, **kw):
    """A PostgreSQL server for run's port and socket directory, not started yet."""
    server = pg.PgServer(run.ns, run.port, socket_dir=run.client.socket, **kw)
    run.servers.append(server)  # run.stop() stops it
    return server


def my_late(run, **kw):
    """A MariaDB server for run's port and socket file, not started yet."""
    shutil.chown(os.path.dirname(run.client.socket), mariadb.USER, mariadb.USER)
    server = mariadb.MyServer(run.ns, run.port, socket_path=run.client.socket, **kw)
    run.servers.append(server)
    return server


def established(ns, port):
    """Whether a TCP connection to port is established in namespace ns."""
    def check():
        for proto in ("tcp", "tcp6"):
            with open(f"/proc/thread-self/net/{proto}") as fh:
                for line in fh.readlines()[1:]:
                    fields = line.split()
                    if fields[3] == "01" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                        return True
        return False

    return ns.run(check)


class WaitTests(LabTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        pg.template()  # initialised once, so a late start is a server start only
        mariadb.template()

    # -- a server that comes up late --------------------------------------------

    def started_late(self, name, make_server, delay=2.0):
        with scenarios.running(name) as run:
            server = make_server(run)
            wait = WaitRun(run, wait_args(run))
            late = LateStart(server, delay)
            try:
                status, out, err = wait.finish()
                late.join()
            finally:
                late.cancel()
                wait.kill()
        latency = wait.ended - late.ready
        log(f"{name} started late: delay {delay:.1f}s, server start "
            f"{late.ready - late.launched:.2f}s, wait exit {wait.elapsed:.2f}s, "
            f"exit after lab-ready {latency * 1000:+.0f} ms, attempts {attempts_of(out)}")
        self.assertEqual(status, 0, f"stdout: {out!r}\nstderr: {err!r}")
        self.assertRegex(out, r"ready after \d+\.\d+s")
        self.assertGreater(wait.ended, late.launched, "ready before the server was started")
        self.assertTrue(attempts_of(out) and attempts_of(out)[0] > 1,
                        f"the first attempt should have failed: {out!r}")
        self.assertLessEqual(latency, INTERVAL_S + SLACK_S,
                             f"exited {latency:.2f}s after the server was ready")
        self.assertNotIn(run.client.password, out + err)

    def test_pg_started_late(self):
        self.started_late("pg_not_running", pg_late)

    def test_my_started_late(self):
        self.started_late("my_not_running", my_late)

    def test_two_servers_waited_for_concurrently(self):
        """PostgreSQL and MariaDB start at different delays: total ~ the later one."""
        with scenarios.running("pg_not_running") as run:
            sock_dir = run.client.socket  # both servers' sockets, as in /run
            my_port = net.free_port()
            pg_server = pg.PgServer(run.ns, run.port, socket_dir=sock_dir,
                                    socket_dir_mode=0o1777)
            my_server = mariadb.MyServer(run.ns, my_port,
                                         socket_path=os.path.join(sock_dir, "mysqld.sock"))
            run.servers += [pg_server, my_server]
            os.chmod(sock_dir, 0o1777)
            pg_url = f"postgres://app@localhost:{run.port}/appdb"
            my_url = f"mysql://app@localhost:{my_port}/appdb"
            args = ["wait", "--password-env", dbl.PASSWORD_VAR, "--no-defaults",
                    "-S", sock_dir, "--interval", INTERVAL, "--wait-timeout", "40s",
                    pg_url, my_url]
            wait = WaitRun(run, args)
            starts = [LateStart(pg_server, 1.5), LateStart(my_server, 3.0)]
            try:
                status, out, err = wait.finish()
                for late in starts:
                    late.join()
            finally:
                for late in starts:
                    late.cancel()
                wait.kill()
        later = max(late.ready for late in starts)
        own = [late.ready - wait.began for late in starts]
        log(f"two targets: pg ready at {own[0]:.2f}s, mariadb at {own[1]:.2f}s, "
            f"wait exit {wait.elapsed:.2f}s ({(wait.ended - later) * 1000:+.0f} ms "
            f"after the later one)")
        self.assertEqual(status, 0, f"stdout: {out!r}\nstderr: {err!r}")
        times = dict(re.findall(r"^(\S+): ready after ([\d.]+)s", out, re.M))
        self.assertEqual(set(times), {pg_url, my_url}, out)
        # The delays are 1.5 s apart, but a loaded machine can start the two
        # servers at nearly the same moment: the order is asserted only when
        # the servers really became ready further apart than one interval.
        if own[1] - own[0] > INTERVAL_S + SLACK_S:
            self.assertLess(float(times[pg_url]), float(times[my_url]),
                            "the earlier server should be reported ready earlier")
        # each target on its own schedule: neither is held back by the other
        self.assertLessEqual(float(times[pg_url]), own[0] + INTERVAL_S + SLACK_S,
                             "the PostgreSQL target was reported late")
        self.assertLessEqual(float(times[my_url]), own[1] + INTERVAL_S + SLACK_S,
                             "the MariaDB target was reported late")
        # ends with the later server, not one interval per target after it
        self.assertLessEqual(wait.ended - later, INTERVAL_S + SLACK_S)

    # -- servers that never become ready --------------------------------------------

    def times_out(self, name, finding, wait_timeout=2.0):
        with scenarios.running(name) as run:
            wait = WaitRun(run, wait_args(run, "-f", "json",
                                          wait_timeout=f"{wait_timeout}s"))
            status, out, err = wait.finish()
            secrets = {run.client.password, scenarios.password()}
        log(f"{name}: timed out after {wait.elapsed:.2f}s (--wait-timeout {wait_timeout}s)")
        self.assertEqual(status, 1, f"stdout: {out[:600]!r}\nstderr: {err!r}")
        self.assertGreaterEqual(wait.elapsed, wait_timeout - 0.05, "gave up before the deadline")
        self.assertLessEqual(wait.elapsed, wait_timeout + SLACK_S + 0.4,
                             "ran past the deadline")
        self.assertIn("timed out", err)
        self.assertIn(finding, err, "the state line should name the class")
        report = json.loads(out)
        self.assertIn(finding, findings_of(report), out[:2000])
        self.assertFalse(report.get("ok"))
        valid, why = dbl.validate(out)
        self.assertIsNot(valid, False, why)
        for secret in secrets:
            self.assertNotIn(secret, out + err)
        return report

    def test_pg_server_starting_times_out(self):
        self.times_out("pg_server_starting", "server_starting")

    def test_pg_wrong_password_times_out(self):
        self.times_out("pg_wrong_password", "access_denied")

    def test_my_wrong_password_times_out(self):
        self.times_out("my_wrong_password", "access_denied")

    def test_tarpit_ends_at_wait_timeout_not_probe_timeout(self):
        """A probe's own -t is cut to what is left of --wait-timeout."""
        with scenarios.running("pg_tarpit") as run:
            wait = WaitRun(run, wait_args(run, "-f", "json", timeout="20s",
                                          wait_timeout="2s"))
            status, out, err = wait.finish()
        log(f"pg_tarpit with -t 20s: timed out after {wait.elapsed:.2f}s (--wait-timeout 2s)")
        self.assertEqual(status, 1, f"stdout: {out[:600]!r}\nstderr: {err!r}")
        self.assertLessEqual(wait.elapsed, 2.0 + SLACK_S + 0.4, "a probe ran past the deadline")
        self.assertIn("timeout", findings_of(json.loads(out)), out[:2000])

    def test_attempt_cut_by_the_deadline_keeps_the_last_real_class(self):
        """An attempt that --wait-timeout cuts short proves only that the
        deadline came first: the report keeps what the last full attempt
        found. The postmaster is stopped (SIGSTOP) after the first wrong
        password: later connects are accepted by the kernel and never
        answered, so every later attempt runs into the deadline."""
        with scenarios.running("pg_wrong_password") as run:
            postmaster = run.servers[0].proc.pid
            wait = WaitRun(run, wait_args(run, "-f", "json", timeout="20s",
                                          wait_timeout="3s"))
            try:
                wait.wait_err(r"access_denied")
                os.kill(postmaster, signal.SIGSTOP)
                status, out, err = wait.finish()
            finally:
                os.kill(postmaster, signal.SIGCONT)
        self.assertEqual(status, 1, f"stdout: {out[:600]!r}\nstderr: {err!r}")
        self.assertLessEqual(wait.elapsed, 3.0 + SLACK_S + 0.4, "ran past the deadline")
        self.assertIn("(access_denied)", err, "the timed-out line names the real class")
        findings = findings_of(json.loads(out))
        self.assertIn("access_denied", findings, out[:2000])
        self.assertNotIn("timeout", findings, out[:2000])

    # -- a container entrypoint's temporary init server -----------------------------

    def init_server(self, name, temp_server, real_server, require=("--require", "tcp4")):
        """TCP off while the init server runs, then a restart with TCP on."""
        with scenarios.running(name) as run:
            temp = temp_server(run)
            temp.start()
            wait = WaitRun(run, wait_args(run, *require))
            try:
                wait.wait_err(r"attempt 1\b")  # it has seen the socket-only server
                phase = threading.Event()
                phase.wait(INIT_PHASE_S)  # the init server's run: the scenario
                early = wait.running()
                temp.stop()
                real = real_server(run)
                launched = time.monotonic()
                real.start()
                ready = time.monotonic()
                status, out, err = wait.finish()
            finally:
                wait.kill()
        log(f"{name} init server: state {err.splitlines()[0] if err else ''!r}; "
            f"exit {(wait.ended - ready) * 1000:+.0f} ms after the real server was ready")
        self.assertTrue(early, f"wait ended while only the init server ran: {out!r} {err!r}")
        self.assertEqual(status, 0, f"stdout: {out!r}\nstderr: {err!r}")
        self.assertGreater(wait.ended, launched, "ready before TCP was up")
        self.assertLessEqual(wait.ended - ready, INTERVAL_S + SLACK_S)

    def test_pg_init_server_is_not_ready(self):
        self.init_server("pg_not_running", lambda run: pg_late(run, listen=()), pg_late)

    def test_my_init_server_is_not_ready(self):
        self.init_server("my_not_running", lambda run: my_late(run, bind=None), my_late)

    # Without --require (the default "any"), the socket alone would do, but a
    # socket-only server younger than 60 s is taken for an init server.
    def test_pg_init_server_not_ready_by_default(self):
        self.init_server("pg_not_running", lambda run: pg_late(run, listen=()), pg_late,
                         require=())

    def test_my_init_server_not_ready_by_default(self):
        self.init_server("my_not_running", lambda run: my_late(run, bind=None), my_late,
                         require=())

    # -- `-- CMD` ---------------------------------------------------------------------

    def test_command_runs_once_ready(self):
        with scenarios.running("pg_not_running") as run:
            marker = os.path.join(run.dir, "ran")
            wait = WaitRun(run, wait_args(run, "--", "sh", "-c",
                                          f"echo from-cmd; touch {marker}; exit 7"))
            late = LateStart(pg_late(run), 1.5, check=lambda: os.path.exists(marker))
            try:
                status, out, err = wait.finish()
                late.join()
            finally:
                late.cancel()
                wait.kill()
            ran = os.path.exists(marker)
        self.assertIs(late.checked, False, "the command ran before the server started")
        self.assertEqual(status, 7, f"stdout: {out!r}\nstderr: {err!r}")
        self.assertTrue(ran, "the command did not run")
        self.assertEqual(out, "from-cmd\n", "stdout belongs to the command")
        self.assertIn("ready after", err)

    def test_command_not_run_at_timeout(self):
        with scenarios.running("pg_not_running") as run:
            marker = os.path.join(run.dir, "ran")
            wait = WaitRun(run, wait_args(run, "--", "touch", marker, wait_timeout="1s"))
            status, out, err = wait.finish()
            ran = os.path.exists(marker)
        self.assertEqual(status, 1, f"stdout: {out!r}\nstderr: {err!r}")
        self.assertFalse(ran, "the command ran although the server never came up")
        self.assertIn("timed out", err)

    def test_command_status_passes_through(self):
        with scenarios.running("pg_ok") as run:
            plain = os.path.join(run.dir, "not-executable")
            with open(plain, "w") as fh:
                fh.write("#!/bin/sh\nexit 0\n")
            os.chmod(plain, 0o644)
            cases = [(["sh", "-c", "exit 7"], 7), (["true"], 0), (["false"], 1),
                     (["/nonexistent/cmd"], 127), ([plain], 126)]
            for argv, want in cases:
                with self.subTest(argv=argv):
                    status, out, err = WaitRun(run, wait_args(run, "--", *argv)).finish()
                    self.assertEqual(status, want, f"stdout: {out!r}\nstderr: {err!r}")

    # -- Ctrl-C -----------------------------------------------------------------------

    def interrupt(self, wait, sig, what):
        exe = os.readlink(f"/proc/{wait.popen.pid}/exe")
        self.assertEqual(os.path.basename(exe), "dbloop", "the signal must reach dbloop")
        sent = time.monotonic()
        os.kill(wait.popen.pid, sig)
        status, out, err = wait.finish()
        latency = wait.ended - sent
        log(f"{signal.Signals(sig).name} {what}: exit {status} after {latency * 1000:.0f} ms")
        self.assertEqual(status, 128 + sig, f"stdout: {out!r}\nstderr: {err!r}")
        self.assertLess(latency, SIGNAL_LIMIT_S)
        self.assertNotIn("timed out", err)

    def interrupt_pausing(self, sig):
        """sig between two attempts on a server that is not running."""
        with scenarios.running("pg_not_running") as run:
            wait = WaitRun(run, wait_args(run, interval="1s", wait_timeout="60s"))
            try:
                wait.wait_err(r"attempt 1\b")
                self.interrupt(wait, sig, "between attempts")
            finally:
                wait.kill()

    def test_sigint_while_pausing(self):
        self.interrupt_pausing(signal.SIGINT)

    def test_sigterm_while_pausing(self):
        self.interrupt_pausing(signal.SIGTERM)

    def test_sigint_during_probe(self):
        with scenarios.running("pg_tarpit") as run:
            wait = WaitRun(run, wait_args(run, timeout="20s", wait_timeout="60s"))
            try:
                wait_until(lambda: established(run.ns, run.port), 20,
                           "a probe connected to the tarpit", proc=wait.popen)
                self.interrupt(wait, signal.SIGINT, "during a probe")
            finally:
                wait.kill()


if __name__ == "__main__":
    unittest.main()
