"""SLA settings and a ticket's clocks over HTTP: business calendars and policies (admins
write, staff other than vendors read, customers get 403), validation and version conflicts,
old policy versions, the clocks of a customer's ticket and its first response, and a policy
save that survives kill -9.

The server runs on the real clock, so the clock checks compare times with each other (a due
time is the ticket's creation plus the target) rather than with fixed values; the ticket's
policy runs on a 24/7 UTC calendar so that relation holds at any hour of the week.

Run: FIRSTLINE_BIN=build/release/src/server/firstline /usr/bin/python3 tests/integration/test_sla.py
"""

from __future__ import annotations

import itertools
import os
import re
import unittest
from datetime import datetime, timedelta
from typing import Any

from firstline_harness import ServerTestCase, items

CALENDARS = "/api/v1/sla/calendars"
POLICIES = "/api/v1/sla/policies"
# The drift allowed between the server's clock reading and the times it reports.
SLACK = timedelta(minutes=1)

_serial = itertools.count(1)


def unique(prefix: str) -> str:
    """A name unique to this run: calendar and policy names are unique per server."""
    return f"{prefix} {os.getpid()}-{next(_serial)}"


def berlin_office(name: str) -> dict[str, Any]:
    """Monday to Friday 08:00-17:00 in Berlin, closed on Christmas Day and Easter Monday 2027."""
    weekday = [["08:00", "17:00"]]
    return {"name": name, "time_zone": "Europe/Berlin",
            "week": {"mon": weekday, "tue": weekday, "wed": weekday, "thu": weekday,
                     "fri": weekday, "sat": [], "sun": []},
            "holidays": [{"date": "12-25", "name": "Christmas Day"},
                         {"date": "2027-03-29", "name": "Easter Monday"}]}


def around_the_clock(name: str) -> dict[str, Any]:
    day = [["00:00", "24:00"]]
    return {"name": name, "time_zone": "UTC",
            "week": {d: day for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
            "holidays": []}


def same_targets(first_response: int, resolution: int) -> dict[str, Any]:
    """The same targets for P1 to P4: the ticket's priority then does not matter."""
    return {p: {"first_response_minutes": first_response, "resolution_minutes": resolution}
            for p in ("P1", "P2", "P3", "P4")}


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class SlaTestCase(ServerTestCase):
    def save(self, path: str, body: dict, *, method: str = "POST", as_user: str = "admin"):
        return self.server.request(method, path, body, as_user=as_user)

    def created(self, path: str, body: dict) -> dict:
        """POSTs as admin; asserts 201 and a new document at version 1."""
        doc = self.assertStatus(self.save(path, body), 201).json
        self.assertIsInstance(doc.get("id"), int, doc)
        self.assertEqual(doc["version"], 1, doc)
        return doc

    def calendar(self, body: dict) -> dict:
        return self.created(CALENDARS, body)

    def policy(self, calendar_id: int, **fields: Any) -> dict:
        body = {"name": unique("Policy"), "rank": 500, "calendar_id": calendar_id,
                "applies_to": {"channels": ["chat"]},  # keeps it off the web tickets of others
                "targets": same_targets(240, 2400)}
        body.update(fields)
        return self.created(POLICIES, body)


class SlaSettingsApiTest(SlaTestCase):
    def test_create_and_read_a_calendar(self):
        body = berlin_office(unique("Berlin office"))
        c = self.calendar(body)
        for key in ("name", "time_zone", "week", "holidays"):
            self.assertEqual(c[key], body[key], key)
        path = f"{CALENDARS}/{c['id']}"
        # Staff other than vendors read the settings; only admins change them.
        for who in ("admin", "supervisor", "l1.agent"):
            got = self.assertStatus(self.server.request("GET", path, as_user=who), 200).json
            self.assertEqual(got, c, who)
            listed = items(self.assertStatus(self.server.request("GET", CALENDARS, as_user=who),
                                             200).json)
            self.assertIn(c["id"], [x["id"] for x in listed], who)
        for who in ("customer1", "vendor.agent"):
            self.assertProblem(self.server.request("GET", CALENDARS, as_user=who), 403)
            self.assertProblem(self.server.request("GET", path, as_user=who), 403)
        self.assertProblem(self.server.request("GET", CALENDARS), 401)
        self.assertProblem(self.server.request("GET", f"{CALENDARS}/999999", as_user="admin"), 404)

    def test_calendar_validation(self):
        def office(**changes: Any) -> dict:
            return dict(berlin_office(unique("Refused office")), **changes)

        bad_zone = office(time_zone="Mars/Olympus_Mons")
        self.assertProblem(self.save(CALENDARS, bad_zone), 422, field="time_zone")
        bad_time = office()
        bad_time["week"]["mon"] = [["8:00", "17:00"]]
        self.assertProblem(self.save(CALENDARS, bad_time), 422, field="week.mon")
        unknown = office(colour="blue")
        self.assertProblem(self.save(CALENDARS, unknown), 422, field="colour")
        closed = office(week={})
        self.assertProblem(self.save(CALENDARS, closed), 422, field="week")
        bad_holiday = office(holidays=[{"date": "02-30", "name": "No such day"}])
        self.assertProblem(self.save(CALENDARS, bad_holiday), 422, field="holidays")
        # Every problem of the body at once, each by its path.
        both = office(colour="red")
        both["week"]["fri"] = [["08:00", "25:00"]]
        problem = self.assertProblem(self.save(CALENDARS, both), 422)
        self.assertEqual({e["field"] for e in problem["errors"]}, {"week.fri", "colour"})
        tried = {b["name"] for b in (bad_zone, bad_time, unknown, closed, bad_holiday, both)}
        saved = {c["name"] for c in items(self.server.request("GET", CALENDARS,
                                                              as_user="admin").json)}
        self.assertFalse(tried & saved, "a refused calendar was saved")

    def test_calendar_versions_and_names(self):
        c = self.calendar(berlin_office(unique("Munich office")))
        path = f"{CALENDARS}/{c['id']}"
        edited = dict(c, holidays=c["holidays"] + [{"date": "11-01", "name": "All Saints"}])
        saved = self.assertStatus(self.save(path, edited, method="PUT"), 200).json
        self.assertEqual((saved["id"], saved["version"]), (c["id"], 2))
        self.assertEqual(len(saved["holidays"]), 3)
        # The version read is now stale: a conflict, and the stored calendar stays.
        self.assertProblem(self.save(path, dict(c, name=unique("Late edit")), method="PUT"), 409)
        self.assertEqual(self.server.request("GET", path, as_user="admin").json, saved)
        # A PUT must say which version it is based on.
        no_version = {k: v for k, v in edited.items() if k != "version"}
        self.assertProblem(self.save(path, no_version, method="PUT"), 422, field="version")
        self.assertProblem(self.save(path, dict(edited, version=2), method="PUT",
                                     as_user="l1.agent"), 403)
        self.assertProblem(self.save(f"{CALENDARS}/999999", dict(edited, version=1), method="PUT"),
                           404)
        # Names are unique among calendars, for a new one and for a renamed one.
        self.assertProblem(self.save(CALENDARS, berlin_office(c["name"])), 409)
        other = self.calendar(berlin_office(unique("Bremen office")))
        self.assertProblem(self.save(f"{CALENDARS}/{other['id']}", dict(other, name=c["name"]),
                                     method="PUT"), 409)

    def test_only_admins_save_settings(self):
        c = self.calendar(around_the_clock(unique("24/7")))
        for who in ("supervisor", "l1.agent", "customer1"):
            self.assertProblem(self.save(CALENDARS, around_the_clock(unique("Not mine")),
                                         as_user=who), 403)
            policy = {"name": unique("Not mine"), "calendar_id": c["id"],
                      "targets": same_targets(60, 600)}
            self.assertProblem(self.save(POLICIES, policy, as_user=who), 403)
        self.assertProblem(self.server.request("POST", CALENDARS,
                                               around_the_clock(unique("Guest"))), 401)

    def test_policy_validation(self):
        c = self.calendar(around_the_clock(unique("24/7")))
        base = {"name": unique("Gold"), "calendar_id": c["id"], "targets": same_targets(60, 600)}
        self.assertProblem(self.save(POLICIES, dict(base, calendar_id=999999)), 422,
                           field="calendar_id")
        targets = same_targets(60, 600)
        targets["P1"]["calendar_id"] = 999999
        self.assertProblem(self.save(POLICIES, dict(base, targets=targets)), 422,
                           field="targets.P1.calendar_id")
        self.assertProblem(self.save(POLICIES, dict(base, tier="gold")), 422, field="tier")
        zero = {"P1": {"first_response_minutes": 0}}
        self.assertProblem(self.save(POLICIES, dict(base, targets=zero)), 422,
                           field="targets.P1.first_response_minutes")
        no_calendar = {k: v for k, v in base.items() if k != "calendar_id"}
        self.assertProblem(self.save(POLICIES, no_calendar), 422, field="calendar_id")
        # The policy was never saved, so its name is still free.
        self.created(POLICIES, dict(base, applies_to={"channels": ["chat"]}))

    def test_policy_versions(self):
        c = self.calendar(berlin_office(unique("Hamburg office")))
        p = self.policy(c["id"], targets={"P1": {"first_response_minutes": 30,
                                                 "resolution_minutes": 240}})
        self.assertEqual(p["targets"]["P1"]["first_response_minutes"], 30)
        self.assertEqual(p["calendar_id"], c["id"])
        path = f"{POLICIES}/{p['id']}"
        edited = dict(p, targets={"P1": {"first_response_minutes": 15, "resolution_minutes": 120}})
        v2 = self.assertStatus(self.save(path, edited, method="PUT"), 200).json
        self.assertEqual((v2["id"], v2["version"]), (p["id"], 2))
        # The current version, in one and in the list; the old one by ?version=1.
        for who in ("admin", "l2.agent"):
            now = self.assertStatus(self.server.request("GET", path, as_user=who), 200).json
            self.assertEqual((now["version"], now["targets"]["P1"]["first_response_minutes"]),
                             (2, 15), who)
            listed = {x["id"]: x for x in items(self.assertStatus(
                self.server.request("GET", POLICIES, as_user=who), 200).json)}
            self.assertEqual(listed[p["id"]], now, who)
            old = self.assertStatus(self.server.request("GET", path + "?version=1", as_user=who),
                                    200).json
            self.assertEqual(old, p, who)
            self.assertEqual(old["targets"]["P1"],
                             {"first_response_minutes": 30, "next_response_minutes": None,
                              "resolution_minutes": 240, "calendar_id": None})
        self.assertProblem(self.server.request("GET", path + "?version=9", as_user="admin"), 404)
        self.assertProblem(self.server.request("GET", path + "?version=x", as_user="admin"), 422,
                           field="version")
        for who in ("customer1", "vendor.agent"):
            self.assertProblem(self.server.request("GET", POLICIES, as_user=who), 403)
            self.assertProblem(self.server.request("GET", path, as_user=who), 403)
            self.assertProblem(self.server.request("GET", path + "?version=1", as_user=who), 403)
        # Saving from the stale version 1 is a conflict; nothing changes.
        self.assertProblem(self.save(path, dict(p, rank=1), method="PUT"), 409)
        self.assertEqual(self.server.request("GET", path, as_user="admin").json, v2)
        self.assertProblem(self.save(path, dict(v2, rank=1), method="PUT", as_user="l1.agent"), 403)
        # Names are unique among policies.
        self.assertProblem(self.save(POLICIES, dict(edited, name=p["name"])), 409)

    def test_ticket_without_a_policy(self):
        # The demo's policies apply to every ticket: switch them off (this class's own are
        # all for chat tickets), and a web ticket has no policy, so no clocks.
        for p in items(self.server.request("GET", POLICIES, as_user="admin").json):
            if p["active"] and p["applies_to"]["channels"] != ["chat"]:
                self.assertStatus(self.save(f"{POLICIES}/{p['id']}", dict(p, active=False),
                                            method="PUT"), 200)
        t = self.assertStatus(self.server.request(
            "POST", "/api/v1/tickets", {"subject": unique("Kein SLA")}, as_user="customer1"),
            201).json
        sla = self.assertStatus(self.server.request("GET", f"/api/v1/tickets/{t['id']}/sla",
                                                    as_user="l1.agent"), 200).json
        self.assertEqual(sla, {"policy": None, "clocks": [], "next_check_at": None})


    def test_openapi_documents_the_routes(self):
        text = self.assertStatus(self.server.request("GET", "/api/v1/openapi.yaml"), 200).text
        for path in (CALENDARS, CALENDARS + "/{id}", POLICIES, POLICIES + "/{id}",
                     "/api/v1/tickets/{id}/sla"):
            self.assertRegex(text, rf"(?m)^  {re.escape(path)}:$")


class TicketSlaApiTest(SlaTestCase):
    """A customer's web ticket under a 24/7 policy: 60 minutes to the first response, 600 to
    resolution, a ladder step at half the resolution time."""

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        s = cls.server
        r = s.request("POST", CALENDARS, around_the_clock(unique("24/7 UTC")), as_user="admin")
        assert r.status == 201, f"POST {CALENDARS}: {r!r}"
        body = {"name": unique("Around the clock"), "rank": 1, "calendar_id": r.json["id"],
                "targets": same_targets(60, 600),
                "ladder": [{"metric": "resolution", "percent": 50, "notify_supervisor": True}]}
        r = s.request("POST", POLICIES, body, as_user="admin")
        assert r.status == 201, f"POST {POLICIES}: {r!r}"
        cls.ticket_policy = r.json

    def clocks(self, ticket_id: int, as_user: str = "l1.agent") -> dict:
        r = self.server.request("GET", f"/api/v1/tickets/{ticket_id}/sla", as_user=as_user)
        return self.assertStatus(r, 200).json

    def assertNear(self, actual: str, expected: datetime, what: str) -> None:
        self.assertTimestamp(actual, what)
        delta = abs(parse_time(actual) - expected)
        self.assertLessEqual(delta, SLACK, f"{what} {actual} is not {expected.isoformat()}")

    def test_clocks_of_a_customer_ticket(self):
        t = self.assertStatus(self.server.request(
            "POST", "/api/v1/tickets", {"subject": unique("Drucker im 2. OG offline"),
                                        "description": "Seit heute morgen."},
            as_user="customer1"), 201).json
        created = parse_time(t["created_at"])
        sla = self.clocks(t["id"])
        p = self.ticket_policy
        self.assertEqual(sla["policy"], {"id": p["id"], "version": p["version"], "name": p["name"]})
        by_metric = {c["metric"]: c for c in sla["clocks"]}
        self.assertLessEqual({"first_response", "resolution"}, set(by_metric), sla)
        for metric, target in (("first_response", 60), ("resolution", 600)):
            c = by_metric[metric]
            self.assertEqual((c["state"], c["cycle"], c["target_minutes"]), ("running", 1, target),
                             c)
            self.assertNear(c["started_at"], created, f"{metric}.started_at")
            self.assertNear(c["due_at"], created + timedelta(minutes=target), f"{metric}.due_at")
            self.assertIsNone(c["stopped_at"], metric)
            self.assertIsNone(c["breached_at"], metric)
            self.assertLess(c["percent_used"], 100, metric)
        # The ladder step shows on the resolution clock, due at half its target.
        steps = by_metric["resolution"]["upcoming_steps"]
        self.assertEqual([(s["percent"], s["notify_supervisor"]) for s in steps], [(50, True)])
        self.assertNear(steps[0]["due_at"], created + timedelta(minutes=300), "step due_at")
        # The next check is the first of those times: the first response's due time.
        self.assertTimestamp(sla["next_check_at"], "next_check_at")
        self.assertEqual(sla["next_check_at"], by_metric["first_response"]["due_at"])

        # The customer sees the ticket but not its clocks; other customers and vendors do
        # not see the ticket at all.
        self.assertStatus(self.server.request("GET", f"/api/v1/tickets/{t['id']}",
                                              as_user="customer1"), 200)
        self.assertProblem(self.server.request("GET", f"/api/v1/tickets/{t['id']}/sla",
                                               as_user="customer1"), 403)
        for who in ("customer2", "vendor.agent"):
            self.assertProblem(self.server.request("GET", f"/api/v1/tickets/{t['id']}/sla",
                                                   as_user=who), 404)
        self.assertProblem(self.server.request("GET", f"/api/v1/tickets/{t['id']}/sla"), 401)
        self.assertProblem(self.server.request("GET", "/api/v1/tickets/999999/sla",
                                               as_user="l1.agent"), 404)

        # An internal note is no answer to the customer.
        self.assertStatus(self.server.request(
            "POST", f"/api/v1/tickets/{t['id']}/entries",
            {"kind": "note", "body": "Druckerwarteschlange geprüft."}, as_user="l1.agent"), 201)
        self.assertEqual({c["metric"]: c["state"] for c in self.clocks(t["id"])["clocks"]}
                         ["first_response"], "running")

        # The agent's public reply is the first response: met, and the resolution clock runs on.
        reply = self.assertStatus(self.server.request(
            "POST", f"/api/v1/tickets/{t['id']}/entries",
            {"kind": "reply", "body": "Wir schauen uns das an."}, as_user="l1.agent"), 201).json
        replied = parse_time(reply["created_at"])
        sla = self.clocks(t["id"], as_user="supervisor")
        by_metric = {c["metric"]: c for c in sla["clocks"]}
        first = by_metric["first_response"]
        self.assertEqual(first["state"], "met", first)
        self.assertNear(first["stopped_at"], replied, "first_response.stopped_at")
        self.assertIsNone(first["breached_at"])
        self.assertEqual(first["upcoming_steps"], [])
        self.assertEqual(by_metric["resolution"]["state"], "running")
        # With the first response met, the next check is the ladder step.
        self.assertEqual(sla["next_check_at"],
                         by_metric["resolution"]["upcoming_steps"][0]["due_at"])

    def test_lowest_rank_applies(self):
        # Phone tickets match both this policy and the class's rank-1 one: rank 0 wins.
        c = self.calendar(around_the_clock(unique("24/7 phone")))
        p = self.policy(c["id"], rank=0, applies_to={"channels": ["phone"]})
        for channel, policy_id in (("phone", p["id"]), ("email", self.ticket_policy["id"])):
            t = self.assertStatus(self.server.request(
                "POST", "/api/v1/tickets", {"subject": unique("Anruf"), "channel": channel,
                                            "requester_id": self.requester_id("customer2")},
                as_user="l1.agent"), 201).json
            self.assertEqual(self.clocks(t["id"])["policy"]["id"], policy_id, channel)

    def requester_id(self, login: str) -> int:
        users = items(self.server.request("GET", "/api/v1/users", as_user="admin").json)
        return next(u["id"] for u in users if u["login"] == login)


class SlaDurabilityTest(SlaTestCase):
    def test_policy_save_survives_sigkill(self):
        c = self.calendar(berlin_office(unique("Cologne office")))
        p = self.policy(c["id"])
        # Acknowledged means on disk: kill -9 at once, no clean shutdown.
        self.server.kill()
        self.server.start()
        got = self.assertStatus(self.server.request("GET", f"{POLICIES}/{p['id']}",
                                                    as_user="admin"), 200).json
        self.assertEqual(got, p)
        self.assertEqual(self.server.request("GET", f"{CALENDARS}/{c['id']}",
                                             as_user="admin").json, c)
        # The service works on the reloaded settings: a new version goes on from 1.
        v2 = self.assertStatus(self.save(f"{POLICIES}/{p['id']}", dict(p, rank=400), method="PUT"),
                               200).json
        self.assertEqual(v2["version"], 2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
