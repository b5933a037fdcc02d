"""The service-desk reports over HTTP on the demo data: supervisors and admins read every report
in JSON and CSV, compare with the previous period and drill from a number to its tickets; agents
and customers are refused; bad periods and filters are refused by name; a ticket solved on the
spot shows up in line 1's figures within the follower's few seconds.

Run: FIRSTLINE_BIN=build/release/src/server/firstline /usr/bin/python3 tests/integration/test_reports.py
"""

from __future__ import annotations

import csv
import datetime
import io
import time
import unittest
from urllib.parse import urlencode

from firstline_harness import ServerTestCase, items

NAMES = ["line0", "line1", "escalation", "sla", "backlog", "csat"]


def period(days: int = 30) -> dict[str, str]:
    today = datetime.datetime.now(datetime.timezone.utc).date()
    return {"from": (today - datetime.timedelta(days=days)).isoformat(),
            "to": (today + datetime.timedelta(days=1)).isoformat()}


class ReportsApiTest(ServerTestCase):
    def report(self, name: str, as_user: str = "supervisor", **params: str):
        query = urlencode({**period(), **params})
        return self.server.request("GET", f"/api/v1/reports/{name}?{query}", as_user=as_user)

    def figures(self, body: dict) -> dict:
        return {f["name"]: f["value"] for f in body["figures"]}

    def test_the_role_matrix(self):
        query = urlencode(period())
        for name in NAMES:
            self.assertProblem(self.server.request("GET", f"/api/v1/reports/{name}?{query}"), 401)
            for who in ("l1.agent", "customer1"):
                self.assertProblem(self.report(name, as_user=who), 403)
                self.assertProblem(self.server.request(
                    "GET", f"/api/v1/reports/{name}/tickets?{query}&figure=tickets",
                    as_user=who), 403)
            for who in ("supervisor", "admin"):
                body = self.assertStatus(self.report(name, as_user=who), 200).json
                self.assertEqual(body["report"], name)
                self.assertTrue(body["figures"], name)
                for table in body["tables"]:
                    for row in table["rows"]:
                        self.assertEqual(len(row), len(table["columns"]), table["name"])
        self.assertProblem(self.report("nonsense"), 404)

    def test_bad_periods_and_filters_are_named(self):
        self.assertProblem(self.server.request("GET", "/api/v1/reports/line1",
                                               as_user="supervisor"), 422, field="from")
        self.assertProblem(self.report("line1", **{"from": "2026-13-01"}), 422, field="from")
        self.assertProblem(self.report("line1", **{"from": "2026-10-01", "to": "2026-09-01"}),
                           422, field="to")
        self.assertProblem(self.report("line1", **{"from": "2020-01-01", "to": "2026-01-01"}),
                           422, field="to")
        self.assertProblem(self.report("line1", line="7"), 422, field="line")
        self.assertProblem(self.report("line1", team="x"), 422, field="team")
        self.assertProblem(self.report("line1", channel="pigeon"), 422, field="channel")
        self.assertProblem(self.report("line1", compare="yesterday"), 422, field="compare")
        self.assertProblem(self.report("line1", format="csv", table="nope"), 422, field="table")
        query = urlencode(period())
        self.assertProblem(self.server.request(
            "GET", f"/api/v1/reports/line1/tickets?{query}", as_user="supervisor"), 422,
            field="figure")
        self.assertProblem(self.server.request(
            "GET", f"/api/v1/reports/line1/tickets?{query}&figure=nope", as_user="supervisor"), 404)

    def test_a_ticket_solved_on_the_spot_counts_and_drills(self):
        before = self.figures(self.assertStatus(self.report("line1"), 200).json)
        created = self.assertStatus(self.server.request(
            "POST", "/api/v1/tickets", {"subject": "Reports: printer offline"},
            as_user="customer1"), 201).json
        ticket = created["id"]
        self.assertStatus(self.server.request(
            "POST", f"/api/v1/tickets/{ticket}/entries",
            {"kind": "reply", "body": "Switched it on again."}, as_user="l1.agent"), 201)
        self.assertStatus(self.server.request(
            "PATCH", f"/api/v1/tickets/{ticket}", {"status": "resolved"}, as_user="l1.agent"), 200)
        deadline = time.monotonic() + 20
        while True:
            after = self.figures(self.assertStatus(self.report("line1"), 200).json)
            if after["fcr"] > before["fcr"] or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        self.assertEqual(after["tickets"], before["tickets"] + 1)
        self.assertEqual(after["fcr"], before["fcr"] + 1)
        query = urlencode({**period(), "figure": "fcr"})
        drilled = self.assertStatus(self.server.request(
            "GET", f"/api/v1/reports/line1/tickets?{query}", as_user="supervisor"), 200).json
        self.assertIn(ticket, [t["id"] for t in items(drilled)])
        self.assertEqual(items(drilled)[0]["id"], ticket, "newest first")

    def test_compare_and_csv(self):
        body = self.assertStatus(self.report("backlog", compare="previous"), 200).json
        self.assertIn("previous", body)
        self.assertEqual(body["previous"]["to"][:10], period()["from"])
        figures = self.assertStatus(self.report("backlog", compare="previous", format="csv"), 200)
        self.assertEqual(figures.content_type, "text/csv")
        self.assertIn("attachment", figures.headers.get("Content-Disposition", ""))
        rows = list(csv.reader(io.StringIO(figures.text)))
        self.assertEqual(rows[0], ["figure", "value", "previous"])
        self.assertIn("open", [r[0] for r in rows[1:]])
        table = self.assertStatus(self.report("backlog", format="csv", table="by_age"), 200)
        rows = list(csv.reader(io.StringIO(table.text)))
        self.assertEqual(rows[0], ["age", "open", "line1", "line2", "line3", "line4"])

    def test_filters_narrow_the_figures(self):
        everyone = self.figures(self.assertStatus(self.report("backlog"), 200).json)
        line2 = self.figures(self.assertStatus(self.report("backlog", line="2"), 200).json)
        self.assertLessEqual(line2["open"], everyone["open"])
        body = self.assertStatus(self.report("backlog", line="2"), 200).json
        self.assertEqual(body["filters"], {"line": 2})
        for row in next(t for t in body["tables"] if t["name"] == "by_line_status")["rows"]:
            self.assertEqual(row[0], 2)


if __name__ == "__main__":
    unittest.main()
