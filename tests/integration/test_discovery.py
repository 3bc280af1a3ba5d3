"""Discovery on real servers (issue 4): dbloop finds what the client would
use and where the server really is, and names the file each setting came from.

- a MySQL option file whose !include sets the socket (through HOME and
  through --defaults-file), no -S/-P on the command line;
- a .pgpass that matches one transport only;
- *_wrong_socket_path / *_wrong_port: the real socket / port is named;
- *_localhost_v6_first: the private hosts file is what dbloop resolves;
- a neighbour's server in another namespace does not turn not_running
  into wrong_port (the isolation every scenario relies on).
"""

import json
import os
import subprocess
import unittest

from lab import dbloop as dbl
from lab import net, pg, scenarios, stock, testing


def write(path, text, mode=0o600):
    with open(path, "w") as fh:
        fh.write(text)
    os.chmod(path, mode)
    return path


def finding_text(report, cls):
    found = [f for f in report["targets"][0].get("findings") or [] if f.get("class") == cls]
    return json.dumps(found)


class DiscoveryTests(testing.LabTestCase):

    def diagnose(self, run, args, env=None):
        extra = ["-f", "json"] + ([] if "-t" in args else ["-t", "3s"])
        status, out, err = dbl.run_dbloop(run, ["diagnose"] + args + extra, env=env)
        for secret in (run.client.password, scenarios.password()):
            self.assertNotIn(secret, out + err, "a password leaked")
        try:
            report = json.loads(out)
        except ValueError:
            self.fail(f"stdout is not JSON (status {status}): {out[:300]!r} {err[:300]!r}")
        valid, why = dbl.validate(out)
        self.assertIsNot(valid, False, why)
        return status, report, out

    def probe_classes(self, report):
        return {t: p.get("class") for t, p in dbl.probes_by_transport(report).items()}

    def include_setup(self, run):
        """HOME/.my.cnf -> !include conf.d/socket.cnf -> socket= and port= of the server."""
        home = run.client.home
        conf_d = os.path.join(home, "conf.d")
        os.mkdir(conf_d)
        included = write(os.path.join(conf_d, "socket.cnf"),
                         f"[client]\nsocket={run.client.socket}\nport={run.client.port}\n")
        main = write(os.path.join(home, ".my.cnf"), f"[client]\nuser=app\n!include {included}\n")
        return main, included

    def check_include(self, run, args, included):
        status, report, out = self.diagnose(
            run, ["-e", "mysql", "-d", "appdb", "--password-env", dbl.PASSWORD_VAR] + args)
        probes = dbl.probes_by_transport(report)
        self.assertEqual(probes["unix"].get("address"), run.client.socket,
                         "the socket from the !include'd file was not used")
        self.assertEqual(self.probe_classes(report), scenarios.same("ok"))
        self.assertEqual(status, 0)
        self.assertIn(included, out, "the report does not name the file the socket came from")

    def test_my_option_file_include_sets_socket_via_home(self):
        with scenarios.running("my_ok") as run:
            _main, included = self.include_setup(run)
            self.check_include(run, [], included)

    def test_my_option_file_include_sets_socket_via_defaults_file(self):
        with scenarios.running("my_ok") as run:
            main, included = self.include_setup(run)
            moved = os.path.join(run.client.home, "client.cnf")
            os.rename(main, moved)
            self.check_include(run, ["--defaults-file", moved], included)

    def test_pgpass_matches_one_transport(self):
        with scenarios.running("pg_ok") as run:
            c = run.client
            pgpass = write(os.path.join(c.home, ".pgpass"),
                           f"127.0.0.1:{c.port}:{pg.APP_DB}:{pg.APP_USER}:{c.password}\n")
            status, report, out = self.diagnose(
                run, ["-e", "postgres", "-P", str(c.port), "-S", c.socket, "-u", "app",
                      "-d", "appdb"])
        classes = self.probe_classes(report)
        self.assertEqual(classes.get("tcp4"), "ok")
        for transport in ("unix", "tcp6", "localhost"):
            self.assertEqual(classes.get(transport), "access_denied", transport)
        self.assertEqual(status, 1)
        self.assertIn(pgpass, out, "the report does not name the .pgpass it read")

    def check_names_real(self, name, cls, real):
        with scenarios.running(name) as run:
            status, report, _out = self.diagnose(run, dbl.client_args(run.client))
            real_value = real(run)
        text = finding_text(report, cls)
        self.assertIn(str(real_value), text, f"the {cls} finding does not name {real_value}")
        self.assertEqual(status, 1)

    def test_pg_wrong_socket_path_names_real_socket(self):
        self.check_names_real("pg_wrong_socket_path", "socket_missing",
                              lambda run: run.servers[0].socket_dir)

    def test_my_wrong_socket_path_names_real_socket(self):
        self.check_names_real("my_wrong_socket_path", "socket_missing",
                              lambda run: run.servers[0].socket_path)

    def test_pg_wrong_port_names_real_port(self):
        self.check_names_real("pg_wrong_port", "wrong_port", lambda run: run.servers[0].port)

    def test_my_wrong_port_names_real_port(self):
        self.check_names_real("my_wrong_port", "wrong_port", lambda run: run.servers[0].port)

    def test_my_protocol_tcp_in_option_file(self):
        """protocol=TCP and port= in ~/.my.cnf [client] (issue 18): the real client
        dials TCP on that port even for 'localhost', so the class is wrong_port and
        not socket_port_ignored (a class holds for the effective settings)."""
        with scenarios.running("my_wrong_port") as run:
            c = run.client
            write(os.path.join(c.home, ".my.cnf"),
                  f"[client]\nprotocol=TCP\nport={c.port}\nsocket={c.socket}\n")
            client = subprocess.run(
                run.ns.prefix() + ["mariadb", "--connect-timeout=2", "-u", c.user,
                                   "-h", "localhost", "-e", "SELECT 1"],
                env=stock.client_env(c), capture_output=True, text=True, timeout=30, cwd="/")
            status, report, _out = self.diagnose(
                run, ["-e", "mysql", "-u", c.user, "-d", c.database,
                      "--password-env", dbl.PASSWORD_VAR])
        self.assertNotEqual(client.returncode, 0, "the real client got in through the socket")
        self.assertIn("server on 'localhost'", client.stderr)
        self.assertNotIn("through socket", client.stderr)
        classes = {f.get("class") for f in report["targets"][0].get("findings") or []}
        self.assertIn("wrong_port", classes)
        self.assertNotIn("socket_port_ignored", classes)
        self.assertNotIn("unix", dbl.probes_by_transport(report))
        self.assertEqual(status, 1)

    def test_localhost_v6_first_reads_the_private_hosts_file(self):
        for name in ("pg_localhost_v6_first", "my_localhost_v6_first"):
            with scenarios.running(name) as run:
                _status, report, _out = self.diagnose(run, dbl.client_args(run.client))
            self.assertEqual(report["host"].get("localhost_resolves_to"), ["::1"], name)
        with scenarios.running("pg_ok") as run:
            _status, report, _out = self.diagnose(run, dbl.client_args(run.client))
        self.assertEqual(report["host"].get("localhost_resolves_to"), ["127.0.0.1"])

    def test_neighbour_namespace_is_invisible(self):
        with scenarios.running("pg_not_running") as run:
            neighbour = net.Netns()
            try:
                server = pg.PgServer(neighbour, run.client.port).start()
                try:
                    status, report, _out = self.diagnose(run, dbl.client_args(run.client))
                finally:
                    server.stop()
            finally:
                neighbour.delete()
        classes = [f.get("class") for f in report["targets"][0].get("findings") or []]
        self.assertIn("server_not_running", classes)
        self.assertNotIn("wrong_port", classes)
        self.assertEqual(status, 1)


if __name__ == "__main__":
    unittest.main()
