"""Issue 2's smoke test: one PostgreSQL and one MariaDB started through the
lab; the built dbloop (-f json) reads a server version string from each;
afterwards no server process of the run is left.
"""

import os
import unittest

import lab
from lab import dbloop as dbl
from lab import scenarios, testing


def versions(report):
    """Every server version string the report carries (target and probes)."""
    found = []
    for target in report.get("targets") or []:
        servers = [target.get("server")] + [p.get("server") for p in target.get("probes") or []]
        found += [s.get("version") for s in servers if isinstance(s, dict) and s.get("version")]
    return found


class SmokeTests(testing.LabTestCase):

    def test_version_read_from_each_server_and_nothing_left(self):
        pids = []
        for name, product in (("pg_ok", "PostgreSQL"), ("my_ok", "MariaDB")):
            with self.subTest(engine=name), scenarios.running(name) as run:
                pids.append(run.servers[0].proc.pid)
                status, report, out, err = dbl.diagnose(run)
                self.assertNotIn(run.client.password, out + err)
                self.assertIsNotNone(report, f"not JSON (status {status}): {out[:300]!r} "
                                             f"{err[:300]!r}")
                found = versions(report)
                self.assertTrue(found, f"no server version in the report of {name}")
                self.assertTrue(all(isinstance(v, str) and v.strip() for v in found))
                if product == "MariaDB":
                    self.assertTrue(any("MariaDB" in v for v in found), found)
                else:
                    self.assertTrue(any(v[:2].isdigit() for v in found), found)
                self.assertEqual(status, 0, f"stderr: {err[:300]}")
        for pid in pids:
            self.assertFalse(os.path.exists(f"/proc/{pid}"), f"server {pid} still running")
        self.assertEqual(lab.processes_under(lab.run_root()), [])


if __name__ == "__main__":
    unittest.main()
