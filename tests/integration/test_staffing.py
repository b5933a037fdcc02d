"""Staffing over HTTP against the real binary: the `staffing` report (JSON in the reports'
shape and CSV), the staffing plan (PUT/GET round trip, validation, versions) and the what-if,
with the role matrix (401 anonymous, 403 agents and customers, 200 supervisors and admins).

The measures come from the demo desk (`init --demo`: tickets at line 1 and the partner desk,
escalations, a phone call with its length) and a few tickets filed here; the report facts'
follower runs every 2 s, so the first test waits until the report counts them.

Run: FIRSTLINE_BIN=build/src/server/firstline /usr/bin/python3 tests/integration/test_staffing.py
"""

from __future__ import annotations

import re
import time
import unittest
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode

from firstline_harness import ServerTestCase

REPORT = "/api/v1/reports/staffing"
PLAN = "/api/v1/staffing/plan"
WHAT_IF = "/api/v1/staffing/what-if"
WEEK_COLUMNS = ["day", "hour", "arrivals_per_hour", "needed", "planned", "wait_probability",
                "asa_seconds"]


def period() -> dict[str, str]:
    today = datetime.now(timezone.utc).date()
    return {"from": (today - timedelta(days=6)).isoformat(),
            "to": (today + timedelta(days=1)).isoformat()}


def query(**extra: object) -> str:
    params = {**period(), **{k: str(v) for k, v in extra.items()}}
    return REPORT + "?" + urlencode(params)


def figures(report: dict) -> dict:
    return {f["name"]: f["value"] for f in report["figures"]}


def table(report: dict, name: str) -> dict:
    for t in report["tables"]:
        if t["name"] == name:
            return t
    raise AssertionError(f"no table {name!r} in {[t['name'] for t in report['tables']]}")


class StaffingApiTest(ServerTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        s = cls.server
        for subject in ("Drucker druckt nicht", "VPN trennt sich", "Outlook startet nicht"):
            r = s.request("POST", "/api/v1/tickets",
                          {"subject": subject, "description": "Seit heute morgen."},
                          as_user="customer1")
            assert r.status == 201, r
        # The follower turns the history into report facts every 2 s.
        deadline = time.monotonic() + 30
        while True:
            r = s.request("GET", query(), as_user="supervisor")
            assert r.status == 200, r
            if figures(r.json)["tickets"] >= 3:
                break
            if time.monotonic() > deadline:
                raise AssertionError(f"the report never counted the tickets: {r!r}")
            time.sleep(0.5)

    # --- who may ---------------------------------------------------------------------

    def test_role_matrix(self):
        s = self.server
        calls = [("GET", query(), None), ("GET", PLAN, None), ("PUT", PLAN, {"desks": {}}),
                 ("POST", WHAT_IF, {**period()})]
        for method, path, body in calls:
            with self.subTest(method=method, path=path):
                self.assertProblem(s.request(method, path, body), 401)
                for login in ("l1.agent", "partner.agent", "vendor.agent", "customer1"):
                    self.assertProblem(s.request(method, path, body, as_user=login), 403)
        for login in ("supervisor", "admin"):
            self.assertStatus(s.request("GET", query(), as_user=login), 200)
            self.assertStatus(s.request("GET", PLAN, as_user=login), 200)
            self.assertStatus(s.request("POST", WHAT_IF, period(), as_user=login), 200)

    # --- the report ------------------------------------------------------------------

    def test_the_report_has_the_reports_shape(self):
        r = self.assertStatus(self.server.request("GET", query(), as_user="supervisor"), 200)
        self.assertEqual(r.content_type, "application/json")
        body = r.json
        self.assertEqual(body["report"], "staffing")
        self.assertTimestamp(body["from"], "from")
        self.assertTimestamp(body["to"], "to")
        self.assertEqual(body["filters"], {"line": "line1"})
        self.assertEqual(body["target"]["service_level"], 0.8)
        for f in body["figures"]:
            self.assertEqual(set(f), {"name", "value", "drill"}, f)
        fig = figures(body)
        for name in ("tickets", "weeks", "arrivals_per_week", "aht_seconds", "aht_source",
                     "tickets_timed", "peak_needed", "agent_hours_needed", "planned_agents",
                     "deflection_rate", "first_line_resolution", "outsourced_share"):
            self.assertIn(name, fig)
        self.assertGreaterEqual(fig["tickets"], 3)
        self.assertGreater(fig["weeks"], 0)
        self.assertGreater(fig["arrivals_per_week"], 0)
        self.assertIn(fig["aht_source"], ("measured", "assumed", "mixed"))
        self.assertGreaterEqual(fig["peak_needed"], 1)
        week = table(body, "week")
        self.assertEqual(week["columns"], WEEK_COLUMNS)
        self.assertEqual(week["chart"], "heat")
        self.assertEqual(len(week["rows"]), 168)
        self.assertEqual(week["rows"][0][:2], ["mon", 0])
        self.assertEqual(week["rows"][167][:2], ["sun", 23])
        self.assertAlmostEqual(sum(row[2] for row in week["rows"]), fig["arrivals_per_week"],
                               delta=0.05 * fig["arrivals_per_week"] + 0.1)
        self.assertEqual(max(row[3] for row in week["rows"]), fig["peak_needed"])
        for row in week["rows"]:
            self.assertTrue(0 <= row[5] <= 1, row)
        lines = table(body, "by_line")
        self.assertEqual(lines["columns"][:2], ["line", "desk"])
        desks = [row[1] for row in lines["rows"]]
        self.assertIn("line1", desks)
        self.assertIn("line2", desks)
        self.assertIn("partner", desks, "the demo's outsourced desk took tickets")

        line2 = self.assertStatus(
            self.server.request("GET", query(line=2), as_user="admin"), 200).json
        self.assertEqual(line2["filters"], {"line": "line2"})
        partner = self.assertStatus(
            self.server.request("GET", query(line="partner", shrinkage=0.3), as_user="admin"),
            200).json
        self.assertEqual(partner["target"]["shrinkage"], 0.3)

    def test_bad_parameters_are_named(self):
        s = self.server
        cases = [
            (REPORT + "?to=2026-12-01", "from"),
            (REPORT + "?from=2026-11-01&to=2026-10-01", "to"),
            (REPORT + "?from=2024-01-01&to=2026-01-01", "to"),
            (REPORT + "?from=yesterday&to=2026-10-01", "from"),
            (query(service_level=1.5), "service_level"),
            (query(service_level="most"), "service_level"),
            (query(answer_seconds=-1), "answer_seconds"),
            (query(max_occupancy=0), "max_occupancy"),
            (query(shrinkage=0.95), "shrinkage"),
            (query(line=7), "line"),
            (query(team="x"), "team"),
            (query(format="xml"), "format"),
            (query(format="csv", table="nope"), "table"),
        ]
        for path, field in cases:
            with self.subTest(path=path):
                self.assertProblem(s.request("GET", path, as_user="supervisor"), 422, field=field)

    def test_csv(self):
        s = self.server
        r = self.assertStatus(s.request("GET", query(format="csv"), as_user="supervisor"), 200)
        self.assertEqual(r.content_type, "text/csv")
        lines = r.text.splitlines()
        self.assertEqual(lines[0], "figure,value")
        self.assertTrue(any(re.fullmatch(r"tickets,\d+", line) for line in lines), lines)
        self.assertTrue(any(line.startswith("planned_agents,") for line in lines), lines)

        r = self.assertStatus(s.request("GET", query(format="csv", table="week"),
                                        as_user="supervisor"), 200)
        lines = r.text.splitlines()
        self.assertEqual(lines[0], ",".join(WEEK_COLUMNS))
        self.assertEqual(len(lines), 169)
        self.assertTrue(lines[1].startswith("mon,0,"), lines[1])
        r = self.assertStatus(s.request("GET", query(format="csv", table="by_line"),
                                        as_user="supervisor"), 200)
        self.assertTrue(r.text.startswith("line,desk,arrivals_per_week,"), r.text[:80])

    # --- the plan --------------------------------------------------------------------

    def test_plan_round_trip_validation_and_versions(self):
        s = self.server
        current = self.assertStatus(s.request("GET", PLAN, as_user="supervisor"), 200).json
        version = current["version"]
        plan = {"version": version,
                "desks": {"line1": {"shifts": [
                              {"days": ["mon", "tue", "wed", "thu", "fri"], "from": 7, "to": 19,
                               "agents": 3},
                              {"days": ["mon"], "from": 9, "to": 12, "agents": 2}]},
                          "line2": {"shifts": [{"days": ["mon", "tue", "wed", "thu", "fri"],
                                                "from": 8, "to": 17, "agents": 1}]}}}
        saved = self.assertStatus(s.request("PUT", PLAN, plan, as_user="supervisor"), 200).json
        self.assertEqual(saved["version"], version + 1)
        self.assertTimestamp(saved["updated_at"], "updated_at")
        self.assertEqual(saved["desks"], plan["desks"])
        self.assertEqual(saved["agents_per_hour"]["line1"][9], 5, "overlapping shifts add")
        self.assertEqual(saved["agents_per_hour"]["line1"][5 * 24 + 9], 0, "Saturday")
        read = self.assertStatus(s.request("GET", PLAN, as_user="admin"), 200).json
        self.assertEqual(read, saved)

        report = self.assertStatus(s.request("GET", query(), as_user="supervisor"), 200).json
        fig = figures(report)
        self.assertEqual(fig["planned_agents"], 5)
        self.assertEqual(fig["agent_hours_planned"], 5 * 12 * 3 + 3 * 2)
        week = table(report, "week")
        self.assertEqual(week["rows"][9][4], 5)
        self.assertEqual(week["rows"][0][4], 0)

        self.assertProblem(s.request("PUT", PLAN, plan, as_user="admin"), 409)
        plan["version"] = saved["version"]
        again = self.assertStatus(s.request("PUT", PLAN, plan, as_user="admin"), 200).json
        self.assertEqual(again["version"], saved["version"] + 1)

        bad = {"desks": {"line9": {"shifts": []},
                         "line1": {"shifts": [{"days": ["mon", "funday"], "from": 10, "to": 9,
                                               "agents": -2}]}}}
        body = self.assertProblem(s.request("PUT", PLAN, bad, as_user="supervisor"), 422)
        fields = {e["field"] for e in body["errors"]}
        self.assertLessEqual({"desks.line9", "desks.line1.shifts[0].days",
                              "desks.line1.shifts[0].to", "desks.line1.shifts[0].agents"},
                             fields)
        self.assertProblem(s.request("PUT", PLAN, {"shifts": []}, as_user="supervisor"), 422,
                           field="desks")
        self.assertProblem(s.request("PUT", PLAN, {"desks": {}, "version": "one"},
                                     as_user="supervisor"), 422, field="version")
        self.assertProblem(s.request("PUT", PLAN, raw=b"{", headers={
            "Content-Type": "application/json"}, as_user="supervisor"), 400)
        self.assertProblem(s.request("PUT", PLAN, raw=b"desks", headers={
            "Content-Type": "text/plain"}, as_user="supervisor"), 415)
        unchanged = self.assertStatus(s.request("GET", PLAN, as_user="admin"), 200).json
        self.assertEqual(unchanged["version"], again["version"])

    # --- the what-if -----------------------------------------------------------------

    def test_more_deflection_needs_no_more_agents_at_line_one(self):
        s = self.server
        base_only = self.assertStatus(
            s.request("POST", WHAT_IF, period(), as_user="supervisor"), 200).json
        measured = base_only["base"]["deflection_rate"]
        higher = min(0.9, measured + 0.3)
        r = self.assertStatus(s.request("POST", WHAT_IF, {
            **period(), "overrides": {"deflection_rate": higher}}, as_user="supervisor"), 200)
        body = r.json
        self.assertEqual(body["overrides"], {"deflection_rate": higher})
        self.assertEqual(body["what_if"]["deflection_rate"], higher)
        self.assertEqual(body["base"]["deflection_rate"], measured)
        self.assertLess(body["elapsed_ms"], 1000, "a what-if stays well under a second")
        self.assertGreaterEqual(body["simulated_weeks"], 1)
        desks = {d["desk"]: d for d in body["desks"]}
        self.assertIn("line1", desks)
        line1 = desks["line1"]
        self.assertLessEqual(line1["what_if"]["needed_peak"], line1["base"]["needed_peak"])
        self.assertLessEqual(line1["what_if"]["needed_agent_hours"],
                             line1["base"]["needed_agent_hours"])
        for side in ("base", "what_if"):
            d = line1[side]
            self.assertEqual(len(d["needed_per_hour"]), 168)
            self.assertIn(d["sla_risk"], ("none", "low", "medium", "high"))
            self.assertTrue(0 <= d["service_level"] <= 1, d)
            self.assertGreaterEqual(d["mean_wait_seconds"], 0)
        # The same request gives the same answer: a fixed seed.
        again = self.assertStatus(s.request("POST", WHAT_IF, {
            **period(), "overrides": {"deflection_rate": higher}}, as_user="supervisor"), 200).json
        self.assertEqual(again["desks"], body["desks"])

        more = self.assertStatus(s.request("POST", WHAT_IF, {
            **period(), "overrides": {"arrival_factor": 3, "outsourced_share": 0.5,
                                      "first_line_resolution": 0.5}}, as_user="admin"), 200).json
        m1 = {d["desk"]: d for d in more["desks"]}
        self.assertGreaterEqual(m1["line2"]["what_if"]["needed_agent_hours"],
                                m1["line2"]["base"]["needed_agent_hours"])

    def test_what_if_input_is_checked(self):
        s = self.server
        cases = [
            ({**period(), "overrides": {"deflection_rate": 1.5}}, "overrides.deflection_rate"),
            ({**period(), "overrides": {"arrival_factor": -1}}, "overrides.arrival_factor"),
            ({**period(), "overrides": {"first_line_resolution": "most"}},
             "overrides.first_line_resolution"),
            ({**period(), "overrides": {"deflection": 0.2}}, "overrides.deflection"),
            ({**period(), "overrides": [0.2]}, "overrides"),
            ({"to": period()["to"]}, "from"),
            ({**period(), "service_level": 0}, "service_level"),
            ({**period(), "team": "desk"}, "team"),
            ({**period(), "channel": 3}, "channel"),
            ({**period(), "overides": {}}, "overides"),
        ]
        for body, field in cases:
            with self.subTest(field=field):
                self.assertProblem(s.request("POST", WHAT_IF, body, as_user="supervisor"), 422,
                                   field=field)
        self.assertProblem(s.request("POST", WHAT_IF, raw=b"[1]", headers={
            "Content-Type": "application/json"}, as_user="supervisor"), 400)

    def test_openapi_documents_the_routes(self):
        text = self.assertStatus(self.server.request("GET", "/api/v1/openapi.yaml"), 200).text
        for path in (REPORT, PLAN, WHAT_IF):
            self.assertRegex(text, rf"(?m)^  {re.escape(path)}:$")


if __name__ == "__main__":
    unittest.main()
