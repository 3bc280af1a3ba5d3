"""The real drivers of the client table, run inside a lab namespace.

Each driver has a short connect script in tests/clients/ that takes the
app's settings from DBL_* variables and prints `OK <transport the server
saw>` or `ERR <message>`.  run() executes one inside the scenario's network
namespace *and* a private mount namespace with an empty /run (so the
machine's /run/mysqld and /run/postgresql never matter), optionally with a
server's socket directory bind-mounted on a driver's default socket
directory.  dbloop runs under the same prefix, so it sees the same world.

    seen = clients.run(ns, "php-mysqli", Settings(host="localhost", ...))
    seen.ok, seen.transport, seen.error
"""

import os
import shlex
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field

from . import LabError

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = os.path.join(os.path.dirname(HERE), "clients")
NODE_DIR = os.path.join(SCRIPTS, "node")
GO_SRC = os.path.join(SCRIPTS, "go")
JAVA_SRC = os.path.join(SCRIPTS, "java", "Connect.java")
GOCODE = "/usr/share/gocode"
JARS = {"jdbc-mariadb": "/usr/share/java/mariadb-java-client.jar",
        "jdbc-postgresql": "/usr/share/java/postgresql.jar"}
PY = "/usr/bin/python3"


@dataclass
class Settings:
    """What the app is configured with (empty string: not configured)."""
    host: str = ""
    port: int = 0
    socket: str = ""
    user: str = "app"
    password: str = ""
    database: str = "appdb"


@dataclass
class Seen:
    ok: bool
    transport: str  # "unix", "tcp4", "tcp6" or "" on failure
    raw: str
    error: str = ""


def transport_of(seen):
    """MariaDB's PROCESSLIST.HOST (skip-name-resolve) or PostgreSQL's
    inet_client_addr() as a transport name."""
    seen = seen.strip()
    if seen in ("unix", "localhost"):
        return "unix"
    if seen.startswith("127.0.0.1"):
        return "tcp4"
    if seen.startswith("::1"):
        return "tcp6"
    return "?" + seen


def parse(text):
    for line in text.strip().splitlines():
        if line.startswith("OK "):
            return Seen(True, transport_of(line[3:]), line)
    line = " ".join(text.split())
    return Seen(False, "", line, error=line[4:] if line.startswith("ERR ") else line)


# driver -> (engine, argv builder given the built artefacts)
ENGINE = {
    "mysql": "mysql", "php-mysqli": "mysql", "php-pdo-mysql": "mysql",
    "python-mysqlclient": "mysql", "python-pymysql": "mysql", "node-mysql2": "mysql",
    "go-mysql": "mysql", "ruby-mysql2": "mysql", "jdbc-mariadb": "mysql",
    "psql": "postgres", "php-pdo-pgsql": "postgres", "python-psycopg": "postgres",
    "node-pg": "postgres", "go-pq": "postgres", "go-pgx": "postgres",
    "ruby-pg": "postgres", "jdbc-postgresql": "postgres",
}


def _script(name):
    return os.path.join(SCRIPTS, name)


class Toolbox:
    """Finds and builds what the drivers need once per test run."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="dbloop-clients-")
        os.chmod(self.dir, 0o755)
        self._go = None
        self._java = None
        self.missing = {}

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def go_binary(self):
        if self._go is None:
            out = os.path.join(self.dir, "dblclients")
            env = dict(os.environ, GO111MODULE="off", GOPATH=f"{GOCODE}:{GO_SRC}",
                       GOCACHE=os.path.join(self.dir, "gocache"), GOFLAGS="")
            res = subprocess.run(["go", "build", "-o", out, "dblclients"], cwd=GO_SRC,
                                 env=env, capture_output=True, text=True, timeout=300)
            if res.returncode != 0:
                raise LabError(f"go build of the driver checks failed: {res.stderr[-2000:]}")
            self._go = out
        return self._go

    def java_classes(self):
        if self._java is None:
            out = os.path.join(self.dir, "java")
            res = subprocess.run(["javac", "-d", out, JAVA_SRC], capture_output=True,
                                 text=True, timeout=300)
            if res.returncode != 0:
                raise LabError(f"javac Connect.java failed: {res.stderr[-2000:]}")
            self._java = out
        return self._java

    def why_missing(self, driver):
        """None when the driver can run here, else the reason."""
        need = {
            "mysql": [shutil.which("mariadb") or "mariadb"],
            "psql": [shutil.which("psql") or "psql"],
            "php-mysqli": ["/usr/bin/php", "/etc/php/8.2/cli/conf.d/20-mysqli.ini"],
            "php-pdo-mysql": ["/usr/bin/php", "/etc/php/8.2/cli/conf.d/20-pdo_mysql.ini"],
            "php-pdo-pgsql": ["/usr/bin/php", "/etc/php/8.2/cli/conf.d/20-pdo_pgsql.ini"],
            "python-mysqlclient": ["/usr/lib/python3/dist-packages/MySQLdb"],
            "python-pymysql": ["/usr/lib/python3/dist-packages/pymysql"],
            "python-psycopg": ["/usr/lib/python3/dist-packages/psycopg2"],
            "node-mysql2": [shutil.which("node") or "node", NODE_DIR + "/node_modules/mysql2"],
            "node-pg": [shutil.which("node") or "node", NODE_DIR + "/node_modules/pg"],
            "go-mysql": [shutil.which("go") or "go", GOCODE + "/src/github.com/go-sql-driver/mysql"],
            "go-pq": [shutil.which("go") or "go", GOCODE + "/src/github.com/lib/pq"],
            "go-pgx": [shutil.which("go") or "go", GOCODE + "/src/github.com/jackc/pgx/v4"],
            "ruby-mysql2": [shutil.which("ruby") or "ruby"],
            "ruby-pg": [shutil.which("ruby") or "ruby"],
            "jdbc-mariadb": [shutil.which("javac") or "javac", JARS["jdbc-mariadb"]],
            "jdbc-postgresql": [shutil.which("javac") or "javac", JARS["jdbc-postgresql"]],
        }[driver]
        for path in need:
            if not os.path.exists(path):
                return f"{path} is not installed"
        if driver.startswith("ruby-"):
            lib = "mysql2" if driver == "ruby-mysql2" else "pg"
            if subprocess.run(["ruby", "-e", f"require '{lib}'"], capture_output=True).returncode:
                return f"the ruby gem {lib} is not installed"
        return None

    def argv(self, driver):
        if driver == "mysql":
            return None  # built per settings
        if driver.startswith("php-"):
            return ["/usr/bin/php", _script(driver.replace("-", "_") + ".php")]
        if driver.startswith("python-"):
            return [PY, _script(driver.replace("-", "_") + ".py")]
        if driver.startswith("node-"):
            return ["node", os.path.join(NODE_DIR, driver[5:] + ".js")]
        if driver.startswith("go-"):
            return [self.go_binary(), driver]
        if driver.startswith("ruby-"):
            return ["ruby", _script(driver.replace("-", "_") + ".rb")]
        raise LabError(f"no argv for {driver}")


def world_prefix(ns, binds=()):
    """argv prefix: ns's network namespace, a private mount namespace with a
    fresh /run holding empty mysqld/ and postgresql/, then each (source,
    target) of binds bind-mounted."""
    steps = ["mount -t tmpfs -o mode=0755 dbloop-run /run",
             "mkdir -p /run/mysqld /run/postgresql"]
    for source, target in binds:
        steps.append(f"mkdir -p {shlex.quote(target)}")
        steps.append(f"mount --bind {shlex.quote(source)} {shlex.quote(target)}")
    script = " && ".join(steps) + ' && exec "$@"'
    return ns.prefix() + ["unshare", "-m", "--propagation", "private", "--",
                          "/bin/sh", "-c", script, "sh"]


def _env(s, home):
    return {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": home, "LANG": "C.UTF-8",
            "DBL_HOST": s.host, "DBL_PORT": str(s.port), "DBL_SOCKET": s.socket,
            "DBL_USER": s.user, "DBL_PASSWORD": s.password, "DBL_DB": s.database,
            "NODE_PATH": os.path.join(NODE_DIR, "node_modules")}


def run(tools, ns, driver, s, home, binds=(), timeout=60):
    """Seen for one driver connecting with settings s inside ns."""
    if driver == "mysql":
        argv = ["mariadb", "--no-defaults", "-N", "-B", "--connect-timeout=3",
                "-u", s.user, f"-p{s.password}", "-P", str(s.port)]
        if s.host:
            argv += ["-h", s.host]
        if s.socket:
            argv += ["-S", s.socket]
        argv += [s.database, "-e",
                 "SELECT CONCAT('OK ', HOST) FROM information_schema.PROCESSLIST "
                 "WHERE ID = CONNECTION_ID()"]
    elif driver == "psql":
        conn = f"port={s.port} user={s.user} dbname={s.database} connect_timeout=3"
        if s.host:
            conn = f"host={s.host} " + conn
        argv = ["psql", "-X", "-At", conn, "-c",
                "SELECT 'OK ' || coalesce(host(inet_client_addr()), 'unix')"]
    else:
        argv = tools.argv(driver)
    env = _env(s, home)
    env["PGPASSWORD"] = s.password if driver == "psql" else ""
    res = subprocess.run(world_prefix(ns, binds) + argv, capture_output=True, text=True,
                         env=env, timeout=timeout, cwd="/")
    out = res.stdout.strip() or ("ERR " + " ".join(res.stderr.split())[:400])
    return parse(out)


def jdbc_url(driver, s):
    host = s.host or "localhost"
    if ":" in host:
        host = f"[{host}]"
    if driver == "jdbc-mariadb":
        return f"jdbc:mariadb://{host}:{s.port}/{s.database}?connectTimeout=3000"
    return f"jdbc:postgresql://{host}:{s.port}/{s.database}?connectTimeout=3"


def run_jdbc(tools, ns, urls, s, home, binds=(), timeout=120):
    """Seen per URL, all in one JVM."""
    jars = ":".join(JARS.values())
    argv = ["java", "-cp", f"{tools.java_classes()}:{jars}", "Connect", *urls]
    res = subprocess.run(world_prefix(ns, binds) + argv, capture_output=True, text=True,
                         env=_env(s, home), timeout=timeout, cwd="/")
    lines = res.stdout.strip().splitlines()
    if len(lines) != len(urls):
        raise LabError(f"java Connect printed {len(lines)} lines for {len(urls)} URLs: "
                       f"{res.stdout[-500:]} {res.stderr[-1500:]}")
    return [parse(line) for line in lines]
