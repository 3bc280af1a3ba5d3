"""python3 -m lab COMMAND: bring scenarios up by hand (run from tests/, as root).

  list                 the scenario names
  up NAME              start NAME, print how to run dbloop and the stock
                       clients against it, wait for Enter or Ctrl-C, tear down
  check NAME...        start each, run the stock clients per transport, compare
                       with scenarios.md, tear down (the lab's self-check)
  run NAME [ARGS...]   start NAME, run DBLOOP_BIN diagnose with the scenario's
                       settings (+ ARGS), print its output, tear down
  down                 remove what crashed lab runs left: processes under
                       /tmp/dbloop-lab-*, dbl-* namespaces, the directories
"""

import os
import shlex
import signal
import sys
import time

from . import LabError, check_prerequisites, run_cleanups, stock
from . import dbloop as dbl
from . import scenarios


def cmd_up(name):
    with scenarios.running(name) as run:
        c = run.client
        args = dbl.client_args(c) + ["-f", "text"]
        who = f"runuser -u {c.run_as} -- " if c.run_as else ""
        print(run.describe())
        print(f"timings: {run.timings}")
        print("\nrun dbloop against it (from another shell, as root):")
        print(f"  {dbl.PASSWORD_VAR}={shlex.quote(c.password)} HOME={c.home} "
              f"ip netns exec {run.ns.name} {who}$DBLOOP_BIN diagnose {shlex.join(args)}")
        print("\nthe stock client per transport:")
        for transport in stock.TRANSPORTS:
            build = stock.pg_argv if c.engine == "postgres" else stock.my_argv
            env = "PGPASSWORD" if c.engine == "postgres" else "MYSQL_PWD"
            print(f"  {env}=... ip netns exec {run.ns.name} {who}"
                  f"{shlex.join(build(c, transport))}")
        print("\nEnter or Ctrl-C tears it down.")
        try:
            sys.stdin.readline()
        except KeyboardInterrupt:
            pass


def check_one(name):
    scenario = scenarios.lookup(name)
    started = time.monotonic()
    bad = 0
    with scenarios.running(name) as run:
        up = time.monotonic() - started
        for transport, (status, out) in stock.run_all(run).items():
            want = scenario.stock[transport]
            good = status == 0 if not want else (status != 0 and want in out)
            bad += not good
            line = out.splitlines()[-1] if out else ""
            print(f"  {'ok ' if good else 'BAD'} {transport:9} status={status} {line[:150]}")
    print(f"{name}: up {up:.2f}s, down {run.timings['stop_s']:.2f}s")
    return bad


def cmd_run(name, extra):
    with scenarios.running(name) as run:
        status, _report, out, err = dbl.diagnose(run, extra_args=extra)
        sys.stdout.write(out)
        sys.stderr.write(err)
        print(f"exit status {status}", file=sys.stderr)


def cmd_down():
    """Leftovers of lab runs whose process is gone (kill -9, a crashed test)."""
    import shutil
    import tempfile

    from . import ROOT_PREFIX, _owner_alive, net, processes_under

    tmp = tempfile.gettempdir()
    for entry in os.listdir(tmp):
        if not entry.startswith(ROOT_PREFIX) or _owner_alive(entry[len(ROOT_PREFIX):]):
            continue
        for pid in processes_under(os.path.join(tmp, entry)):
            try:
                os.kill(pid, signal.SIGKILL)
                print(f"killed {pid}")
            except ProcessLookupError:
                pass
        shutil.rmtree(os.path.join(tmp, entry), ignore_errors=True)
        print(f"removed {tmp}/{entry}")
    net.sweep_stale_namespaces(_owner_alive)


def main(argv):
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__)
        return 0
    command, rest = argv[0], argv[1:]
    if command == "list":
        print("\n".join(list(scenarios.SCENARIOS) + list(scenarios.EXTRA) + list(scenarios.SPLIT)))
        return 0
    if command == "down":
        cmd_down()
        return 0
    check_prerequisites()
    for name in rest[:1] if command in ("up", "run") else rest:
        if name not in scenarios.SCENARIOS and name not in scenarios.EXTRA and name not in scenarios.SPLIT:
            print(f"lab: unknown scenario '{name}'", file=sys.stderr)
            return 2
    if command == "up" and rest:
        cmd_up(rest[0])
    elif command == "check" and rest:
        return 1 if sum(check_one(n) for n in rest) else 0
    elif command == "run" and rest:
        cmd_run(rest[0], rest[1:])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except LabError as exc:
        print(f"lab: {exc}", file=sys.stderr)
        sys.exit(1)
    finally:
        run_cleanups()
