#!/usr/bin/env python3
"""Split tests/fixtures/explain/corpus.txt once, at random and by thread,
into a development half (dev: tune on it) and a held-out half (held).

Run once, before any tuning (issue 19); the result is committed. A thread's
records all go to the same half, so two messages of one ticket never sit
on both sides. Seeded, so the split can be reproduced and checked:
    python3 scripts/explain_corpus_split.py --check
Records added later keep "split: -" until a new, separate split of the
new threads only is made; existing assignments are never changed.
A later set of threads lives in its own file and is split the same way,
once, before tuning:
    python3 scripts/explain_corpus_split.py --file tests/fixtures/explain/i18n.txt
    python3 scripts/explain_corpus_split.py --file ... --check"""
import random
import re
import sys

PATH = "tests/fixtures/explain/corpus.txt"
SEED = 19


def main():
    args = sys.argv[1:]
    check = "--check" in args
    path = args[args.index("--file") + 1] if "--file" in args else PATH
    text = open(path, encoding="utf-8").read()
    threads = sorted(set(re.findall(r"^thread: (\S+)$", text, re.M)))
    rng = random.Random(SEED)
    rng.shuffle(threads)
    held = set(threads[: len(threads) // 2])
    out, cur = [], None
    for line in text.split("\n"):
        m = re.match(r"^thread: (\S+)$", line)
        if m:
            cur = m.group(1)
        if line.startswith("split: ") and cur is not None:
            line = "split: " + ("held" if cur in held else "dev")
        out.append(line)
    new = "\n".join(out)
    if check:
        if new != text:
            sys.exit(f"explain_corpus_split: '{path}' does not match its seeded split")
        return
    open(path, "w", encoding="utf-8").write(new)
    print(f"{len(threads)} threads: {len(threads) - len(held)} dev, {len(held)} held")


if __name__ == "__main__":
    main()
