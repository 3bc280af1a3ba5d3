"""`dbloop diagnose --app DIR` end to end, against real servers (issue 17).

One namespace holds a MariaDB 10.11 and a PostgreSQL 15 on free ports, each
with its socket in a directory of its own (neither is where a driver looks
by default). For each project directory — Laravel `.env` (socket given, no
socket, 127.0.0.1), WordPress `wp-config.php` with `localhost:/path.sock`,
Rails `config/database.yml` (host localhost, host = socket directory, and
ERB left unevaluated), Spring `application.properties` with a JDBC URL,
`compose.yaml` with a `DATABASE_URL` — dbloop runs with `--app DIR` and
nothing else about the target, and must pick the driver from the project's
dependency file, plan the transport that driver takes, give each setting
its file and line, and exit 0 exactly when the app's own path works.
Where the driver is installed (tests/clients/, as test_clients.py uses
them), the real driver connects with the same settings and must agree
with dbloop's verdict and transport. Runs inside a private /run, so the
machine's /run/mysqld and /run/postgresql never matter.
"""

import json
import os
import shutil
import subprocess
import textwrap
import time
import unittest

import lab
import lab.dbloop
from lab import clients as C
from lab import mariadb, net, password, pg, scratch_dir

HOSTS = "127.0.0.1\tlocalhost\n"
PHP_DEFAULT = "/var/run/mysqld/mysqld.sock"


def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:
        fh.write(textwrap.dedent(text).lstrip("\n"))


def at(root, rel, needle):
    """Where dbloop says a value came from: "<root>/<rel> line N"."""
    return f"{root}/{rel} line {line_of(root, rel, needle)}"


def line_of(root, rel, needle):
    with open(os.path.join(root, rel)) as fh:
        for n, line in enumerate(fh, 1):
            if needle in line:
                return n
    raise AssertionError(f"{rel} has no {needle!r}")


class AppDirTests(unittest.TestCase):
    ns = my = pgs = tools = None

    @classmethod
    def setUpClass(cls):
        cls.started = time.monotonic()
        try:
            lab.check_prerequisites()
        except lab.LabUnavailable as exc:
            cls.skip_why = str(exc)
            return
        cls.skip_why = None
        cls.ns = net.Netns(hosts=HOSTS)
        cls.password = password()
        cls.my_port, cls.pg_port = net.free_port(), net.free_port()
        cls.my = mariadb.MyServer(cls.ns, cls.my_port, bind=("127.0.0.1", "::1"),
                                  options=["--skip-name-resolve"]).start()
        cls.pgs = pg.PgServer(cls.ns, cls.pg_port, listen=("127.0.0.1", "::1")).start()
        cls.my_sock = cls.my.socket_path
        cls.pg_dir = cls.pgs.socket_dir
        cls.home = scratch_dir("home")
        cls.tools = C.Toolbox()
        cls.checked = []

    @classmethod
    def tearDownClass(cls):
        for s in (cls.my, cls.pgs):
            if s:
                s.stop()
        if cls.ns:
            cls.ns.delete()
        if cls.tools:
            cls.tools.close()
        print(f"\ntest_app_dir: {len(cls.checked or [])} projects "
              f"{cls.checked}, {time.monotonic() - cls.started:.1f}s", flush=True)

    def setUp(self):
        if self.skip_why:
            lab.unavailable(self, self.skip_why)

    def project(self, name):
        root = scratch_dir(f"app-{name}")
        os.chmod(root, 0o755)
        return root

    def diagnose(self, root, *extra):
        args = [os.path.abspath(lab.dbloop_bin()), "diagnose", "--app", root,
                "--password-env", "DBL_TEST_PW", "-t", "3s", "-f", "json", *extra]
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": self.home,
               "LANG": "C.UTF-8", "DBL_TEST_PW": self.password}
        res = subprocess.run(C.world_prefix(self.ns) + args, capture_output=True, text=True,
                             env=env, timeout=60, cwd="/")
        try:
            report = json.loads(res.stdout)
        except ValueError:
            self.fail(f"dbloop --app {root}: exit {res.returncode}, no JSON: "
                      f"{res.stdout[:300]!r} {res.stderr[:300]!r}")
        ok, why = lab.dbloop.validate(res.stdout)
        self.assertIn(ok, (True, None), why)
        return res.returncode, report

    def real_driver(self, driver, settings):
        """What the installed driver does with the app's settings; None when
        it is not installed here."""
        if self.tools.why_missing(driver):
            return None
        if driver.startswith("jdbc-"):
            return C.run_jdbc(self.tools, self.ns, [C.jdbc_url(driver, settings)], settings,
                              self.home)[0]
        return C.run(self.tools, self.ns, driver, settings, self.home)

    def check(self, name, root, client, transport, ok, provenance, settings=None,
              socket=None, notes=()):
        status, report = self.diagnose(root)
        targets = report["targets"]
        self.assertEqual(len(targets), 1, f"{name}: targets {[t['target'] for t in targets]}")
        app = targets[0].get("app")
        self.assertIsNotNone(app, f"{name}: no app block; warnings {report.get('warnings')}")
        where = f"{name}: app {json.dumps(app)[:900]}"
        self.assertEqual(app["client"], client, where)
        self.assertEqual(app["steps"][0]["transport"], transport, where)
        if socket:
            self.assertEqual(app["socket"], socket, where)
        self.assertEqual(app["ok"], ok, where)
        self.assertEqual(status, 0 if ok else 1, where)
        for line in provenance:
            self.assertIn(line, app["config"], where)
            # the same provenance reaches the target's settings lines
        for note in notes:
            self.assertTrue(any(note in c for c in app["config"]), f"{where}: no note {note!r}")
        seen = self.real_driver(client, settings) if settings else None
        if seen is not None:
            via = app["steps"][app["via"]]["transport"] if app["via"] is not None else ""
            self.assertEqual(seen.ok, ok, f"{where}; the real driver said {seen.raw!r}")
            if ok:
                self.assertEqual(seen.transport, via, f"{where}; the real driver said {seen.raw!r}")
        self.checked.append(f"{name}:{client}:{transport}:{'ok' if ok else 'fails'}"
                            f"{'' if seen is None else ':driver-agrees'}")
        return app, report

    # -- PHP ----------------------------------------------------------------

    def laravel(self, name, host, socket=None):
        root = self.project(name)
        env = ["APP_NAME=Laravel", "DB_CONNECTION=mysql", f"DB_HOST={host}",
               f"DB_PORT={self.my_port}"]
        if socket:
            env.append(f"DB_SOCKET={socket}")
        env += ["DB_DATABASE=appdb", "DB_USERNAME=app", "DB_PASSWORD=", ""]
        write(root, ".env", "\n".join(env))
        write(root, "composer.json", """
            {
                "require": {
                    "php": "^8.1",
                    "laravel/framework": "^10.10"
                }
            }
            """)
        return root

    def test_laravel_socket_given(self):
        """DB_HOST=localhost + DB_SOCKET: PDO takes that socket, the port is not used."""
        root = self.laravel("laravel-socket", "localhost", self.my_sock)
        self.check("laravel-socket", root, "php-pdo-mysql", "unix", True,
                   [f"client php-pdo-mysql from {at(root, 'composer.json', 'laravel/framework')}",
                    f"host=localhost from {at(root, '.env', 'DB_HOST')}",
                    f"socket={self.my_sock} from {at(root, '.env', 'DB_SOCKET')}"],
                   C.Settings(host="localhost", port=self.my_port, socket=self.my_sock,
                              password=self.password),
                   socket=self.my_sock)

    def test_laravel_localhost_no_socket(self):
        """The ticket dbloop exists for: TCP on DB_PORT works, but PDO takes localhost as
        PHP's default socket, which this server does not use: the app fails, exit 1."""
        root = self.laravel("laravel-nosock", "localhost")
        app, report = self.check(
            "laravel-nosock", root, "php-pdo-mysql", "unix", False,
            [f"port={self.my_port} from {at(root, '.env', 'DB_PORT')}"],
            C.Settings(host="localhost", port=self.my_port, password=self.password),
            socket=PHP_DEFAULT)
        self.assertEqual(app["steps"][0]["class"], "socket_missing", app)
        # the other transports stay as evidence: TCP works
        probes = {p["transport"]: p for p in report["targets"][0]["probes"]}
        self.assertTrue(probes["tcp4"]["ok"], probes.get("tcp4"))
        self.assertTrue(app["socket_source"], app)
        # the real driver's own error, pasted into explain, names the same
        # driver and the same socket path
        seen = self.real_driver("php-pdo-mysql", C.Settings(
            host="localhost", port=self.my_port, password=self.password))
        if seen is not None:
            res = subprocess.run([lab.dbloop_bin(), "explain", "-f", "json", seen.error],
                                 capture_output=True, text=True, timeout=30)
            x = json.loads(res.stdout)
            self.assertEqual((x["client"] or {}).get("name"), "php-pdo-mysql", x)
            self.assertEqual(x["transport"], "unix", x)
            self.assertEqual(x["client"]["socket"], PHP_DEFAULT, x)
            self.assertIn("--client php-pdo-mysql", x["client"]["settle"], x)

    def test_laravel_loopback_address(self):
        """DB_HOST=127.0.0.1: PDO goes over TCP to DB_PORT."""
        root = self.laravel("laravel-tcp", "127.0.0.1")
        self.check("laravel-tcp", root, "php-pdo-mysql", "tcp4", True,
                   [f"host=127.0.0.1 from {at(root, '.env', 'DB_HOST')}"],
                   C.Settings(host="127.0.0.1", port=self.my_port, password=self.password))

    def test_wordpress_socket_in_db_host(self):
        """wp-config.php DB_HOST 'localhost:/path.sock': mysqli on that socket."""
        root = self.project("wordpress")
        write(root, "wp-config.php", f"""
            <?php
            define( 'DB_NAME', 'appdb' );
            define( 'DB_USER', 'app' );
            define( 'DB_PASSWORD', 'not-read' );
            define( 'DB_HOST', 'localhost:{self.my_sock}' );
            $table_prefix = 'wp_';
            """)
        n = line_of(root, "wp-config.php", "DB_HOST")
        self.check("wordpress", root, "php-mysqli", "unix", True,
                   [f"client php-mysqli from {root}/wp-config.php (WordPress uses mysqli)",
                    f"socket={self.my_sock} from {root}/wp-config.php line {n}",
                    f"host=localhost from {root}/wp-config.php line {n}",
                    f"user=app from {at(root, 'wp-config.php', 'DB_USER')}"],
                   C.Settings(host="localhost", port=3306, socket=self.my_sock,
                              password=self.password),
                   socket=self.my_sock)

    # -- Ruby ---------------------------------------------------------------

    def rails(self, name, host_line):
        root = self.project(name)
        write(root, "Gemfile", """
            source "https://rubygems.org"
            gem "rails", "~> 7.1"
            gem 'pg', '~> 1.1'
            """)
        write(root, "config/database.yml", f"""
            default: &default
              adapter: postgresql
              encoding: unicode
              pool: 5

            development:
              <<: *default
              database: appdb
              username: app
              {host_line}
              port: {self.pg_port}
            """)
        return root

    def test_rails_localhost(self):
        """database.yml host: localhost: the pg gem (libpq) takes TCP."""
        root = self.rails("rails-tcp", "host: localhost")
        yml = "config/database.yml"
        self.check("rails-tcp", root, "ruby-pg", "tcp4", True,
                   [f"host=localhost from {at(root, yml, 'host:')}",
                    f"port={self.pg_port} from {at(root, yml, 'port:')}",
                    f"database=appdb from {at(root, yml, 'database:')}",
                    f"client ruby-pg from {at(root, 'Gemfile', 'pg')}"],
                   C.Settings(host="localhost", port=self.pg_port, password=self.password))

    def test_rails_socket_directory(self):
        """host: /dir: libpq's socket in that directory."""
        root = self.rails("rails-sock", f"host: {self.pg_dir}")
        self.check("rails-sock", root, "ruby-pg", "unix", True,
                   [f"host={self.pg_dir} from {at(root, 'config/database.yml', 'host:')}"],
                   C.Settings(host=self.pg_dir, port=self.pg_port, password=self.password),
                   socket=os.path.join(self.pg_dir, f".s.PGSQL.{self.pg_port}"))

    def test_rails_erb_not_evaluated(self):
        """<%= ENV[...] %> stays a named unknown; with no host, libpq takes its default
        socket directory, where this server is not: the app fails."""
        root = self.rails("rails-erb", "host: <%= ENV['DB_HOST'] %>")
        app, _ = self.check("rails-erb", root, "ruby-pg", "unix", False, [],
                            C.Settings(host="", port=self.pg_port, password=self.password),
                            notes=[f"{at(root, 'config/database.yml', 'host:')}: host is "
                                   "<%= ENV['DB_HOST'] %>, not evaluated"])
        self.assertTrue(app["steps"][0]["address"].startswith("/var/run/postgresql/"), app)

    # -- Java ---------------------------------------------------------------

    def test_spring_jdbc_url(self):
        """application.properties jdbc:mariadb://localhost:P: Connector/J takes TCP,
        the first address, IPv4 first."""
        root = self.project("spring")
        props = "src/main/resources/application.properties"
        write(root, props, f"""
            spring.application.name=demo
            spring.datasource.url=jdbc:mariadb://localhost:{self.my_port}/appdb
            spring.datasource.username=app
            spring.datasource.password=not-read
            """)
        write(root, "pom.xml", """
            <project>
              <dependencies>
                <dependency>
                  <groupId>org.mariadb.jdbc</groupId>
                  <artifactId>mariadb-java-client</artifactId>
                </dependency>
              </dependencies>
            </project>
            """)
        n = line_of(root, props, "datasource.url")
        self.check("spring", root, "jdbc-mariadb", "tcp4", True,
                   [f"client jdbc-mariadb from {root}/{props} line {n} (JDBC URL)",
                    f"host=localhost from {root}/{props} line {n}",
                    f"port={self.my_port} from {root}/{props} line {n}",
                    f"database=appdb from {root}/{props} line {n}",
                    f"user=app from {at(root, props, 'username')}"],
                   C.Settings(host="localhost", port=self.my_port, password=self.password))

    # -- Node, through compose.yaml -------------------------------------------

    def test_compose_database_url(self):
        """compose.yaml's service environment DATABASE_URL, package.json's pg: node-pg
        over TCP."""
        root = self.project("compose")
        write(root, "compose.yaml", f"""
            services:
              web:
                image: node:20
                environment:
                  NODE_ENV: production
                  DATABASE_URL: postgres://app@localhost:{self.pg_port}/appdb
            """)
        write(root, "package.json", """
            {
              "name": "web",
              "dependencies": {
                "express": "^4.19.2",
                "pg": "^8.11.3"
              }
            }
            """)
        n = line_of(root, "compose.yaml", "DATABASE_URL")
        self.check("compose", root, "node-pg", "tcp4", True,
                   [f"host=localhost from {root}/compose.yaml (service web) line {n}",
                    f"client node-pg from {at(root, 'package.json', 'pg')}"],
                   C.Settings(host="localhost", port=self.pg_port, password=self.password))


if __name__ == "__main__":
    unittest.main()
