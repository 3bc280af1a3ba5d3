"""No password out: a distinctive password passed every supported way
(--password-env, --password-file, PGPASSWORD, MYSQL_PWD, .pgpass, an option
file via --defaults-extra-file, a URL target) against real servers of the
lab (pg_ok, my_ok) and against a refused port never appears in stdout,
stderr or a report file in any format; a URL password is warned about and
scrubbed from /proc/PID/cmdline while dbloop runs.
"""

import os
import secrets
import shutil
import signal
import socket
import unittest

from hostile import HostileServer
from hostile import runner

FORMATS = ("text", "json", "markdown", "junit")
EXT = {"text": "txt", "json": "json", "markdown": "md", "junit": "xml"}


def _refused_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _ways(engine, pw, home, port, sock):
    """name -> (extra args, extra env, target args) passing pw one way."""
    pwfile = os.path.join(home, "pwfile")
    with open(pwfile, "w") as fh:
        fh.write(pw + "\n")
    os.chmod(pwfile, 0o600)
    ways = {
        "password-env": (["--password-env", "DBL_SECRET"], {"DBL_SECRET": pw}, None),
        "password-file": (["--password-file", pwfile], {}, None),
    }
    if engine == "postgres":
        pgpass = os.path.join(home, ".pgpass")
        with open(pgpass, "w") as fh:
            fh.write(f"*:*:*:app:{pw}\n")
        os.chmod(pgpass, 0o600)
        ways["PGPASSWORD"] = ([], {"PGPASSWORD": pw}, None)
        ways[".pgpass"] = ([], {"PGPASSFILE": pgpass}, None)
        ways["url"] = ([], {}, [f"postgresql://app:{pw}@127.0.0.1:{port}/appdb"])
        ways["url-socket"] = ([], {}, [f"postgresql://app:{pw}@/appdb?host={sock}&port={port}"])
    else:
        extra = os.path.join(home, "extra.cnf")
        with open(extra, "w") as fh:
            fh.write(f"[client]\npassword={pw}\n")
        os.chmod(extra, 0o600)
        ways["MYSQL_PWD"] = ([], {"MYSQL_PWD": pw}, None)
        ways["defaults-extra-file"] = (["--defaults-extra-file", extra], {}, None)
        ways["url"] = ([], {}, [f"mysql://app:{pw}@127.0.0.1:{port}/appdb"])
        ways["url-socket"] = ([], {}, [f"mysql://app:{pw}@localhost:{port}/appdb?socket={sock}"])
    return ways


class SecretsTest(unittest.TestCase):
    def assert_nowhere(self, pw, r, files, what):
        for name, text in [("stdout", r.out), ("stderr", r.err)] + files:
            self.assertNotIn(pw, text, f"{what}: password in {name}: {r!r}")

    def sweep(self, engine, pw, home, port, sock, prefix=None, expect_ok=False):
        """Every way x every format; returns how many runs were checked."""
        runs = 0
        for way, (args, env, target) in _ways(engine, pw, home, port, sock).items():
            for fmt in FORMATS:
                with self.subTest(engine=engine, way=way, fmt=fmt):
                    out = os.path.join(home, f"report-{way}.{EXT[fmt]}")
                    base = ["diagnose", "-t", "2s", "-f", fmt, "-o", out, "-v"]
                    if target:
                        base += target
                    else:
                        base += ["-e", engine, "-u", "app", "-d", "appdb", "-P", str(port),
                                 "-S", sock]
                    if engine == "mysql" and way != "defaults-extra-file":
                        base.append("--no-defaults")
                    r = runner.run(base + args, runner.clean_env(home, env),
                                   hard_deadline=30, prefix=prefix)
                    body = ""
                    if os.path.exists(out):
                        with open(out, encoding="utf-8", errors="replace") as fh:
                            body = fh.read()
                        os.unlink(out)
                    self.assert_nowhere(pw, r, [(out, body)], f"{engine}/{way}/{fmt}")
                    self.assertIn(r.rc, (0, 1), f"{engine}/{way}/{fmt}: {r!r}")
                    if expect_ok:
                        # the password really reached the server
                        self.assertEqual(r.rc, 0, f"{engine}/{way}/{fmt}: {r!r}")
                    if target:
                        self.assertIn("password", r.err.lower(),
                                      f"a URL password must be warned about: {r!r}")
                    runs += 1
        return runs

    def lab_run(self, scenario, engine):
        try:
            import lab
            from lab import scenarios
            lab.check_prerequisites()
        except Exception as exc:  # the lab is missing or cannot run here
            runner.need(False, f"lab unavailable: {exc}")
        with scenarios.running(scenario) as run:
            c = run.client
            home = c.home
            sock = c.socket
            # a distinctive password: the lab's random one is the real one
            runs = self.sweep(engine, c.password, home, c.port, sock,
                              prefix=run.ns.prefix(), expect_ok=True)
            # a wrong but distinctive one: the failure path must not echo it
            wrong = "dblwrong-" + secrets.token_hex(8)
            runs += self.sweep(engine, wrong, home, c.port, sock, prefix=run.ns.prefix())
        print(f"secrets: {scenario}: {runs} runs clean", flush=True)

    def test_postgres_real_server(self):
        self.lab_run("pg_ok", "postgres")

    def test_mysql_real_server(self):
        self.lab_run("my_ok", "mysql")

    def test_refused_port(self):
        pw = "dblrefused-" + secrets.token_hex(8)
        for engine in ("postgres", "mysql"):
            with runner.TempHome() as home:
                sock = os.path.join(home, "nosock")
                self.sweep(engine, pw, home, _refused_port(), sock)

    def test_url_password_scrubbed_from_cmdline(self):
        """While dbloop is blocked on a tarpit, its argv shows no password."""
        for engine, scheme in (("postgres", "postgresql"), ("mysql", "mysql")):
            pw = "dblargv-" + secrets.token_hex(8)
            with self.subTest(engine=engine), runner.TempHome() as home, \
                    HostileServer("silent", "tcp4") as srv:
                url = f"{scheme}://app:{pw}@127.0.0.1:{srv.port}/appdb"
                p = runner.start(["diagnose", "-t", "20s", url], runner.clean_env(home))
                try:
                    self.assertTrue(srv.first_accept.wait(10), "never reached the tarpit")
                    with open(f"/proc/{p.pid}/cmdline", "rb") as fh:
                        argv = fh.read()
                    with open(f"/proc/{p.pid}/comm") as fh:
                        comm = fh.read().strip()
                finally:
                    os.kill(p.pid, signal.SIGTERM)
                    r = runner.finish(p, hard_deadline=30)
                self.assertEqual(comm, "dbloop")
                self.assertNotIn(pw.encode(), argv, f"password visible in cmdline: {argv!r}")
                self.assertIn(b"app", argv, "the rest of the URL stays readable")
                self.assertNotIn(pw, r.out + r.err)


if __name__ == "__main__":
    unittest.main()
