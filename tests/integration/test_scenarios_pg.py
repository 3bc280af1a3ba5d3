"""Every PostgreSQL row of ../../shared/spec/scenarios.md against the built dbloop.

One test per row: bring the scenario up in its own namespace (tests/lab),
run `dbloop diagnose -f json` with the row's client settings, and assert
each transport's probe class, the bold finding with a fix naming the
setting to change, the exit status, and that no password leaks.
"""

import unittest

from lab import scenarios, testing


class PgScenarioTests(testing.ScenarioTests):
    engine = "postgres"


testing.generate(PgScenarioTests, scenarios.names("postgres"))


class PgExtraScenarioTests(testing.ScenarioTests):
    """IPv6 disabled on the loopback: ::1 gives EADDRNOTAVAIL (classes.md's exception)."""

    def test_pg_ipv6_disabled(self):
        report = self.run_scenario("pg_ipv6_disabled")
        tcp6 = {p["transport"]: p for p in report["targets"][0]["probes"]}["tcp6"]
        self.assertEqual(tcp6.get("errno"), "EADDRNOTAVAIL")


class PgGreetingLookTests(testing.ScenarioTests):
    """A password login's method comes from libpq's trace of the login's own
    messages; the look at the greeting (one more backend per transport, for
    the SCRAM salt) is made only when another transport failed (issue 16)."""

    @staticmethod
    def probes(report):
        return {p["transport"]: p for p in report["targets"][0]["probes"]}

    def test_healthy_run_takes_the_method_from_the_login(self):
        for t, p in self.probes(self.run_scenario("pg_ok")).items():
            g = p["greeting"]["postgres"]
            self.assertEqual((p["class"], p["auth_method"], g["auth_request"]),
                             ("ok", "scram-sha-256", 10), t)
            self.assertNotIn("scram_salt", g, t)  # no look: no extra backend

    def test_failed_transport_gets_the_salts_compared(self):
        report = self.run_scenario("pg_second_instance")
        probes = self.probes(report)
        salts = {t: probes[t]["greeting"]["postgres"].get("scram_salt")
                 for t in ("unix", "tcp4", "tcp6", "localhost")}
        self.assertTrue(all(salts.values()), salts)
        self.assertEqual(salts["tcp4"], salts["localhost"])  # reused, then looked at
        self.assertNotEqual(salts["tcp4"], salts["tcp6"])
        evidence = [e for f in report["targets"][0]["findings"]
                    for e in f.get("evidence", [])]
        self.assertTrue(any("SCRAM salt" in e for e in evidence), evidence)

    def test_md5_login_named_from_its_trace(self):
        probes = self.probes(self.run_scenario("pg_md5_secret_scram_line"))
        for t in ("tcp4", "unix"):
            self.assertEqual((probes[t]["class"], probes[t]["auth_method"]),
                             ("ok", "md5"), t)


class PgSplitScenarioTests(testing.ScenarioTests):
    """The same credentials log in over one transport and are refused over
    another (issue 13): never access_denied."""


testing.generate(PgSplitScenarioTests,
                 [n for n, s in scenarios.SPLIT.items() if s.engine == "postgres"])


if __name__ == "__main__":
    unittest.main()
