"""Automatic assignment over HTTP: a team switched to round robin by a supervisor, agents
taking turns and going away, skills, and who may change what. On the demo data: the Service
Desk team (line 1) has one agent, l1.agent; this test adds two more.

Run: FIRSTLINE_BIN=build/release/src/server/firstline /usr/bin/python3 tests/integration/test_assignment.py
"""

from __future__ import annotations

import os
import time
import unittest
from collections import Counter

from firstline_harness import ServerTestCase, items


class AssignmentApiTest(ServerTestCase):
    def user_id(self, login: str) -> int:
        users = items(self.server.request("GET", "/api/v1/users", as_user="admin").json)
        return next(u["id"] for u in users if u["login"] == login)

    def team(self, name: str) -> dict:
        teams = items(self.server.request("GET", "/api/v1/teams", as_user="admin").json)
        return next(t for t in teams if t["name"] == name)

    def add_agent(self, login: str, team_id: int) -> int:
        body = {"login": login, "name": login, "email": f"{login}@acme.example", "role": "agent",
                "team_ids": [team_id], "language": "de", "password": self.server.demo_password}
        return self.assertStatus(self.server.request("POST", "/api/v1/users", body,
                                                     as_user="admin"), 201).json["id"]

    def open_ticket(self, subject: str, category: str = "") -> dict:
        body = {"subject": f"{subject} {os.getpid()}"}
        if category:
            body["category"] = category
        return self.assertStatus(self.server.request("POST", "/api/v1/tickets", body,
                                                     as_user="customer1"), 201).json

    def test_round_robin_availability_and_skills(self):
        desk = self.team("Service Desk")
        self.assertEqual((desk["assignment"], desk["skill_routing"]), ("manual", False))
        self.assertIsNone(self.open_ticket("Queue")["assignee_id"], "manual: the queue")
        agents = [self.user_id("l1.agent"), self.add_agent("l1.b", desk["id"]),
                  self.add_agent("l1.c", desk["id"])]

        # Only supervisors and admins set the routing.
        path = f"/api/v1/teams/{desk['id']}/routing"
        self.assertProblem(self.server.request("PUT", path, {"assignment": "round_robin"},
                                               as_user="l1.agent"), 403)
        self.assertProblem(self.server.request("PUT", path, {"assignment": "lottery"},
                                               as_user="supervisor"), 422, field="assignment")
        t = self.assertStatus(self.server.request("PUT", path, {"assignment": "round_robin"},
                                                  as_user="supervisor"), 200).json
        self.assertEqual(t["assignment"], "round_robin")

        got = Counter(self.open_ticket(f"Turn {i}")["assignee_id"] for i in range(6))
        self.assertEqual(got, Counter({a: 2 for a in agents}))

        # Each is told, in their language, within a second or so (the follower runs every
        # 200 ms); l1.agent speaks German.
        deadline = time.monotonic() + 10
        while True:
            mine = self.assertStatus(self.server.request(
                "GET", "/api/v1/me/notifications?unread=true", as_user="l1.agent"), 200).json
            if len(mine["items"]) >= 2 or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        self.assertEqual(mine["unread"], 2, mine)
        self.assertEqual({n["kind"] for n in mine["items"]}, {"assigned"})
        self.assertTrue(all(n["text"].startswith("Ihnen zugewiesen: #") for n in mine["items"]),
                        mine)
        marked = self.assertStatus(self.server.request(
            "POST", "/api/v1/me/notifications/read", {"all": True}, as_user="l1.agent"), 200).json
        self.assertEqual(marked, {"marked": 2})
        self.assertProblem(self.server.request(
            "POST", "/api/v1/me/notifications/read", {}, as_user="l1.agent"), 422, field="ids")

        # An agent who is away gets nothing new; an agent may not set another's availability.
        self.assertProblem(self.server.request(
            "PUT", f"/api/v1/users/{agents[0]}/availability", {"availability": "away"},
            as_user="l2.agent"), 403)
        me = self.assertStatus(self.server.request(
            "PUT", "/api/v1/me/availability", {"availability": "away"}, as_user="l1.agent"),
            200).json
        self.assertEqual(me["availability"], "away")
        for i in range(4):
            self.assertNotEqual(self.open_ticket(f"Away {i}")["assignee_id"], agents[0])

        # Skills steer the team once skill routing is on.
        self.assertStatus(self.server.request(
            "PUT", path, {"assignment": "round_robin", "skill_routing": True},
            as_user="admin"), 200)
        self.assertProblem(self.server.request(
            "PUT", f"/api/v1/users/{agents[2]}/skills", {"skills": ["lang:fr"]},
            as_user="supervisor"), 422, field="skills")
        u = self.assertStatus(self.server.request(
            "PUT", f"/api/v1/users/{agents[2]}/skills", {"skills": ["Netzwerk", "lang:de"]},
            as_user="supervisor"), 200).json
        self.assertEqual(u["skills"], ["lang:de", "netzwerk"])
        for i in range(3):
            self.assertEqual(self.open_ticket(f"Netz {i}", "netzwerk")["assignee_id"], agents[2])


    def test_macro_applied_over_http(self):
        desk = self.team("Service Desk")
        body = {"name": f"Passwort {os.getpid()}", "team_id": desk["id"],
                "text": "Hallo {{requester.name}}, #{{ticket.number}} ist erledigt. {{agent.name}}",
                "status": "pending_customer", "add_tags": ["Password"]}
        self.assertProblem(self.server.request("POST", "/api/v1/macros", body,
                                               as_user="l1.agent"), 403)
        self.assertProblem(self.server.request("POST", "/api/v1/macros",
                                               dict(body, text="{{nope}}"), as_user="supervisor"),
                           422, field="text")
        m = self.assertStatus(self.server.request("POST", "/api/v1/macros", body,
                                                  as_user="supervisor"), 201).json
        self.assertEqual((m["version"], m["add_tags"]), (1, ["password"]))
        listed = items(self.server.request("GET", "/api/v1/macros", as_user="l1.agent").json)
        self.assertIn(m["id"], [x["id"] for x in listed])
        self.assertNotIn(m["id"], [x["id"] for x in items(
            self.server.request("GET", "/api/v1/macros", as_user="l2.agent").json)])

        t = self.open_ticket("Passwort vergessen")
        applied = self.assertStatus(self.server.request(
            "POST", f"/api/v1/tickets/{t['id']}/macros/{m['id']}", {}, as_user="l1.agent"),
            200).json
        self.assertEqual(applied["ticket"]["status"], "pending_customer")
        self.assertIn("password", applied["ticket"]["tags"])
        self.assertEqual(applied["entry"]["kind"], "reply")
        self.assertIn(f"#{t['number']} ist erledigt. Lena Erstlinie", applied["entry"]["body"])
        self.assertProblem(self.server.request(
            "POST", f"/api/v1/tickets/{t['id']}/macros/{m['id']}", {}, as_user="l2.agent"), 404)


if __name__ == "__main__":
    unittest.main(verbosity=2)
