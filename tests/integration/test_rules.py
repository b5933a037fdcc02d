"""Rules over HTTP on the demo data: admins keep them, supervisors read them, agents neither;
bad rules are refused field by field; a trigger rule acts on a new ticket within a second,
once, recorded on the ticket's timeline; the demo's major-incident rule tags P1 tickets and
tells the supervisors; and rules never answer each other's changes (no loops).

Run: FIRSTLINE_BIN=build/release/src/server/firstline /usr/bin/python3 tests/integration/test_rules.py
"""

from __future__ import annotations

import os
import time
import unittest

from firstline_harness import ServerTestCase, items


def wait_for(check, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


class RulesApiTest(ServerTestCase):
    def ticket(self, ticket_id: int, as_user: str = "supervisor") -> dict:
        return self.assertStatus(self.server.request("GET", f"/api/v1/tickets/{ticket_id}",
                                                     as_user=as_user), 200).json

    def open_ticket(self, subject: str, **fields) -> dict:
        body = {"subject": f"{subject} {os.getpid()}", **fields}
        return self.assertStatus(self.server.request("POST", "/api/v1/tickets", body,
                                                     as_user="customer1"), 201).json

    def test_demo_rules_and_the_role_matrix(self):
        listed = items(self.assertStatus(self.server.request("GET", "/api/v1/rules",
                                                             as_user="supervisor"), 200).json)
        names = {r["name"]: r for r in listed}
        self.assertIn("Close resolved tickets after 7 days", names)
        close = names["Close resolved tickets after 7 days"]
        self.assertTrue(close["time_based"])
        self.assertEqual(close["wait"]["statuses"], ["resolved"])
        self.assertEqual(close["wait"]["after_minutes"], 7 * 24 * 60)
        self.assertProblem(self.server.request("GET", "/api/v1/rules", as_user="l1.agent"), 403)
        self.assertProblem(self.server.request("GET", "/api/v1/rules"), 401)
        rule = {"name": "x", "on": ["created"], "actions": [{"type": "add_tag", "tag": "x"}]}
        self.assertProblem(self.server.request("POST", "/api/v1/rules", rule,
                                               as_user="supervisor"), 403)
        self.assertProblem(self.server.request("GET", "/api/v1/rules/99999", as_user="admin"), 404)

    def test_bad_rules_are_refused_field_by_field(self):
        bad = {"name": "bad", "on": ["born"],
               "conditions": [{"field": "priority", "op": "contains", "values": ["P1"]}],
               "actions": [{"type": "assign", "to": "somebody"}, {"type": "teleport"}]}
        problem = self.assertProblem(self.server.request("POST", "/api/v1/rules", bad,
                                                         as_user="admin"), 422)
        fields = {e["field"] for e in problem["errors"]}
        self.assertTrue({"on", "actions[0].to", "actions[1].type"} <= fields, fields)
        problem = self.assertProblem(self.server.request(
            "POST", "/api/v1/rules",
            {"name": "bad", "on": ["created"],
             "conditions": [{"field": "priority", "op": "contains", "values": ["P1"]}],
             "actions": [{"type": "add_tag", "tag": "x"}]}, as_user="admin"), 422)
        self.assertIn("conditions[0].op", {e["field"] for e in problem["errors"]})
        self.assertProblem(self.server.request("POST", "/api/v1/rules", "[1,2]",
                                               as_user="admin"), 400, 422)

    def test_a_trigger_rule_acts_once_and_shows_on_the_timeline(self):
        rule = {"name": f"VPN to the network team {os.getpid()}",
                "on": ["created"],
                "conditions": [{"field": "subject", "op": "contains", "values": ["vpn"]}],
                "actions": [{"type": "add_tag", "tag": "vpn"},
                            {"type": "set_priority", "urgency": 2},
                            {"type": "note", "text": {"en": "Checked by rule: {{ticket.subject}}"}}]}
        saved = self.assertStatus(self.server.request("POST", "/api/v1/rules", rule,
                                                      as_user="admin"), 201).json
        self.assertEqual(saved["version"], 1)
        t = self.open_ticket("VPN drops every hour")
        other = self.open_ticket("Mouse is broken")
        done = wait_for(lambda: "vpn" in self.ticket(t["id"])["tags"])
        self.assertTrue(done, "the rule acted within 10 s")
        self.assertEqual(self.ticket(t["id"])["urgency"], 2)
        self.assertNotIn("vpn", self.ticket(other["id"])["tags"])
        timeline = items(self.assertStatus(self.server.request(
            "GET", f"/api/v1/tickets/{t['id']}/entries", as_user="supervisor"), 200).json)
        fired = [i for i in timeline if (i.get("event") or {}).get("type") == "rule.fired"]
        self.assertEqual(len(fired), 1, timeline)
        # The customer sees neither the rule's note nor its record.
        mine = items(self.assertStatus(self.server.request(
            "GET", f"/api/v1/tickets/{t['id']}/entries", as_user="customer1"), 200).json)
        self.assertFalse(any("Checked by rule" in str(i) for i in mine))
        self.assertFalse(any("rule.fired" in str(i) for i in mine))

        # Deactivated: it acts no more. A stale version is a conflict.
        saved["active"] = False
        off = self.assertStatus(self.server.request("PUT", f"/api/v1/rules/{saved['id']}", saved,
                                                    as_user="admin"), 200).json
        self.assertEqual(off["version"], 2)
        self.assertProblem(self.server.request("PUT", f"/api/v1/rules/{saved['id']}", saved,
                                               as_user="admin"), 409)
        later = self.open_ticket("VPN again")
        time.sleep(1.0)
        self.assertNotIn("vpn", self.ticket(later["id"])["tags"])

    def test_the_major_incident_rule_tags_and_tells_the_supervisors(self):
        t = self.open_ticket("Nobody can log in", impact=1, urgency=1)
        self.assertEqual(t["priority"], "P1")
        self.assertTrue(wait_for(lambda: "major-incident" in self.ticket(t["id"])["tags"]))

        def told():
            listed = items(self.server.request("GET", "/api/v1/me/notifications",
                                               as_user="supervisor").json)
            return [n for n in listed if n["kind"] == "rule" and n["ticket_id"] == t["id"]]
        notes = wait_for(told)
        self.assertEqual(len(notes), 1)
        self.assertIn("Major Incident", notes[0]["text"])  # the supervisor reads German


if __name__ == "__main__":
    unittest.main()
