"""Queue views over HTTP: the ticket list's SLA, priority and tag filters, the sort by SLA due
time paged with its cursor, queue counts per role, saved views (own and shared by a
supervisor) and the requester's rating (CSAT) of a resolved ticket.

The server runs on the real clock. Chat tickets get a 24/7 policy with long targets (running,
never at risk during the test); bot tickets one whose first-response clock is at risk after
1 % of a minute, so "at risk" shows within a second without waiting for a breach.

Run: FIRSTLINE_BIN=build/release/src/server/firstline /usr/bin/python3 tests/integration/test_queues.py
"""

from __future__ import annotations

import os
import time
import unittest
from datetime import datetime
from urllib.parse import quote

from firstline_harness import ServerTestCase, items

TICKETS = "/api/v1/tickets"
VIEWS = "/api/v1/me/views"


def around_the_clock(name: str) -> dict:
    day = [["00:00", "24:00"]]
    return {"name": name, "time_zone": "UTC",
            "week": {d: day for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
            "holidays": []}


def targets(first_response: int, resolution: int) -> dict:
    return {p: {"first_response_minutes": first_response, "resolution_minutes": resolution}
            for p in ("P1", "P2", "P3", "P4")}


class QueuesTest(ServerTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        s = cls.server
        r = s.request("POST", "/api/v1/sla/calendars", around_the_clock("24/7 queues"),
                      as_user="admin")
        assert r.status == 201, repr(r)
        calendar = r.json["id"]
        for body in (
            {"name": "Chat, long", "rank": 1, "calendar_id": calendar, "targets": targets(600, 6000),
             "applies_to": {"channels": ["chat"]}},
            {"name": "Bot, at risk at once", "rank": 2, "calendar_id": calendar,
             "targets": targets(1, 6000), "applies_to": {"channels": ["bot"]},
             "ladder": [{"metric": "first_response", "percent": 1, "notify_assignee": True}]},
        ):
            r = s.request("POST", "/api/v1/sla/policies", body, as_user="admin")
            assert r.status == 201, repr(r)
        users = items(s.request("GET", "/api/v1/users", as_user="admin").json)
        cls.customer1 = next(u["id"] for u in users if u["login"] == "customer1")
        cls.run_tag = f"run{os.getpid()}"

    def ticket(self, subject: str, *, channel: str = "chat", impact: int = 3, urgency: int = 3,
               tags: list[str] | None = None) -> dict:
        body = {"subject": f"{subject} {os.getpid()}", "requester_id": self.customer1,
                "channel": channel, "impact": impact, "urgency": urgency,
                "tags": [self.run_tag] + (tags or [])}
        return self.assertStatus(self.server.request("POST", TICKETS, body, as_user="l1.agent"),
                                 201).json

    def listed(self, query: str, as_user: str = "supervisor") -> list[dict]:
        r = self.server.request("GET", f"{TICKETS}?tag={self.run_tag}&limit=200&{query}",
                                as_user=as_user)
        return self.assertStatus(r, 200).json["items"]

    def test_filters_and_the_sort_by_sla_due_time(self):
        p1 = self.ticket("P1 printer", impact=1, urgency=1, tags=["printer"])
        p3 = self.ticket("P3 printer vpn", impact=1, urgency=3, tags=["printer", "vpn"])
        web = self.ticket("Solved at once", channel="web", tags=["vpn"])
        for t in (p1, p3):
            self.assertEqual(t["sla_state"], "running", t)
            self.assertTimestamp(t["sla_due_at"], "sla_due_at")
        self.assertIsNone(web["rating"])
        web = self.assertStatus(self.server.request("PATCH", f"{TICKETS}/{web['id']}",
                                                    {"status": "resolved"}, as_user="l1.agent"),
                                200).json
        self.assertEqual((web["sla_state"], web["sla_due_at"]), ("none", None),
                         "a solved ticket's clocks have stopped")

        ids = lambda ts: [t["id"] for t in ts]  # noqa: E731
        self.assertEqual(ids(self.listed("priority=P1")), [p1["id"]])
        self.assertEqual(set(ids(self.listed("priority=P1,P3"))), {p1["id"], p3["id"]})
        self.assertEqual(ids(self.listed("tag=printer&tag=vpn")), [p3["id"]], "every tag")
        self.assertIn(web["id"], ids(self.listed("sla=none")))
        self.assertNotIn(web["id"], ids(self.listed("sla=running,at_risk")))

        # Sorted by due time, tickets without one last; every ticket once across the pages.
        for _ in range(3):
            self.ticket("Filler")
        seen, cursor = [], None
        for _ in range(20):
            path = f"{TICKETS}?tag={self.run_tag}&sort=sla_due&limit=2"
            if cursor:
                path += f"&cursor={quote(cursor)}"
            page = self.assertStatus(self.server.request("GET", path, as_user="supervisor"),
                                     200).json
            seen += page["items"]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        everything = self.listed("")
        self.assertEqual(sorted(ids(seen)), sorted(ids(everything)), "each ticket once")
        keys = [(t["sla_due_at"] is None,
                 datetime.fromisoformat(t["sla_due_at"].replace("Z", "+00:00")).timestamp()
                 if t["sla_due_at"] else 0, t["id"]) for t in seen]
        self.assertEqual(keys, sorted(keys), "due first, none last, ties by id")

        for query, field in (("sla=late", "sla"), ("priority=P9", "priority"),
                             ("sort=priority", "sort"), ("sort=sla_due&cursor=17", "cursor"),
                             ("cursor=none.17", "cursor")):
            self.assertProblem(self.server.request("GET", f"{TICKETS}?{query}",
                                                   as_user="l1.agent"), 422, field=field)

    def test_queue_counts_per_role(self):
        self.ticket("Counted")
        risky = self.ticket("At risk at once", channel="bot")
        time.sleep(1.0)  # 1 % of a minute has passed
        self.assertIn(risky["id"], [t["id"] for t in self.listed("sla=at_risk")])
        got = self.assertStatus(self.server.request("GET", f"{TICKETS}/{risky['id']}",
                                                    as_user="l1.agent"), 200).json
        self.assertEqual(got["sla_state"], "at_risk")

        q = self.assertStatus(self.server.request("GET", "/api/v1/queues", as_user="supervisor"),
                              200).json
        self.assertTimestamp(q["as_of"])
        desk = next(t for t in q["teams"] if t["team"]["name"] == "Service Desk")
        self.assertEqual(desk["line"], 1)
        self.assertGreaterEqual(desk["open"], 2)
        self.assertGreaterEqual(desk["unassigned"], 2)
        self.assertGreaterEqual(desk["at_risk"], 1)
        line1 = next(line for line in q["lines"] if line["line"] == 1)
        self.assertEqual(line1["open"], sum(t["open"] for t in q["teams"] if t["line"] == 1))

        # Escalated to line 3: line 2 does not see it, the network team does.
        esc = self.ticket("Switch down")
        self.assertStatus(self.server.request(
            "POST", f"{TICKETS}/{esc['id']}/escalations",
            {"to_line": 3, "reason": "infrastructure", "handoff_note": "Port dead"},
            as_user="l1.agent"), 201)
        lines = lambda who: {x["line"] for x in self.assertStatus(  # noqa: E731
            self.server.request("GET", "/api/v1/queues", as_user=who), 200).json["lines"]}
        self.assertIn(3, lines("supervisor"))
        self.assertNotIn(3, lines("l2.agent"))
        self.assertIn(3, lines("l3.agent"))
        self.assertLessEqual(lines("vendor.agent"), {4}, "only what is at the vendor")
        self.assertProblem(self.server.request("GET", "/api/v1/queues", as_user="customer1"), 403)
        self.assertProblem(self.server.request("GET", "/api/v1/queues"), 401)

    def test_saved_views(self):
        def create(as_user: str, **body):
            return self.server.request("POST", VIEWS, body, as_user=as_user)

        mine = self.assertStatus(create("l1.agent", name="Mine by due",
                                        query="assignee=me&sort=sla_due"), 201)
        self.assertEqual(mine.headers.get("Location"), f"{VIEWS}/{mine.json['id']}")
        view = mine.json
        self.assertEqual((view["name"], view["query"], view["shared"]),
                         ("Mine by due", "assignee=me&sort=sla_due", False))
        self.assertTimestamp(view["created_at"])
        self.assertProblem(create("l1.agent", name="Mine by due", query=""), 409)
        self.assertProblem(create("l1.agent", name="Bad", query="sla=late"), 422, field="query")
        self.assertProblem(create("l1.agent", name="Shared", query="", shared=True), 403)
        self.assertProblem(create("l1.agent", name="", query=""), 422, field="name")

        shared = self.assertStatus(create("supervisor", name="Desk at risk",
                                          query="team=1&sla=at_risk,breached&sort=sla_due",
                                          shared=True), 201).json
        names = lambda who: [v["name"] for v in self.assertStatus(  # noqa: E731
            self.server.request("GET", VIEWS, as_user=who), 200).json["items"]]
        self.assertEqual(names("l1.agent"), ["Desk at risk", "Mine by due"])
        self.assertEqual(names("l2.agent"), [], "another team")
        self.assertProblem(self.server.request("PUT", f"{VIEWS}/{shared['id']}",
                                               {"name": "Mine now", "query": ""},
                                               as_user="l1.agent"), 403)
        self.assertProblem(self.server.request("DELETE", f"{VIEWS}/{view['id']}",
                                               as_user="l2.agent"), 404)

        changed = self.assertStatus(self.server.request(
            "PUT", f"{VIEWS}/{view['id']}", {"name": "Mine, P1 first", "query": "priority=P1"},
            as_user="l1.agent"), 200).json
        self.assertEqual((changed["name"], changed["query"]), ("Mine, P1 first", "priority=P1"))
        # The stored query string works as the list's.
        self.assertStatus(self.server.request("GET", f"{TICKETS}?{changed['query']}",
                                              as_user="l1.agent"), 200)
        self.assertStatus(self.server.request("DELETE", f"{VIEWS}/{view['id']}",
                                              as_user="l1.agent"), 204)
        self.assertEqual(names("l1.agent"), ["Desk at risk"])
        # Customers keep views of their own tickets too.
        self.assertStatus(create("customer1", name="Open", query="status=new,open"), 201)

    def test_the_requester_rates_a_resolved_ticket(self):
        t = self.ticket("Rate me")
        path = f"{TICKETS}/{t['id']}/rating"
        early = self.assertProblem(self.server.request("PUT", path, {"score": 5},
                                                       as_user="customer1"), 409)
        self.assertIn("resolved", early.get("detail", ""))
        self.assertStatus(self.server.request("PATCH", f"{TICKETS}/{t['id']}",
                                              {"status": "resolved"}, as_user="l1.agent"), 200)
        self.assertProblem(self.server.request("PUT", path, {"score": 0}, as_user="customer1"),
                           422, field="score")
        self.assertProblem(self.server.request("PUT", path, {"score": 5, "comment": "x" * 2001},
                                               as_user="customer1"), 422, field="comment")
        self.assertProblem(self.server.request("PUT", path, {"score": 5}, as_user="l1.agent"), 403)
        self.assertProblem(self.server.request("PUT", path, {"score": 5}, as_user="customer2"),
                           404)

        rated = self.assertStatus(self.server.request(
            "PUT", path, {"score": 4, "comment": "Schnell gelöst"}, as_user="customer1"), 200).json
        self.assertEqual((rated["rating"]["score"], rated["rating"]["comment"]),
                         (4, "Schnell gelöst"))
        self.assertTimestamp(rated["rating"]["rated_at"])
        again = self.assertStatus(self.server.request("PUT", path, {"score": 5},
                                                      as_user="customer1"), 200).json
        self.assertEqual(again["rating"]["score"], 5, "changed within the week")
        staff = self.assertStatus(self.server.request("GET", f"{TICKETS}/{t['id']}",
                                                      as_user="l1.agent"), 200).json
        self.assertEqual(staff["rating"]["score"], 5)
        timeline = self.assertStatus(self.server.request(
            "GET", f"{TICKETS}/{t['id']}/entries", as_user="l1.agent"), 200).json["items"]
        rated_events = [i for i in timeline if (i.get("event") or {}).get("type") == "ticket.rated"]
        self.assertEqual(len(rated_events), 2, "one event per rating")

    def test_openapi_documents_the_routes(self):
        spec = self.server.request("GET", "/api/v1/openapi.yaml").text
        for path in ("/api/v1/queues:", "/api/v1/me/views:", "/api/v1/me/views/{id}:",
                     "/api/v1/tickets/{id}/rating:"):
            self.assertIn(path, spec)


if __name__ == "__main__":
    unittest.main()
