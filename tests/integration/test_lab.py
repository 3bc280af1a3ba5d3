"""The lab's own tests: it must be right before dbloop can be judged by it.

Namespaces isolate listeners (/proc/net/{tcp,tcp6,unix}) and give each
scenario its hosts file; the misbehaving sockets misbehave as promised;
everything is removed after a run, also when the run is killed; and every
scenario's server setup makes the stock clients (psql, mariadb) print what
scenarios.md says, transport by transport.
"""

import errno
import os
import signal
import socket
import subprocess
import sys
import time
import unittest

import lab
import lab.dbloop
from lab import net, pg, scenarios, stock, testing


class NamespaceTests(testing.LabTestCase):
    needs_dbloop = False

    def test_listeners_are_private_to_a_namespace(self):
        with net.Netns() as ns_a, net.Netns() as ns_b:
            port = net.free_port()
            sock_dir = lab.scratch_dir("iso")
            path = os.path.join(sock_dir, f".s.PGSQL.{port}")
            tarpit = net.Tarpit(ns_a, port, unix_path=path)
            try:
                seen_a = ns_a.run(net.listeners)
                seen_b = ns_b.run(net.listeners)
                self.assertIn(("unix", path), seen_a)
                self.assertNotIn(("unix", path), seen_b)
                self.assertEqual(ns_b.run(net.tcp_errno, "127.0.0.1", port), errno.ECONNREFUSED)
                # the same through a launched process: /proc/net/unix is per namespace
                out_b = ns_b.exec_check(["cat", "/proc/net/unix"]).stdout
                out_a = ns_a.exec_check(["cat", "/proc/net/unix"]).stdout
                self.assertIn(path, out_a)
                self.assertNotIn(path, out_b)
            finally:
                tarpit.stop()

    def test_private_hosts_file(self):
        for hosts, want in ((net.HOSTS_V4, "127.0.0.1"), (net.HOSTS_V6, "::1")):
            with net.Netns(hosts=hosts) as ns:
                out = ns.exec_check(["getent", "ahosts", "localhost"]).stdout
                addrs = {line.split()[0] for line in out.splitlines()}
                self.assertEqual(addrs, {want})

    def test_machine_server_configs_are_masked(self):
        with net.Netns() as ns:
            for name in net.MASK_ETC:
                if os.path.isdir(f"/etc/{name}"):
                    out = ns.exec_check(["ls", "-A", f"/etc/{name}"]).stdout
                    self.assertEqual(out, "")

    def test_ipv6_disabled_gives_eaddrnotavail(self):
        with net.Netns(ipv6=False) as ns:
            self.assertEqual(ns.run(net.tcp_errno, "::1", net.free_port()), errno.EADDRNOTAVAIL)
            self.assertEqual(ns.run(net.tcp_errno, "127.0.0.1", net.free_port()),
                             errno.ECONNREFUSED)

    def test_namespace_is_deleted(self):
        ns = net.Netns()
        name = ns.name
        self.assertTrue(os.path.exists(f"{net.NETNS_DIR}/{name}"))
        ns.delete()
        self.assertFalse(os.path.exists(f"{net.NETNS_DIR}/{name}"))
        self.assertFalse(os.path.exists(f"{net.ETC_NETNS}/{name}"))


class SocketHelperTests(testing.LabTestCase):
    needs_dbloop = False

    def test_tarpit_accepts_and_never_speaks(self):
        with net.Netns() as ns:
            port = net.free_port()
            path = os.path.join(lab.scratch_dir("tarpit"), "mysqld.sock")
            tarpit = net.Tarpit(ns, port, unix_path=path)
            try:
                def silent(address, family):
                    with socket.socket(family, socket.SOCK_STREAM) as sock:
                        sock.settimeout(0.3)
                        sock.connect(address)
                        try:
                            return sock.recv(1)
                        except socket.timeout:
                            return None

                self.assertIsNone(ns.run(silent, ("127.0.0.1", port), socket.AF_INET))
                self.assertIsNone(ns.run(silent, ("::1", port), socket.AF_INET6))
                self.assertIsNone(ns.run(silent, path, socket.AF_UNIX))
            finally:
                tarpit.stop()
            self.assertFalse(os.path.exists(path))

    def test_stale_socket_refuses(self):
        path = os.path.join(lab.scratch_dir("stale"), "mysqld.sock")
        net.stale_socket(path)
        self.assertTrue(os.path.exists(path))
        self.assertEqual(net.unix_errno(path), errno.ECONNREFUSED)

    def test_late_port_opens_late(self):
        with net.Netns() as ns:
            port = net.free_port()
            started = time.monotonic()
            late = net.late_port(ns, port, delay=0.5)
            try:
                self.assertEqual(ns.run(net.tcp_errno, "127.0.0.1", port), errno.ECONNREFUSED)
                late.wait_ready()
                self.assertGreaterEqual(time.monotonic() - started, 0.5)
            finally:
                late.stop()

    def test_self_signed_cert(self):
        directory = lab.scratch_dir("tls", owner="postgres")
        crt, key = net.self_signed_cert(directory, "postgres")
        res = subprocess.run(["openssl", "x509", "-in", crt, "-noout", "-subject"],
                             capture_output=True, text=True, check=True)
        self.assertIn("CN = localhost", res.stdout)
        self.assertEqual(os.stat(key).st_mode & 0o777, 0o600)

    def test_runuser_nobody_keeps_the_environment(self):
        with net.Netns() as ns:
            res = subprocess.run(ns.prefix() + ["runuser", "-u", "nobody", "--", "sh", "-c",
                                                "id -un; echo $DBL_TEST_PW"],
                                 capture_output=True, text=True, timeout=20,
                                 env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "DBL_TEST_PW": "x1"})
            self.assertEqual(res.stdout.split(), ["nobody", "x1"])


class CleanupTests(testing.LabTestCase):
    needs_dbloop = False

    def test_stop_leaves_nothing(self):
        with scenarios.running("pg_ok") as run:
            pid = run.servers[0].proc.pid
            directory, ns_name = run.servers[0].dir, run.ns.name
            self.assertTrue(os.path.exists(f"/proc/{pid}"))
        self.assertFalse(os.path.exists(f"/proc/{pid}"))
        self.assertFalse(os.path.exists(directory))
        self.assertFalse(os.path.exists(f"{net.NETNS_DIR}/{ns_name}"))
        self.assertEqual(lab.processes_under(directory), [])

    def test_sigterm_mid_run_removes_everything(self):
        tests_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        code = ("import sys, lab\nfrom lab import scenarios\n"
                "run = scenarios.running('my_ok').start()\n"
                "print(lab.run_root(), run.ns.name, run.servers[0].proc.pid, flush=True)\n"
                "sys.stdin.read()\n")
        child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, text=True, cwd=tests_dir,
                                 env={**os.environ, "PYTHONPATH": tests_dir})
        try:
            root, ns_name, pid = child.stdout.readline().split()
            self.assertTrue(os.path.exists(f"/proc/{pid}"))
            child.send_signal(signal.SIGTERM)
            self.assertEqual(child.wait(timeout=60), 128 + signal.SIGTERM)
        finally:
            if child.poll() is None:
                child.kill()
            child.stdin.close()
            child.stdout.close()
        self.assertFalse(os.path.exists(root))
        self.assertFalse(os.path.exists(f"{net.NETNS_DIR}/{ns_name}"))
        self.assertFalse(os.path.exists(f"/proc/{pid}"))
        self.assertEqual(lab.processes_under(root), [])

    def test_readiness_has_a_deadline(self):
        with self.assertRaises(lab.LabError):
            lab.wait_until(lambda: False, 0.2, "never")


class StockClientTests(testing.LabTestCase):
    """Each scenario's setup, checked with psql / mariadb against scenarios.md."""

    needs_dbloop = False

    def check_stock(self, name):
        scenario = scenarios.lookup(name)
        with scenarios.running(name) as run:
            results = stock.run_all(run)
            ready = stock.pg_isready(run) if scenario.engine == "postgres" else None
        problems = []
        for transport, (status, out) in results.items():
            want = scenario.stock[transport]
            if want == "" and status != 0:
                problems.append(f"{transport}: status {status}, want 0: {out[-300:]}")
            elif want and (status == 0 or want not in out):
                problems.append(f"{transport}: status {status}, want {want!r} in: {out[-300:]}")
        if ready is not None and name == "pg_too_many_connections":
            # for contrast (scenarios.md): pg_isready calls this server fine
            self.assertEqual(ready[0], 0, ready[1])
        if problems:
            self.fail(f"{name}:\n  " + "\n  ".join(problems))


for _name in list(scenarios.SCENARIOS) + list(scenarios.EXTRA) + list(scenarios.SPLIT):
    def _test(self, name=_name):
        self.check_stock(name)

    _test.__name__ = f"test_stock_{_name}"
    setattr(StockClientTests, _test.__name__, _test)
del _name, _test


class ServerTests(testing.LabTestCase):
    needs_dbloop = False

    def test_pg_template_has_the_app_role(self):
        with scenarios.running("pg_ok") as run:
            answer = run.ns.run(pg.hello, run.servers[0].socket_path)
        self.assertEqual(answer, ("R", 10))  # SASL: scram-sha-256 for app

    def test_servers_listen_where_asked(self):
        with scenarios.running("my_bind_ipv4_only") as run:
            seen = run.ns.run(net.listeners)
            port_hex = f"{run.client.port:04X}"
        self.assertIn(("tcp", f"0100007F:{port_hex}"), seen)
        self.assertFalse([a for p, a in seen if p == "tcp6"])
        self.assertIn(("unix", run.client.socket), seen)


def sample_report(classes, findings, ok):
    probes = [{"transport": t, "class": c, "ok": c == "ok"} for t, c in classes.items()]
    return {"schema": "dbloop.report/1", "ok": ok,
            "targets": [{"probes": probes, "findings": findings}]}


class ReportCheckTests(unittest.TestCase):
    """The scenario assertions must be able to fail (no dbloop needed)."""

    scenario = scenarios.SCENARIOS["pg_ipv4_only"]
    finding = {"class": "ipv6_not_listening", "severity": "error", "transports": ["tcp6"],
               "fix": "set listen_addresses = '127.0.0.1,::1' in postgresql.conf",
               "commands": ["listen_addresses = '127.0.0.1,::1'   # postgresql.conf line 60",
                            "sudo pg_ctlcluster 15 main restart"],
               "steps": [{"kind": "config", "text": "listen_addresses = '127.0.0.1,::1'",
                          "file": "postgresql.conf", "line": 60, "action": "replace"},
                         {"kind": "shell", "text": "sudo pg_ctlcluster 15 main restart"}]}

    def check(self, report, status=1, out="", err=""):
        import json

        out = out or json.dumps(report)
        return testing.check_report(self.scenario, status, report, out, err, {"pw-123"},
                                    schema=False)  # a partial report, on purpose

    def test_a_matching_report_passes(self):
        report = sample_report(self.scenario.probes, [self.finding], False)
        self.assertEqual(self.check(report), [])

    def test_each_miss_is_reported(self):
        wrong = dict(self.scenario.probes, tcp6="timeout")
        self.assertTrue(self.check(sample_report(wrong, [self.finding], False)))
        self.assertTrue(self.check(sample_report(self.scenario.probes, [], False)))
        vague = dict(self.finding, fix="change the configuration",
                     commands=["x = 1   # the file", "sudo pg_ctlcluster 15 main restart"],
                     steps=[dict(self.finding["steps"][0], text="x = 1"),
                            self.finding["steps"][1]])
        self.assertTrue(self.check(sample_report(self.scenario.probes, [vague], False)))
        good = sample_report(self.scenario.probes, [self.finding], False)
        self.assertTrue(self.check(good, status=0))
        # the step kinds the fix needs (issue 14), and one step per command
        untyped = dict(self.finding, steps=[])
        self.assertTrue(self.check(sample_report(self.scenario.probes, [untyped], False)))
        shell_only = dict(self.finding, steps=[self.finding["steps"][1]] * 2)
        self.assertTrue(self.check(sample_report(self.scenario.probes, [shell_only], False)))
        self.assertTrue(self.check(good, err="password pw-123 rejected"))
        self.assertTrue(self.check(None, out="not json"))
        uncovered = dict(self.finding, transports=["tcp4"])
        self.assertTrue(self.check(sample_report(self.scenario.probes, [uncovered], False)))

    def test_the_schema_check_can_fail(self):
        valid, why = lab.dbloop.validate('{"schema": "dbloop.report/1"}')
        if valid is None:
            self.skipTest(why)
        self.assertFalse(valid)
        self.assertIn("required", why)


if __name__ == "__main__":
    unittest.main()
