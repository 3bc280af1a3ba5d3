"""What the lab's PostgreSQL and MariaDB servers share.

A data directory initialised once per run and copied per server, the
socket the readiness checks speak on, and one server's life: prepare its
directory, start it, wait until it answers, stop it and remove what it
left.  pg.py and mariadb.py fill in what differs.
"""

import os
import shutil
import socket
import subprocess
import threading
import time

from . import LabError, run_root, scratch_dir, wait_until


class Template:
    """The run's initialised data directory, made by make(cache) on first use.

    timings gets template_s, the time the making took.  forget() drops it
    (the run root that held it is gone).
    """

    def __init__(self, make, timings):
        self._make, self._timings = make, timings
        self._lock = threading.Lock()
        self._path = None

    def get(self):
        with self._lock:
            if self._path is None:
                started = time.monotonic()
                cache = os.path.join(run_root(), "cache")
                os.makedirs(cache, mode=0o755, exist_ok=True)
                self._path = self._make(cache)
                self._timings["template_s"] = time.monotonic() - started
        return self._path

    def forget(self):
        with self._lock:
            self._path = None


def connect(address, timeout):
    """A stream socket connected to a unix socket path or a (host, port) tuple."""
    family = socket.AF_UNIX if isinstance(address, str) else (
        socket.AF_INET6 if ":" in address[0] else socket.AF_INET)
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect(address)
    except BaseException:
        sock.close()
        raise
    return sock


def recv_exact(sock, count):
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise ConnectionError("closed by server")
        data += chunk
    return data


class Server:
    """One server in namespace ns on port, in its own scratch directory.

    A subclass sets NAME (for messages) and START_TIMEOUT, and provides
    _configure() (the copied data directory made this server's),
    _spawn() (the running Proc), _ready(), startup_log() and
    _stop_processes().
    """

    NAME = "server"
    START_TIMEOUT = 30

    def __init__(self, ns, port, kind, user, template):
        self.ns, self.port = ns, port
        self.dir = scratch_dir(kind, owner=user)
        self.data = os.path.join(self.dir, "data")
        self._template = template
        self.proc = None
        self.sessions = []
        self.timings = {}

    def _prepare(self):
        started = time.monotonic()
        subprocess.run(["cp", "-a", self._template.get(), self.data], check=True,
                       timeout=120)
        self._configure()
        self.timings["prepare_s"] = time.monotonic() - started

    def start(self, timeout=None):
        self._prepare()
        started = time.monotonic()
        self.proc = self._spawn()
        try:
            wait_until(self._ready, timeout or self.START_TIMEOUT,
                       f"{self.NAME} on port {self.port}", proc=self.proc.popen)
        except LabError as exc:
            raise LabError(f"{exc}\n{self.startup_log()}") from None
        self.timings["start_s"] = time.monotonic() - started
        return self

    def stop(self):
        started = time.monotonic()
        self._stop_processes()
        shutil.rmtree(self.dir, ignore_errors=True)
        self.timings["stop_s"] = time.monotonic() - started
