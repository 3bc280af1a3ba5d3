"""Both engines in one run, on ports that are not the defaults (issue 16).

One namespace holds a PostgreSQL 15 and a MariaDB 10.11 on free ports, each
with its socket in a directory of its own, and one dbloop process must give
the full diagnosis of both:

- `-S` twice (the .s.PGSQL.N file and the MariaDB socket file) plus
  `-P postgres=N -P mysql=M`: every transport of both engines logs in;
- two URL targets that do not pin the transport plus the PostgreSQL socket
  directory and the MariaDB socket from `-S`: four transports each;
- a URL's own `socket=` wins over a global `--socket`;
- a `-P` or `-S` that cannot be given an engine is a usage error.
"""

import json
import os
import unittest

from lab import dbloop as dbl
from lab import mariadb, net, scenarios, testing

TRANSPORTS = ("unix", "tcp4", "tcp6", "localhost")


class TwoEngineTests(testing.LabTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lab = scenarios.running("pg_ok").start()  # PostgreSQL on a free port
        cls.pg_port = cls.lab.client.port
        cls.pg_dir = cls.lab.client.socket
        cls.my_port = net.free_port()
        cls.my = cls.lab.add(mariadb.MyServer(cls.lab.ns, cls.my_port))
        cls.my_sock = cls.my.socket_path
        # neither is where a client looks by default
        assert cls.pg_port != 5432 and cls.my_port != 3306
        assert os.path.dirname(cls.my_sock) != cls.pg_dir

    @classmethod
    def tearDownClass(cls):
        cls.lab.stop()
        super().tearDownClass()

    def diagnose(self, args):
        status, out, err = dbl.run_dbloop(
            self.lab, ["diagnose", "--password-env", dbl.PASSWORD_VAR, "--no-defaults",
                       "-t", "3s", "-f", "json"] + args)
        try:
            report = json.loads(out)
        except ValueError:
            self.fail(f"not JSON (status {status}): {out[:300]!r} {err[:300]!r}")
        valid, why = dbl.validate(out)
        self.assertIsNot(valid, False, why)
        return status, report

    def assert_all_ok(self, status, report):
        by_engine = {}
        for t in report["targets"]:
            by_engine[t["engine"]] = {p["transport"]: p for p in t["probes"]}
        self.assertEqual(sorted(by_engine), ["mysql", "postgres"], report["targets"])
        for engine, probes in by_engine.items():
            self.assertEqual(sorted(probes), sorted(TRANSPORTS), engine)
            for transport, p in probes.items():
                self.assertTrue(p["ok"], f"{engine} {transport}: {p['class']} {p['message']}")
        self.assertEqual(by_engine["postgres"]["unix"]["address"],
                         os.path.join(self.pg_dir, f".s.PGSQL.{self.pg_port}"))
        self.assertEqual(by_engine["mysql"]["unix"]["address"], self.my_sock)
        self.assertEqual(by_engine["postgres"]["tcp4"]["address"], f"127.0.0.1:{self.pg_port}")
        self.assertEqual(by_engine["mysql"]["tcp4"]["address"], f"127.0.0.1:{self.my_port}")
        self.assertEqual(status, 0)
        return by_engine

    def test_socket_files_and_engine_ports(self):
        pg_file = os.path.join(self.pg_dir, f".s.PGSQL.{self.pg_port}")
        status, report = self.diagnose(
            ["-S", pg_file, "-S", self.my_sock, "-P", f"postgres={self.pg_port}",
             "-P", f"mysql={self.my_port}", "-u", "app", "-d", "appdb"])
        self.assert_all_ok(status, report)

    def test_socket_files_in_the_other_order(self):
        pg_file = os.path.join(self.pg_dir, f".s.PGSQL.{self.pg_port}")
        status, report = self.diagnose(
            ["-S", self.my_sock, "-S", pg_file, "-P", f"mysql={self.my_port}",
             "-P", f"pg={self.pg_port}", "-u", "app", "-d", "appdb"])
        self.assert_all_ok(status, report)

    def test_two_urls_and_a_socket_directory(self):
        status, report = self.diagnose(
            ["-S", self.pg_dir, "-S", self.my_sock,
             f"postgres://app@localhost:{self.pg_port}/appdb",
             f"mysql://app@localhost:{self.my_port}/appdb"])
        self.assert_all_ok(status, report)

    def test_url_socket_wins_over_the_option(self):
        wrong = os.path.join(self.lab.empty_dir("nowhere"), "mysql.sock")
        status, report = self.diagnose(
            ["-S", wrong,
             f"mysql://app@localhost:{self.my_port}/appdb?socket={self.my_sock}"])
        probes = {p["transport"]: p for p in report["targets"][0]["probes"]}
        self.assertEqual(probes["unix"]["address"], self.my_sock)
        self.assertTrue(probes["unix"]["ok"], probes["unix"]["message"])

    def test_engine_cannot_be_told(self):
        for args, words in ((["-P", "5433", "-P", "3307"], "given twice"),
                            (["-P", "oracle=1521"], "which engine"),
                            (["-S", self.pg_dir, "-S", os.path.dirname(self.my_sock)],
                             "given twice")):
            status, out, err = dbl.run_dbloop(self.lab, ["diagnose"] + args)
            self.assertEqual(status, 2, f"{args}: {err!r}")
            self.assertEqual(len(err.strip().splitlines()), 1, err)
            self.assertIn(words, err, args)
            self.assertEqual(out, "")


if __name__ == "__main__":
    unittest.main(verbosity=2)
