#!/usr/bin/env python3
"""List the #include edges between dbloop's source folders; fail on a cycle.

    scripts/check-layers.py [-v]

A folder is a subsystem: src/<name>/, probes/, include/dbloop/ (the types
that cross subsystems) and src/main.c. An edge A -> B means a file in A
includes a header of B. The graph must have no cycle (docs/architecture.md
gives the intended order); -v prints every edge with the files behind it.
Exit 0 with no cycle, 1 with one (each cycle printed), 2 on bad use.
"""

import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def folder_of(path):
    """The subsystem of a repository-relative path, None outside them."""
    parts = path.split("/")
    if parts[0] == "probes":
        return "probes"
    if parts[:2] == ["include", "dbloop"]:
        return "include"
    if parts[0] == "src":
        return "main" if len(parts) == 2 else parts[1]
    return None


def resolve(inc, src):
    """The repository path an #include "inc" in src names (the include
    roots are src/, the repository root, include/ and the file's folder)."""
    for base in (os.path.dirname(src), "src", "", "include"):
        cand = os.path.normpath(os.path.join(base, inc))
        if os.path.isfile(os.path.join(ROOT, cand)):
            return cand
    return None


def edges():
    found = {}
    for top in ("src", "probes", "include"):
        for dirpath, _, files in os.walk(os.path.join(ROOT, top)):
            for name in files:
                if not name.endswith((".c", ".h")):
                    continue
                rel = os.path.relpath(os.path.join(dirpath, name), ROOT)
                a = folder_of(rel)
                with open(os.path.join(ROOT, rel), encoding="utf-8") as fh:
                    text = fh.read()
                for inc in INCLUDE.findall(text):
                    target = resolve(inc, rel)
                    if target is None:
                        print(f"check-layers: {rel}: cannot find \"{inc}\"", file=sys.stderr)
                        sys.exit(1)
                    b = folder_of(target)
                    if a and b and a != b:
                        found.setdefault((a, b), set()).add(f"{rel} -> {target}")
    return found


def cycles(graph):
    """Every elementary cycle's nodes, by depth-first search from each node."""
    out, seen = [], set()

    def walk(start, node, path):
        for nxt in sorted(graph.get(node, ())):
            if nxt == start:
                key = frozenset(path)
                if key not in seen:
                    seen.add(key)
                    out.append(path + [start])
            elif nxt not in path and nxt > start:
                walk(start, nxt, path + [nxt])

    for node in sorted(graph):
        walk(node, node, [node])
    return out


def main(argv):
    verbose = argv == ["-v"]
    if argv and not verbose:
        print(__doc__, file=sys.stderr)
        return 2
    found = edges()
    graph = {}
    for a, b in found:
        graph.setdefault(a, set()).add(b)
    for a, b in sorted(found):
        print(f"{a} -> {b}")
        if verbose:
            for line in sorted(found[(a, b)]):
                print(f"    {line}")
    bad = cycles(graph)
    for c in bad:
        print("check-layers: include cycle: " + " -> ".join(c), file=sys.stderr)
        for a, b in zip(c, c[1:]):
            for line in sorted(found[(a, b)]):
                print(f"    {line}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
