"""`dbloop explain` on what the real drivers print (issue 19).

Every driver of the client table (tests/clients/, as test_clients.py runs
them) meets a server that turns it away in one known way: nothing listens
on the port, a wrong password, no password at all, a database that does not
exist, a pg_hba.conf with no line for 127.0.0.1, peer authentication on the
socket, a socket path with no socket, every connection slot taken. The driver's own message
(its connect script's ERR line) goes to `dbloop explain`, which must name
the class that failure is. The messages are the drivers', not our idea of
them: a driver that words a failure in a way explain does not know fails
here. A driver that is not installed skips (fails with CI=true).

DBLOOP_DRIVER_MESSAGES=FILE appends each message and explain's answer as
JSON lines, for the record.
"""

import json
import os
import subprocess
import time
import unittest

import lab
from lab import clients as C
from lab import mariadb, net, password, pg, scratch_dir

V4 = "127.0.0.1\tlocalhost\n"
MY = ["mysql", "php-mysqli", "php-pdo-mysql", "python-mysqlclient", "python-pymysql",
      "node-mysql2", "go-mysql", "ruby-mysql2", "jdbc-mariadb"]
PG = ["psql", "php-pdo-pgsql", "python-psycopg", "node-pg", "go-pq", "go-pgx", "ruby-pg",
      "jdbc-postgresql"]

# pg_hba.conf without a line for 127.0.0.1: "no pg_hba.conf entry for host"
HBA_NO_V4 = """\
local   all  postgres                peer
local   all  all                     scram-sha-256
host    all  all       ::1/128       scram-sha-256
"""
# peer on the socket: the drivers run as root, the role is app
HBA_PEER = """\
local   all  all                     peer
host    all  all       127.0.0.1/32  scram-sha-256
"""
NO_SOCKET = ("jdbc-mariadb", "jdbc-postgresql")  # no Unix socket form of the URL

RECORD = os.environ.get("DBLOOP_DRIVER_MESSAGES")


def explain(message):
    res = subprocess.run([os.path.abspath(lab.dbloop_bin()), "explain", "-f", "json", "-"],
                         input=message, capture_output=True, text=True, timeout=30)
    if res.returncode not in (0, 1):
        raise AssertionError(f"dbloop explain exited {res.returncode}: {res.stderr}")
    return json.loads(res.stdout)


class DriverMessageTests(unittest.TestCase):
    tools = None

    @classmethod
    def setUpClass(cls):
        cls.t0 = time.monotonic()
        cls.tools = C.Toolbox()
        cls.answers = []

    @classmethod
    def tearDownClass(cls):
        cls.tools.close()
        right = sum(1 for a in cls.answers if a["right"])
        print(f"\ntest_explain_drivers: {right} of {len(cls.answers)} driver messages "
              f"explained as their failure, {time.monotonic() - cls.t0:.1f}s")

    def setUp(self):
        try:
            lab.check_prerequisites()
        except lab.LabUnavailable as exc:
            lab.unavailable(self, str(exc))

    def seen(self, ns, driver, s, home):
        if (why := self.tools.why_missing(driver)):
            lab.unavailable(self, f"{driver}: {why}")
        if driver.startswith("jdbc-"):
            return C.run_jdbc(self.tools, ns, [C.jdbc_url(driver, s)], s, home)[0]
        return C.run(self.tools, ns, driver, s, home)

    def check(self, case, ns, drivers, s, home, want, cause=None, may_connect=False,
              first_alt=None):
        """Each driver's message under s must be explained as one of want,
        with cause (the failure's root cause, when the text proves only a
        symptom) among the class and the alternatives, and the first
        alternative one of first_alt. may_connect: a driver that gets in
        another way (another address of localhost, TLS by default) is
        recorded and passes; at least one must fail."""
        failed = 0
        for driver in drivers:
            with self.subTest(case=case, driver=driver):
                seen = self.seen(ns, driver, s, home)
                if seen.ok and may_connect:
                    self.answers.append({"case": case, "driver": driver, "right": True,
                                         "connected": True})
                    if RECORD:
                        with open(RECORD, "a") as fh:
                            fh.write(json.dumps({"case": case, "driver": driver,
                                                 "connected": seen.transport}) + "\n")
                    continue
                self.assertFalse(seen.ok, f"{case} {driver}: connected: {seen.raw}")
                failed += 1
                message = seen.error or seen.raw
                answer = explain(message)
                alts = [a["class"] for a in answer.get("alternatives", [])]
                right = (answer["class"] in want
                         and (cause is None or cause in [answer["class"]] + alts)
                         and (first_alt is None or (alts and alts[0] in first_alt)))
                self.answers.append({"case": case, "driver": driver, "right": right})
                if RECORD:
                    with open(RECORD, "a") as fh:
                        fh.write(json.dumps({"case": case, "driver": driver,
                                             "message": message,
                                             "class": answer["class"],
                                             "alternatives": alts}) + "\n")
                self.assertTrue(right, f"{case} {driver}: explain said {answer['class']} "
                                       f"{alts} (want {'/'.join(sorted(want))}, cause "
                                       f"{cause}, first {first_alt}) for {message!r}")
        self.assertGreater(failed, 0, f"{case}: every driver connected")

    def world(self):
        """A namespace of its own, deleted after the test (after its servers,
        which stop first: cleanups run last in, first out)."""
        ns = net.Netns(hosts=V4)
        self.addCleanup(ns.delete)
        return ns, scratch_dir("home"), password()

    def started(self, server):
        server.start()
        self.addCleanup(server.stop)
        return server

    def test_postgres(self):
        ns, home, pw = self.world()
        closed = net.free_port()
        up = self.started(pg.PgServer(ns, net.free_port(), listen=("127.0.0.1",)))
        strict = self.started(pg.PgServer(ns, net.free_port(), listen=("127.0.0.1",),
                                          hba=HBA_NO_V4))
        peer = self.started(pg.PgServer(ns, net.free_port(), listen=("127.0.0.1",),
                                        hba=HBA_PEER))
        full = self.started(pg.PgServer(ns, net.free_port(), listen=("127.0.0.1",),
                                        conf={"max_connections": "2",
                                              "superuser_reserved_connections": "0"}))
        full.hold_sessions(2)
        local = [d for d in PG if d not in NO_SOCKET]
        tcp = dict(host="127.0.0.1", database=pg.APP_DB)
        self.check("refused", ns, PG, C.Settings(port=closed, password=pw, **tcp), home,
                   {"connection_refused"})
        self.check("password", ns, PG,
                   C.Settings(port=up.port, password="wrong-" + pw, **tcp), home,
                   {"access_denied"})
        self.check("no password", ns, PG, C.Settings(port=up.port, password="", **tcp),
                   home, {"access_denied"})
        self.check("database", ns, PG,
                   C.Settings(port=up.port, password=pw, host="127.0.0.1",
                              database="nosuchdb"), home, {"database_missing"})
        self.check("pg_hba", ns, PG, C.Settings(port=strict.port, password=pw, **tcp),
                   home, {"host_not_allowed"})
        self.check("peer", ns, local,
                   C.Settings(port=peer.port, password=pw, host=peer.socket_dir,
                              database=pg.APP_DB), home, {"auth_method_mismatch"})
        self.check("socket missing", ns, local,
                   C.Settings(port=up.port, password=pw,
                              host=os.path.join(home, "no-such-dir"),
                              database=pg.APP_DB), home, {"socket_missing"})
        self.check("too many", ns, PG, C.Settings(port=full.port, password=pw, **tcp),
                   home, {"too_many_connections"})

    def test_mysql(self):
        ns, home, pw = self.world()
        closed = net.free_port()
        server = self.started(mariadb.MyServer(ns, net.free_port(), bind=("127.0.0.1",)))
        full = self.started(mariadb.MyServer(ns, net.free_port(), bind=("127.0.0.1",),
                                             options=["--max-connections=10"]))
        full.hold_sessions(10)
        # an account that may see every database: 1049, not 1044
        server.sql(f"CREATE USER 'wide'@'localhost' IDENTIFIED BY '{pw}'; "
                   "GRANT ALL ON *.* TO 'wide'@'localhost'")
        tcp = dict(host="127.0.0.1", database=mariadb.APP_DB)
        self.check("refused", ns, MY, C.Settings(port=closed, password=pw, **tcp), home,
                   {"connection_refused"})
        self.check("password", ns, MY,
                   C.Settings(port=server.port, password="wrong-" + pw, **tcp), home,
                   {"access_denied"})
        # MariaDB checks the account's privileges on the database
        # first: an account with grants on appdb only gets 1044 (access
        # denied to the database), not 1049, for one that is not there
        self.check("database", ns, MY,
                   C.Settings(port=server.port, password=pw, host="127.0.0.1",
                              database="nosuchdb"), home,
                   {"database_missing", "access_denied"})
        self.check("database (any grants)", ns, MY,
                   C.Settings(port=server.port, password=pw, host="127.0.0.1",
                              user="wide", database="nosuchdb"), home,
                   {"database_missing"})
        self.check("socket missing", ns, [d for d in MY if d not in NO_SOCKET],
                   C.Settings(port=server.port, password=pw, host="localhost",
                              socket=os.path.join(home, "no-such-dir", "mysqld.sock"),
                              database=mariadb.APP_DB), home, {"socket_missing"})
        self.check("too many", ns, MY, C.Settings(port=full.port, password=pw, **tcp),
                   home, {"too_many_connections"})

    def test_accounts(self):
        """Accounts that exist but may not log in now."""
        ns, home, pw = self.world()
        p = self.started(pg.PgServer(ns, net.free_port(), listen=("127.0.0.1",)))
        p.sql(f"CREATE ROLE nologin NOLOGIN PASSWORD '{pw}'; "
              f"CREATE ROLE expired LOGIN PASSWORD '{pw}' VALID UNTIL '2000-01-01'")
        m = self.started(mariadb.MyServer(ns, net.free_port(), bind=("127.0.0.1",)))
        m.sql(f"CREATE USER 'locked'@'localhost' IDENTIFIED BY '{pw}' ACCOUNT LOCK; "
              f"CREATE USER 'expired'@'localhost' IDENTIFIED BY '{pw}' PASSWORD EXPIRE; "
              "GRANT ALL ON appdb.* TO 'locked'@'localhost', 'expired'@'localhost'")
        tcp = dict(host="127.0.0.1", password=pw)
        self.check("nologin", ns, PG,
                   C.Settings(port=p.port, user="nologin", database=pg.APP_DB, **tcp),
                   home, {"account_unusable"})
        # the client sees only "password authentication failed"; the
        # expired password is the server log's DETAIL
        self.check("expired", ns, PG,
                   C.Settings(port=p.port, user="expired", database=pg.APP_DB, **tcp),
                   home, {"access_denied"}, cause="account_unusable")
        self.check("locked", ns, MY,
                   C.Settings(port=m.port, user="locked", database=mariadb.APP_DB,
                              **tcp), home, {"account_unusable"})
        # a client that handles expired passwords gets in, in sandbox
        # mode, and its first statement fails with 1820; Connector/J's
        # own query at connect fails as "could not load system
        # variables", which a proxy or another MySQL-speaking server
        # gives as well: the text does not tell, so it is left out
        self.check("expired", ns, [d for d in MY if d != "jdbc-mariadb"],
                   C.Settings(port=m.port, user="expired", database=mariadb.APP_DB,
                              **tcp), home, {"account_unusable"}, may_connect=True)

    def test_mismatches(self):
        """A PostgreSQL driver at MariaDB's port; a MariaDB that requires TLS."""
        ns, home, pw = self.world()
        m = self.started(mariadb.MyServer(ns, net.free_port(), bind=("127.0.0.1",)))
        tls = self.started(mariadb.MyServer(ns, net.free_port(), bind=("127.0.0.1",),
                                            tls=True,
                                            options=["--require-secure-transport=ON"]))
        # PgJDBC's SSLRequest gets neither 'S' nor 'N': its words are
        # about TLS, the cause is another protocol
        self.check("pg at mysql", ns, PG,
                   C.Settings(host="127.0.0.1", port=m.port, password=pw,
                              database=pg.APP_DB), home,
                   {"protocol_mismatch", "tls_mismatch"}, cause="protocol_mismatch")
        # MariaDB answers 1045 to a login without TLS: the text proves
        # access_denied, the cause is TLS
        self.check("tls required", ns, MY,
                   C.Settings(host="127.0.0.1", port=tls.port, password=pw,
                              database=mariadb.APP_DB), home,
                   {"access_denied", "tls_mismatch"}, cause="tls_mismatch",
                   may_connect=True)


if __name__ == "__main__":
    unittest.main()
