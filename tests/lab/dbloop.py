"""Run the built dbloop (DBLOOP_BIN) inside a scenario's namespace.

diagnose(run) gives dbloop the scenario's connection settings the way a
user would (-e -P -S -u -d --password-env, -f json) and returns
(exit status, parsed JSON or None, stdout, stderr).
"""

import atexit
import json
import os
import shutil
import subprocess
import tempfile

from . import LabError, dbloop_bin

PASSWORD_VAR = "DBL_TEST_PW"
VALIDATOR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                         "tools", "validate_report.py")


def client_args(client, timeout="3s"):
    args = ["-e", client.engine, "-P", str(client.port), "-S", client.socket,
            "-u", client.user, "-d", client.database, "--password-env", PASSWORD_VAR,
            "-t", timeout]
    if client.ssl_mode:
        args += ["--ssl-mode", client.ssl_mode]
    if client.engine == "mysql":
        args.append("--no-defaults")  # the machine's option files are not the scenario's
    return args


def base_env(client, extra=None):
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": client.home, "LANG": "C.UTF-8",
           PASSWORD_VAR: client.password}
    env.update(extra or {})
    return env


_copies = {}


def binary_for(user):
    """DBLOOP_BIN, or for another user a copy that user can execute.

    A checkout under /root (mode 0700) leaves build/dbloop out of reach of
    nobody: runuser then fails with "Permission denied" before dbloop runs.
    The copy lives in a 0755 directory under /tmp, one per binary version,
    removed when the test process ends.
    """
    binary = dbloop_bin()
    if not user:
        return binary
    st = os.stat(binary)
    key = (os.path.realpath(binary), st.st_mtime_ns, st.st_size)
    if key not in _copies:
        d = tempfile.mkdtemp(prefix="dbloop-bin-")
        os.chmod(d, 0o755)
        atexit.register(shutil.rmtree, d, True)
        copy = os.path.join(d, "dbloop")
        shutil.copy2(binary, copy)
        os.chmod(copy, 0o755)
        _copies[key] = copy
    return _copies[key]


def command(run, args, as_user=None):
    """argv that runs dbloop ARGS inside run's namespace, as as_user if given."""
    binary = dbloop_bin()
    if not binary or not os.access(binary, os.X_OK):
        raise LabError(f"DBLOOP_BIN is not an executable: {binary!r}")
    user = as_user if as_user is not None else run.client.run_as
    prefix = run.ns.prefix() + (["runuser", "-u", user, "--"] if user else [])
    return prefix + [binary_for(user)] + list(args)


def run_dbloop(run, args, env=None, as_user=None, timeout=60):
    """(status, stdout, stderr) of dbloop ARGS in the scenario's namespace."""
    env = base_env(run.client, env)
    res = subprocess.run(command(run, args, as_user), capture_output=True, text=True,
                         env=env, timeout=timeout, cwd="/")
    return res.returncode, res.stdout, res.stderr


def diagnose(run, extra_args=(), env=None, timeout="3s", as_user=None):
    """dbloop diagnose -f json with the scenario's client settings.

    Returns (status, report or None, stdout, stderr).
    """
    args = ["diagnose"] + client_args(run.client, timeout) + ["-f", "json"] + list(extra_args)
    status, out, err = run_dbloop(run, args, env=env, as_user=as_user)
    try:
        report = json.loads(out)
    except ValueError:
        report = None
    return status, report, out, err


def validate(report_text):
    """(ok, message) from tests/tools/validate_report.py, or (None, why) without it."""
    if not os.path.exists(VALIDATOR):
        return None, f"{VALIDATOR} not present yet"
    res = subprocess.run(["/usr/bin/python3", VALIDATOR, "-"], input=report_text,
                         capture_output=True, text=True, timeout=60)
    return res.returncode == 0, (res.stdout + res.stderr).strip()


def probes_by_transport(report, index=0):
    target = report["targets"][index]
    return {probe.get("transport"): probe for probe in target.get("probes", [])}
