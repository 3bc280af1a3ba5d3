"""Running the built dbloop from the hardening tests: a clean environment,
a hard deadline, wall time and the child's own peak RSS (wait4)."""

import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import unittest

IN_CI = os.environ.get("CI", "").lower() == "true"


def need(condition, why):
    """Skips when something the test needs is missing, but fails under
    CI=true: CI must never pass by skipping."""
    if condition:
        return
    if IN_CI:
        raise AssertionError(f"CI=true and {why}")
    raise unittest.SkipTest(why)


def dbloop_bin():
    path = os.environ.get("DBLOOP_BIN", "")
    need(path and os.access(path, os.X_OK), "DBLOOP_BIN is not an executable dbloop")
    return path


# Variables that would make dbloop probe something other than what a test
# set up; removed from every child environment.
_LEAKY = ("PG", "MYSQL", "MARIADB", "DATABASE_URL", "POSTGRES", "DBLOOP")


def clean_env(home, extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(_LEAKY)}
    env["HOME"] = home
    env["NO_COLOR"] = "1"
    env.setdefault("LC_ALL", "C.UTF-8")
    if extra:
        env.update(extra)
    return env


class Run:
    """One finished (or killed) dbloop run."""

    def __init__(self, args, rc, out, err, wall, maxrss_kb, killed):
        self.args = args
        self.rc = rc  # exit status, or -signal
        self.out = out
        self.err = err
        self.wall = wall  # seconds
        self.maxrss_kb = maxrss_kb
        self.killed = killed  # the test had to kill it at the hard deadline

    def json(self):
        return json.loads(self.out)

    def __repr__(self):
        return (f"dbloop {' '.join(self.args)} -> rc={self.rc} wall={self.wall:.3f}s "
                f"rss={self.maxrss_kb}KB killed={self.killed}\nstdout: {self.out[:2000]}"
                f"\nstderr: {self.err[:2000]}")


# The child's own peak RSS comes from /usr/bin/time (%M): wait4 on a child
# forked from this (large) Python process reports Python's resident set
# too, because exec keeps the pre-exec high-water mark.
TIME_BIN = "/usr/bin/time"


def start(args, env, prefix=None, measure_rss=False):
    """Starts dbloop with args; returns the Popen (stdout/stderr to files
    readable via finish()). With measure_rss, dbloop runs under
    /usr/bin/time (so p.pid is not dbloop's: do not signal it)."""
    outf = tempfile.TemporaryFile()
    errf = tempfile.TemporaryFile()
    rss_file = None
    cmd = (prefix or []) + [dbloop_bin()] + list(args)
    if measure_rss:
        need(os.access(TIME_BIN, os.X_OK), "/usr/bin/time missing: apt-get install time")
        fd, rss_file = tempfile.mkstemp(prefix="dbloop-rss-")
        os.close(fd)
        cmd = [TIME_BIN, "-q", "-f", "%M", "-o", rss_file] + cmd
    # its own session, so a hard-deadline kill takes /usr/bin/time, a
    # prefix (unshare, ip netns exec) and dbloop together
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=outf, stderr=errf, env=env,
                         start_new_session=True)
    p._dbl_files = (outf, errf)
    p._dbl_start = time.monotonic()
    p._dbl_args = list(args)
    p._dbl_rss_file = rss_file
    return p


def finish(p, hard_deadline):
    """Waits for p at most hard_deadline seconds after its start, killing it
    past that. Uses wait4 so the child's own peak RSS is known."""
    box = []
    t = threading.Thread(target=lambda: box.append(os.wait4(p.pid, 0)), daemon=True)
    t.start()
    t.join(max(0.0, p._dbl_start + hard_deadline - time.monotonic()))
    killed = False
    if not box:
        killed = True
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        t.join(10)
    wall = time.monotonic() - p._dbl_start
    _, status, ru = box[0]
    p.returncode = os.waitstatus_to_exitcode(status)
    maxrss = ru.ru_maxrss
    if p._dbl_rss_file:
        with open(p._dbl_rss_file) as fh:
            text = fh.read().strip().splitlines()
        os.unlink(p._dbl_rss_file)
        # the last line is %M; "Command terminated by signal" may precede it
        maxrss = int(text[-1]) if text and text[-1].isdigit() else maxrss
    outf, errf = p._dbl_files
    outf.seek(0)
    errf.seek(0)
    out = outf.read().decode("utf-8", "replace")
    err = errf.read().decode("utf-8", "replace")
    outf.close()
    errf.close()
    return Run(p._dbl_args, p.returncode, out, err, wall, maxrss, killed)


def run(args, env, hard_deadline=60.0, prefix=None, measure_rss=True):
    return finish(start(args, env, prefix, measure_rss), hard_deadline)


def probes_of(report):
    """Every probe of every target: (engine, probe dict)."""
    for t in report.get("targets", []):
        for p in t.get("probes", []):
            yield t.get("engine"), p


class TempHome:
    """A private HOME (and scratch dir) removed afterwards."""

    def __enter__(self):
        self.path = tempfile.mkdtemp(prefix="dbloop-test-")
        os.chmod(self.path, 0o755)
        return self.path

    def __exit__(self, *exc):
        shutil.rmtree(self.path, ignore_errors=True)
