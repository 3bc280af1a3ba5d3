"""dbloop's real-server test lab (stdlib only, run with /usr/bin/python3).

Throwaway PostgreSQL 15 and MariaDB 10.11 servers, each in a temporary
directory inside a private network namespace, configured into one failure
of ../../shared/spec/scenarios.md.  See docs/testing.md.

This module holds what every part of the lab shares: the run's temporary
root, the cleanup registry (context managers + atexit + SIGTERM/SIGHUP),
process start/stop by recorded PID, polling with a deadline, and the
skip-or-fail policy of integration tests (CI=true: fail, never skip).
"""

import atexit
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

PG_BIN = "/usr/lib/postgresql/15/bin"
ROOT_PREFIX = "dbloop-lab-"


class LabError(Exception):
    """The lab could not build what a scenario asked for."""


class LabUnavailable(LabError):
    """A prerequisite of the lab is missing (not root, no server binary)."""


# -- cleanup registry -------------------------------------------------------

_cleanups = []
_cleanup_lock = threading.Lock()
_handlers_installed = False


def on_cleanup(fn):
    """Register fn to run at cleanup (LIFO); returns a token for forget()."""
    _install_handlers()
    with _cleanup_lock:
        _cleanups.append(fn)
    return fn


def forget(token):
    with _cleanup_lock:
        if token in _cleanups:
            _cleanups.remove(token)


def run_cleanups():
    while True:
        with _cleanup_lock:
            if not _cleanups:
                return
            fn = _cleanups.pop()
        try:
            fn()
        except Exception as exc:  # cleanup must go on with the rest
            print(f"lab: cleanup {fn!r} failed: {exc}", file=sys.stderr)


def _at_exit():
    run_cleanups()
    remove_root()


def _on_signal(signum, _frame):
    # SystemExit unwinds every with-block, then atexit sweeps the rest.
    raise SystemExit(128 + signum)


def _install_handlers():
    global _handlers_installed
    if _handlers_installed:
        return
    _handlers_installed = True
    atexit.register(_at_exit)
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGHUP):
            if signal.getsignal(sig) in (signal.SIG_DFL, None):
                signal.signal(sig, _on_signal)


# -- the run's temporary root -------------------------------------------------

_root = None
_password = None


def run_root():
    """The run's temporary root: 0755 so postgres/mysql/nobody traverse it."""
    global _root
    if _root is None:
        sweep_stale()
        _install_handlers()
        _root = tempfile.mkdtemp(prefix=f"{ROOT_PREFIX}{os.getpid()}-")
        os.chmod(_root, 0o755)
    return _root


def remove_root():
    """Remove the run root (templates included); at exit, after run_cleanups()."""
    global _root
    if _root is not None:
        shutil.rmtree(_root, ignore_errors=True)
        _root = None
        from . import mariadb, pg

        pg.forget_template()
        mariadb.forget_template()


def scratch_dir(name, owner=None, mode=0o755):
    """A fresh directory under the run root, optionally chowned to owner."""
    path = tempfile.mkdtemp(prefix=f"{name}-", dir=run_root())
    os.chmod(path, mode)
    if owner:
        shutil.chown(path, owner, owner_group(owner))
    return path


def owner_group(user):
    import grp
    import pwd

    return grp.getgrgid(pwd.getpwnam(user).pw_gid).gr_name


def password():
    """The app user's password for this run: random, so a leak is findable."""
    global _password
    if _password is None:
        _password = "dblpw-" + secrets.token_hex(8)
    return _password


def sweep_stale():
    """Remove roots and namespaces left by lab processes that died (kill -9)."""
    tmp = tempfile.gettempdir()
    for name in os.listdir(tmp):
        if name.startswith(ROOT_PREFIX) and not _owner_alive(name[len(ROOT_PREFIX):]):
            shutil.rmtree(os.path.join(tmp, name), ignore_errors=True)
    from . import net

    net.sweep_stale_namespaces(_owner_alive)


def _owner_alive(tail):
    pid = tail.split("-", 1)[0]
    if not pid.isdigit():
        return True
    return int(pid) == os.getpid() or os.path.exists(f"/proc/{pid}")


# -- waiting with a deadline ----------------------------------------------------


def wait_until(pred, timeout, what, interval=0.02, proc=None):
    """Poll pred() until true or timeout seconds pass; never a fixed sleep.

    When proc (a Popen) exits first, fail at once with its status.
    """
    deadline = time.monotonic() + timeout
    last_exc = None
    while True:
        try:
            result = pred()
            if result:
                return result
        except OSError as exc:
            last_exc = exc
        if proc is not None and proc.poll() is not None:
            raise LabError(f"{what}: process exited with status {proc.returncode}")
        if time.monotonic() >= deadline:
            extra = f" (last error: {last_exc})" if last_exc else ""
            raise LabError(f"{what}: not within {timeout:.1f}s{extra}")
        time.sleep(min(interval, max(0.0, deadline - time.monotonic())))
        interval = min(interval * 1.5, 0.2)


# -- processes -------------------------------------------------------------------


class Proc:
    """A child process in its own process group, stopped by its recorded PID.

    stop() sends stop_signal, waits up to grace seconds, then SIGKILLs the
    whole group (a killed postmaster's backends must not linger).
    """

    def __init__(self, argv, name, log_path=None, stop_signal=signal.SIGTERM,
                 env=None, stdin=subprocess.DEVNULL, stdout=None):
        self.name = name
        self.argv = list(argv)
        self.stop_signal = stop_signal
        self.log_path = log_path
        log = open(log_path, "ab") if log_path else subprocess.DEVNULL
        try:
            self.popen = subprocess.Popen(
                self.argv, stdin=stdin, stdout=stdout or log, stderr=log,
                env=env, start_new_session=True, close_fds=True)
        finally:
            if log_path:
                log.close()
        self.pid = self.popen.pid
        self._token = on_cleanup(self.stop)

    def alive(self):
        return self.popen.poll() is None

    def stop(self, grace=10.0):
        forget(self._token)
        if self.popen.poll() is None:
            try:
                os.kill(self.pid, self.stop_signal)
            except ProcessLookupError:
                pass
            try:
                self.popen.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if self.popen.poll() is None:
            self.popen.kill()
            self.popen.wait(timeout=5)
        for stream in (self.popen.stdout, self.popen.stdin):
            if stream:
                stream.close()

    def log_tail(self, lines=20):
        if not self.log_path or not os.path.exists(self.log_path):
            return ""
        with open(self.log_path, "rb") as fh:
            data = fh.read()[-8192:].decode("utf-8", "replace")
        return "\n".join(data.splitlines()[-lines:])


def processes_under(path):
    """PIDs whose command line mentions path (a leftover-server check)."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                cmdline = fh.read().decode("utf-8", "replace")
        except OSError:
            continue
        if path in cmdline:
            found.append(int(pid))
    return found


def server_processes():
    """PIDs of any postgres or mariadbd process on the machine."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            exe = os.path.basename(os.readlink(f"/proc/{pid}/exe"))
        except OSError:
            continue
        if exe in ("postgres", "mariadbd", "mysqld"):
            found.append(int(pid))
    return found


# -- test policy -------------------------------------------------------------------


def in_ci():
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def check_prerequisites():
    """Raise LabUnavailable naming what is missing for the lab to run."""
    if os.geteuid() != 0:
        raise LabUnavailable("the lab needs root (network namespaces, runuser)")
    for tool in ("ip", "runuser", "setpriv", "openssl"):
        if shutil.which(tool) is None:
            raise LabUnavailable(f"'{tool}' not found")
    if not os.access(f"{PG_BIN}/postgres", os.X_OK):
        raise LabUnavailable(f"{PG_BIN}/postgres not found: apt-get install postgresql-15")
    if shutil.which("mariadbd") is None:
        raise LabUnavailable("mariadbd not found: apt-get install mariadb-server")


def unavailable(testcase, reason):
    """Skip with a clear reason, or fail under CI=true (never skip silently)."""
    if in_ci():
        testcase.fail(f"lab unavailable under CI: {reason}")
    testcase.skipTest(f"lab unavailable: {reason}")


def dbloop_bin():
    return os.environ.get("DBLOOP_BIN", "")
