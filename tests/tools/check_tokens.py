#!/usr/bin/env python3
"""Checks the fix commands tests/unit/test_fix_quoting.c rendered with
hostile names: each name must stay one literal token of its language.

    check_tokens.py FILE

FILE holds NUL-terminated records: "Npg|NAME" / "Nmy|NAME" (the engine
and the hostile name of the steps that follow) and "CKIND|TEXT", a step
of that kind (shell, sql, config, env, url): each is lexed as the
language it is pasted into. Shell
commands are lexed with shlex (POSIX, punctuation split); SQL with the
engine's literal and identifier rules; URLs and libpq conninfo strings by
their own syntax. Exit 0 when every name is one token, 1 listing each
command where it is not.
"""

import re
import shlex
import sys
import urllib.parse

MARK = "Q7"
SQL = re.compile(r"^(GRANT|ALTER|CREATE|DROP|SELECT|SET|REVOKE)\b")


def sql_pieces(stmt, engine):
    """(outside text, [decoded quoted tokens]) of stmt; None if unterminated."""
    out, toks, i = [], [], 0
    while i < len(stmt):
        c = stmt[i]
        e_prefix = engine == "pg" and c in "Ee" and stmt[i + 1:i + 2] == "'"
        if e_prefix:
            i += 1
            c = "'"
        if c in "'\"`":
            bs = engine == "my" and c != "`" or e_prefix
            i += 1
            tok = []
            while True:
                if i >= len(stmt):
                    return None
                ch = stmt[i]
                if bs and ch == "\\" and i + 1 < len(stmt):
                    nxt = stmt[i + 1]
                    tok.append({"n": "\n", "r": "\r", "Z": "\x1a", "0": "\0"}.get(nxt, nxt))
                    i += 2
                    continue
                if ch == c:
                    if stmt[i + 1:i + 2] == c:
                        tok.append(c)
                        i += 2
                        continue
                    i += 1
                    break
                tok.append(ch)
                i += 1
            toks.append("".join(tok))
            out.append(" ")
            continue
        out.append(c)
        i += 1
    return "".join(out), toks


def check_sql(stmt, engine, name):
    p = sql_pieces(stmt, engine)
    if p is None:
        return "unterminated quote"
    outside, toks = p
    if MARK in outside:
        return "the name is outside quotes"
    for t in toks:
        if MARK in t and t != name:
            return f"a quoted token {t[:60]!r} is not the name"
    return None


def check_url(cmd, name):
    if not re.fullmatch(r"[A-Za-z0-9._~%:/@?=&\[\]-]+", cmd):
        return "raw bytes in a URL"
    u = urllib.parse.urlsplit(cmd)
    parts = [urllib.parse.unquote(u.username or "", "latin-1"),
             urllib.parse.unquote(u.path[1:], "latin-1")]
    parts += [urllib.parse.unquote(v, "latin-1") for _, v in urllib.parse.parse_qsl(u.query)]
    for p in parts:
        if MARK in p and p not in (name, "/tmp/" + name):
            return f"URL part {p[:60]!r} is not the name"
    return None


def check_conninfo(cmd, name):
    i, n = 0, len(cmd)
    while i < n:
        m = re.compile(r"\s*([a-z_]+)=").match(cmd, i)
        if not m:
            return "not key=value"
        i = m.end()
        if cmd[i:i + 1] == "'":
            i += 1
            v = []
            while i < n and cmd[i] != "'":
                if cmd[i] == "\\":
                    i += 1
                v.append(cmd[i])
                i += 1
            if i >= n:
                return "unterminated quote"
            i += 1
            v = "".join(v)
        else:
            m = re.compile(r"[^\s]*").match(cmd, i)
            v = m.group(0)
            i = m.end()
        if MARK in v and v not in (name, "/tmp/" + name):
            return f"conninfo value {v[:60]!r} is not the name"
    return None


def check_config(cmd, name):
    """A config line: the setting part split on white space and commas
    (pg_hba.conf's and the option files' separators) holds the name only
    as one whole field."""
    body = cmd.split("   # ")[0]
    if "\n" in cmd:
        return "a newline in a config line"
    for f in re.split(r"[\s,]+", body):
        if MARK in f and f != name:
            return f"config field {f[:60]!r} is not the name"
    return None


def unquoted_danger(cmd):
    """A $( or backtick or newline outside single quotes."""
    q, i = False, 0
    while i < len(cmd):
        c = cmd[i]
        if not q and c == "\\":
            i += 2
            continue
        if c == "'":
            q = not q
        elif not q and (c in "`\n" or (c == "$" and not cmd.startswith("$USER", i))):
            return f"{c!r} outside quotes"
        i += 1
    return None


def check_shell(cmd, engine, name):
    bad = unquoted_danger(cmd)
    if bad:
        return bad
    lex = shlex.shlex(cmd, posix=True, punctuation_chars=True)
    lex.whitespace_split = True
    try:
        toks = list(lex)
    except ValueError as exc:
        return f"shlex: {exc}"
    for i, t in enumerate(toks):
        if MARK not in t:
            continue
        if t in (name, "/tmp/" + name) or t.startswith("/tmp/" + name + "/"):
            continue
        if i and toks[i - 1] in ("-c", "-e") and SQL.match(t):
            why = check_sql(t, engine, name)
            if why:
                return "SQL argument: " + why
            continue
        if i and toks[i - 1] == "-i" and re.match(r"^\d+[sa]", t):
            continue  # one sed script token
        return f"token {t[:60]!r} is not the name"
    return None


def main():
    data = open(sys.argv[1], "rb").read().decode("latin-1")
    engine, name, bad, n = "pg", "", [], 0
    for rec in data.split("\0")[:-1]:
        if rec[0] == "N":
            engine, name = rec[1:3], rec[4:]
            continue
        kind, _, cmd = rec[1:].partition("|")
        n += 1
        if MARK not in cmd and "Q7".encode().hex() not in cmd:
            if "%" not in cmd or MARK not in urllib.parse.unquote(cmd, "latin-1"):
                continue
        if kind == "url" and re.match(r"^[a-z]+://", cmd):
            why = check_url(cmd, name)
        elif kind == "url":
            why = check_conninfo(cmd, name)
        elif kind == "sql":
            why = check_sql(cmd, engine, name)
        elif kind == "config":
            why = check_config(cmd, name)
        elif kind in ("shell", "env"):
            why = check_shell(cmd, engine, name)
        else:
            why = f"unknown step kind {kind!r}"
        if why:
            bad.append(f"{engine} name {name[:40]!r}: {why}: {cmd[:200]!r}")
    print(f"check_tokens: {n} commands, {len(bad)} where a name is not one token")
    for b in bad:
        print("  " + b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
