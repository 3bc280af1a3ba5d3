#!/usr/bin/env python3
"""Assert each compose variant's report against docker/expected.txt.

usage: check-reports.py [--expected FILE] [--subset ci|all]
                        [--variant NAME]... REPORTS_DIR

REPORTS_DIR holds what the dbloop services wrote: <variant>.json (the JSON
report), <variant>.xml (JUnit), <variant>.exit (diagnose's exit status).
Prints one line per variant and a summary; exits 0 when every variant
matched, 1 otherwise, 2 on usage errors.
"""
import argparse
import json
import os
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))


def load_expected(path):
    """Rows of expected.txt as dicts, in file order."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            cols = line.split()
            if len(cols) < 5:
                raise ValueError(f"{path}:{lineno}: expected at least 5 columns")
            variant, finding, exit_status, subset, servers = cols[:5]
            probes, mentions = [], []
            for check in cols[5:]:
                key, _, value = check.partition("=")
                if not value:
                    raise ValueError(f"{path}:{lineno}: bad check '{check}'")
                if key == "mention":
                    mentions.append(value)
                else:
                    probes.append((key, value))
            rows.append({"variant": variant, "finding": finding,
                         "exit": int(exit_status), "subset": subset,
                         "servers": servers.split(","), "probes": probes,
                         "mentions": mentions})
    return rows


def select(rows, subset, names):
    if names:
        known = {r["variant"] for r in rows}
        unknown = [n for n in names if n not in known]
        if unknown:
            raise ValueError("unknown variant(s): " + ", ".join(unknown))
        return [r for r in rows if r["variant"] in names]
    if subset == "ci":
        return [r for r in rows if r["subset"] == "ci"]
    return rows


def read_report(reports, variant):
    """(report, problems): the parsed JSON report and what is wrong with the files."""
    problems = []
    base = os.path.join(reports, variant)
    try:
        with open(base + ".json", encoding="utf-8") as f:
            report = json.load(f)
    except (OSError, ValueError) as err:
        stderr = ""
        try:
            with open(base + ".stderr", encoding="utf-8", errors="replace") as f:
                stderr = f.read().strip().splitlines()[-1:] or ""
        except OSError:
            pass
        return None, [f"no JSON report ({err}){'; stderr: ' + stderr[0] if stderr else ''}"]
    if not isinstance(report, dict) or report.get("schema") != "dbloop.report/1":
        problems.append("report schema is not dbloop.report/1")
    try:
        ET.parse(base + ".xml")
    except (OSError, ET.ParseError) as err:
        problems.append(f"no valid JUnit report ({err})")
    return report, problems


def findings_of(report):
    for target in report.get("targets") or []:
        for finding in target.get("findings") or []:
            yield finding


def probes_of(report):
    for target in report.get("targets") or []:
        for probe in target.get("probes") or []:
            yield probe


def check_finding(row, report):
    findings = list(findings_of(report))
    if row["finding"] == "ok":
        errors = [f.get("class") for f in findings if f.get("severity") == "error"]
        return [f"expected no error finding, got {errors}"] if errors else []
    classes = [f.get("class") for f in findings]
    if row["finding"] not in classes:
        return [f"expected finding {row['finding']}, got {classes or 'none'}"]
    return []


def check_probes(row, report):
    problems = []
    probes = list(probes_of(report))
    for transport, want in row["probes"]:
        got = [p.get("class") for p in probes if p.get("transport") == transport]
        if want not in got:
            problems.append(f"{transport} probe: expected {want}, got {got or 'no probe'}")
    return problems


def check_mentions(row, report):
    text = json.dumps(list(findings_of(report))).lower()
    return [f"no finding mentions '{m}'" for m in row["mentions"] if m.lower() not in text]


def check_exit(row, reports, report):
    problems = []
    try:
        with open(os.path.join(reports, row["variant"] + ".exit"), encoding="utf-8") as f:
            status = int(f.read().strip())
        if status != row["exit"]:
            problems.append(f"exit status {status}, expected {row['exit']}")
    except (OSError, ValueError):
        problems.append("no exit status recorded")
    if report.get("ok") is not (row["exit"] == 0):
        problems.append(f"report ok={report.get('ok')}, expected {row['exit'] == 0}")
    return problems


def check_variant(row, reports):
    report, problems = read_report(reports, row["variant"])
    if report is None:
        return problems
    for check in (check_finding, check_probes, check_mentions):
        problems += check(row, report)
    problems += check_exit(row, reports, report)
    return problems


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--expected", default=os.path.join(HERE, "expected.txt"))
    parser.add_argument("--subset", choices=("ci", "all"), default="all")
    parser.add_argument("--variant", action="append", default=[])
    parser.add_argument("reports")
    args = parser.parse_args(argv)
    try:
        rows = select(load_expected(args.expected), args.subset, args.variant)
    except (OSError, ValueError) as err:
        print(f"check-reports: {err}", file=sys.stderr)
        return 2
    failed = 0
    width = max(len(r["variant"]) for r in rows)
    for row in rows:
        problems = check_variant(row, args.reports)
        failed += bool(problems)
        verdict = "FAIL" if problems else "ok  "
        detail = "; ".join(problems) if problems else row["finding"]
        print(f"{verdict} {row['variant']:<{width}}  {detail}")
    print(f"{len(rows) - failed}/{len(rows)} variants as expected"
          + (f", {failed} failed" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
