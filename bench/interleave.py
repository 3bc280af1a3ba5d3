#!/usr/bin/env python3
"""Time shell commands interleaved, so the load of a shared machine falls on
each alike (hyperfine runs one command's runs in a block).

    bench/interleave.py ROUNDS CMD [CMD...]

Three warm-up runs of each, then ROUNDS rounds; each round runs every
command once, the order rotated by one per round. Prints per command the
median wall time, the first quartile, the median CPU (user + system of the
command and its children, getrusage) and the median over rounds of its wall
time divided by the first command's in the same round; then the load
average. Output of the commands is discarded; exit statuses are ignored.
"""

import resource
import statistics
import subprocess
import sys
import time


def run(cmd):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    subprocess.run(cmd, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t1 = time.monotonic()
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime
    return (t1 - t0) * 1000, cpu * 1000


def main():
    if len(sys.argv) < 3 or not sys.argv[1].isdigit():
        sys.exit(__doc__.strip().split("\n\n")[1])
    rounds, cmds = int(sys.argv[1]), sys.argv[2:]
    wall = {c: [] for c in cmds}
    cpu = {c: [] for c in cmds}
    for _ in range(3):
        for c in cmds:
            run(c)
    for i in range(rounds):
        k = i % len(cmds)
        for c in cmds[k:] + cmds[:k]:
            w, u = run(c)
            wall[c].append(w)
            cpu[c].append(u)
    for c in cmds:
        ratio = statistics.median(a / b for a, b in zip(wall[c], wall[cmds[0]]))
        q1 = statistics.quantiles(wall[c])[0] if rounds > 1 else wall[c][0]
        print(f"{statistics.median(wall[c]):7.1f} ms wall (q1 {q1:.1f})  "
              f"cpu {statistics.median(cpu[c]):5.1f} ms  x first {ratio:.2f}  {c}")
    with open("/proc/loadavg") as f:
        print("load average", " ".join(f.read().split()[:3]))


if __name__ == "__main__":
    main()
