"""Network side of the lab: private namespaces, hosts files, raw sockets.

Every scenario runs its servers and dbloop in a network namespace of its
own (discovery reads /proc/net/{tcp,tcp6,unix}, which are per namespace),
so a neighbour's listener never turns *_not_running into wrong_port.
`ip netns exec NS` also bind-mounts /etc/netns/NS/hosts over /etc/hosts
for the process it launches: that is the scenario's private hosts file.
"""

import ctypes
import errno
import os
import secrets
import shutil
import socket
import subprocess
import sys
import threading

from . import LabError, Proc, forget, on_cleanup, owner_group, wait_until

NETNS_DIR = "/run/netns"
ETC_NETNS = "/etc/netns"
NS_PREFIX = "dbl-"
CLONE_NEWNET = 0x40000000
HOSTS_V4 = "127.0.0.1\tlocalhost\n"
HOSTS_V6 = "::1\tlocalhost\n"
MASK_ETC = ("mysql", "postgresql", "postgresql-common")

_libc = ctypes.CDLL(None, use_errno=True)


def _ip(*args, check=True):
    res = subprocess.run(["ip", *args], capture_output=True, text=True, timeout=20)
    if check and res.returncode != 0:
        raise LabError(f"ip {' '.join(args)}: {res.stderr.strip()}")
    return res


class Netns:
    """A private network namespace with lo up and its own /etc/hosts."""

    def __init__(self, hosts=HOSTS_V4, ipv6=True, mask_etc=MASK_ETC):
        self.name = f"{NS_PREFIX}{os.getpid()}-{secrets.token_hex(3)}"
        self._token = on_cleanup(self.delete)
        _ip("netns", "add", self.name)
        _ip("-n", self.name, "link", "set", "lo", "up")
        self.set_hosts(hosts)
        for name in mask_etc:  # the machine's server configs are not the scenario's
            if os.path.isdir(f"/etc/{name}"):
                os.makedirs(f"{ETC_NETNS}/{self.name}/{name}", mode=0o755)
        if not ipv6:
            self.exec_check(["sysctl", "-qw", "net.ipv6.conf.lo.disable_ipv6=1"])

    def set_hosts(self, text):
        os.makedirs(f"{ETC_NETNS}/{self.name}", exist_ok=True)
        with open(f"{ETC_NETNS}/{self.name}/hosts", "w") as fh:
            fh.write(text)
        os.chmod(f"{ETC_NETNS}/{self.name}/hosts", 0o644)

    def prefix(self):
        """The argv prefix that launches a program inside the namespace."""
        return ["ip", "netns", "exec", self.name]

    def exec_check(self, argv, **kw):
        res = subprocess.run(self.prefix() + argv, capture_output=True,
                             text=True, timeout=kw.pop("timeout", 30), **kw)
        if res.returncode != 0:
            raise LabError(f"{' '.join(argv)} in {self.name}: {res.stderr.strip()}")
        return res

    def run(self, fn, *args):
        """Run fn(*args) in a thread that entered the namespace; return its result."""
        return in_netns(self.name, fn, *args)

    def delete(self):
        forget(self._token)
        _ip("netns", "delete", self.name, check=False)
        shutil.rmtree(f"{ETC_NETNS}/{self.name}", ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.delete()


def in_netns(name, fn, *args):
    """Call fn in a fresh thread that setns()'d into namespace name.

    A network namespace is a per-thread attribute, so the lab process
    itself stays in the machine's namespace.
    """
    box = {}

    def body():
        try:
            fd = os.open(f"{NETNS_DIR}/{name}", os.O_RDONLY | os.O_CLOEXEC)
            try:
                if _libc.setns(fd, CLONE_NEWNET) != 0:
                    err = ctypes.get_errno()
                    raise OSError(err, f"setns {name}: {os.strerror(err)}")
            finally:
                os.close(fd)
            box["value"] = fn(*args)
        except BaseException as exc:  # handed back to the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=body, daemon=True)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box.get("value")


def sweep_stale_namespaces(owner_alive):
    if not os.path.isdir(NETNS_DIR):
        return
    for name in os.listdir(NETNS_DIR):
        if name.startswith(NS_PREFIX) and not owner_alive(name[len(NS_PREFIX):]):
            _ip("netns", "delete", name, check=False)
            shutil.rmtree(f"{ETC_NETNS}/{name}", ignore_errors=True)


def free_port():
    """A port the kernel calls free; any port is free in a fresh namespace,
    but asking the kernel keeps the lab off fixed and well-known ports."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def free_ports(count):
    ports = set()
    while len(ports) < count:
        ports.add(free_port())
    return sorted(ports)


# -- short connects (call them inside the namespace: Netns.run) ---------------------


def connect_errno(family, address, timeout=0.5):
    """0 when a connect succeeds, else the errno; never blocks past timeout."""
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(address)
        return 0
    except socket.timeout:
        return errno.ETIMEDOUT
    except OSError as exc:
        return exc.errno or errno.EIO
    finally:
        sock.close()


def tcp_errno(host, port, timeout=0.5):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return connect_errno(family, (host, port), timeout)


def unix_errno(path, timeout=0.5):
    return connect_errno(socket.AF_UNIX, path, timeout)


def listeners():
    """(proto, address) of every listener in this thread's namespace.

    /proc/net is /proc/self/net: the main thread's namespace, so read
    /proc/thread-self/net from inside Netns.run.
    """
    found = []
    for proto in ("tcp", "tcp6"):
        with open(f"/proc/thread-self/net/{proto}") as fh:
            for line in fh.readlines()[1:]:
                fields = line.split()
                if fields[3] == "0A":
                    found.append((proto, fields[1]))
    with open("/proc/thread-self/net/unix") as fh:
        for line in fh.readlines()[1:]:
            fields = line.split()
            if len(fields) >= 8 and fields[5] == "01" and fields[3] == "00010000":
                found.append(("unix", fields[7]))
    return found


# -- misbehaving sockets ------------------------------------------------------------


def stale_socket(path, owner=None):
    """Bind a unix socket at path without listening, close it, leave the file."""
    if os.path.lexists(path):
        os.unlink(path)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.bind(path)
    finally:
        sock.close()
    if owner:
        shutil.chown(path, owner, owner_group(owner))
    os.chmod(path, 0o777)
    return path


_HELPER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "listener.py")


class Tarpit:
    """Accepts on a unix socket, 127.0.0.1 and ::1 and never sends a byte."""

    def __init__(self, ns, port, unix_path=None, hosts=("127.0.0.1", "::1"),
                 delay=0.0, log_path=None):
        self.ns, self.port, self.unix_path, self.hosts = ns, port, unix_path, hosts
        argv = ns.prefix() + [sys.executable, _HELPER, "--port", str(port),
                              "--delay", str(delay)]
        for host in hosts:
            argv += ["--host", host]
        if unix_path:
            argv += ["--unix", unix_path]
        self.proc = Proc(argv, "tarpit", log_path=log_path)
        self._token = on_cleanup(self.stop)
        if delay <= 0:
            self.wait_ready()

    def wait_ready(self, timeout=10):
        def ready():
            ok = all(tcp_errno(h, self.port) == 0 for h in self.hosts)
            return ok and (not self.unix_path or unix_errno(self.unix_path) == 0)

        wait_until(lambda: self.ns.run(ready), timeout, "tarpit listening",
                   proc=self.proc.popen)

    def stop(self):
        forget(self._token)
        self.proc.stop(grace=3)
        if self.unix_path and os.path.lexists(self.unix_path):
            os.unlink(self.unix_path)


def late_port(ns, port, delay, hosts=("127.0.0.1",), unix_path=None):
    """A process that opens the port only after delay seconds (wait tests)."""
    return Tarpit(ns, port, unix_path=unix_path, hosts=hosts, delay=delay)


# -- TLS -------------------------------------------------------------------------------


def self_signed_cert(directory, owner, cn="localhost"):
    """server.crt/server.key (0600, owned by owner) made by openssl; returns paths."""
    crt, key = f"{directory}/server.crt", f"{directory}/server.key"
    res = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", f"/CN={cn}", "-keyout", key, "-out", crt,
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1"],
        capture_output=True, text=True, timeout=60)
    if res.returncode != 0:
        raise LabError(f"openssl: {res.stderr.strip()}")
    for path in (crt, key):
        shutil.chown(path, owner, owner_group(owner))
    os.chmod(key, 0o600)
    return crt, key
