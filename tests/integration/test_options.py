"""Each command's option table (src/cli/parse_options.h) against what is
made or written from it: the parser, --help, the man page's option lists
(docs/dbloop.1) and the bash and zsh completions (scripts/completion/).

The table comes from the built binary (`dbloop help --options COMMAND`, one
row a line). Needs no database server: every parse ends at a --help.
"""

import os
import re
import subprocess
import unittest

BIN = os.environ.get("DBLOOP_BIN", "dbloop")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MAN = os.path.join(ROOT, "docs", "dbloop.1")
BASH = os.path.join(ROOT, "scripts", "completion", "dbloop.bash")
ZSH = os.path.join(ROOT, "scripts", "completion", "_dbloop")
COMMANDS = ("diagnose", "wait", "explain", "show")

# a value the parser accepts, by the name --help gives it
SAMPLE = {"N": "5432", "[ENGINE=]N": "postgres=5432", "DURATION": "1s"}


class Opt:
    def __init__(self, line):
        f = line.split("\t")
        self.short = None if f[0] == "-" else f[0]
        self.long = None if f[1] == "-" else f[1]
        self.arg = None if f[2] == "-" else f[2]
        self.complete = f[3]
        self.choices = [] if f[4] == "-" else f[4].split()
        self.flags = set() if f[5] == "-" else set(f[5].split(","))
        self.names = [n for n in (self.short, self.long) if n]

    @property
    def visible(self):
        return "hidden" not in self.flags

    def sample(self):
        if self.choices:
            return self.choices[0]
        return SAMPLE.get(self.arg, "x")


def read(path):
    with open(path) as f:
        return f.read()


def run(*args, stdin=None):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PG", "MYSQL", "MARIADB"))}
    env.update(NO_COLOR="1", LC_ALL="C")
    return subprocess.run([BIN, *args], capture_output=True, text=True,
                          env=env, timeout=20, stdin=subprocess.DEVNULL)


def table(cmd):
    p = run("help", "--options", cmd)
    assert p.returncode == 0, p.stderr
    return [Opt(l) for l in p.stdout.splitlines()]


def names(opts, visible_only=True):
    return {n for o in opts if o.visible or not visible_only for n in o.names}


def option_words(text):
    """-x and --long-name words in text (not the inside of verify-ca)."""
    return set(re.findall(r"(?<![\w-])--?[A-Za-z0-9][A-Za-z0-9-]*", text))


class OptionTableTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tables = {c: table(c) for c in COMMANDS}
        cls.usage = {c: run("help", c).stdout for c in COMMANDS}

    # -- the parser -----------------------------------------------------

    def test_every_row_parses_and_every_choice_is_accepted(self):
        runs = 0
        for cmd, opts in self.tables.items():
            for o in opts:
                values = o.choices or [o.sample()] if o.arg else [None]
                for name in o.names:
                    for v in values:
                        argv = [cmd, name] + ([v] if v is not None else []) + ["--help"]
                        with self.subTest(argv=argv):
                            p = run(*argv)
                            runs += 1
                            if "refused" in o.flags:
                                self.assertEqual(p.returncode, 2)
                                self.assertIn(f"unknown option '{name}': ", p.stderr)
                                continue
                            self.assertEqual(p.returncode, 0, p.stderr)
                            self.assertEqual(p.stdout, self.usage[cmd])
        print(f"\n  {runs} parses of {sum(len(t) for t in self.tables.values())} rows")

    def test_an_option_not_in_the_table_is_refused(self):
        for cmd, opts in self.tables.items():
            known = names(opts, visible_only=False)
            for other in set().union(*(names(t) for t in self.tables.values())) - known:
                with self.subTest(cmd=cmd, option=other):
                    p = run(cmd, other, "x", "--help")
                    self.assertEqual(p.returncode, 2, p.stdout)
                    self.assertIn("unknown option", p.stderr)

    def test_help_is_the_same_from_every_door(self):
        for cmd in COMMANDS:
            for argv in ([cmd, "--help"], [cmd, "-h"], ["help", cmd]):
                self.assertEqual(run(*argv).stdout, self.usage[cmd], argv)
        # the first option before --help changes nothing (issue 12)
        self.assertEqual(run("explain", "-q", "--help").stdout,
                         self.usage["explain"])

    # -- --help ---------------------------------------------------------

    def test_help_lists_exactly_the_visible_options(self):
        for cmd, opts in self.tables.items():
            with self.subTest(cmd=cmd):
                words = option_words(self.usage[cmd])
                self.assertLessEqual(names(opts), words)
                self.assertLessEqual(words, names(opts) | {"-"})
                for o in opts:
                    if o.arg and o.visible:
                        line = next(l for l in self.usage[cmd].splitlines()
                                    if l.startswith("  ") and l.lstrip().startswith("-") and
                                    re.search(rf"(?<![\w-]){re.escape(o.names[-1])} ", l))
                        self.assertIn(f"{o.names[-1]} {o.arg}", line)

    # -- the man page ---------------------------------------------------

    def man_sections(self):
        """{section title: [(names in the .TP tag, first body line)]} of
        OPTIONS; the section before any .SS is diagnose's and wait's."""
        text = read(MAN)
        body = text.split("\n.SH OPTIONS\n", 1)[1].split("\n.SH ", 1)[0]
        sections, title, lines = {}, "diagnose wait", body.splitlines()
        for i, line in enumerate(lines):
            if line.startswith(".SS "):
                title = line[4:].strip('"')
            elif line == ".TP" and i + 2 < len(lines):
                tag = lines[i + 1].replace("\\-", "-")
                tag = re.sub(r'\\f[BIRP]', "", tag).replace('"', "")
                sections.setdefault(title, []).append((tag, lines[i + 2]))
        return sections

    def test_man_page_lists_the_options_of_each_command(self):
        sections = self.man_sections()
        self.assertEqual(set(sections), {"diagnose wait", "explain", "show"})
        for title, items in sections.items():
            cmds = title.split()
            for cmd in cmds:
                with self.subTest(section=title, cmd=cmd):
                    want = names(self.tables[cmd])
                    got = set()
                    for tag, first in items:
                        only = re.match(r"\((\w+)\)", first)
                        if only and only.group(1) != cmd:
                            continue
                        got |= option_words(tag.split(" ", 1)[1])
                    self.assertEqual(got, want)
            # the choices written in the tag are the table's
            for tag, _ in items:
                words = option_words(tag.split(" ", 1)[1])
                for o in self.tables[cmds[0]]:
                    if o.choices and "list" not in o.flags and words & set(o.names):
                        shown = re.findall(r"[a-z][a-z0-9-]*(?=\||$)", tag.split()[-1])
                        self.assertEqual(set(shown), set(o.choices), tag)

    # -- bash ------------------------------------------------------------

    def bash_complete(self, *words):
        script = (f"source {BASH}\nCOMP_WORDS=(dbloop " +
                  " ".join(f"'{w}'" for w in words) +
                  f")\nCOMP_CWORD={len(words)}\n_dbloop 2>/dev/null\n"
                  'printf "%s\\n" "${COMPREPLY[@]}"\n')
        p = subprocess.run(["bash", "--norc", "--noprofile"], input=script,
                           capture_output=True, text=True, timeout=20, cwd="/")
        self.assertEqual(p.returncode, 0, p.stderr)
        return {w for w in p.stdout.splitlines() if w}

    def test_bash_completes_the_table(self):
        self.assertLessEqual(set(COMMANDS), self.bash_complete(""))
        for cmd, opts in self.tables.items():
            with self.subTest(cmd=cmd):
                extra = {"--"} if cmd == "wait" else set()
                self.assertEqual(self.bash_complete(cmd, "-") - extra, names(opts))
                for o in opts:
                    if not o.visible or not o.arg:
                        continue
                    for name in o.names:
                        got = self.bash_complete(cmd, name, "")
                        if o.complete == "choices":
                            self.assertEqual(got, set(o.choices), name)
                        elif o.complete == "none":
                            self.assertEqual(got, set(), name)

    # -- zsh -------------------------------------------------------------

    ZSH_NAME = r"(?<![\w-])--?[A-Za-z0-9][A-Za-z0-9-]*(?=[=+\[,}])"

    def zsh_specs(self):
        """{command: {option: choices or None}} from the _arguments specs."""
        text = read(ZSH)
        common = re.search(r"_dbloop_common=\((.*?)\n\)", text, re.S).group(1)
        out = {}
        for cmd in COMMANDS:
            block = re.search(rf"^\s*{cmd}\)(.*?);;", text, re.S | re.M).group(1)
            if "$_dbloop_common" in block:
                block = common + "\n" + block
            specs = {}
            for line in block.splitlines():
                found = re.findall(self.ZSH_NAME, line)
                m = re.search(r":\(([^()]*)\)'|compadd - ([^']*)'", line)
                for n in found:
                    specs[n] = (m.group(1) or m.group(2)).split() if m else None
            out[cmd] = specs
        return out

    def test_zsh_completes_the_table(self):
        text = read(ZSH)
        for cmd in COMMANDS:
            self.assertIn(f"{cmd}\\:", text)
        for cmd, specs in self.zsh_specs().items():
            with self.subTest(cmd=cmd):
                self.assertEqual(set(specs), names(self.tables[cmd]))
                for o in self.tables[cmd]:
                    if o.visible and o.complete == "choices":
                        for n in o.names:
                            self.assertEqual(set(specs[n] or []), set(o.choices), n)


if __name__ == "__main__":
    unittest.main()
