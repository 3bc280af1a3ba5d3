"""Every MySQL/MariaDB row of ../../shared/spec/scenarios.md against the built dbloop.

One test per row: bring the scenario up in its own namespace (tests/lab),
run `dbloop diagnose -f json` with the row's client settings, and assert
each transport's probe class, the bold finding with a fix naming the
setting to change, the exit status, and that no password leaks.
"""

import unittest

from lab import scenarios, testing


class MyScenarioTests(testing.ScenarioTests):
    engine = "mysql"


testing.generate(MyScenarioTests, scenarios.names("mysql"))


class MyExtraScenarioTests(testing.ScenarioTests):
    """IPv6 disabled on the loopback: ::1 gives EADDRNOTAVAIL (classes.md's exception)."""

    def test_my_ipv6_disabled(self):
        report = self.run_scenario("my_ipv6_disabled")
        tcp6 = {p["transport"]: p for p in report["targets"][0]["probes"]}["tcp6"]
        self.assertEqual(tcp6.get("errno"), "EADDRNOTAVAIL")


class MySplitScenarioTests(testing.ScenarioTests):
    """The same credentials log in over one transport and are refused over
    another (issue 13): never access_denied."""


testing.generate(MySplitScenarioTests,
                 [n for n, s in scenarios.SPLIT.items() if s.engine == "mysql"])


if __name__ == "__main__":
    unittest.main()
