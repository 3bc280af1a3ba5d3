#!/usr/bin/python3
"""Validate dbloop JSON reports against docs/report.schema.json.

usage: validate_report.py FILE...   ("-" reads stdin)

Exit 0 when every file is a valid dbloop.report/1 document, 1 otherwise,
with one line per problem on stderr: FILE: PATH: message. Uses the
jsonschema package from Debian (python3-jsonschema).
"""
import json
import os
import sys

import jsonschema

SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "..", "..", "docs", "report.schema.json")


def load_schema():
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def problems(validator, name):
    try:
        if name == "-":
            doc = json.loads(sys.stdin.buffer.read().decode("utf-8"))
        else:
            with open(name, "rb") as f:
                doc = json.loads(f.read().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as e:
        return [f"{name}: {e}"]
    out = []
    for err in sorted(validator.iter_errors(doc), key=lambda e: list(e.path)):
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}"
                        for p in err.absolute_path).lstrip(".") or "(root)"
        out.append(f"{name}: {where}: {err.message}")
    return out


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2 if len(argv) < 2 else 0
    validator = load_schema()
    bad = 0
    for name in argv[1:]:
        for line in problems(validator, name):
            print(line, file=sys.stderr)
            bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main(sys.argv))
