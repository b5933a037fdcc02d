"""The REST API end to end against the real binary: sessions and tokens, tickets and their
timeline, the status machine, escalations, transfers and returns, first-contact resolution,
who sees what, admin-only writes, and the operational endpoints.

One server with demo data serves the whole class; every test makes its own tickets.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import unittest
import urllib.parse
from typing import Any

from firstline_harness import (
    DEMO_LOGINS,
    ServerTestCase,
    find_binary,
    items,
    ref_id,
)

TICKET_KEYS = {
    "id", "number", "subject", "requester_id", "organization_id", "channel", "category",
    "impact", "urgency", "priority", "status", "line", "team", "origin_team", "assignee_id",
    "tags", "vendor_reference", "escalation_count", "customer_contacts",
    "first_contact_resolution", "resolved_at", "created_at", "updated_at", "version",
}
USER_KEYS = {"id", "login", "name", "email", "role", "organization_id", "team_ids", "language",
             "active"}
MOVE_KEYS = {"kind", "from_line", "from_team", "to_line", "to_team", "note", "actor_id", "at"}
PRIORITY = {
    (1, 1): "P1", (1, 2): "P2", (1, 3): "P3",
    (2, 1): "P2", (2, 2): "P3", (2, 3): "P4",
    (3, 1): "P3", (3, 2): "P4", (3, 3): "P4",
}
ROLES = {
    "admin": "admin", "supervisor": "supervisor", "l1.agent": "agent", "partner.agent": "agent",
    "l2.agent": "agent", "l3.agent": "agent", "vendor.agent": "agent", "customer1": "customer",
    "customer2": "customer",
}
SERVICE_DESK = "Service Desk"
PARTNER_DESK = "Partner Desk"
DESKTOP = "Desktop Support"
NETWORK = "Network & Infrastructure"
VENDOR = "Vendor Support"
ACME = "Acme GmbH"
GLOBEX = "Globex AG"

_serial = itertools.count(1)


def unique(prefix: str) -> str:
    """A marker unique to this run: usable as a tag ([a-z0-9._:-]) and in texts."""
    return f"{prefix}-{os.getpid()}-{next(_serial)}"


class ApiTest(ServerTestCase):
    # --- directory lookups (filled once per class) ------------------------------------

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        s = cls.server
        r = s.request("GET", "/api/v1/users", as_user="admin")
        assert r.status == 200, f"GET /api/v1/users as admin: {r!r}"
        cls.users = {u["login"]: u for u in items(r.json)}
        r = s.request("GET", "/api/v1/teams", as_user="admin")
        assert r.status == 200, f"GET /api/v1/teams as admin: {r!r}"
        cls.teams = {t["name"]: t for t in items(r.json)}
        r = s.request("GET", "/api/v1/organizations", as_user="admin")
        assert r.status == 200, f"GET /api/v1/organizations as admin: {r!r}"
        cls.orgs = {o["name"]: o for o in items(r.json)}
        for login in DEMO_LOGINS:
            assert login in cls.users, f"demo login {login!r} missing from /api/v1/users"
        for name in (SERVICE_DESK, PARTNER_DESK, DESKTOP, NETWORK, VENDOR):
            assert name in cls.teams, f"demo team {name!r} missing from /api/v1/teams"
        for name in (ACME, GLOBEX):
            assert name in cls.orgs, f"demo organisation {name!r} missing"

    def uid(self, login: str) -> int:
        return self.users[login]["id"]

    def team_id(self, name: str) -> int:
        return self.teams[name]["id"]

    def org_id(self, name: str) -> int:
        return self.orgs[name]["id"]

    def team_line(self, team_id: int) -> int:
        for t in self.teams.values():
            if t["id"] == team_id:
                return t["line"]
        r = self.server.request("GET", "/api/v1/teams", as_user="admin")
        for t in items(r.json):
            if t["id"] == team_id:
                return t["line"]
        self.fail(f"unknown team id {team_id}")

    # --- ticket helpers ---------------------------------------------------------------

    def create(self, as_user: str, subject: str | None = None, **fields: Any) -> dict:
        body = {"subject": subject or unique("ticket"), **fields}
        r = self.server.request("POST", "/api/v1/tickets", body, as_user=as_user)
        self.assertStatus(r, 201)
        return r.json

    def create_for(self, customer: str, *, team: str | None = None, by: str = "l1.agent",
                   **fields: Any) -> dict:
        """An agent creates a ticket on behalf of a customer (optionally at a given team)."""
        if team is not None:
            fields["team_id"] = self.team_id(team)
        return self.create(by, requester_id=self.uid(customer), **fields)

    def get(self, as_user: str, ticket_id: int):
        return self.server.request("GET", f"/api/v1/tickets/{ticket_id}", as_user=as_user)

    def fetch(self, as_user: str, ticket_id: int) -> dict:
        return self.assertStatus(self.get(as_user, ticket_id), 200).json

    def patch(self, as_user: str, ticket_id: int, **fields: Any):
        return self.server.request("PATCH", f"/api/v1/tickets/{ticket_id}", fields, as_user=as_user)

    def patched(self, as_user: str, ticket_id: int, **fields: Any) -> dict:
        return self.assertStatus(self.patch(as_user, ticket_id, **fields), 200).json

    def post_entry(self, as_user: str, ticket_id: int, kind: str, body: str, **extra: Any):
        return self.server.request("POST", f"/api/v1/tickets/{ticket_id}/entries",
                                   {"kind": kind, "body": body, **extra}, as_user=as_user)

    def entries(self, as_user: str, ticket_id: int) -> list[dict]:
        r = self.server.request("GET", f"/api/v1/tickets/{ticket_id}/entries", as_user=as_user)
        return items(self.assertStatus(r, 200).json)

    def entries_text(self, as_user: str, ticket_id: int) -> str:
        r = self.server.request("GET", f"/api/v1/tickets/{ticket_id}/entries", as_user=as_user)
        return self.assertStatus(r, 200).text

    def escalate(self, as_user: str, ticket_id: int, body: dict):
        return self.server.request("POST", f"/api/v1/tickets/{ticket_id}/escalations", body,
                                   as_user=as_user)

    def escalated(self, as_user: str, ticket_id: int, to_line: int, *, to_team: str | None = None,
                  reason: str = "needs_expertise", note: str | None = None) -> dict:
        body: dict[str, Any] = {"to_line": to_line, "reason": reason,
                                "handoff_note": note or "Checked cabling and restarted; no change."}
        if to_team is not None:
            body["to_team"] = self.team_id(to_team)
        return self.assertStatus(self.escalate(as_user, ticket_id, body), 201).json

    def list_page(self, as_user: str, **query: Any):
        qs = urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
        return self.server.request("GET", f"/api/v1/tickets?{qs}", as_user=as_user)

    def list_all(self, as_user: str, **query: Any) -> list[dict]:
        """Every ticket the query yields, following next_cursor; asserts no repeats."""
        out: list[dict] = []
        seen: set[int] = set()
        cursor = None
        for _ in range(1000):
            r = self.assertStatus(self.list_page(as_user, limit=100, cursor=cursor, **query), 200)
            self.assertIn("next_cursor", r.json, repr(r))
            for t in r.json["items"]:
                self.assertNotIn(t["id"], seen, f"ticket {t['id']} listed twice")
                seen.add(t["id"])
                out.append(t)
            cursor = r.json["next_cursor"]
            if cursor is None:
                return out
        self.fail("listing did not end after 1000 pages")

    def assertTicket(self, t: dict) -> None:
        missing = TICKET_KEYS - set(t)
        self.assertFalse(missing, f"ticket lacks {sorted(missing)}: {t}")
        self.assertIsInstance(t["id"], int)
        self.assertIsInstance(t["number"], int)
        self.assertGreaterEqual(t["number"], 100001)
        self.assertIn(t["channel"], {"phone", "email", "web", "chat", "bot", "api"})
        self.assertIn(t["status"],
                      {"new", "open", "pending_customer", "pending_vendor", "resolved", "closed"})
        self.assertIn(t["line"], {1, 2, 3, 4})
        for key in ("team", "origin_team"):
            self.assertIsInstance(t[key], dict, key)
            self.assertIsInstance(t[key].get("id"), int, key)
            self.assertIsInstance(t[key].get("name"), str, key)
        self.assertEqual(t["priority"], PRIORITY[(t["impact"], t["urgency"])],
                         f"priority of impact {t['impact']} x urgency {t['urgency']}")
        self.assertIsInstance(t["tags"], list)
        self.assertIsInstance(t["first_contact_resolution"], bool)
        self.assertTimestamp(t["created_at"], "created_at")
        self.assertTimestamp(t["updated_at"], "updated_at")
        if t["resolved_at"] is not None:
            self.assertTimestamp(t["resolved_at"], "resolved_at")

    def assertMove(self, body: dict, kind: str) -> tuple[dict, dict]:
        self.assertIn("ticket", body)
        self.assertIn("move", body)
        ticket, move = body["ticket"], body["move"]
        self.assertTicket(ticket)
        missing = MOVE_KEYS - set(move)
        self.assertFalse(missing, f"move lacks {sorted(missing)}: {move}")
        self.assertEqual(move["kind"], kind)
        self.assertTimestamp(move["at"], "move.at")
        self.assertEqual(move["to_line"], ticket["line"])
        self.assertEqual(ref_id(move["to_team"]), ticket["team"]["id"])
        return ticket, move

    # --- CLI --------------------------------------------------------------------------

    def test_cli_version_and_init_output(self):
        done = subprocess.run([find_binary(), "--version"], capture_output=True, timeout=30)
        self.assertEqual(done.returncode, 0, done.stderr)
        out = (done.stdout + done.stderr).decode(errors="replace")
        self.assertRegex(out, r"\d+\.\d+", "version number")
        self.assertRegex(out.lower(), r"schema", "schema version")
        for login in DEMO_LOGINS:
            self.assertIn(login, self.server.init_output, "init --demo prints the logins")

    # --- sessions, me, tokens ---------------------------------------------------------

    def test_login_returns_token_and_user(self):
        for login in DEMO_LOGINS:
            r = self.assertStatus(self.server.login(login), 201)
            self.assertIsInstance(r.json.get("token"), str)
            self.assertTrue(r.json["token"])
            user = r.json["user"]
            self.assertEqual(user["login"], login)
            self.assertEqual(user["role"], ROLES[login])
            self.assertNotIn(self.server.demo_password, r.text, "password echoed")

    def test_me_describes_the_user(self):
        for login in DEMO_LOGINS:
            r = self.assertStatus(self.server.request("GET", "/api/v1/me", as_user=login), 200)
            me = r.json
            missing = USER_KEYS - set(me)
            self.assertFalse(missing, f"user lacks {sorted(missing)}: {me}")
            self.assertEqual(me["login"], login)
            self.assertEqual(me["role"], ROLES[login])
            self.assertIn(me["language"], {"de", "en"})
            self.assertIs(me["active"], True)
            self.assertIsInstance(me["team_ids"], list)
            self.assertNotIn("password", r.text.lower())
        me = lambda login: self.server.request("GET", "/api/v1/me", as_user=login).json
        self.assertEqual(me("customer1")["organization_id"], self.org_id(ACME))
        self.assertEqual(me("customer2")["organization_id"], self.org_id(GLOBEX))
        self.assertIsNone(me("admin")["organization_id"])
        self.assertIn(self.team_id(SERVICE_DESK), me("l1.agent")["team_ids"])
        self.assertIn(self.team_id(PARTNER_DESK), me("partner.agent")["team_ids"])
        self.assertIn(self.team_id(DESKTOP), me("l2.agent")["team_ids"])
        self.assertIn(self.team_id(NETWORK), me("l3.agent")["team_ids"])
        self.assertIn(self.team_id(VENDOR), me("vendor.agent")["team_ids"])

    def test_wrong_password_and_missing_or_bad_token_are_401(self):
        # One failed login only: more would count towards the address's throttle.
        self.assertProblem(self.server.login("l3.agent", "wrong-password"), 401)
        self.assertProblem(self.server.request("GET", "/api/v1/me"), 401)
        self.assertProblem(self.server.request("GET", "/api/v1/me", token="not-a-token"), 401)
        self.assertProblem(self.server.request("GET", "/api/v1/tickets"), 401)

    def test_logout_ends_only_that_session(self):
        r = self.assertStatus(self.server.login("l2.agent"), 201)
        token = r.json["token"]
        self.assertStatus(self.server.request("GET", "/api/v1/me", token=token), 200)
        r = self.server.request("DELETE", "/api/v1/sessions/current", token=token)
        self.assertStatus(r, 204)
        self.assertProblem(self.server.request("GET", "/api/v1/me", token=token), 401)
        # The cached session of the same user is another session and still works.
        self.assertStatus(self.server.request("GET", "/api/v1/me", as_user="l2.agent"), 200)

    def test_api_tokens_create_use_list_revoke(self):
        s = self.server
        r = self.assertStatus(
            s.request("POST", "/api/v1/me/tokens", {"name": "monitoring"}, as_user="l3.agent"), 201)
        created = r.json
        for key in ("id", "name", "token", "created_at"):
            self.assertIn(key, created)
        self.assertEqual(created["name"], "monitoring")
        self.assertTimestamp(created["created_at"])
        secret = created["token"]
        r = self.assertStatus(s.request("GET", "/api/v1/me", token=secret), 200)
        self.assertEqual(r.json["login"], "l3.agent")

        r = self.assertStatus(s.request("GET", "/api/v1/me/tokens", as_user="l3.agent"), 200)
        listed = {t["id"]: t for t in items(r.json)}
        self.assertIn(created["id"], listed)
        self.assertEqual(listed[created["id"]]["name"], "monitoring")
        self.assertIs(listed[created["id"]]["revoked"], False)
        self.assertNotIn(secret, r.text, "token list must not reveal secrets")
        for t in listed.values():
            self.assertNotIn("token", t)

        # Someone else cannot revoke it.
        r = s.request("DELETE", f"/api/v1/me/tokens/{created['id']}", as_user="l2.agent")
        self.assertProblem(r, 404)
        self.assertStatus(s.request("GET", "/api/v1/me", token=secret), 200)

        r = s.request("DELETE", f"/api/v1/me/tokens/{created['id']}", as_user="l3.agent")
        self.assertStatus(r, 204)
        self.assertProblem(s.request("GET", "/api/v1/me", token=secret), 401)
        r = self.assertStatus(s.request("GET", "/api/v1/me/tokens", as_user="l3.agent"), 200)
        after = {t["id"]: t for t in items(r.json)}
        if created["id"] in after:
            self.assertIs(after[created["id"]]["revoked"], True)
        self.assertProblem(s.request("DELETE", "/api/v1/me/tokens/987654321", as_user="l3.agent"),
                           404)

    # --- creating and reading tickets -------------------------------------------------

    def test_customer_creates_ticket(self):
        subject = unique("Printer on the 3rd floor jams")
        r = self.server.request("POST", "/api/v1/tickets",
                                {"subject": subject, "description": "Paper jam on every job."},
                                as_user="customer1")
        self.assertStatus(r, 201)
        t = r.json
        self.assertTicket(t)
        self.assertEqual(t["subject"], subject)
        self.assertEqual(t["status"], "new")
        self.assertEqual(t["line"], 1)
        self.assertEqual(t["channel"], "web")
        self.assertEqual(t["requester_id"], self.uid("customer1"))
        self.assertEqual(t["organization_id"], self.org_id(ACME))
        self.assertEqual(self.team_line(t["team"]["id"]), 1)
        self.assertEqual(t["origin_team"]["id"], t["team"]["id"])
        self.assertIsNone(t["assignee_id"])
        self.assertEqual(t["escalation_count"], 0)
        self.assertIs(t["first_contact_resolution"], False)
        self.assertIsNone(t["resolved_at"])
        location = r.headers.get("Location", "")
        self.assertTrue(location.endswith(f"/api/v1/tickets/{t['id']}"), f"Location: {location!r}")

        got = self.fetch("customer1", t["id"])
        self.assertEqual((got["id"], got["number"], got["subject"]),
                         (t["id"], t["number"], subject))
        second = self.create("customer1", requester_id=self.uid("customer1"))
        self.assertGreater(second["number"], t["number"], "numbers increase")

    def test_customer_cannot_create_for_someone_else(self):
        r = self.server.request("POST", "/api/v1/tickets",
                                {"subject": "on behalf", "requester_id": self.uid("customer2")},
                                as_user="customer1")
        self.assertProblem(r, 403)

    def test_agent_creates_on_behalf_by_phone(self):
        t = self.create_for("customer1", channel="phone", impact=2, urgency=1,
                            tags=["phone", "vpn"],
                            call={"direction": "inbound", "duration_seconds": 95,
                                  "caller": "+49 30 5550101"})
        self.assertTicket(t)
        self.assertEqual(t["requester_id"], self.uid("customer1"))
        self.assertEqual(t["organization_id"], self.org_id(ACME))
        self.assertEqual(t["channel"], "phone")
        self.assertEqual(t["priority"], "P2")
        self.assertEqual(sorted(t["tags"]), ["phone", "vpn"])
        calls = [e for e in self.entries("l1.agent", t["id"]) if e["kind"] == "call"]
        self.assertEqual(len(calls), 1, "the phone call is logged as a call entry")
        self.assertEqual(calls[0]["call"]["direction"], "inbound")
        self.assertEqual(calls[0]["call"]["duration_seconds"], 95)
        self.assertEqual(calls[0]["call"]["caller"], "+49 30 5550101")
        # The requester sees the ticket, not the internal call.
        self.fetch("customer1", t["id"])
        kinds = {e["kind"] for e in self.entries("customer1", t["id"])}
        self.assertNotIn("call", kinds)

    def test_ticket_validation_names_the_field(self):
        post = lambda body: self.server.request("POST", "/api/v1/tickets", body, as_user="l1.agent")
        self.assertProblem(post({"description": "no subject"}), 422, field="subject")
        self.assertProblem(post({"subject": "   "}), 422, field="subject")
        self.assertProblem(post({"subject": "x", "impact": 0}), 422, field="impact")
        self.assertProblem(post({"subject": "x", "urgency": 4}), 422, field="urgency")
        self.assertProblem(post({"subject": "x", "channel": "pigeon"}), 422, field="channel")
        t = self.create_for("customer1")
        self.assertProblem(self.patch("l1.agent", t["id"], status="bogus"), 422, field="status")
        self.assertProblem(self.patch("l1.agent", t["id"], impact=9), 422, field="impact")

    def test_unknown_ticket_is_404(self):
        self.assertProblem(self.get("supervisor", 987654321), 404)
        self.assertProblem(self.patch("supervisor", 987654321, status="open"), 404)
        r = self.server.request("GET", "/api/v1/tickets/987654321/entries", as_user="supervisor")
        self.assertProblem(r, 404)

    def test_priority_follows_the_matrix(self):
        for (impact, urgency), expected in PRIORITY.items():
            t = self.create_for("customer1", impact=impact, urgency=urgency)
            self.assertEqual(t["priority"], expected, f"impact {impact} urgency {urgency}")
        t = self.create_for("customer1", impact=3, urgency=3)
        self.assertEqual(t["priority"], "P4")
        t = self.patched("l1.agent", t["id"], impact=1, urgency=1)
        self.assertEqual(t["priority"], "P1")
        t = self.patched("l1.agent", t["id"], urgency=3)
        self.assertEqual((t["impact"], t["urgency"], t["priority"]), (1, 3, "P3"))
        self.assertEqual(self.fetch("l1.agent", t["id"])["priority"], "P3")

    def test_patch_assignee_tags_category(self):
        t = self.create_for("customer1")
        l1 = self.uid("l1.agent")
        t2 = self.patched("l1.agent", t["id"], assignee_id=l1, category="hardware",
                          tags=["printer", "floor-3"])
        self.assertEqual(t2["assignee_id"], l1)
        self.assertEqual(t2["category"], "hardware")
        self.assertEqual(sorted(t2["tags"]), ["floor-3", "printer"])
        self.assertGreater(t2["version"], t["version"])
        t3 = self.patched("l1.agent", t["id"], assignee_id=None)
        self.assertIsNone(t3["assignee_id"])
        self.assertEqual(t3["category"], "hardware", "unmentioned fields stay")

    # --- listing ----------------------------------------------------------------------

    def test_list_filters_and_stable_cursor_paging(self):
        tag = unique("paging")
        created: dict[int, dict] = {}
        for i in range(120):
            who = "customer1" if i % 2 == 0 else "customer2"
            t = self.create_for(who, subject=f"{tag} #{i}", tags=[tag])
            created[t["id"]] = t

        # Page through with limit 50; a ticket created meanwhile must not disturb it.
        seen: list[dict] = []
        cursor = None
        late = None
        for page_no in range(10):
            r = self.assertStatus(self.list_page("supervisor", tag=tag, limit=50, cursor=cursor), 200)
            page = r.json["items"]
            self.assertLessEqual(len(page), 50)
            if page_no == 0:
                self.assertEqual(len(page), 50)
                late = self.create_for("customer1", subject=f"{tag} late", tags=[tag])
            seen.extend(page)
            cursor = r.json["next_cursor"]
            if cursor is None:
                break
            self.assertIsInstance(cursor, str)
        else:
            self.fail("paging did not end")
        ids = [t["id"] for t in seen]
        self.assertEqual(len(ids), len(set(ids)), "a ticket was listed twice")
        self.assertNotIn(late["id"], ids, "a newer ticket appeared on a later page")
        self.assertEqual(set(ids), set(created), "every ticket exactly once")
        numbers = [t["number"] for t in seen]
        self.assertEqual(numbers, sorted(numbers, reverse=True), "newest first")
        for t in seen:
            self.assertIn(tag, t["tags"])
        self.assertTicket(seen[0])

        r = self.assertStatus(self.list_page("supervisor", tag=tag, limit=7), 200)
        self.assertEqual(len(r.json["items"]), 7)
        self.assertIsNotNone(r.json["next_cursor"])

        everything = set(created) | {late["id"]}
        c2 = {i for i, t in created.items() if t["requester_id"] == self.uid("customer2")}
        self.assertEqual(len(c2), 60)
        got = self.list_all("supervisor", tag=tag, requester=self.uid("customer2"))
        self.assertEqual({t["id"] for t in got}, c2)
        got = self.list_all("supervisor", tag=tag, organization=self.org_id(GLOBEX))
        self.assertEqual({t["id"] for t in got}, c2)
        self.assertTrue(all(t["organization_id"] == self.org_id(GLOBEX) for t in got))

        ordered = sorted(created)
        opened, pending = ordered[:3], ordered[3:5]
        for i in opened:
            self.patched("supervisor", i, status="open")
        for i in pending:
            self.patched("supervisor", i, status="pending_customer")
        got = self.list_all("supervisor", tag=tag, status="open,pending_customer")
        self.assertEqual({t["id"] for t in got}, set(opened) | set(pending))
        got = self.list_all("supervisor", tag=tag, status="open")
        self.assertEqual({t["id"] for t in got}, set(opened))
        got = self.list_all("supervisor", tag=tag, status="new")
        self.assertEqual({t["id"] for t in got}, everything - set(opened) - set(pending))

        l1 = self.uid("l1.agent")
        self.patched("supervisor", ordered[10], assignee_id=l1)
        got = self.list_all("supervisor", tag=tag, assignee=l1)
        self.assertEqual([t["id"] for t in got], [ordered[10]])

        self.escalated("supervisor", ordered[20], 2, to_team=DESKTOP)
        got = self.list_all("supervisor", tag=tag, line=2)
        self.assertEqual([t["id"] for t in got], [ordered[20]])
        got = self.list_all("supervisor", tag=tag, team=self.team_id(DESKTOP))
        self.assertEqual([t["id"] for t in got], [ordered[20]])
        got = self.list_all("supervisor", tag=tag, line=1)
        self.assertEqual({t["id"] for t in got}, everything - {ordered[20]})

    # --- status machine, timeline -----------------------------------------------------

    def test_status_machine_and_forbidden_move(self):
        t = self.create_for("customer1")
        version = t["version"]
        for status in ("open", "pending_customer", "open", "pending_vendor", "open", "resolved"):
            t = self.patched("l1.agent", t["id"], status=status)
            self.assertEqual(t["status"], status)
            self.assertGreater(t["version"], version)
            version = t["version"]
        self.assertTimestamp(t["resolved_at"], "resolved_at")
        t = self.patched("l1.agent", t["id"], status="closed")
        self.assertEqual(t["status"], "closed")
        body = self.assertProblem(self.patch("l1.agent", t["id"], status="open"), 409)
        detail = (body.get("detail") or "").lower()
        self.assertIn("closed", detail, "the error names the current state")
        self.assertIn("open", detail, "the error names the wanted state")
        self.assertProblem(self.patch("l1.agent", t["id"], status="resolved"), 409)
        self.assertEqual(self.fetch("l1.agent", t["id"])["status"], "closed")

    def test_reply_by_requester_reopens_resolved_ticket(self):
        t = self.create("customer1", description="VPN drops every 10 minutes")
        r = self.post_entry("l1.agent", t["id"], "reply", "Please update the VPN client.")
        entry = self.assertStatus(r, 201).json
        self.assertEqual(entry["kind"], "reply")
        self.assertEqual(entry["author_id"], self.uid("l1.agent"))
        self.assertTimestamp(entry["created_at"])
        self.assertEqual(self.patched("l1.agent", t["id"], status="resolved")["status"], "resolved")
        self.assertStatus(self.post_entry("customer1", t["id"], "reply", "Still dropping."), 201)
        self.assertEqual(self.fetch("l1.agent", t["id"])["status"], "open")
        # Customers may only reply; other customers do not see the ticket at all.
        self.assertProblem(self.post_entry("customer1", t["id"], "note", "internal?"), 403)
        self.assertProblem(
            self.post_entry("customer1", t["id"], "call", "x", direction="inbound",
                            duration_seconds=5, caller="me"), 403)
        self.assertProblem(self.post_entry("customer2", t["id"], "reply", "hello?"), 404)

    def test_entries_order_kinds_and_customer_view(self):
        t = self.create("customer1", description="Outlook crashes on start")
        note_marker, call_marker = unique("SECRET-NOTE"), unique("SECRET-CALL")
        reply_marker = unique("PUBLIC-REPLY")
        self.assertStatus(self.post_entry("l1.agent", t["id"], "note", note_marker), 201)
        r = self.post_entry("l1.agent", t["id"], "call", call_marker, direction="outbound",
                            duration_seconds=300, caller="+49 89 5550199")
        call = self.assertStatus(r, 201).json
        self.assertEqual(call["kind"], "call")
        self.assertEqual(call["call"]["direction"], "outbound")
        self.assertEqual(call["call"]["duration_seconds"], 300)
        self.assertStatus(self.post_entry("l1.agent", t["id"], "reply", reply_marker), 201)

        agent_view = self.entries("l1.agent", t["id"])
        kinds = [e["kind"] for e in agent_view]
        for k in ("note", "call", "reply"):
            self.assertIn(k, kinds)
        # Entries and events are numbered separately; within each kind ids grow with time.
        entry_ids = [e["id"] for e in agent_view if e["kind"] != "event"]
        self.assertEqual(entry_ids, sorted(entry_ids), "oldest first")
        stamps = [e["created_at"] for e in agent_view]
        self.assertEqual(stamps, sorted(stamps), "oldest first")
        bodies = [e.get("body") for e in agent_view if e["kind"] != "event"]
        self.assertLess(bodies.index(note_marker), bodies.index(reply_marker))
        for e in agent_view:
            self.assertIn(e["kind"], {"reply", "note", "call", "event"})
            self.assertTimestamp(e["created_at"])
            if e["kind"] == "event":
                self.assertIsInstance(e["event"]["type"], str)
            elif e["kind"] != "call":
                self.assertIsNone(e.get("call"))

        customer_view = self.entries("customer1", t["id"])
        self.assertFalse({e["kind"] for e in customer_view} & {"note", "call"})
        text = self.entries_text("customer1", t["id"])
        self.assertNotIn(note_marker, text)
        self.assertNotIn(call_marker, text)
        self.assertIn(reply_marker, text)

        self.assertProblem(self.post_entry("l1.agent", t["id"], "gossip", "x"), 422, field="kind")
        self.assertProblem(self.post_entry("l1.agent", t["id"], "reply", "  "), 422, field="body")

    # --- escalations, transfers, returns ----------------------------------------------

    def test_escalation_chain_1_2_4_with_handoff_notes(self):
        t = self.create_for("customer1", team=SERVICE_DESK, subject="Docking station firmware")
        note_marker = unique("SECRET-NOTE")
        reply_marker = unique("PUBLIC-REPLY")
        handoff1 = "Reinstalled the driver and swapped the cable; still no display."
        handoff2 = unique("Reproduced on three docks with firmware 1.2; needs a vendor fix")
        self.assertStatus(self.post_entry("l1.agent", t["id"], "note", note_marker), 201)
        self.assertStatus(self.post_entry("l1.agent", t["id"], "reply", reply_marker), 201)

        body = self.escalated("l1.agent", t["id"], 2, note=handoff1)
        ticket, move = self.assertMove(body, "escalation")
        self.assertEqual(ticket["line"], 2)
        self.assertEqual(self.team_line(ticket["team"]["id"]), 2)
        self.assertEqual(ticket["origin_team"]["id"], self.team_id(SERVICE_DESK))
        self.assertEqual(ticket["escalation_count"], 1)
        self.assertIsNone(ticket["assignee_id"])
        self.assertEqual((move["from_line"], move["to_line"]), (1, 2))
        self.assertEqual(ref_id(move["from_team"]), self.team_id(SERVICE_DESK))
        self.assertEqual(move["reason"], "needs_expertise")
        self.assertEqual(move["note"], handoff1)
        self.assertEqual(move["actor_id"], self.uid("l1.agent"))
        self.fetch("l2.agent", t["id"])

        body = self.escalated("l2.agent", t["id"], 4, to_team=VENDOR, reason="vendor_required",
                              note=handoff2)
        ticket, move = self.assertMove(body, "escalation")
        self.assertEqual((ticket["line"], ticket["team"]["id"]), (4, self.team_id(VENDOR)))
        self.assertEqual(ticket["escalation_count"], 2)
        self.assertEqual((move["from_line"], move["to_line"]), (2, 4))
        self.assertEqual(move["reason"], "vendor_required")
        self.assertEqual(move["actor_id"], self.uid("l2.agent"))

        # The first-line team stays the single point of contact; line 2 loses sight.
        self.assertEqual(self.fetch("l1.agent", t["id"])["line"], 4)
        self.assertProblem(self.get("l2.agent", t["id"]), 404)
        self.fetch("customer1", t["id"])
        # The vendor sees the ticket, its public replies and the hand-off note, nothing else.
        self.fetch("vendor.agent", t["id"])
        text = self.entries_text("vendor.agent", t["id"])
        self.assertIn(handoff2, text)
        self.assertIn(reply_marker, text)
        self.assertNotIn(note_marker, text)
        patched = self.patched("vendor.agent", t["id"], vendor_reference="VND-4711")
        self.assertEqual(patched["vendor_reference"], "VND-4711")

        # Already at the top: no line above. (A supervisor asks: only the holding team or a
        # supervisor may move a ticket, and the rule under test is the line.)
        r = self.escalate("supervisor", t["id"], {"to_line": 4, "reason": "sla_risk",
                                                   "handoff_note": "again"})
        self.assertProblem(r, 422, field="to_line")

        history = self.entries("supervisor", t["id"])
        self.assertIn(handoff1, str(history), "hand-off notes are in the history")
        self.assertIn(handoff2, str(history))

    def test_escalation_validation(self):
        t = self.create_for("customer1", team=SERVICE_DESK)
        path = f"/api/v1/tickets/{t['id']}/escalations"
        post = lambda body, who="l1.agent": self.server.request("POST", path, body, as_user=who)
        base = {"to_line": 2, "to_team": self.team_id(DESKTOP), "reason": "needs_expertise"}
        self.assertProblem(post(base), 422, field="handoff_note")
        self.assertProblem(post({**base, "handoff_note": ""}), 422, field="handoff_note")
        self.assertProblem(post({**base, "handoff_note": "  \n\t "}), 422, field="handoff_note")
        self.assertProblem(post({**base, "handoff_note": "tried", "reason": "because"}), 422,
                           field="reason")
        self.assertProblem(post({"to_line": 1, "reason": "needs_expertise",
                                 "handoff_note": "tried"}), 422, field="to_line")
        self.assertEqual(self.fetch("l1.agent", t["id"])["escalation_count"], 0)

        self.escalated("l1.agent", t["id"], 2, to_team=DESKTOP)
        r = post({"to_line": 1, "reason": "customer_request", "handoff_note": "down please"},
                 "l2.agent")
        self.assertProblem(r, 422, field="to_line")
        got = self.fetch("l2.agent", t["id"])
        self.assertEqual((got["line"], got["escalation_count"]), (2, 1))

    def test_transfer_within_a_line(self):
        t = self.create_for("customer2", team=SERVICE_DESK)
        path = f"/api/v1/tickets/{t['id']}/transfers"
        r = self.server.request("POST", path, {"to_team": self.team_id(PARTNER_DESK),
                                               "note": "Globex is served by the partner desk"},
                                as_user="l1.agent")
        ticket, move = self.assertMove(self.assertStatus(r, 201).json, "transfer")
        self.assertEqual((ticket["line"], ticket["team"]["id"]), (1, self.team_id(PARTNER_DESK)))
        self.assertEqual((move["from_line"], move["to_line"]), (1, 1))
        self.assertEqual(ref_id(move["from_team"]), self.team_id(SERVICE_DESK))
        self.assertEqual(ticket["escalation_count"], 0)
        # A transfer never changes the line.
        r = self.server.request("POST", path, {"to_team": self.team_id(DESKTOP)},
                                as_user="supervisor")
        self.assertProblem(r, 422)

    def test_return_to_a_lower_line(self):
        t = self.create_for("customer1", team=SERVICE_DESK)
        self.escalated("l1.agent", t["id"], 3, to_team=NETWORK, reason="infrastructure")
        path = f"/api/v1/tickets/{t['id']}/returns"
        post = lambda body, who="l3.agent": self.server.request("POST", path, body, as_user=who)
        self.assertProblem(post({"to_line": 1}), 422, field="note")
        self.assertProblem(post({"to_line": 1, "note": "   "}), 422, field="note")
        self.assertProblem(post({"to_line": 4, "note": "up is not a return"}), 422)
        note = "Switch port reset; please confirm with the user."
        r = post({"to_line": 1, "note": note})
        ticket, move = self.assertMove(self.assertStatus(r, 201).json, "return")
        self.assertEqual(ticket["line"], 1)
        self.assertEqual(self.team_line(ticket["team"]["id"]), 1)
        self.assertEqual((move["from_line"], move["to_line"]), (3, 1))
        self.assertEqual(ref_id(move["from_team"]), self.team_id(NETWORK))
        self.assertEqual(move["note"], note)
        self.assertEqual(move["actor_id"], self.uid("l3.agent"))
        self.assertEqual(ticket["escalation_count"], 1, "a return is not an escalation")
        self.assertProblem(post({"to_line": 1, "note": "again"}, "l1.agent"), 422)

    # --- first-contact resolution -----------------------------------------------------

    def test_first_contact_resolution(self):
        # Resolved at line 1 in the first contact: yes.
        web = self.create("customer1", description="How do I change my password?")
        self.assertIs(web["first_contact_resolution"], False, "not resolved yet")
        solved = self.patched("l1.agent", web["id"], status="resolved")
        self.assertIs(solved["first_contact_resolution"], True)
        self.assertIs(self.patched("l1.agent", web["id"], status="closed")
                      ["first_contact_resolution"], True)
        phone = self.create_for("customer1", channel="phone")
        self.assertIs(self.patched("l1.agent", phone["id"], status="resolved")
                      ["first_contact_resolution"], True)

        # The customer had to come back twice: no.
        again = self.create("customer1", description="Monitor flickers")
        self.assertStatus(self.post_entry("customer1", again["id"], "reply", "Still there"), 201)
        self.assertStatus(self.post_entry("customer1", again["id"], "reply", "And now?"), 201)
        done = self.patched("l1.agent", again["id"], status="resolved")
        self.assertGreaterEqual(done["customer_contacts"], 2)
        self.assertIs(done["first_contact_resolution"], False)

        # Escalated and back, then resolved at line 1: no.
        back = self.create_for("customer1", team=SERVICE_DESK)
        self.escalated("l1.agent", back["id"], 2, to_team=DESKTOP)
        r = self.server.request("POST", f"/api/v1/tickets/{back['id']}/returns",
                                {"to_line": 1, "note": "Driver pushed; close with the user"},
                                as_user="l2.agent")
        self.assertStatus(r, 201)
        done = self.patched("l1.agent", back["id"], status="resolved")
        self.assertIs(done["first_contact_resolution"], False)

        # Resolved at line 2: no.
        up = self.create_for("customer1", team=SERVICE_DESK)
        self.escalated("l1.agent", up["id"], 2, to_team=DESKTOP)
        done = self.patched("l2.agent", up["id"], status="resolved")
        self.assertIs(done["first_contact_resolution"], False)

    # --- who sees what ----------------------------------------------------------------

    def _partner_ticket_at_line_3(self) -> dict:
        """A Globex ticket taken by the partner desk, now at line 3."""
        t = self.create_for("customer2", team=PARTNER_DESK, by="supervisor")
        self.assertEqual(t["origin_team"]["id"], self.team_id(PARTNER_DESK))
        self.escalated("supervisor", t["id"], 3, to_team=NETWORK, reason="infrastructure")
        return t

    def test_access_customer(self):
        mine = self.create("customer1")
        theirs = self.create("customer2")
        self.fetch("customer1", mine["id"])
        self.assertProblem(self.get("customer1", theirs["id"]), 404)
        self.assertProblem(self.patch("customer1", theirs["id"], urgency=1), 404)
        r = self.server.request("GET", f"/api/v1/tickets/{theirs['id']}/entries",
                                as_user="customer1")
        self.assertProblem(r, 404)
        listed = self.list_all("customer1")
        self.assertIn(mine["id"], {t["id"] for t in listed})
        for t in listed:
            self.assertEqual(t["requester_id"], self.uid("customer1"))
        r = self.assertStatus(self.list_page("customer1", requester=self.uid("customer2")), 200)
        self.assertEqual(r.json["items"], [])
        self.assertProblem(self.server.request("GET", "/api/v1/users", as_user="customer1"), 403)
        self.assertProblem(self.server.request("GET", "/api/v1/organizations",
                                               as_user="customer1"), 403)

    def test_access_first_line_keeps_its_escalated_tickets(self):
        foreign = self._partner_ticket_at_line_3()
        own = self.create_for("customer1", team=SERVICE_DESK)
        self.escalated("l1.agent", own["id"], 3, to_team=NETWORK, reason="infrastructure")
        line1 = self.create_for("customer2", team=PARTNER_DESK, by="supervisor")
        self.assertProblem(self.get("l1.agent", foreign["id"]), 404)
        self.fetch("l1.agent", own["id"])
        self.fetch("l1.agent", line1["id"])
        mine = set(self.server.request("GET", "/api/v1/me", as_user="l1.agent").json["team_ids"])
        listed = self.list_all("l1.agent")
        ids = {t["id"] for t in listed}
        self.assertIn(own["id"], ids)
        self.assertIn(line1["id"], ids)
        self.assertNotIn(foreign["id"], ids)
        for t in listed:
            self.assertTrue(t["line"] == 1 or t["origin_team"]["id"] in mine,
                            f"l1.agent should not see {t}")

    def test_access_second_line(self):
        foreign = self._partner_ticket_at_line_3()
        low = self.create_for("customer1")
        self.fetch("l2.agent", low["id"])
        self.assertProblem(self.get("l2.agent", foreign["id"]), 404)
        self.fetch("l3.agent", foreign["id"])
        listed = self.list_all("l2.agent")
        self.assertIn(low["id"], {t["id"] for t in listed})
        for t in listed:
            self.assertLessEqual(t["line"], 2, f"l2.agent should not see {t}")

    def test_access_outsourced_partner_desk(self):
        foreign = self._partner_ticket_at_line_3()
        acme = self.create_for("customer1", team=SERVICE_DESK)
        globex_at_sd = self.create_for("customer2", team=SERVICE_DESK)
        self.fetch("partner.agent", foreign["id"])
        self.fetch("partner.agent", globex_at_sd["id"])
        self.assertProblem(self.get("partner.agent", acme["id"]), 404)
        partner, globex = self.team_id(PARTNER_DESK), self.org_id(GLOBEX)
        listed = self.list_all("partner.agent")
        ids = {t["id"] for t in listed}
        self.assertIn(foreign["id"], ids)
        self.assertNotIn(acme["id"], ids)
        for t in listed:
            self.assertTrue(
                t["team"]["id"] == partner or t["origin_team"]["id"] == partner
                or t["organization_id"] == globex, f"partner.agent should not see {t}")

    def test_access_vendor(self):
        t = self.create_for("customer1", team=SERVICE_DESK)
        self.assertProblem(self.get("vendor.agent", t["id"]), 404)
        self.escalated("l1.agent", t["id"], 4, to_team=VENDOR, reason="vendor_required")
        self.fetch("vendor.agent", t["id"])
        vendor = self.team_id(VENDOR)
        listed = self.list_all("vendor.agent")
        self.assertIn(t["id"], {x["id"] for x in listed})
        for x in listed:
            self.assertEqual((x["line"], x["team"]["id"]), (4, vendor),
                             f"vendor.agent should not see {x}")
        # Once it is back at line 2 the vendor no longer sees it.
        r = self.server.request("POST", f"/api/v1/tickets/{t['id']}/returns",
                                {"to_line": 2, "to_team": self.team_id(DESKTOP),
                                 "note": "Vendor shipped a fix"}, as_user="supervisor")
        self.assertStatus(r, 201)
        self.assertProblem(self.get("vendor.agent", t["id"]), 404)

    def test_access_supervisor_and_admin_see_everything(self):
        foreign = self._partner_ticket_at_line_3()
        mine = self.create("customer1")
        for who in ("supervisor", "admin"):
            self.fetch(who, foreign["id"])
            self.fetch(who, mine["id"])
        lines = {t["line"] for t in self.list_all("supervisor")}
        self.assertEqual(lines, {1, 2, 3, 4}, "demo data has tickets in every line")

    # --- directory --------------------------------------------------------------------

    def test_demo_directory(self):
        expect = {SERVICE_DESK: (1, "internal"), PARTNER_DESK: (1, "outsourced"),
                  DESKTOP: (2, "internal"), NETWORK: (3, "internal"), VENDOR: (4, "vendor")}
        for name, (line, kind) in expect.items():
            t = self.teams[name]
            self.assertEqual((t["line"], t["kind"]), (line, kind), name)
            self.assertIsInstance(t["organization_ids"], list)
        self.assertIn(self.org_id(GLOBEX), self.teams[PARTNER_DESK]["organization_ids"])
        for login, role in ROLES.items():
            self.assertEqual(self.users[login]["role"], role)
        r = self.assertStatus(self.server.request("GET", "/api/v1/teams", as_user="l1.agent"), 200)
        self.assertIn(SERVICE_DESK, {t["name"] for t in items(r.json)})

    def test_admin_only_writes(self):
        s = self.server
        team = {"name": unique("Database Team"), "line": 3, "kind": "internal"}
        org = {"name": unique("Initech"), "domain": "initech.example"}
        login = unique("new.customer")
        user = {"login": login, "name": "New Customer", "email": f"{login}@initech.example",
                "role": "customer", "language": "de", "password": "Secret-123456"}
        for who in ("l1.agent", "supervisor", "customer1"):
            self.assertProblem(s.request("POST", "/api/v1/teams", team, as_user=who), 403)
            self.assertProblem(s.request("POST", "/api/v1/organizations", org, as_user=who), 403)
            self.assertProblem(s.request("POST", "/api/v1/users", user, as_user=who), 403)

        r = self.assertStatus(s.request("POST", "/api/v1/teams", team, as_user="admin"), 201)
        self.assertEqual((r.json["name"], r.json["line"], r.json["kind"]),
                         (team["name"], 3, "internal"))
        r = self.assertStatus(s.request("GET", "/api/v1/teams", as_user="admin"), 200)
        self.assertIn(team["name"], {t["name"] for t in items(r.json)})

        r = self.assertStatus(s.request("POST", "/api/v1/organizations", org, as_user="admin"), 201)
        org_id = r.json["id"]
        self.assertEqual(r.json["name"], org["name"])
        r = self.assertStatus(s.request("GET", "/api/v1/organizations", as_user="admin"), 200)
        self.assertIn(org_id, {o["id"] for o in items(r.json)})

        user["organization_id"] = org_id
        r = self.assertStatus(s.request("POST", "/api/v1/users", user, as_user="admin"), 201)
        made = r.json
        self.assertEqual((made["login"], made["role"], made["organization_id"], made["language"]),
                         (login, "customer", org_id, "de"))
        self.assertNotIn("Secret-123456", r.text)
        self.assertNotIn("password", {k.lower() for k in made})
        r = self.assertStatus(s.login(login, "Secret-123456"), 201)
        r = s.request("POST", "/api/v1/tickets", {"subject": "first day"}, token=r.json["token"])
        self.assertEqual(self.assertStatus(r, 201).json["organization_id"], org_id)

        self.assertStatus(s.request("POST", "/api/v1/users", user, as_user="admin"), 409, 422)
        bad = {**user, "login": unique("bad.role"), "role": "overlord"}
        self.assertProblem(s.request("POST", "/api/v1/users", bad, as_user="admin"), 422,
                           field="role")

    # --- operations -------------------------------------------------------------------

    def test_healthz_metrics_openapi(self):
        s = self.server
        status, _, body = s.request("GET", "/healthz")
        self.assertEqual((status, body), (200, {"status": "ok"}))
        r = self.assertStatus(s.request("GET", "/metrics"), 200)
        self.assertTrue(r.content_type.startswith("text/plain"), r.content_type)
        self.assertIn("firstline_http_requests_total", r.text)
        gauges = [line for line in r.text.splitlines() if line.startswith("firstline_tickets{")]
        self.assertTrue(gauges, "firstline_tickets gauge")
        self.assertTrue(any('status="' in g and 'line="' in g for g in gauges),
                        "firstline_tickets by status and line")
        for g in gauges:
            self.assertRegex(g, r"^firstline_tickets\{[^}]*\} \d+(\.\d+)?(e[+-]?\d+)?$")
        r = self.assertStatus(s.request("GET", "/api/v1/openapi.yaml"), 200)
        self.assertRegex(r.text, r"(?m)^openapi: ['\"]?3\.1")
        self.assertIn("/api/v1/tickets/{id}/escalations", r.text)


if __name__ == "__main__":
    unittest.main(verbosity=2)
