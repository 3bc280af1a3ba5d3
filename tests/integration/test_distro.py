"""Debian's own postgresql-15 and mariadb-server at their stock places, and
`dbloop diagnose` with no target options as an ordinary login user
(issue 14): the class is right and the fix names the file and line, the
variable or the account to change, with only the commands that apply
here. Each scenario runs in a throwaway root in its own mount, network
and PID namespaces (tests/lab/distro.py): the machine's /etc, /var/lib and
services are never touched.

The *rhel*, *homebrew* and *image* tests lay the same binaries out as Red
Hat, Homebrew and the official postgres image do (their stock files from
tests/fixtures/conf/*-root): the fix names that layout's file and service
and no other.

The *_apply tests then apply the config and SQL steps the report gives
(files as root, SQL as the step's account), reload or restart the server
as the report says, and run dbloop again: the target must come back ok.

Needs root (namespaces, chroot) and the packages postgresql-15,
postgresql-common and mariadb-server; without them it skips, unless
CI=true, where it fails.
"""

import json
import os
import shutil
import unittest

from lab import distro, in_ci
from lab import dbloop as dbl

BIN = os.environ.get("DBLOOP_BIN", "")
NEEDS = ["/usr/bin/pg_createcluster", "/usr/lib/postgresql/15/bin/postgres",
         "/usr/sbin/mariadbd", "/usr/bin/mariadb-install-db", "/usr/bin/unshare"]


def missing():
    if os.geteuid() != 0:
        return "needs root (namespaces, chroot)"
    if not BIN or not os.access(BIN, os.X_OK):
        return f"DBLOOP_BIN={BIN!r} is not an executable"
    for path in NEEDS:
        if not os.path.exists(path):
            return f"{path} is not installed"
    return None


def target(report, engine):
    return next(t for t in report["targets"] if t["engine"] == engine)


def finding(report, engine, cls):
    t = target(report, engine)
    match = [f for f in t["findings"] if f["class"] == cls]
    if not match:
        raise AssertionError(f"no {cls} finding for {engine}: "
                             f"{[f['class'] for f in t['findings']]}")
    return match[0]


def steps_of(report, engine):
    return [s for f in target(report, engine)["findings"] for s in f.get("steps", [])]


class DistroTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        why = missing()
        if why and in_ci():
            raise AssertionError(f"test_distro cannot run in CI: {why}")
        if why:
            raise unittest.SkipTest(why)

    def scenario(self, name, apply=False, container=False):
        out = distro.run(name, BIN, apply=apply)
        if "error" in out:
            self.fail(f"{name}: {out['error']}\n" + json.dumps(out.get("log", [])[-6:], indent=1))
        for i, run in enumerate(out["runs"]):
            self.assertIsNotNone(run["report"], f"{name} run {i}: not JSON: {run}")
            valid, why = dbl.validate(json.dumps(run["report"]))
            self.assertNotEqual(valid, False, f"{name} run {i}: fails the schema: {why[:400]}")
            for t in run["report"]["targets"]:
                for f in t["findings"]:
                    self.assertEqual(len(f.get("steps", [])), len(f["commands"]),
                                     f"{name}: a step per command")
        self.report = out["runs"][0]["report"]
        self.out = out
        # dbloop is not in a container here (unless the scenario makes it
        # one) and no compose file is near
        self.assertEqual(self.report["host"]["in_container"], container)
        if not container:
            text = json.dumps(self.report)
            self.assertNotIn("docker", text, f"{name}: container commands without a container")
        return out

    def assert_came_back_ok(self, engine):
        last = self.out["runs"][-1]["report"]
        self.assertTrue(self.out["applied"], "no step was applied")
        t = target(last, engine)
        self.assertTrue(t["ok"], f"after applying {self.out['applied']}: "
                        f"{[(f['class'], f['fix']) for f in t['findings']]}")

    # -- PostgreSQL ---------------------------------------------------------------

    def check_pg_hba(self):
        f = finding(self.report, "postgres", "host_not_allowed")
        self.assertIn(distro.PG_HBA, f["fix"])  # unreadable (0640), named anyway
        cfg = [s for s in f["steps"] if s["kind"] == "config"]
        self.assertTrue(cfg, f["steps"])
        self.assertEqual(cfg[0]["file"], distro.PG_HBA)
        self.assertTrue(cfg[0]["needs_root"])
        self.assertRegex(cfg[0]["text"], r"^host\s+all\s+dbtest\s+::1/128\s+scram-sha-256$")
        shells = [s["text"] for s in f["steps"] if s["kind"] == "shell"]
        self.assertIn("sudo pg_ctlcluster 15 main reload", shells)
        self.assertFalse(any("systemctl" in s for s in shells), shells)

    def test_pg_hba(self):
        self.scenario("pg_hba")
        self.check_pg_hba()

    def test_pg_hba_apply(self):
        self.scenario("pg_hba", apply=True)
        self.check_pg_hba()
        self.assert_came_back_ok("postgres")

    def check_pg_listen(self):
        f = finding(self.report, "postgres", "tcp_disabled")
        cfg = [s for s in f["steps"] if s["kind"] == "config"]
        self.assertEqual([(s["file"], s["line"], s["action"]) for s in cfg],
                         [(distro.PG_CONF, self.out["line"], "replace")])
        self.assertEqual(cfg[0]["text"], "listen_addresses = 'localhost'")
        self.assertIn("sudo pg_ctlcluster 15 main restart",
                      [s["text"] for s in f["steps"] if s["kind"] == "shell"])

    def test_pg_listen(self):
        self.scenario("pg_listen")
        self.check_pg_listen()

    def test_pg_listen_apply(self):
        self.scenario("pg_listen", apply=True)
        self.check_pg_listen()
        self.assert_came_back_ok("postgres")

    def test_pg_stopped(self):
        """No systemd: Debian's pg_ctlcluster, not systemctl."""
        self.scenario("pg_stopped")
        f = finding(self.report, "postgres", "server_not_running")
        shells = [s["text"] for s in f["steps"] if s["kind"] == "shell"]
        self.assertIn("sudo pg_ctlcluster 15 main start", shells)
        self.assertFalse(any("systemctl" in s or "journalctl" in s for s in shells), shells)

    def test_pg_stopped_systemd(self):
        """systemd runs: the cluster's own unit."""
        self.scenario("pg_stopped_systemd")
        f = finding(self.report, "postgres", "server_not_running")
        shells = [s["text"] for s in f["steps"] if s["kind"] == "shell"]
        self.assertIn("sudo systemctl start postgresql@15-main", shells)

    # -- MariaDB --------------------------------------------------------------------

    def check_my_skip_networking(self):
        f = finding(self.report, "mysql", "tcp_disabled")
        self.assertIn(f"{distro.MY_SERVER} line {self.out['line']}", f["fix"])
        cfg = [s for s in f["steps"] if s["kind"] == "config"]
        self.assertEqual([(s["file"], s["line"], s["action"]) for s in cfg],
                         [(distro.MY_SERVER, self.out["line"], "comment_out")])
        self.assertNotIn("grep", json.dumps(f["steps"]))
        self.assertIn("sudo service mariadb restart",
                      [s["text"] for s in f["steps"] if s["kind"] == "shell"])

    def test_my_skip_networking(self):
        self.scenario("my_skip_networking")
        self.check_my_skip_networking()

    def test_my_skip_networking_apply(self):
        """skip-networking off shows Debian's bind-address = 127.0.0.1 next
        (::1 refused): both config steps applied, then ok."""
        self.scenario("my_skip_networking", apply=True)
        self.check_my_skip_networking()
        self.assert_came_back_ok("mysql")

    def test_my_env_socket(self):
        """The wrong socket came from MYSQL_UNIX_PORT: unset it (the real
        socket is the client's default); no ~/.my.cnf edit."""
        self.scenario("my_env_socket")
        f = finding(self.report, "mysql", "socket_missing")
        env = [s for s in f["steps"] if s["kind"] == "env"]
        self.assertEqual([(s["name"], s["value"], s["text"]) for s in env],
                         [("MYSQL_UNIX_PORT", None, "unset MYSQL_UNIX_PORT")])
        self.assertIn("MYSQL_UNIX_PORT", f["fix"])
        self.assertNotIn(".my.cnf", json.dumps(f))

    def check_my_account(self):
        f = finding(self.report, "mysql", "host_not_allowed")
        sql = [s for s in f["steps"] if s["kind"] == "sql"]
        self.assertTrue(sql)
        for s in sql:
            self.assertEqual((s["engine"], s["as"], s["client"]), ("mysql", "root", "sudo mariadb"))
        self.assertIn("CREATE USER 'dbtest'@'127.0.0.1' IDENTIFIED BY '<password>';",
                      [s["text"] for s in sql])

    def test_my_account(self):
        self.scenario("my_account")
        self.check_my_account()

    def test_my_account_apply(self):
        self.scenario("my_account", apply=True)
        self.check_my_account()
        self.assert_came_back_ok("mysql")

    def test_my_stopped(self):
        self.scenario("my_stopped")
        f = finding(self.report, "mysql", "server_not_running")
        shells = [s["text"] for s in f["steps"] if s["kind"] == "shell"]
        self.assertEqual(shells, ["sudo service mariadb start"])

    def test_my_stopped_systemd(self):
        self.scenario("my_stopped_systemd")
        f = finding(self.report, "mysql", "server_not_running")
        shells = [s["text"] for s in f["steps"] if s["kind"] == "shell"]
        self.assertIn("sudo systemctl start mariadb", shells)
        self.assertIn("journalctl -u mariadb -n 50 --no-pager", shells)

    # -- the layouts beyond Debian (issue 14, point 2) ------------------------------

    def no_layout_but(self, f, *allowed):
        """The fix names no layout this root does not have."""
        text = json.dumps(f)
        for layout in ("/etc/postgresql", "/etc/mysql", "/var/lib/pgsql", "/opt/homebrew",
                       "/usr/local/var", "/var/lib/postgresql/data", "/etc/my.cnf",
                       "pg_ctlcluster", "postgresql@15-main"):
            if not any(layout.startswith(a) or a.startswith(layout) for a in allowed):
                self.assertNotIn(layout, text, f"the fix names {layout}: {f['fix']}")

    def check_hba_named(self, data, reload, owned=False):
        f = finding(self.report, "postgres", "host_not_allowed")
        hba = f"{data}/pg_hba.conf"
        self.assertIn(hba, f["fix"])
        cfg = [s for s in f["steps"] if s["kind"] == "config"]
        self.assertEqual([s["file"] for s in cfg], [hba])
        self.assertEqual(cfg[0]["needs_root"], not owned)
        self.assertRegex(cfg[0]["text"], r"^host\s+all\s+\S+\s+::1/128\s+\S+$")
        shells = [s["text"] for s in f["steps"] if s["kind"] == "shell"]
        self.assertIn(reload, shells)
        if owned:
            self.assertFalse(any("sudo" in s for s in shells), shells)
        self.no_layout_but(f, data)
        return f

    def test_pg_rhel_hba(self):
        """Red Hat's /var/lib/pgsql (0700): pg_hba.conf named although
        unreadable, sudoedit, pg_ctl as postgres (no systemd here)."""
        self.scenario("pg_rhel_hba")
        f = self.check_hba_named(distro.RHEL_PGDATA,
                                 f"sudo -u postgres pg_ctl -D {distro.RHEL_PGDATA} reload")
        self.assertIn("could not read", f["fix"])

    def test_pg_rhel_hba_systemd(self):
        """systemd runs and Fedora's postgresql.service names the data
        directory: its unit, not pg_ctl."""
        self.scenario("pg_rhel_hba_systemd")
        self.check_hba_named(distro.RHEL_PGDATA, "sudo systemctl reload postgresql")

    def test_pg_rhel_hba_apply(self):
        self.scenario("pg_rhel_hba", apply=True)
        self.check_hba_named(distro.RHEL_PGDATA,
                             f"sudo -u postgres pg_ctl -D {distro.RHEL_PGDATA} reload")
        self.assert_came_back_ok("postgres")

    def check_pg_homebrew(self):
        f = self.check_hba_named(distro.BREW_PGDATA, f"pg_ctl -D {distro.BREW_PGDATA} reload",
                                 owned=True)
        cfg = [s for s in f["steps"] if s["kind"] == "config"][0]
        self.assertEqual(cfg["action"], "insert_after")  # readable: the line
        self.assertTrue(cfg["line"])
        for s in f["steps"]:
            if s["kind"] == "sql":  # the cluster's superuser is the user
                self.assertEqual((s["as"], s["client"]), (distro.USER, "psql -d postgres"))

    def test_pg_homebrew_hba(self):
        """Homebrew's var/postgresql@15, the user's own: file and line, no
        sudo anywhere."""
        self.scenario("pg_homebrew_hba")
        self.check_pg_homebrew()

    def test_pg_homebrew_hba_apply(self):
        self.scenario("pg_homebrew_hba", apply=True)
        self.check_pg_homebrew()
        self.assert_came_back_ok("postgres")

    def test_pg_image_hba_apply(self):
        """The postgres image's /var/lib/postgresql/data, dbloop inside the
        container: named from the layout, applied, ok; no compose command
        for a server whose data directory is here."""
        self.scenario("pg_image_hba", apply=True, container=True)
        f = self.check_hba_named(distro.IMAGE_PGDATA,
                                 f"sudo -u postgres pg_ctl -D {distro.IMAGE_PGDATA} reload")
        self.assertNotIn("docker", json.dumps(f))
        self.assert_came_back_ok("postgres")

    def check_my_rhel(self):
        f = finding(self.report, "mysql", "tcp_disabled")
        self.assertIn(f"{distro.RHEL_MY_SERVER} line {self.out['line']}", f["fix"])
        cfg = [s for s in f["steps"] if s["kind"] == "config"]
        self.assertEqual([(s["file"], s["line"], s["action"], s["needs_root"]) for s in cfg],
                         [(distro.RHEL_MY_SERVER, self.out["line"], "comment_out", True)])
        self.no_layout_but(f, "/etc/my.cnf")
        return f

    def test_my_rhel_skip_networking(self):
        """Red Hat's /etc/my.cnf -> /etc/my.cnf.d/mariadb-server.cnf: the
        file and line; no SysV script, no systemd: no service command."""
        self.scenario("my_rhel_skip_networking")
        f = self.check_my_rhel()
        self.assertEqual([s for s in f["steps"] if s["kind"] == "shell"], [])

    def test_my_rhel_skip_networking_systemd(self):
        self.scenario("my_rhel_skip_networking_systemd")
        f = self.check_my_rhel()
        self.assertIn("sudo systemctl restart mariadb",
                      [s["text"] for s in f["steps"] if s["kind"] == "shell"])


if __name__ == "__main__":
    unittest.main()
