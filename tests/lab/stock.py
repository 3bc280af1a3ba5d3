"""The stock clients (psql, mariadb) against a running scenario.

The lab's own check that a scenario's server setup produces what
scenarios.md says, independent of dbloop: run the stock client once per
transport, inside the scenario's namespace, as the scenario's OS user.
"""

import os
import subprocess
from concurrent.futures import ThreadPoolExecutor

from . import PG_BIN

TRANSPORTS = ("unix", "tcp4", "tcp6", "localhost")
_TCP_HOST = {"tcp4": "127.0.0.1", "tcp6": "::1", "localhost": "localhost"}


def as_user(user):
    return ["runuser", "-u", user, "--"] if user else []


def pg_argv(client, transport):
    host = client.socket if transport == "unix" else _TCP_HOST[transport]
    return [f"{PG_BIN}/psql", "-X", "-w", "-A", "-t", "-h", host, "-p", str(client.port),
            "-U", client.user, "-d", client.database, "-c", "SELECT 1"]


def my_argv(client, transport):
    argv = ["mariadb", "--no-defaults", "--connect-timeout=2", "-N", "-B",
            "-u", client.user]
    if transport == "unix":
        argv += ["--protocol=SOCKET", f"--socket={client.socket}"]
    else:
        argv += ["--protocol=TCP", "-h", _TCP_HOST[transport], "-P", str(client.port)]
    if client.ssl_mode == "disable":
        argv.append("--skip-ssl")
    if client.database:
        argv += ["-D", client.database]
    return argv + ["-e", "SELECT 1"]


def client_env(client):
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": client.home, "LANG": "C.UTF-8"}
    if client.engine == "postgres":
        env.update(PGPASSWORD=client.password, PGCONNECT_TIMEOUT="2",
                   PGSSLMODE=client.ssl_mode or "prefer")
    else:
        env["MYSQL_PWD"] = client.password
    return env


def run_one(run, transport, timeout=20):
    """(exit status, combined output) of the stock client over transport."""
    client = run.client
    build = pg_argv if client.engine == "postgres" else my_argv
    argv = run.ns.prefix() + as_user(client.run_as) + build(client, transport)
    res = subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                         env=client_env(client), cwd="/")
    return res.returncode, (res.stdout + res.stderr).strip()


def run_all(run):
    """{transport: (status, output)} for the four local transports, in parallel."""
    with ThreadPoolExecutor(max_workers=len(TRANSPORTS)) as pool:
        futures = {t: pool.submit(run_one, run, t) for t in TRANSPORTS}
        return {t: f.result() for t, f in futures.items()}


def pg_isready(run):
    """pg_isready over the socket: (status, output), for contrast in the notes."""
    client = run.client
    argv = run.ns.prefix() + [f"{PG_BIN}/pg_isready", "-h", client.socket,
                              "-p", str(client.port), "-U", client.user, "-d", client.database]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    res = subprocess.run(argv, capture_output=True, text=True, timeout=20, env=env)
    return res.returncode, (res.stdout + res.stderr).strip()
