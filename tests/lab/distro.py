"""A throwaway root with Debian's own postgresql-15 and mariadb-server at
their stock places, for `dbloop diagnose` run as an ordinary user (issue 14).

    python3 -m lab.distro SCENARIO DBLOOP_BIN      (as root, from tests/)

re-executes itself under `unshare --mount --net --pid --fork`, so every
mount, address and process it makes is gone when it ends: nothing touches
the machine's /etc, /var/lib or its services. Inside, it lays a root on a
tmpfs: /usr (and the /bin, /lib links) bound read-only from the machine, a
copy of /etc, empty /run, /var/lib, /var/log, /tmp and /home. The packages'
own tools make the stock install there: pg_createcluster 15 main (Debian's
postgresql.conf, pg_hba.conf mode 0640), mariadb-install-db with Debian's
/etc/mysql. The scenario then changes one thing the way a user would (a
line of a config file, a variable, an account), starts the servers the way
Debian does without systemd (pg_ctlcluster, mysqld_safe's mariadbd) and
runs `dbloop diagnose -f json` as the login user `dbtest` with no target
options. With --apply it then applies the config and SQL steps the report
suggests (as root for files, as postgres / MariaDB root for SQL), reloads
or restarts the server, and runs dbloop again.

Prints one JSON object on stdout: {"runs": [{"status", "report", "stderr"}],
"applied": [...], "log": [...]}.

The root has no /.dockerenv, so dbloop is not in a container there; with
"systemd": true the scenario creates /run/systemd/system (systemd's own
test of whether it runs) so the unit commands can be checked without
starting anything.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

USER, UID, PASSWORD = "dbtest", 23456, "s3cret-pw"
PG_CONF = "/etc/postgresql/15/main/postgresql.conf"
PG_HBA = "/etc/postgresql/15/main/pg_hba.conf"
MY_SERVER = "/etc/mysql/mariadb.conf.d/50-server.cnf"
LOG = []


def sh(argv, check=True, **kw):
    kw.setdefault("stdout", subprocess.PIPE)
    kw.setdefault("stderr", subprocess.PIPE)
    p = subprocess.run(argv, text=True, **kw)
    LOG.append({"argv": argv if isinstance(argv, list) else [argv], "rc": p.returncode,
                "err": (p.stderr or "")[-400:]})
    if check and p.returncode != 0:
        raise RuntimeError(f"{argv!r} exited {p.returncode}: {p.stderr[-800:]}")
    return p


class Root:
    def __init__(self, path):
        self.path = path

    def p(self, rel):
        return os.path.join(self.path, rel.lstrip("/"))

    def run(self, argv, user=None, env=None, check=True, cwd="/"):
        """argv inside the root (chroot), as root or as user."""
        inner = list(argv)
        if user:
            inner = ["runuser", "-u", user, "--"] + inner
        e = {"PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "LANG": "C.UTF-8"}
        e.update(env or {})
        return sh(["chroot", self.path, "/usr/bin/env", "-C", cwd, "-i"]
                  + [f"{k}={v}" for k, v in e.items()] + inner, check=check)

    def read(self, rel):
        with open(self.p(rel)) as fh:
            return fh.read()

    def write(self, rel, text):
        with open(self.p(rel), "w") as fh:
            fh.write(text)


def build_root(dbloop):
    """The root on a tmpfs, with /usr from the machine and a copy of /etc."""
    top = tempfile.mkdtemp(prefix="dbloop-distro-")
    sh(["mount", "-t", "tmpfs", "-o", "mode=0755", "tmpfs", top])
    r = Root(top)
    for link in ("bin", "sbin", "lib", "lib32", "lib64"):
        if os.path.islink("/" + link):
            os.symlink(os.readlink("/" + link), r.p(link))
    for d in ("usr", "dev", "proc", "sys", "run", "tmp", "var/lib", "var/log", "var/run",
              "home", "opt/dbloop"):
        if d != "var/run":
            os.makedirs(r.p(d), exist_ok=True)
    os.chmod(r.p("tmp"), 0o1777)
    sh(["mount", "--rbind", "-o", "ro", "/usr", r.p("usr")])
    sh(["mount", "-o", "remount,ro,bind", r.p("usr")], check=False)
    sh(["mount", "--rbind", "/dev", r.p("dev")])
    sh(["mount", "-t", "proc", "proc", r.p("proc")])
    sh(["mount", "-t", "tmpfs", "-o", "mode=0755", "tmpfs", r.p("run")])
    os.symlink("/run", r.p("var/run"))
    sh(["cp", "-a", "/etc", r.p("etc")])
    # the machine's own cluster and option files are not the stock ones
    shutil.rmtree(r.p("etc/postgresql/15/main"), ignore_errors=True)
    for f in ("etc/hosts",):
        with open(r.p(f), "w") as fh:
            fh.write("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n")
    shutil.copy2(dbloop, r.p("opt/dbloop/dbloop"))
    os.chmod(r.p("opt/dbloop/dbloop"), 0o755)
    # the login user
    with open(r.p("etc/passwd"), "a") as fh:
        fh.write(f"{USER}:x:{UID}:{UID}::/home/{USER}:/bin/bash\n")
    with open(r.p("etc/group"), "a") as fh:
        fh.write(f"{USER}:x:{UID}:\n")
    home = r.p(f"home/{USER}")
    os.makedirs(home)
    os.chown(home, UID, UID)
    os.chmod(home, 0o700)
    return r


def user_file(r, name, text, mode=0o600):
    path = r.p(f"home/{USER}/{name}")
    with open(path, "w") as fh:
        fh.write(text)
    os.chown(path, UID, UID)
    os.chmod(path, mode)


# -- PostgreSQL, Debian's way ---------------------------------------------------

def pg_install(r):
    for d in ("var/lib/postgresql", "var/log/postgresql", "run/postgresql"):
        os.makedirs(r.p(d), exist_ok=True)
        shutil.chown(r.p(d), "postgres", "postgres")
    os.chmod(r.p("run/postgresql"), 0o2775)
    r.run(["pg_createcluster", "15", "main"])
    user_file(r, ".pgpass", f"*:*:*:{USER}:{PASSWORD}\n")


def pg_start(r, verb="start"):
    r.run(["pg_ctlcluster", "15", "main", verb])


def pg_sql(r, sql):
    return r.run(["/usr/lib/postgresql/15/bin/psql", "-X", "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql], user="postgres")


def pg_account(r):
    pg_sql(r, f"CREATE ROLE {USER} LOGIN PASSWORD '{PASSWORD}'")
    pg_sql(r, f"CREATE DATABASE {USER} OWNER {USER}")


def replace_line(r, rel, prefix, line):
    """The first line of rel starting with prefix (or '#'+prefix) becomes
    line; returns its number."""
    text = r.read(rel).split("\n")
    for i, cur in enumerate(text):
        if cur.lstrip("#").startswith(prefix):
            text[i] = line
            r.write(rel, "\n".join(text))
            return i + 1
    raise RuntimeError(f"no {prefix!r} line in {rel}")


# -- MariaDB, Debian's way ------------------------------------------------------

def my_install(r):
    for d in ("var/lib/mysql", "run/mysqld", "var/log/mysql"):
        os.makedirs(r.p(d), exist_ok=True)
        shutil.chown(r.p(d), "mysql", "mysql")
    r.run(["mariadb-install-db", "--user=mysql", "--skip-test-db",
           "--datadir=/var/lib/mysql"])
    user_file(r, ".my.cnf", f"[client]\npassword={PASSWORD}\n")


def my_start(r):
    sh(["chroot", r.path, "/usr/bin/env", "-i", "PATH=/usr/bin:/usr/sbin:/bin",
        "sh", "-c", "mysqld_safe >/dev/null 2>&1 &"])
    wait_for(lambda: os.path.exists(r.p("run/mysqld/mysqld.sock")) and
             r.run(["mariadb", "-e", "SELECT 1"], check=False).returncode == 0,
             "mariadbd to answer on its socket")


def my_stop(r):
    r.run(["mariadb-admin", "shutdown"], check=False)
    wait_for(lambda: not os.path.exists(r.p("run/mysqld/mysqld.pid")), "mariadbd to stop")


def my_sql(r, sql):
    return r.run(["mariadb", "-e", sql])


def my_account(r, hosts=("localhost", "127.0.0.1", "::1")):
    for h in hosts:
        my_sql(r, f"CREATE USER '{USER}'@'{h}' IDENTIFIED BY '{PASSWORD}'")


def wait_for(pred, what, timeout=60.0):
    """Polls pred (a readiness check, not a sleep for ordering)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return
        time.sleep(0.05)
    raise RuntimeError(f"timed out waiting for {what}")


# -- dbloop ---------------------------------------------------------------------

def diagnose(r, env=None, args=()):
    p = r.run(["/opt/dbloop/dbloop", "diagnose", "-f", "json", *args], user=USER,
              env={"HOME": f"/home/{USER}", "USER": USER, "LOGNAME": USER, **(env or {})},
              check=False, cwd=f"/home/{USER}")
    try:
        report = json.loads(p.stdout)
    except ValueError:
        report = None
    return {"status": p.returncode, "report": report, "stderr": p.stderr[-2000:],
            "stdout": p.stdout[-2000:] if report is None else ""}


def apply_steps(r, report, engine):
    """Applies the config and SQL steps of the target's error findings, as
    the reader would: files edited as root, SQL run as the step's account.
    Returns what was done."""
    done = []
    for t in report["targets"]:
        if t["engine"] != engine:
            continue
        for f in t["findings"]:
            if f["severity"] != "error":
                continue
            for st in f.get("steps", []):
                if st["kind"] == "config" and st["file"]:
                    apply_config(r, st)
                    done.append(("config", st["file"], st["line"], st["action"], st["text"]))
                elif st["kind"] == "sql" and "pg_reload_conf" not in st["text"] \
                        and not st["text"].startswith(("SELECT", "SHOW")):
                    sql = st["text"].replace("<password>", PASSWORD)
                    if st["engine"] == "postgres":
                        pg_sql(r, sql)
                    else:
                        my_sql(r, sql)
                    done.append(("sql", st["engine"], st["as"], sql))
    return done


def apply_config(r, st):
    lines = r.read(st["file"]).split("\n") if os.path.exists(r.p(st["file"])) else []
    n, text = st["line"], st["text"]
    if st["action"] == "replace":
        lines[n - 1] = text
    elif st["action"] == "insert_after":
        lines.insert(n, text)
    elif st["action"] == "comment_out":
        lines[n - 1] = "# " + lines[n - 1]
    else:
        while lines and lines[-1] == "":
            lines.pop()
        if st.get("group"):
            lines.append(f"[{st['group']}]")
        lines.append(text)
        lines.append("")
    r.write(st["file"], "\n".join(lines))


# -- scenarios ------------------------------------------------------------------

def pg_base(r, systemd=False):
    pg_install(r)
    if systemd:
        os.makedirs(r.p("run/systemd/system"), exist_ok=True)
    pg_start(r)
    pg_account(r)


def sc_pg_hba(r, apply):
    """Stock pg_hba.conf without its ::1 line: host_not_allowed on tcp6."""
    pg_base(r)
    hba = r.read(PG_HBA).split("\n")
    hba = [("#" + l if l.startswith("host") and "::1/128" in l else l) for l in hba]
    r.write(PG_HBA, "\n".join(hba))
    pg_start(r, "reload")
    return run_fix(r, apply, "postgres", lambda: pg_start(r, "reload"))


def sc_pg_listen(r, apply):
    """listen_addresses = '' in Debian's postgresql.conf: tcp_disabled."""
    pg_install(r)
    line = replace_line(r, PG_CONF, "listen_addresses", "listen_addresses = ''")
    pg_start(r)
    pg_account(r)
    out = run_fix(r, apply, "postgres", lambda: pg_start(r, "restart"))
    out["line"] = line
    return out


def sc_pg_stopped(r, apply, systemd):
    pg_install(r)
    if systemd:
        os.makedirs(r.p("run/systemd/system"), exist_ok=True)
    return {"runs": [diagnose(r)]}


def sc_my_skip_networking(r, apply):
    """skip-networking under [mysqld] in Debian's 50-server.cnf."""
    my_install(r)
    text = r.read(MY_SERVER).split("\n")
    at = text.index("[mysqld]") + 1
    text.insert(at, "skip-networking")
    r.write(MY_SERVER, "\n".join(text))
    my_start(r)
    my_account(r)
    out = run_fix(r, apply, "mysql", lambda: (my_stop(r), my_start(r)))
    out["line"] = at + 1
    return out


def sc_my_env_socket(r, apply):
    """MYSQL_UNIX_PORT names a socket that does not exist."""
    my_install(r)
    my_start(r)
    my_account(r)
    return {"runs": [diagnose(r, env={"MYSQL_UNIX_PORT": "/tmp/mysql.sock"})]}


def sc_my_account(r, apply):
    """skip-name-resolve and only 'dbtest'@'localhost': the TCP clients
    have no account (host_not_allowed)."""
    my_install(r)
    text = r.read(MY_SERVER).split("\n")
    text.insert(text.index("[mysqld]") + 1, "skip-name-resolve")
    r.write(MY_SERVER, "\n".join(text))
    my_start(r)
    my_account(r, hosts=("localhost",))
    my_sql(r, f"CREATE DATABASE {USER}")
    my_sql(r, f"GRANT ALL ON {USER}.* TO '{USER}'@'localhost'")
    return run_fix(r, apply, "mysql", lambda: (my_stop(r), my_start(r)))


def sc_my_stopped(r, apply, systemd):
    my_install(r)
    if systemd:
        os.makedirs(r.p("run/systemd/system"), exist_ok=True)
    return {"runs": [diagnose(r)]}


# -- the layouts beyond Debian (issue 14, point 2) --------------------------------
#
# The same Debian binaries, laid out as the other installs lay out their
# files: no /etc/postgresql or /etc/mysql, no Debian service scripts. The
# file contents are the stock ones (tests/fixtures/conf/*-root, whose
# headers say where each comes from).

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "fixtures", "conf")
PG_BIN = "/usr/lib/postgresql/15/bin"
RHEL_PGDATA = "/var/lib/pgsql/data"
BREW_PGDATA = "/opt/homebrew/var/postgresql@15"
IMAGE_PGDATA = "/var/lib/postgresql/data"
RHEL_MY_SERVER = "/etc/my.cnf.d/mariadb-server.cnf"


def fixture(name):
    with open(os.path.join(FIXTURES, name)) as fh:
        return fh.read()


def not_debian(r):
    """No Debian layout: no /etc/postgresql, /etc/mysql or SysV scripts."""
    shutil.rmtree(r.p("etc/postgresql"), ignore_errors=True)
    shutil.rmtree(r.p("etc/postgresql-common"), ignore_errors=True)
    shutil.rmtree(r.p("etc/mysql"), ignore_errors=True)
    for f in ("etc/my.cnf", "etc/init.d/postgresql", "etc/init.d/mariadb",
              "etc/init.d/mysql"):
        if os.path.lexists(r.p(f)):
            os.unlink(r.p(f))


def pg_initdb(r, data, owner, args=()):
    """initdb of data as owner, the parents made as the layout has them."""
    uid = UID if owner == USER else owner
    top = os.path.dirname(data)
    os.makedirs(r.p(top), exist_ok=True)
    shutil.chown(r.p(top), uid, uid)
    r.run([f"{PG_BIN}/initdb", "-D", data, *args], user=owner)
    os.makedirs(r.p("run/postgresql"), exist_ok=True)
    shutil.chown(r.p("run/postgresql"), uid, uid)
    user_file(r, ".pgpass", f"*:*:*:{USER}:{PASSWORD}\n")


def pg_ctl(r, data, owner, verb):
    r.run([f"{PG_BIN}/pg_ctl", "-D", data, "-w", "-l", f"{data}/../pg.log"
           if owner == "postgres" else "/tmp/pg.log", verb], user=owner)


def pg_sql_as(r, owner, sql, db="postgres"):
    return r.run([f"{PG_BIN}/psql", "-X", "-v", "ON_ERROR_STOP=1", "-qAt", "-d", db, "-c", sql],
                 user=owner)


def hba_without(r, path, pred):
    lines = r.read(path).split("\n")
    r.write(path, "\n".join(("#" + l if pred(l) else l) for l in lines))


def sc_pg_rhel_hba(r, apply, systemd=False):
    """Red Hat's layout: PGDATA /var/lib/pgsql/data (0700, unreadable to
    the user), postgresql-setup's pg_hba (local peer, host ident) with the
    admin's scram-sha-256 for 127.0.0.1 and no ::1 line: host_not_allowed
    on tcp6, the file named from the unit's PGDATA or the layout."""
    not_debian(r)
    pg_initdb(r, RHEL_PGDATA, "postgres")
    os.chmod(r.p("var/lib/pgsql"), 0o700)
    r.write(f"{RHEL_PGDATA}/pg_hba.conf",
            fixture("rhel-root/var/lib/pgsql/data/pg_hba.conf"))
    text = r.read(f"{RHEL_PGDATA}/pg_hba.conf").replace(
        "127.0.0.1/32            ident", "127.0.0.1/32            scram-sha-256")
    r.write(f"{RHEL_PGDATA}/pg_hba.conf", text)
    hba_without(r, f"{RHEL_PGDATA}/pg_hba.conf", lambda l: l.startswith("host") and "::1/128" in l)
    replace_line(r, f"{RHEL_PGDATA}/postgresql.conf", "unix_socket_directories",
                 "unix_socket_directories = '/run/postgresql'")
    if systemd:
        os.makedirs(r.p("run/systemd/system"), exist_ok=True)
        os.makedirs(r.p("etc/systemd/system"), exist_ok=True)
        r.write("etc/systemd/system/postgresql.service",
                fixture("rhel-root/usr/lib/systemd/system/postgresql.service"))
    pg_ctl(r, RHEL_PGDATA, "postgres", "start")
    pg_account(r)
    return run_fix(r, apply, "postgres", lambda: pg_ctl(r, RHEL_PGDATA, "postgres", "reload"))


def sc_pg_homebrew_hba(r, apply):
    """Homebrew's layout: /opt/homebrew/var/postgresql@15, the user's own
    cluster (initdb --locale=C -E UTF-8, trust), its ::1 line commented
    out: the file and line, edited without sudo, pg_ctl without sudo."""
    not_debian(r)
    pg_initdb(r, BREW_PGDATA, USER, ("--locale=C", "-E", "UTF-8"))
    for d in ("opt/homebrew", "opt/homebrew/var"):
        shutil.chown(r.p(d), UID, UID)
    hba_without(r, f"{BREW_PGDATA}/pg_hba.conf", lambda l: l.startswith("host") and "::1/128" in l)
    pg_ctl(r, BREW_PGDATA, USER, "start")
    pg_sql_as(r, USER, f"CREATE DATABASE {USER}")
    return run_fix(r, apply, "postgres", lambda: pg_ctl(r, BREW_PGDATA, USER, "reload"))


def sc_pg_image_hba(r, apply):
    """The official postgres image's layout, dbloop inside the container as
    an ordinary user: PGDATA /var/lib/postgresql/data (0700), the image's
    listen_addresses = '*' and trailing 'host all all all scram-sha-256',
    with that line and the ::1 line commented out: host_not_allowed on
    tcp6, the file named from the layout although unreadable."""
    not_debian(r)
    r.write(".dockerenv", "")
    pg_initdb(r, IMAGE_PGDATA, "postgres", ("--username=postgres",))
    os.chmod(r.p(IMAGE_PGDATA), 0o700)
    r.write(f"{IMAGE_PGDATA}/pg_hba.conf",
            fixture("pgimage-root/var/lib/postgresql/data/pg_hba.conf"))
    text = r.read(f"{IMAGE_PGDATA}/pg_hba.conf").replace("trust", "scram-sha-256")
    r.write(f"{IMAGE_PGDATA}/pg_hba.conf", text.replace(
        "local   all             all                                     scram-sha-256",
        "local   all             all                                     peer"))
    hba_without(r, f"{IMAGE_PGDATA}/pg_hba.conf",
                lambda l: l.startswith("host") and ("::1/128" in l or "all all all" in l))
    replace_line(r, f"{IMAGE_PGDATA}/postgresql.conf", "listen_addresses",
                 "listen_addresses = '*'")
    replace_line(r, f"{IMAGE_PGDATA}/postgresql.conf", "unix_socket_directories",
                 "unix_socket_directories = '/run/postgresql'")
    pg_ctl(r, IMAGE_PGDATA, "postgres", "start")
    pg_account(r)
    return run_fix(r, apply, "postgres", lambda: pg_ctl(r, IMAGE_PGDATA, "postgres", "reload"))


def my_rhel_start(r):
    sh(["chroot", r.path, "/usr/bin/env", "-i", "PATH=/usr/bin:/usr/sbin:/bin",
        "sh", "-c", "mysqld_safe >/dev/null 2>&1 &"])
    wait_for(lambda: os.path.exists(r.p("var/lib/mysql/mysql.sock")) and
             r.run(["mariadb", "-S", "/var/lib/mysql/mysql.sock", "-e", "SELECT 1"],
                   check=False).returncode == 0,
             "mariadbd to answer on its socket")


def sc_my_rhel_skip_networking(r, apply, systemd=False):
    """Red Hat's layout: /etc/my.cnf includes /etc/my.cnf.d/, the server's
    group in mariadb-server.cnf (socket /var/lib/mysql/mysql.sock), with
    skip-networking added under [mysqld]: tcp_disabled at that file and
    line, nothing of /etc/mysql."""
    not_debian(r)
    os.makedirs(r.p("etc/my.cnf.d"), exist_ok=True)
    for f in ("etc/my.cnf", "etc/my.cnf.d/client.cnf", "etc/my.cnf.d/mariadb-server.cnf"):
        r.write(f, fixture("rhel-root/" + f))
    text = r.read(RHEL_MY_SERVER).split("\n")
    at = text.index("[mysqld]") + 1
    text.insert(at, "skip-networking")
    r.write(RHEL_MY_SERVER, "\n".join(text))
    for d in ("var/lib/mysql", "run/mariadb", "var/log/mariadb"):
        os.makedirs(r.p(d), exist_ok=True)
        shutil.chown(r.p(d), "mysql", "mysql")
    r.run(["mariadb-install-db", "--user=mysql", "--skip-test-db", "--datadir=/var/lib/mysql"])
    user_file(r, ".my.cnf", f"[client]\npassword={PASSWORD}\n")
    if systemd:
        os.makedirs(r.p("run/systemd/system"), exist_ok=True)
    my_rhel_start(r)
    for h in ("localhost", "127.0.0.1", "::1"):
        r.run(["mariadb", "-S", "/var/lib/mysql/mysql.sock", "-e",
               f"CREATE USER '{USER}'@'{h}' IDENTIFIED BY '{PASSWORD}'"])
    out = {"runs": [diagnose(r, env={"MYSQL_UNIX_PORT": "/var/lib/mysql/mysql.sock"})]}
    out["line"] = at + 1
    return out


def target_ok(report, engine):
    return any(t["engine"] == engine and t["ok"] for t in (report or {}).get("targets", []))


def run_fix(r, apply, engine, reload, rounds=3):
    """Diagnoses; with apply, applies the steps, reloads and diagnoses
    again, until the engine's target is ok (a fix may uncover the next
    problem: skip-networking off shows bind-address)."""
    out = {"runs": [diagnose(r)], "applied": []}
    while apply and rounds > 0 and out["runs"][-1]["report"] and \
            not target_ok(out["runs"][-1]["report"], engine):
        done = apply_steps(r, out["runs"][-1]["report"], engine)
        if not done:
            break
        out["applied"].append(done)
        reload()
        out["runs"].append(diagnose(r))
        rounds -= 1
    return out


SCENARIOS = {
    "pg_hba": sc_pg_hba,
    "pg_listen": sc_pg_listen,
    "pg_stopped": lambda r, a: sc_pg_stopped(r, a, False),
    "pg_stopped_systemd": lambda r, a: sc_pg_stopped(r, a, True),
    "my_skip_networking": sc_my_skip_networking,
    "my_env_socket": sc_my_env_socket,
    "my_account": sc_my_account,
    "my_stopped": lambda r, a: sc_my_stopped(r, a, False),
    "my_stopped_systemd": lambda r, a: sc_my_stopped(r, a, True),
    "pg_rhel_hba": sc_pg_rhel_hba,
    "pg_rhel_hba_systemd": lambda r, a: sc_pg_rhel_hba(r, a, True),
    "pg_homebrew_hba": sc_pg_homebrew_hba,
    "pg_image_hba": sc_pg_image_hba,
    "my_rhel_skip_networking": sc_my_rhel_skip_networking,
    "my_rhel_skip_networking_systemd": lambda r, a: sc_my_rhel_skip_networking(r, a, True),
}


def inner(name, dbloop, apply):
    sh(["ip", "link", "set", "lo", "up"])
    r = build_root(dbloop)
    try:
        out = SCENARIOS[name](r, apply)
    except Exception as exc:  # reported to the test, which fails on it
        out = {"error": repr(exc)}
    out["log"] = LOG[-40:]
    print(json.dumps(out))


def run(name, dbloop, apply=False, timeout=300):
    """Runs scenario name in fresh namespaces; the parsed output."""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    argv = ["unshare", "--mount", "--net", "--pid", "--fork", "--kill-child",
            sys.executable, "-m", "lab.distro", "--inner", name, os.path.abspath(dbloop)]
    if apply:
        argv.append("--apply")
    p = subprocess.run(argv, cwd=here, text=True, capture_output=True, timeout=timeout)
    try:
        return json.loads(p.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {"error": f"exit {p.returncode}: {p.stdout[-500:]} {p.stderr[-1500:]}"}


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--inner":
        inner(sys.argv[2], sys.argv[3], "--apply" in sys.argv[4:])
    else:
        print(json.dumps(run(sys.argv[1], sys.argv[2], "--apply" in sys.argv[3:]), indent=1))
