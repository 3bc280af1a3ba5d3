"""The scenarios of ../../shared/spec/scenarios.md as data + small setups.

Names are exactly the spec's (the docker matrix reuses them).  Each
scenario gives the expected probe class per transport, the finding,
words one of which a fix must contain (the setting to change), what the
stock client prints per transport (the lab's own check, see stock.py),
and a setup(run) that starts servers in run.ns and fills run.client.

    with scenarios.running("pg_ipv4_only") as run:
        status, report, stderr = lab.dbloop.diagnose(run)
"""

import os
import secrets
import shutil
import time
from dataclasses import dataclass

from . import mariadb, net, password, pg, scratch_dir

TRANSPORTS = ("unix", "tcp4", "tcp6", "localhost")


@dataclass
class Client:
    """What the client (dbloop or a stock client) is told."""
    engine: str
    port: int
    socket: str  # postgres: the socket directory; mysql: the socket file
    home: str
    user: str = "app"
    database: str = "appdb"
    password: str = ""
    ssl_mode: str = None
    run_as: str = None  # OS user to run the client as; None = root


@dataclass
class Scenario:
    name: str
    engine: str
    probes: dict  # transport -> probe class
    finding: str
    setup: callable
    fix_terms: tuple
    stock: dict  # transport -> text the stock client prints ("" = exit 0)
    hosts: str = net.HOSTS_V4
    ipv6: bool = True
    note: str = ""
    also: tuple = ()  # other findings that must be there too
    evidence: str = ""  # words the bold finding's evidence must hold

    @property
    def exit_status(self):
        return 0 if self.finding == "ok" else 1


def row(*classes):
    return dict(zip(TRANSPORTS, classes))


def same(cls):
    return row(cls, cls, cls, cls)


# -- a running scenario --------------------------------------------------------------


class ScenarioRun:
    """A scenario brought up in a namespace of its own; a context manager."""

    def __init__(self, scenario):
        self.scenario = scenario
        self.ns = None
        self.dir = None
        self.client = None
        self.servers = []
        self.timings = {}

    def add(self, server):
        self.servers.append(server)
        return server.start() if hasattr(server, "start") else server

    def start(self):
        started = time.monotonic()
        try:
            self.ns = net.Netns(hosts=self.scenario.hosts, ipv6=self.scenario.ipv6)
            self.dir = scratch_dir(self.scenario.name)
            home = os.path.join(self.dir, "home")
            os.mkdir(home, 0o755)
            self.port = net.free_port()
            self.client = Client(engine=self.scenario.engine, port=self.port, socket="",
                                 home=home, password=password())
            self.scenario.setup(self)
        except BaseException:
            self.stop()
            raise
        self.timings["start_s"] = time.monotonic() - started
        return self

    def stop(self):
        started = time.monotonic()
        for server in reversed(self.servers):
            server.stop()
        self.servers = []
        if self.ns:
            self.ns.delete()
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
        self.timings["stop_s"] = time.monotonic() - started

    def empty_dir(self, name, mode=0o755):
        path = os.path.join(self.dir, name)
        os.mkdir(path, mode)
        return path

    def describe(self):
        c = self.client
        return (f"{self.scenario.name}: engine={c.engine} port={c.port} socket={c.socket} "
                f"user={c.user} database={c.database} netns={self.ns.name}")

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def running(name):
    return ScenarioRun(lookup(name))


# -- setups: PostgreSQL ----------------------------------------------------------------


def _pg(run, **kw):
    server = run.add(pg.PgServer(run.ns, kw.pop("port", run.port), **kw))
    run.client.socket = server.socket_dir
    return server


def pg_ok(run):
    _pg(run)


def pg_not_running(run):
    run.client.socket = run.empty_dir("sock")


def pg_tcp_disabled(run):
    _pg(run, listen=())


def pg_ipv4_only(run):
    _pg(run, listen=("127.0.0.1",))


def pg_wrong_socket_path(run):
    _pg(run)
    run.client.socket = run.empty_dir("elsewhere")


def pg_stale_socket(run):
    sock_dir = run.empty_dir("sock")
    net.stale_socket(os.path.join(sock_dir, f".s.PGSQL.{run.port}"), owner=pg.USER)
    run.client.socket = sock_dir


def pg_socket_permission(run):
    _pg(run, socket_dir_mode=0o700)
    run.client.run_as = "nobody"


def wrong_password(run):
    run.client.password = "dblwrong-" + secrets.token_hex(8)


def pg_wrong_password(run):
    _pg(run)
    wrong_password(run)


HBA_NO_IPV6 = """\
local   all  postgres                peer
local   all  all                     scram-sha-256
host    all  all       127.0.0.1/32  scram-sha-256
"""

HBA_PEER = """\
local   all  all                     peer
host    all  all       127.0.0.1/32  scram-sha-256
host    all  all       ::1/128       scram-sha-256
"""

HBA_HOSTSSL = """\
local    all  postgres                peer
local    all  all                     scram-sha-256
hostssl  all  all       127.0.0.1/32  scram-sha-256
hostssl  all  all       ::1/128       scram-sha-256
"""


def pg_hba_no_ipv6_entry(run):
    _pg(run, hba=HBA_NO_IPV6)


def pg_peer_only_socket(run):
    _pg(run, hba=HBA_PEER)


def database_missing(run):
    run.client.database = "nosuchdb"


def pg_database_missing(run):
    _pg(run)
    database_missing(run)


def pg_ssl_required(run):
    _pg(run, hba=HBA_HOSTSSL, tls=True)
    run.client.ssl_mode = "disable"


def pg_too_many_connections(run):
    server = _pg(run, conf={"max_connections": "2", "superuser_reserved_connections": "0"})
    server.hold_sessions(2)


def _other_port(run):
    """A free port that is not the one the client is told."""
    port = net.free_port()
    while port == run.port:
        port = net.free_port()
    return port


def pg_wrong_port(run):
    _pg(run, port=_other_port(run))


def pg_localhost_v6_first(run):
    _pg(run, listen=("127.0.0.1",))


def pg_server_starting(run):
    _pg(run, standby=True)


def pg_protocol_mismatch(run):
    sock_dir = run.empty_dir("sock")
    path = os.path.join(sock_dir, f".s.PGSQL.{run.port}")
    shutil.chown(sock_dir, mariadb.USER, mariadb.USER)
    run.add(mariadb.MyServer(run.ns, run.port, socket_path=path))
    run.client.socket = sock_dir


def pg_tarpit(run):
    sock_dir = run.empty_dir("sock")
    run.add(net.Tarpit(run.ns, run.port, unix_path=os.path.join(sock_dir, f".s.PGSQL.{run.port}")))
    run.client.socket = sock_dir


# Same credentials, different answers (issue 13): not rows of scenarios.md.


def _other_password():
    return "dblother-" + secrets.token_hex(8)


def pg_second_instance(run):
    """Two clusters on one port: the app's on 127.0.0.1 and the socket, an
    old one (another data directory, another password for app) on ::1."""
    _pg(run, listen=("127.0.0.1",))
    other = run.add(pg.PgServer(run.ns, run.port, listen=("::1",),
                                socket_dir=run.empty_dir("other-sock")))
    other.sql(f"ALTER ROLE {pg.APP_USER} PASSWORD '{_other_password()}'")


def pg_second_instance_unprivileged(run):
    """pg_second_instance with dbloop as OS user nobody: /proc/PID/fd of the
    servers is not readable, the salt and listen_addresses still tell."""
    pg_second_instance(run)
    run.client.run_as = "nobody"


HBA_SCRAM_ON_IPV6 = """\
local   all  postgres                peer
local   all  all                     md5
host    all  all       127.0.0.1/32  md5
host    all  all       ::1/128       scram-sha-256
"""


def pg_md5_secret_scram_line(run):
    """The password stored as MD5 (password_encryption = md5), the ::1 line
    scram-sha-256: the md5 lines log in, the scram line cannot."""
    server = _pg(run, hba=HBA_SCRAM_ON_IPV6, conf={"password_encryption": "md5"})
    server.sql(f"ALTER ROLE {pg.APP_USER} PASSWORD '{run.client.password}'")


# -- setups: MariaDB ------------------------------------------------------------------------


def _my(run, **kw):
    server = run.add(mariadb.MyServer(run.ns, kw.pop("port", run.port), **kw))
    run.client.socket = server.socket_path
    return server


def my_ok(run):
    _my(run)


def my_not_running(run):
    run.client.socket = os.path.join(run.empty_dir("run"), "mysqld.sock")


def my_skip_networking(run):
    _my(run, bind=None)


def my_bind_ipv4_only(run):
    _my(run, bind=("127.0.0.1",))


def my_wrong_socket_path(run):
    _my(run)
    run.client.socket = os.path.join(run.empty_dir("elsewhere"), "mysqld.sock")


def my_stale_socket(run):
    path = os.path.join(run.empty_dir("run"), "mysqld.sock")
    net.stale_socket(path, owner=mariadb.USER)
    run.client.socket = path


def my_wrong_password(run):
    _my(run)
    wrong_password(run)


def my_user_localhost_only(run):
    _my(run, init_sql=mariadb.default_init_sql(hosts=("localhost",)),
        options=["--skip-name-resolve"])


def my_root_unix_socket(run):
    _my(run)
    run.client.user = "root"  # the password stays the app's: any password fails over TCP


def my_database_missing(run):
    _my(run, init_sql=mariadb.default_init_sql(global_priv=True))
    database_missing(run)


def my_ssl_required(run):
    _my(run, tls=True, options=["--require-secure-transport=ON"])
    run.client.ssl_mode = "disable"


def my_too_many_connections(run):
    server = _my(run, options=["--max-connections=10"])
    server.hold_sessions(10)


def my_wrong_port(run):
    _my(run, port=_other_port(run))


def my_localhost_v6_first(run):
    _my(run, bind=("127.0.0.1",))


def my_protocol_mismatch(run):
    sock_dir = run.empty_dir("sock")
    run.add(pg.PgServer(run.ns, run.port, socket_dir=sock_dir))
    run.client.socket = os.path.join(sock_dir, f".s.PGSQL.{run.port}")


def my_second_instance(run):
    """Two servers on one port: the app's on 127.0.0.1 and the socket, another
    (its own data directory, another password for app) on ::1."""
    _my(run, bind=("127.0.0.1",))
    other = mariadb.default_init_sql().replace(password(), _other_password())
    sock_dir = run.empty_dir("other-run")
    shutil.chown(sock_dir, mariadb.USER, mariadb.USER)
    run.add(mariadb.MyServer(run.ns, run.port, bind=("::1",), init_sql=other,
                             socket_path=os.path.join(sock_dir, "mysqld.sock")))


def my_second_instance_unprivileged(run):
    """my_second_instance with dbloop as OS user nobody."""
    my_second_instance(run)
    run.client.run_as = "nobody"


def my_host_account(run):
    """'app'@'localhost' and 'app'@'%' take the password; an old
    'app'@'127.0.0.1' with another one wins for 127.0.0.1 (skip-name-resolve)."""
    pw = password()
    _my(run, init_sql=mariadb.accounts_sql([
        ("localhost", f"BY '{pw}'"), ("%", f"BY '{pw}'"),
        ("127.0.0.1", f"BY '{_other_password()}'")]), options=["--skip-name-resolve"])


def my_host_account_readable(run):
    """my_host_account where app may read mysql.user: the row that wins for
    127.0.0.1 is named."""
    pw = password()
    sql = mariadb.accounts_sql([("localhost", f"BY '{pw}'"), ("%", f"BY '{pw}'"),
                                ("127.0.0.1", f"BY '{_other_password()}'")])
    sql += "".join(f"GRANT SELECT ON mysql.user TO 'app'@'{h}';\n" for h in ("localhost", "%"))
    _my(run, init_sql=sql, options=["--skip-name-resolve"])


def my_socket_account_plugin(run):
    """'app'@'localhost' authenticates with unix_socket (dbloop runs as OS
    root, not app), 'app'@'%' with the password: two causes on the socket,
    another account and its plugin."""
    _my(run, init_sql=mariadb.accounts_sql([
        ("localhost", "VIA unix_socket"), ("%", f"BY '{password()}'")]),
        options=["--skip-name-resolve"])


def my_tarpit(run):
    path = os.path.join(run.empty_dir("run"), "mysqld.sock")
    run.add(net.Tarpit(run.ns, run.port, unix_path=path))
    run.client.socket = path


# The kinds of step (report schema minor 1) the bold finding's fix must
# have: where each is pasted (issue 14). A config step needs the server's
# file, which the lab's servers (run as root, data in a temp dir) name on
# their command line.
STEP_KINDS = {
    "pg_not_running": {"shell"}, "pg_tcp_disabled": {"config", "shell"},
    "pg_ipv4_only": {"config", "shell"}, "pg_wrong_socket_path": {"env", "url"},
    "pg_stale_socket": {"shell"}, "pg_socket_permission": {"config", "shell"},
    "pg_wrong_password": {"sql"}, "pg_hba_no_ipv6_entry": {"config", "shell", "sql"},
    "pg_peer_only_socket": {"config", "shell", "url"}, "pg_database_missing": {"sql"},
    "pg_ssl_required": {"env", "url"}, "pg_too_many_connections": {"config", "sql"},
    "pg_wrong_port": {"env", "url"}, "pg_localhost_v6_first": {"config", "env", "url"},
    "pg_server_starting": {"shell"}, "pg_protocol_mismatch": {"shell"},
    "pg_tarpit": {"shell"},
    "my_not_running": {"shell"}, "my_skip_networking": {"shell"},
    "my_bind_ipv4_only": {"config", "shell"}, "my_wrong_socket_path": {"config", "url"},
    "my_stale_socket": {"shell"}, "my_wrong_password": {"sql"},
    "my_user_localhost_only": {"sql"}, "my_root_unix_socket": {"sql"},
    "my_database_missing": {"sql"}, "my_ssl_required": {"url"},
    "my_too_many_connections": {"sql"}, "my_wrong_port": {"url"},
    "my_localhost_v6_first": {"config", "env", "url"}, "my_protocol_mismatch": {"shell"},
    "my_tarpit": {"shell"},
}


# -- the table --------------------------------------------------------------------------------

OK = ""
REFUSED_PG = "Connection refused"
NOENT_PG = "No such file or directory"
REFUSED_MY = "(115)"
START = ("start", "systemctl", "pg_ctl", "service")

_PG = [
    ("pg_ok", same("ok"), "ok", pg_ok, (), same(OK)),
    ("pg_not_running", row("socket_missing", "connection_refused", "connection_refused",
                           "connection_refused"), "server_not_running", pg_not_running, START,
     row(NOENT_PG, REFUSED_PG, REFUSED_PG, REFUSED_PG)),
    ("pg_tcp_disabled", row("ok", "connection_refused", "connection_refused",
                            "connection_refused"), "tcp_disabled", pg_tcp_disabled,
     ("listen_addresses",), row(OK, REFUSED_PG, REFUSED_PG, REFUSED_PG)),
    ("pg_ipv4_only", row("ok", "ok", "connection_refused", "ok"), "ipv6_not_listening",
     pg_ipv4_only, ("listen_addresses",), row(OK, OK, REFUSED_PG, OK)),
    ("pg_wrong_socket_path", row("socket_missing", "ok", "ok", "ok"), "socket_missing",
     pg_wrong_socket_path, ("socket", "PGHOST"), row(NOENT_PG, OK, OK, OK)),
    ("pg_stale_socket", row("socket_stale", "connection_refused", "connection_refused",
                            "connection_refused"), "socket_stale", pg_stale_socket,
     ("socket", ".s.PGSQL", "start"), row(REFUSED_PG, REFUSED_PG, REFUSED_PG, REFUSED_PG)),
    ("pg_socket_permission", row("socket_permission", "ok", "ok", "ok"), "socket_permission",
     pg_socket_permission, ("permission", "chmod", "unix_socket", "group"),
     row("Permission denied", OK, OK, OK)),
    ("pg_wrong_password", same("access_denied"), "access_denied", pg_wrong_password,
     ("password",), same("password authentication failed")),
    ("pg_hba_no_ipv6_entry", row("ok", "ok", "host_not_allowed", "ok"), "host_not_allowed",
     pg_hba_no_ipv6_entry, ("pg_hba",),
     row(OK, OK, 'no pg_hba.conf entry for host "::1"', OK)),
    ("pg_peer_only_socket", row("auth_method_mismatch", "ok", "ok", "ok"),
     "auth_method_mismatch", pg_peer_only_socket, ("pg_hba", "peer"),
     row("Peer authentication failed", OK, OK, OK)),
    ("pg_database_missing", same("database_missing"), "database_missing", pg_database_missing,
     ("database", "createdb"), same('database "nosuchdb" does not exist')),
    ("pg_ssl_required", row("ok", "tls_mismatch", "tls_mismatch", "tls_mismatch"),
     "tls_mismatch", pg_ssl_required, ("ssl", "hostssl"),
     row(OK, "no pg_hba.conf entry", "no pg_hba.conf entry", "no pg_hba.conf entry")),
    ("pg_too_many_connections", same("too_many_connections"), "too_many_connections",
     pg_too_many_connections, ("max_connections",), same("too many clients already")),
    ("pg_wrong_port", row("socket_missing", "connection_refused", "connection_refused",
                          "connection_refused"), "wrong_port", pg_wrong_port, ("port",),
     row(NOENT_PG, REFUSED_PG, REFUSED_PG, REFUSED_PG)),
    ("pg_localhost_v6_first", row("ok", "ok", "connection_refused", "localhost_resolution"),
     "localhost_resolution", pg_localhost_v6_first,
     ("listen_addresses", "/etc/hosts", "127.0.0.1"),
     row(OK, OK, REFUSED_PG, '"localhost" (::1)'), net.HOSTS_V6),
    ("pg_server_starting", same("server_starting"), "server_starting", pg_server_starting,
     ("wait", "recovery", "standby", "hot_standby", "start"),
     same("not accepting connections")),
    ("pg_protocol_mismatch", same("protocol_mismatch"), "protocol_mismatch",
     pg_protocol_mismatch, ("port", "socket", "mysql", "mariadb"),
     row("expected authentication request from server, but received",
         "invalid response to SSL negotiation", "invalid response to SSL negotiation",
         "invalid response to SSL negotiation")),
    ("pg_tarpit", same("timeout"), "timeout", pg_tarpit,
     ("timeout", "port", "socket", "process", "firewall"), same("timeout expired")),
]

_MY = [
    ("my_ok", same("ok"), "ok", my_ok, (), same(OK)),
    ("my_not_running", row("socket_missing", "connection_refused", "connection_refused",
                           "connection_refused"), "server_not_running", my_not_running, START,
     row("(2)", REFUSED_MY, REFUSED_MY, REFUSED_MY)),
    ("my_skip_networking", row("ok", "connection_refused", "connection_refused",
                               "connection_refused"), "tcp_disabled", my_skip_networking,
     ("skip-networking", "skip_networking", "bind-address", "bind_address"),
     row(OK, REFUSED_MY, REFUSED_MY, REFUSED_MY)),
    ("my_bind_ipv4_only", row("ok", "ok", "connection_refused", "ok"), "ipv6_not_listening",
     my_bind_ipv4_only, ("bind-address", "bind_address"), row(OK, OK, REFUSED_MY, OK)),
    ("my_wrong_socket_path", row("socket_missing", "ok", "ok", "ok"), "socket_missing",
     my_wrong_socket_path, ("socket",), row("(2)", OK, OK, OK)),
    ("my_stale_socket", row("socket_stale", "connection_refused", "connection_refused",
                            "connection_refused"), "socket_stale", my_stale_socket,
     ("socket", "mysqld.sock", "start"), row("(111)", REFUSED_MY, REFUSED_MY, REFUSED_MY)),
    ("my_wrong_password", same("access_denied"), "access_denied", my_wrong_password,
     ("password",), same("ERROR 1045")),
    ("my_user_localhost_only", row("ok", "host_not_allowed", "host_not_allowed",
                                   "host_not_allowed"), "host_not_allowed",
     my_user_localhost_only, ("'app'@", "CREATE USER", "GRANT", "skip-name-resolve",
                              "skip_name_resolve"),
     # the 10.11 client tries TLS by default and prints 1130 wrapped in a 2002
     row(OK, "1130 - Host", "1130 - Host", "1130 - Host")),
    ("my_root_unix_socket", row("ok", "auth_method_mismatch", "auth_method_mismatch",
                                "auth_method_mismatch"), "auth_method_mismatch",
     my_root_unix_socket, ("unix_socket", "IDENTIFIED", "ALTER USER", "CREATE USER"),
     row(OK, "ERROR 1698", "ERROR 1698", "ERROR 1698")),
    ("my_database_missing", same("database_missing"), "database_missing", my_database_missing,
     ("database",), same("ERROR 1049")),
    ("my_ssl_required", row("ok", "tls_mismatch", "tls_mismatch", "tls_mismatch"),
     "tls_mismatch", my_ssl_required, ("ssl", "tls", "require_secure_transport",
                                       "require-secure-transport"),
     row(OK, "ERROR 1045", "ERROR 1045", "ERROR 1045")),
    ("my_too_many_connections", same("too_many_connections"), "too_many_connections",
     my_too_many_connections, ("max_connections", "max-connections"),
     same("Too many connections")),
    ("my_wrong_port", row("ok", "connection_refused", "connection_refused",
                          "connection_refused"), "wrong_port", my_wrong_port, ("port",),
     row(OK, REFUSED_MY, REFUSED_MY, REFUSED_MY)),
    ("my_localhost_v6_first", row("ok", "ok", "connection_refused", "localhost_resolution"),
     "localhost_resolution", my_localhost_v6_first,
     ("bind-address", "bind_address", "/etc/hosts", "127.0.0.1"),
     row(OK, OK, REFUSED_MY, REFUSED_MY), net.HOSTS_V6),
    ("my_protocol_mismatch", same("protocol_mismatch"), "protocol_mismatch",
     my_protocol_mismatch, ("port", "socket", "postgres"), same("ERROR 2013")),
    ("my_tarpit", same("timeout"), "timeout", my_tarpit,
     ("timeout", "port", "socket", "process", "firewall"), same("ERROR 2013")),
]


def _build(pg_rows, my_rows, ipv6=True):
    table = {}
    for engine, rows in (("postgres", pg_rows), ("mysql", my_rows)):
        for name, probes, finding, setup, terms, stock, *rest in rows:
            hosts = rest[0] if rest else net.HOSTS_V4
            table[name] = Scenario(name=name, engine=engine, probes=probes, finding=finding,
                                   setup=setup, fix_terms=terms, stock=stock, hosts=hosts,
                                   ipv6=ipv6)
    return table


SCENARIOS = _build(_PG, _MY)

# Not rows of scenarios.md: IPv6 disabled on the namespace's loopback, so
# ::1 cannot even be assigned (EADDRNOTAVAIL): the one probe-level
# ipv6_not_listening of classes.md.  The server listens on 127.0.0.1 only.
EXTRA = _build(
    [("pg_ipv6_disabled", row("ok", "ok", "ipv6_not_listening", "ok"), "ipv6_not_listening",
      pg_ipv4_only, ("ipv6", "::1", "listen_addresses", "127.0.0.1"),
      row(OK, OK, "Cannot assign requested address", OK))],
    [("my_ipv6_disabled", row("ok", "ok", "ipv6_not_listening", "ok"), "ipv6_not_listening",
      my_bind_ipv4_only, ("ipv6", "::1", "bind-address", "bind_address", "127.0.0.1"),
      row(OK, OK, "(99)", OK))],
    ipv6=False)


# Same credentials accepted on one transport and refused on another (issue
# 13): the finding is never access_denied. `also` names the findings that
# must be there besides the bold one.
PW_PG = "password authentication failed"
SPLIT = _build(
    [("pg_second_instance", row("ok", "ok", "endpoint_mismatch", "ok"), "endpoint_mismatch",
      pg_second_instance, ("ps -o", "host=127.0.0.1", "host=/"),
      row(OK, OK, PW_PG, OK)),
     ("pg_second_instance_unprivileged", row("ok", "ok", "endpoint_mismatch", "ok"),
      "endpoint_mismatch", pg_second_instance_unprivileged, ("ss -ltnpx", "host=/"),
      row(OK, OK, PW_PG, OK)),
     ("pg_md5_secret_scram_line", row("ok", "ok", "auth_method_mismatch", "ok"),
      "auth_method_mismatch", pg_md5_secret_scram_line,
      ("password_encryption", "scram-sha-256"), row(OK, OK, PW_PG, OK))],
    [("my_second_instance", row("ok", "ok", "endpoint_mismatch", "ok"), "endpoint_mismatch",
      my_second_instance, ("ps -o", "socket=", "mysql://"),
      row(OK, OK, "ERROR 1045", OK)),
     ("my_second_instance_unprivileged", row("ok", "ok", "endpoint_mismatch", "ok"),
      "endpoint_mismatch", my_second_instance_unprivileged, ("ss -ltnpx", "mysql://"),
      row(OK, OK, "ERROR 1045", OK)),
     ("my_host_account", row("ok", "host_not_allowed", "ok", "host_not_allowed"),
      "host_not_allowed", my_host_account, ("'app'@'127.0.0.1'", "ALTER USER"),
      row(OK, "ERROR 1045", OK, "ERROR 1045")),
     ("my_host_account_readable", row("ok", "host_not_allowed", "ok", "host_not_allowed"),
      "host_not_allowed", my_host_account_readable, ("ALTER USER 'app'@'127.0.0.1'",),
      row(OK, "ERROR 1045", OK, "ERROR 1045")),
     ("my_socket_account_plugin", row("host_not_allowed", "ok", "ok", "ok"),
      "host_not_allowed", my_socket_account_plugin, ("'app'@'localhost'", "ALTER USER"),
      row("ERROR 1698", OK, OK, OK))])
ALSO = {"my_socket_account_plugin": ("auth_method_mismatch",)}
for _name, _also in ALSO.items():
    SPLIT[_name].also = _also
# what each proves the transports apart by (the unprivileged runs: without /proc)
EVIDENCE = {"pg_second_instance": "belongs to process",
            "pg_second_instance_unprivileged": "could not be read from /proc",
            "pg_md5_secret_scram_line": "pg_hba.conf line 4 applies to tcp6",
            "my_second_instance": "belongs to process",
            "my_second_instance_unprivileged": "could not be read from /proc",
            "my_host_account": "log in as 'app@%'",
            "my_host_account_readable": "'app'@'127.0.0.1' (mysql_native_password) wins",
            "my_socket_account_plugin": "log in as 'app@%'"}
for _name, _words in EVIDENCE.items():
    SPLIT[_name].evidence = _words


def names(engine=None):
    return [n for n, s in SCENARIOS.items() if engine is None or s.engine == engine]


def lookup(name):
    return SCENARIOS.get(name) or EXTRA.get(name) or SPLIT[name]
