"""Every driver of the client table against the real driver.

For each lab scenario where drivers disagree (MariaDB's socket elsewhere
or at the default path with localhost and a non-default port, localhost
-> ::1 first with an IPv4-only server, an IPv6-only server, no host or a
socket directory for PostgreSQL), each installed driver's connect script
(tests/clients/) runs inside the scenario's namespace and a private /run;
the transport the server saw (PROCESSLIST.HOST / inet_client_addr()) or
the failure is recorded, and `dbloop diagnose --client` must predict
exactly that: the same verdict, and the step that connects on the same
transport. A driver that is not installed skips (fails with CI=true).
"""

import json
import os
import subprocess
import time
import unittest

import lab
import lab.dbloop
from lab import clients as C
from lab import mariadb, net, password, pg, scratch_dir

V4 = "127.0.0.1\tlocalhost\n"
V6_FIRST = "::1\tlocalhost\n127.0.0.1\tlocalhost\n"
V4_FIRST = "127.0.0.1\tlocalhost\n::1\tlocalhost\n"

MY = ["mysql", "php-mysqli", "php-pdo-mysql", "python-mysqlclient", "python-pymysql",
      "node-mysql2", "go-mysql", "ruby-mysql2", "jdbc-mariadb"]
PG = ["psql", "libpq", "php-pdo-pgsql", "python-psycopg", "node-pg", "go-pq", "go-pgx",
      "ruby-pg", "jdbc-postgresql"]

# name: (engine, hosts, server addresses, configured host, socket given,
#        server socket bind-mounted on the default path)
SCENARIOS = {
    "my_socket_elsewhere": ("mysql", V4, ("127.0.0.1", "::1"), "localhost", False, False),
    "my_socket_default": ("mysql", V4, ("127.0.0.1", "::1"), "localhost", False, True),
    "my_socket_given": ("mysql", V4, ("127.0.0.1", "::1"), "localhost", True, False),
    "my_v6_first_ipv4_server": ("mysql", V6_FIRST, ("127.0.0.1",), "localhost", False, False),
    "my_ipv6_only_server": ("mysql", V4_FIRST, ("::1",), "localhost", False, False),
    "pg_localhost": ("postgres", V4, ("127.0.0.1", "::1"), "localhost", False, False),
    "pg_no_host_default_socket": ("postgres", V4, ("127.0.0.1", "::1"), "", False, True),
    "pg_no_host_no_socket": ("postgres", V4, ("127.0.0.1", "::1"), "", False, False),
    "pg_host_socket_dir": ("postgres", V4, ("127.0.0.1", "::1"), "DIR", False, False),
    "pg_v6_first_ipv4_server": ("postgres", V6_FIRST, ("127.0.0.1",), "localhost", False, False),
    "pg_ipv6_only_server": ("postgres", V4_FIRST, ("::1",), "localhost", False, False),
}

OBSERVED = os.environ.get("DBLOOP_CLIENTS_OBSERVED")  # JSON lines of what each driver did


def dbloop_app(ns, binds, driver, engine, s, home):
    args = [os.path.abspath(lab.dbloop_bin()), "diagnose", "--client", driver, "-e", engine,
            "-P", str(s.port), "-u", s.user, "-d", s.database,
            "--password-env", "DBL_TEST_PW", "-t", "3s", "-f", "json"]
    if s.host:
        args += ["-H", s.host]
    if s.socket:
        args += ["-S", s.socket]
    if engine == "mysql":
        args.append("--no-defaults")
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": home, "LANG": "C.UTF-8",
           "DBL_TEST_PW": s.password}
    res = subprocess.run(C.world_prefix(ns, binds) + args, capture_output=True, text=True,
                         env=env, timeout=60, cwd="/")
    try:
        report = json.loads(res.stdout)
    except ValueError:
        raise AssertionError(f"dbloop {' '.join(args[1:])}: no JSON: {res.stderr}")
    return res.returncode, report, res.stderr


class ClientTests(unittest.TestCase):
    tools = None

    @classmethod
    def setUpClass(cls):
        cls.started = time.monotonic()
        cls.tools = C.Toolbox()

    @classmethod
    def tearDownClass(cls):
        cls.tools.close()
        print(f"\ntest_clients: {time.monotonic() - cls.started:.1f}s in all")

    def run_scenario(self, name):
        try:
            lab.check_prerequisites()
        except lab.LabUnavailable as exc:
            lab.unavailable(self, str(exc))
        engine, hosts, bind, host, socket_given, bind_default = SCENARIOS[name]
        drivers = MY if engine == "mysql" else PG
        ns = net.Netns(hosts=hosts)
        server = None
        try:
            port = net.free_port()
            home = scratch_dir("home")
            if engine == "mysql":
                server = mariadb.MyServer(ns, port, bind=bind,
                                          options=["--skip-name-resolve"]).start()
                binds = [(os.path.dirname(server.socket_path), "/run/mysqld")] \
                    if bind_default else []
                sock = server.socket_path if socket_given else ""
            else:
                server = pg.PgServer(ns, port, listen=bind).start()
                binds = [(server.socket_dir, "/run/postgresql")] if bind_default else []
                sock = ""
                if host == "DIR":
                    host = server.socket_dir
            s = C.Settings(host=host, port=port, socket=sock, password=password())
            for driver in drivers:
                with self.subTest(driver=driver):
                    self.check(name, ns, binds, driver, engine, s, home)
        finally:
            if server:
                server.stop()
            ns.delete()

    def check(self, name, ns, binds, driver, engine, s, home):
        script = "psql" if driver == "libpq" else driver
        if (why := self.tools.why_missing(script)):
            lab.unavailable(self, f"{driver}: {why}")
        if driver.startswith("jdbc-") and s.host.startswith("/"):
            seen = C.Seen(False, "", "no Unix socket form of a JDBC URL", "not run")
        elif driver.startswith("jdbc-"):
            seen = C.run_jdbc(self.tools, ns, [C.jdbc_url(driver, s)], s, home, binds)[0]
        else:
            seen = C.run(self.tools, ns, script, s, home, binds)
        status, report, err = dbloop_app(ns, binds, driver, engine, s, home)
        if driver in ("mysql", "psql"):  # one report per scenario against the schema
            ok, why = lab.dbloop.validate(json.dumps(report))
            self.assertIn(ok, (True, None), why)
        app = report["targets"][0].get("app")
        self.assertIsNotNone(app, f"no app path in the report: {err}")
        via = app["steps"][app["via"]]["transport"] if app["via"] is not None else ""
        if OBSERVED:
            with open(OBSERVED, "a") as fh:
                fh.write(json.dumps({"scenario": name, "driver": driver, "ok": seen.ok,
                                     "transport": seen.transport, "raw": seen.raw[:200],
                                     "dbloop_ok": app["ok"], "dbloop_via": via,
                                     "steps": app["steps"]}) + "\n")
        where = f"{name} {driver}: driver said {seen.raw!r}; dbloop planned {app['steps']}"
        self.assertEqual(app["ok"], seen.ok, where)
        self.assertEqual(status, 0 if seen.ok else 1, where)
        if seen.ok:
            self.assertEqual(via, seen.transport, where)


for _name in SCENARIOS:
    setattr(ClientTests, f"test_{_name}",
            lambda self, n=_name: self.run_scenario(n))

if __name__ == "__main__":
    unittest.main()
