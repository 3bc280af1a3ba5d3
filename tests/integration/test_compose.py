"""The compose test matrix in docker/ (issues 7 and 9).

- compose.yaml and compose.offline.yaml validate with `docker-compose config
  -q` (Debian's docker-compose 1.29 only validates: no engine runs here), and
  a deliberately broken copy does not;
- the variants in compose.yaml, docker/expected.txt and the scenario names
  of shared/spec/scenarios.md agree; the network is internal with the subnet
  run-matrix.sh creates; the offline override covers every server;
- every Dockerfile passes an offline lint (instructions, continuation
  lines, JSON forms, stages, COPY sources) — the real build is in the run;
- `docker/run-matrix.sh --subset ci` builds the images offline, runs the
  subset under podman-compose, asserts every variant's report and leaves
  nothing behind. It needs root; outside CI it is skipped when it cannot
  run (or with DBLOOP_SKIP_MATRIX=1); with CI=true it never skips.
"""

import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOCKER = REPO / "docker"
SCENARIOS = REPO.parent / "shared" / "spec" / "scenarios.md"
IN_CI = os.environ.get("CI") == "true"
PROJECT = "dbloop_matrix"

INSTRUCTIONS = {"FROM", "RUN", "CMD", "LABEL", "EXPOSE", "ENV", "ADD", "COPY",
                "ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD",
                "STOPSIGNAL", "HEALTHCHECK", "SHELL", "MAINTAINER"}
JSON_FORMS = {"CMD", "ENTRYPOINT", "SHELL"}


def unavailable(test, why):
    """Skip outside CI; in CI a missing prerequisite is a failure."""
    if IN_CI:
        test.fail(why + " (CI=true: not skipping)")
    test.skipTest(why)


def compose_config(*files):
    cmd = ["docker-compose"]
    for f in files:
        cmd += ["-f", str(f)]
    return subprocess.run(cmd + ["config", "-q"], capture_output=True,
                          text=True, timeout=60)


def load_yaml(path):
    import yaml  # python3-yaml, a dependency of docker-compose
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def expected_rows():
    rows = {}
    for line in (DOCKER / "expected.txt").read_text().splitlines():
        cols = line.split("#", 1)[0].split()
        if cols:
            rows[cols[0]] = {"finding": cols[1], "exit": cols[2],
                             "subset": cols[3], "servers": cols[4].split(",")}
    return rows


def dockerfile_instructions(path):
    """(lineno, INSTRUCTION, rest) with continuation lines joined."""
    out, buf, start = [], "", 0
    for n, raw in enumerate(path.read_text().splitlines(), 1):
        line = raw.strip()
        if not buf and (not line or line.startswith("#")):
            continue
        if buf and line.startswith("#"):
            continue
        if not buf:
            start = n
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        buf += line
        word, _, rest = buf.partition(" ")
        out.append((start, word, rest.strip()))
        buf = ""
    if buf:
        out.append((start, "<unterminated continuation>", buf))
    return out


def lint_dockerfile(path, context):
    """Problems found in a Dockerfile, as strings."""
    problems, stages = [], set()
    seen_from = False
    for n, word, rest in dockerfile_instructions(path):
        where = f"{path.name}:{n}"
        if word.upper() not in INSTRUCTIONS:
            problems.append(f"{where}: unknown instruction {word!r}")
            continue
        word = word.upper()
        if not seen_from and word not in ("ARG", "FROM"):
            problems.append(f"{where}: {word} before the first FROM")
        if word == "FROM":
            seen_from = True
            m = re.match(r"(\S+)(?:\s+AS\s+(\S+))?$", rest, re.IGNORECASE)
            if not m:
                problems.append(f"{where}: malformed FROM {rest!r}")
            elif m.group(2):
                stages.add(m.group(2))
        if word in JSON_FORMS and rest.startswith("["):
            try:
                if not all(isinstance(x, str) for x in json.loads(rest)):
                    raise ValueError("not all strings")
            except ValueError as err:
                problems.append(f"{where}: bad JSON form {rest!r}: {err}")
        if word == "COPY":
            args = rest.split()
            opts = [a for a in args if a.startswith("--")]
            srcs = [a for a in args if not a.startswith("--")][:-1]
            from_stage = [o.split("=", 1)[1] for o in opts if o.startswith("--from=")]
            if from_stage:
                if from_stage[0] not in stages:
                    problems.append(f"{where}: COPY --from unknown stage {from_stage[0]}")
                continue
            if not srcs:
                problems.append(f"{where}: COPY without a source")
            for src in srcs:
                if not (context / src).exists():
                    problems.append(f"{where}: COPY source {src} not in the context")
    if not seen_from:
        problems.append(f"{path.name}: no FROM")
    return problems


class ComposeFiles(unittest.TestCase):
    def setUp(self):
        if shutil.which("docker-compose") is None:
            unavailable(self, "docker-compose not installed (apt-get install docker-compose)")

    def test_compose_and_override_validate(self):
        for files in ([DOCKER / "compose.yaml"],
                      [DOCKER / "compose.yaml", DOCKER / "compose.offline.yaml"]):
            result = compose_config(*files)
            self.assertEqual(result.returncode, 0,
                             f"docker-compose config -q {files}: {result.stderr}")

    def test_validation_rejects_a_broken_file(self):
        text = (DOCKER / "compose.yaml").read_text()
        broken = text.replace("    network_mode: 'service:pg_ipv4_only'",
                              "    network_mode: 'service:pg_ipv4_only'\n    no_such_key: 1", 1)
        self.assertNotEqual(broken, text)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "compose.yaml"
            path.write_text(broken)
            self.assertNotEqual(compose_config(path).returncode, 0)


class MatrixDefinition(unittest.TestCase):
    def setUp(self):
        try:
            self.compose = load_yaml(DOCKER / "compose.yaml")
            self.offline = load_yaml(DOCKER / "compose.offline.yaml")
        except ImportError:
            unavailable(self, "python3-yaml not installed")
        self.services = self.compose["services"]
        self.rows = expected_rows()

    def test_every_variant_has_a_dbloop_service_and_servers(self):
        for variant, row in self.rows.items():
            self.assertIn(f"dbloop_{variant}", self.services)
            for server in row["servers"]:
                self.assertIn(server, self.services, variant)
        dbloop = {s[len("dbloop_"):] for s in self.services if s.startswith("dbloop_")}
        self.assertEqual(dbloop, set(self.rows))

    def test_dbloop_services_write_their_variant_report(self):
        for variant in self.rows:
            service = self.services[f"dbloop_{variant}"]
            self.assertEqual(service["command"][0], variant)
            self.assertIn("reports:/reports", service["volumes"])

    def test_misconfigured_variants_are_named_after_scenarios(self):
        if not SCENARIOS.exists():
            unavailable(self, f"{SCENARIOS} not found")
        names = set(re.findall(r"^\| `([a-z0-9_]+)` \|", SCENARIOS.read_text(), re.M))
        for variant, row in self.rows.items():
            base = re.sub(r"_ok_\w+$", "_ok", variant)
            if row["finding"] != "ok" and "in_container" not in variant:
                self.assertIn(base, names, f"{variant} is not a scenario of scenarios.md")

    def test_ci_subset_has_healthy_and_three_broken_per_engine(self):
        for prefix in ("pg_", "my_"):
            ci = [r for v, r in self.rows.items() if v.startswith(prefix) and r["subset"] == "ci"]
            self.assertGreaterEqual(sum(r["finding"] == "ok" for r in ci), 1, prefix)
            self.assertGreaterEqual(sum(r["finding"] != "ok" for r in ci), 3, prefix)

    def test_network_is_internal_with_the_subnet_run_matrix_creates(self):
        lab = self.compose["networks"]["lab"]
        self.assertTrue(lab.get("internal"))
        subnet = lab["ipam"]["config"][0]["subnet"]
        script = (DOCKER / "run-matrix.sh").read_text()
        self.assertIn(f"subnet={subnet}", script)
        self.assertIn(f"network={lab['name']}", script)

    def test_offline_override_replaces_every_server_image(self):
        for name, service in self.services.items():
            if name.startswith("dbloop_"):
                continue
            image = (self.offline["services"].get(name) or {}).get("image", "")
            self.assertTrue(image.startswith("localhost/dbloop-matrix/"), name)


class Dockerfiles(unittest.TestCase):
    def test_dockerfiles_lint_clean(self):
        files = [(DOCKER / "Dockerfile", REPO)]
        files += [(p, p.parent) for p in sorted((DOCKER / "servers").glob("*/Dockerfile"))]
        self.assertGreaterEqual(len(files), 3)
        for path, context in files:
            self.assertEqual(lint_dockerfile(path, context), [], str(path))

    def test_lint_catches_mistakes(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "Dockerfile"
            path.write_text('RUN true\nFROM x AS a\nRUNN echo \\\n  hi\n'
                            'COPY --from=b /x /y\nCOPY missing /z\nENTRYPOINT ["a",\n')
            problems = "\n".join(lint_dockerfile(path, Path(tmp)))
            for needle in ("before the first FROM", "unknown instruction 'RUNN'",
                           "unknown stage b", "missing not in the context", "bad JSON"):
                self.assertIn(needle, problems)


class MatrixRun(unittest.TestCase):
    def left_behind(self):
        ps = subprocess.run(["podman", "ps", "-aq", "--filter",
                             f"label=io.podman.compose.project={PROJECT}"],
                            capture_output=True, text=True)
        net = subprocess.run(["podman", "network", "exists", "dbloop_matrix_lab"])
        return ps.stdout.split(), net.returncode == 0

    def test_ci_subset_runs_and_every_report_matches(self):
        if os.environ.get("DBLOOP_SKIP_MATRIX") == "1" and not IN_CI:
            self.skipTest("DBLOOP_SKIP_MATRIX=1")
        if os.geteuid() != 0:
            unavailable(self, "run-matrix.sh needs root (rootful podman, debootstrap)")
        if shutil.which("podman") is None and shutil.which("apt-get") is None:
            unavailable(self, "neither podman nor apt-get to install it")
        result = subprocess.run([str(DOCKER / "run-matrix.sh"), "--subset", "ci"],
                                capture_output=True, text=True, timeout=840)
        print(result.stdout[-6000:])
        print(result.stderr[-3000:])
        containers, network = self.left_behind()
        self.assertEqual(containers, [], "containers left running")
        self.assertFalse(network, "network dbloop_matrix_lab left behind")
        summary = [l for l in result.stdout.splitlines() if "variants as expected" in l]
        self.assertTrue(summary, "no summary line: the matrix did not run")
        self.assertEqual(result.returncode, 0, summary[-1])
        wanted = sum(r["subset"] == "ci" for r in expected_rows().values())
        self.assertIn(f"{wanted}/{wanted} variants as expected", summary[-1])


if __name__ == "__main__":
    unittest.main()
