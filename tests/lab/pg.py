"""PostgreSQL 15 servers for the lab (run as the postgres user).

The data directory is initialised once per run (initdb + the app role and
database, created in single-user mode) into the run's cache and copied
per server with cp -a.  Each server runs inside a scenario's namespace,
in its own directory (chowned to postgres), with its socket there.
"""

import os
import shutil
import signal
import struct
import subprocess

from . import PG_BIN, LabError, Proc, owner_group, password, wait_until
from . import net
from .server import Server, Template, connect, recv_exact

USER = "postgres"
APP_USER = "app"
APP_DB = "appdb"
TIMINGS = {}

DEFAULT_HBA = """\
local   all  postgres                peer
local   all  all                     scram-sha-256
host    all  all       127.0.0.1/32  scram-sha-256
host    all  all       ::1/128       scram-sha-256
"""


def as_postgres():
    """argv prefix: exec as postgres (setpriv execs, so the PID is the server's)."""
    return ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"]


def _make_template(cache):
    """initdb into cache/pg/data, then the app role and database; its path."""
    base = os.path.join(cache, "pg")
    os.mkdir(base, 0o700)
    shutil.chown(base, USER, owner_group(USER))
    data = os.path.join(base, "data")
    _run_as_postgres([f"{PG_BIN}/initdb", "-D", data, "-U", USER,
                      "--auth-local=peer", "--auth-host=scram-sha-256",
                      "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"])
    sql = (f"CREATE ROLE {APP_USER} LOGIN PASSWORD '{password()}';\n"
           f"CREATE DATABASE {APP_DB} OWNER {APP_USER};\n")
    _run_as_postgres([f"{PG_BIN}/postgres", "--single", "-D", data,
                      "postgres"], stdin=sql)
    return data


_TEMPLATE = Template(_make_template, TIMINGS)
template = _TEMPLATE.get  # the run's initialised data directory (made on first use)
forget_template = _TEMPLATE.forget


def _run_as_postgres(argv, stdin=None):
    res = subprocess.run(as_postgres() + argv, input=stdin, capture_output=True,
                         text=True, timeout=120)
    if res.returncode != 0 or "ERROR:" in res.stderr:
        raise LabError(f"{os.path.basename(argv[0])} failed: {res.stderr[-2000:]}")
    return res


# -- the protocol, just enough to tell ready from starting ------------------------


def hello(address, user=APP_USER, database=APP_DB, timeout=1.0):
    """Send a StartupMessage; return ('R', auth_code) or ('E', sqlstate, message).

    address is a unix socket path or a (host, port) tuple.  Call it inside
    the server's namespace (Netns.run).
    """
    with connect(address, timeout) as sock:
        params = f"user\0{user}\0database\0{database}\0\0".encode()
        sock.sendall(struct.pack("!ii", 8 + len(params), 196608) + params)
        head = recv_exact(sock, 5)
        kind, length = head[:1], struct.unpack("!i", head[1:])[0]
        if length < 4 or length > 65536:
            raise LabError(f"postgres answered a {length}-byte message")
        body = recv_exact(sock, length - 4)
    if kind == b"R":
        return ("R", struct.unpack("!i", body[:4])[0])
    if kind == b"E":
        fields = {}
        for part in body.split(b"\0"):
            if part:
                fields[part[:1].decode()] = part[1:].decode("utf-8", "replace")
        return ("E", fields.get("C"), fields.get("M", ""))
    return (kind.decode("latin-1"), None)


# -- one server ----------------------------------------------------------------------


class PgServer(Server):
    """A configured PostgreSQL server in namespace ns; start() then stop().

    listen: addresses for listen_addresses ('' = TCP off); socket_dir:
    where the socket goes (default DIR/sock); hba: pg_hba.conf text;
    conf: extra postgresql.conf settings; tls: make a self-signed cert and
    set ssl=on; standby: standby.signal + hot_standby=off.
    """

    NAME = "postgres"
    START_TIMEOUT = 30

    def __init__(self, ns, port, listen=("127.0.0.1", "::1"), socket_dir=None,
                 hba=DEFAULT_HBA, conf=None, tls=False, standby=False,
                 socket_dir_mode=0o755):
        super().__init__(ns, port, "pg", USER, _TEMPLATE)
        self.listen = tuple(listen)
        self.socket_dir = socket_dir or os.path.join(self.dir, "sock")
        self.socket_dir_mode = socket_dir_mode
        self.hba, self.conf = hba, dict(conf or {})
        self.tls, self.standby = tls, standby
        self.log_path = os.path.join(self.dir, "server.log")

    @property
    def socket_path(self):
        return os.path.join(self.socket_dir, f".s.PGSQL.{self.port}")

    def _configure(self):
        if not os.path.isdir(self.socket_dir):
            os.makedirs(self.socket_dir)
        shutil.chown(self.socket_dir, USER, owner_group(USER))
        os.chmod(self.socket_dir, self.socket_dir_mode)
        settings = {
            "port": str(self.port),
            "listen_addresses": f"'{','.join(self.listen)}'",
            "unix_socket_directories": f"'{self.socket_dir}'",
            "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
            "shared_buffers": "'16MB'", "logging_collector": "off",
            "log_connections": "on", "max_wal_senders": "0", "wal_level": "minimal",
        }
        if self.tls:
            crt, key = net.self_signed_cert(self.dir, USER)
            settings.update(ssl="on", ssl_cert_file=f"'{crt}'", ssl_key_file=f"'{key}'")
        if self.standby:
            settings["hot_standby"] = "off"
            settings["wal_level"] = "replica"
            settings.pop("max_wal_senders")
            self._write(os.path.join(self.data, "standby.signal"), "")
        settings.update(self.conf)
        lines = "".join(f"{k} = {v}\n" for k, v in settings.items())
        with open(os.path.join(self.data, "postgresql.conf"), "a") as fh:
            fh.write("\n# dbloop lab\n" + lines)
        self._write(os.path.join(self.data, "pg_hba.conf"), self.hba)

    def _write(self, path, text):
        with open(path, "w") as fh:
            fh.write(text)
        shutil.chown(path, USER, owner_group(USER))
        os.chmod(path, 0o600)

    def _spawn(self):
        argv = self.ns.prefix() + as_postgres() + [f"{PG_BIN}/postgres", "-D", self.data]
        return Proc(argv, "postgres", log_path=self.log_path,
                    stop_signal=signal.SIGINT)  # fast shutdown; SIGTERM waits for clients

    def startup_log(self):
        return self.proc.log_tail()

    def _ready(self):
        def check():
            if not os.path.exists(self.socket_path):
                return False
            answer = hello(self.socket_path)
            if self.standby:
                return answer[0] == "E" and "not accepting" in answer[2]
            if answer[0] == "E" and answer[1] == "57P03":
                return False  # still starting up
            return all(net.tcp_errno(h, self.port) == 0 for h in self.listen if h)

        return self.ns.run(check)

    def sql(self, statement):
        """Run statement as postgres over the socket (lab setup only: dbloop stays read-only)."""
        argv = self.ns.prefix() + as_postgres() + [
            f"{PG_BIN}/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", self.socket_dir,
            "-p", str(self.port), "-U", USER, "-d", "postgres", "-c", statement]
        res = subprocess.run(argv, capture_output=True, text=True, timeout=20, cwd="/")
        if res.returncode != 0:
            raise LabError(f"psql -c {statement!r}: {res.stderr.strip()}")
        return res.stdout

    def hold_sessions(self, count, timeout=20):
        """Open count sessions (pg_sleep) as postgres over the socket; keep them."""
        argv = self.ns.prefix() + as_postgres() + [
            f"{PG_BIN}/psql", "-X", "-q", "-h", self.socket_dir, "-p", str(self.port),
            "-U", USER, "-d", "postgres", "-c", "SELECT pg_sleep(86400)"]

        def spawn():
            return Proc(argv, "psql-hold", log_path=self.log_path + ".hold",
                        stop_signal=signal.SIGTERM)

        held = [spawn() for _ in range(count)]
        self.sessions.extend(held)

        def full():
            # The probe below takes a slot for a moment: a holder that
            # connected during it was refused (53300) and exited. Respawn it.
            for i, proc in enumerate(held):
                if proc.popen.poll() is not None:
                    held[i] = spawn()
                    self.sessions.append(held[i])
            answer = self.ns.run(hello, self.socket_path)
            return answer[0] == "E" and answer[1] == "53300"

        wait_until(full, timeout, f"{count} held sessions")

    def _stop_processes(self):
        if self.proc:
            self.proc.stop(grace=15)
        for session in self.sessions:
            session.stop(grace=2)
