"""MariaDB 10.11 servers for the lab (mariadbd --no-defaults --user=mysql).

The data directory is initialised once per run (mariadb-install-db, whose
default gives root@localhost 'invalid password OR unix_socket' as Debian
does) and copied per server.  Users, grants and databases come from the
server's --init-file, written per scenario, so each scenario states its
own accounts.
"""

import os
import shutil
import signal
import struct
import subprocess

from . import LabError, Proc, owner_group, password, wait_until
from . import net
from .server import Server, Template, connect, recv_exact

USER = "mysql"
APP_USER = "app"
APP_DB = "appdb"
LOG_FILE_SIZE = "4M"  # the default 96M log file would make every copy slow
TIMINGS = {}


def default_init_sql(hosts=("localhost", "%"), global_priv=False):
    """SQL for the app user at each host with the run's password."""
    pw = password()
    lines = [f"CREATE DATABASE IF NOT EXISTS {APP_DB};"]
    for host in hosts:
        lines.append(f"CREATE USER '{APP_USER}'@'{host}' IDENTIFIED BY '{pw}';")
        lines.append(f"GRANT ALL ON {APP_DB}.* TO '{APP_USER}'@'{host}';")
        if global_priv:
            # a global *database-level* privilege: with it the server says 1049
            # for a missing database; PROCESS or SHOW DATABASES still give 1044
            lines.append(f"GRANT SHOW VIEW ON *.* TO '{APP_USER}'@'{host}';")
    return "\n".join(lines) + "\n"


def accounts_sql(accounts):
    """SQL for the app database and the given (host, identified) accounts of app.

    identified is the text after IDENTIFIED (e.g. "BY 'pw'", "VIA unix_socket").
    """
    lines = [f"CREATE DATABASE IF NOT EXISTS {APP_DB};"]
    for host, identified in accounts:
        lines.append(f"CREATE USER '{APP_USER}'@'{host}' IDENTIFIED {identified};")
        lines.append(f"GRANT ALL ON {APP_DB}.* TO '{APP_USER}'@'{host}';")
    return "\n".join(lines) + "\n"


def _make_template(cache):
    """mariadb-install-db into cache/mariadb; its path."""
    data = os.path.join(cache, "mariadb")
    # a private tmpdir: the bootstrap's temporary tables in the shared
    # /tmp collided with other processes' cleanups (seen: errcode 2 on
    # delete of /tmp/#sql-temptable-*.MAI)
    tmp = os.path.join(cache, "mariadb-tmp")
    os.mkdir(tmp, 0o700)
    shutil.chown(tmp, USER, owner_group(USER))
    res = subprocess.run(
        ["mariadb-install-db", "--no-defaults", f"--datadir={data}",
         f"--user={USER}", "--skip-test-db", "--skip-name-resolve",
         f"--innodb-log-file-size={LOG_FILE_SIZE}", f"--tmpdir={tmp}"],
        capture_output=True, text=True, timeout=180)
    if res.returncode != 0:
        raise LabError(f"mariadb-install-db failed: {res.stderr[-2000:]}")
    return data


_TEMPLATE = Template(_make_template, TIMINGS)
template = _TEMPLATE.get
forget_template = _TEMPLATE.forget


# -- the protocol, just enough to read the greeting ------------------------------------


def greeting(address, timeout=1.0):
    """Read the first packet: ('greeting', version) or ('error', code, message).

    address is a unix socket path or a (host, port) tuple; call it inside
    the server's namespace (Netns.run).
    """
    with connect(address, timeout) as sock:
        head = recv_exact(sock, 4)
        length = head[0] | head[1] << 8 | head[2] << 16
        payload = recv_exact(sock, min(length, 65536))
    if payload[:1] == b"\xff" and len(payload) >= 3:
        code = struct.unpack("<H", payload[1:3])[0]
        return ("error", code, payload[3:].decode("utf-8", "replace"))
    if payload[:1] == b"\x0a":
        return ("greeting", payload[1:].split(b"\0", 1)[0].decode("latin-1"))
    return ("unknown", payload[:16])


# -- one server ---------------------------------------------------------------------------


class MyServer(Server):
    """A configured MariaDB server in namespace ns; start() then stop().

    bind: addresses for --bind-address (None: --skip-networking);
    socket_path: default DIR/run/mysqld.sock; init_sql: the accounts;
    options: more mariadbd options; tls: self-signed cert (--ssl-cert/-key).
    """

    NAME = "mariadbd"
    START_TIMEOUT = 60

    def __init__(self, ns, port, bind=("127.0.0.1", "::1"), socket_path=None,
                 init_sql=None, options=(), tls=False):
        super().__init__(ns, port, "my", USER, _TEMPLATE)
        self.bind = tuple(bind) if bind is not None else None
        self.socket_path = socket_path or os.path.join(self.dir, "run", "mysqld.sock")
        self.init_sql = default_init_sql() if init_sql is None else init_sql
        self.options, self.tls = list(options), tls
        self.log_path = os.path.join(self.dir, "error.log")

    def _configure(self):
        tmp = os.path.join(self.dir, "tmp")
        os.mkdir(tmp, 0o700)
        shutil.chown(tmp, USER, owner_group(USER))
        sock_dir = os.path.dirname(self.socket_path)
        os.makedirs(sock_dir, exist_ok=True)
        if sock_dir.startswith(self.dir):
            shutil.chown(sock_dir, USER, owner_group(USER))
            os.chmod(sock_dir, 0o755)
        init = os.path.join(self.dir, "init.sql")
        with open(init, "w") as fh:
            fh.write(self.init_sql)
        shutil.chown(init, USER, owner_group(USER))
        os.chmod(init, 0o600)
        self.argv = [
            "mariadbd", "--no-defaults", f"--user={USER}", f"--datadir={self.data}",
            f"--socket={self.socket_path}", f"--port={self.port}",
            f"--pid-file={self.dir}/mariadbd.pid", f"--log-error={self.log_path}",
            f"--init-file={init}", f"--innodb-log-file-size={LOG_FILE_SIZE}", f"--tmpdir={tmp}",
            "--innodb-buffer-pool-size=16M", "--skip-log-bin", "--innodb-flush-log-at-trx-commit=0",
            "--max-connect-errors=100000", "--performance-schema=OFF"]
        if self.bind is None:
            self.argv.append("--skip-networking")
        else:
            self.argv.append(f"--bind-address={','.join(self.bind)}")
        if self.tls:
            crt, key = net.self_signed_cert(self.dir, USER)
            self.argv += [f"--ssl-cert={crt}", f"--ssl-key={key}"]
        self.argv += self.options

    def _spawn(self):
        return Proc(self.ns.prefix() + self.argv, "mariadbd", log_path=self.dir + "/stdout.log")

    def startup_log(self):
        return self.log_tail()

    def log_tail(self, lines=20):
        try:
            with open(self.log_path, errors="replace") as fh:
                return "\n".join(fh.read().splitlines()[-lines:])
        except OSError:
            return ""

    def _ready(self):
        def check():
            if not os.path.exists(self.socket_path):
                return False
            if greeting(self.socket_path)[0] != "greeting":
                return False
            return all(net.tcp_errno(h, self.port) == 0 for h in (self.bind or ()))

        return self.ns.run(check)

    def client_argv(self, *sql_args, user="root"):
        """The stock client as OS root over the socket (unix_socket auth)."""
        return self.ns.prefix() + ["mariadb", "--no-defaults", "--protocol=SOCKET",
                                   f"--socket={self.socket_path}", "-u", user,
                                   "-N", "-B", *sql_args]

    def sql(self, statement):
        res = subprocess.run(self.client_argv("-e", statement), capture_output=True,
                             text=True, timeout=20)
        if res.returncode != 0:
            raise LabError(f"mariadb -e {statement!r}: {res.stderr.strip()}")
        return res.stdout

    def hold_sessions(self, count, timeout=20):
        """Open count sessions (SELECT SLEEP) as root over the socket; keep them."""
        for _ in range(count):
            self.sessions.append(Proc(self.client_argv("-e", "SELECT SLEEP(86400)"),
                                      "mariadb-hold", log_path=self.dir + "/hold.log",
                                      stop_signal=signal.SIGKILL))  # the client ignores TERM mid-query

        def held():  # root takes the extra SUPER slot to count them
            out = self.sql("SELECT COUNT(*) FROM information_schema.PROCESSLIST "
                           "WHERE INFO LIKE 'SELECT SLEEP%'")
            return int(out.strip() or 0) >= count

        wait_until(held, timeout, f"{count} held sessions", interval=0.1)

    def _stop_processes(self):
        for session in self.sessions:
            session.stop(grace=2)
        if self.proc:
            if self.sessions:  # a clean shutdown waits seconds for the killed SLEEPs
                self.proc.stop_signal = signal.SIGKILL
            self.proc.stop(grace=30)
