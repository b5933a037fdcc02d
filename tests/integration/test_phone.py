"""The phone features over HTTP and the live feed: admins editing users, teams and
organisations (phones, extensions, the last admin), the caller lookup, and the CTI webhook
popping the caller for the agent whose extension rings. On the demo data: customer1 (Acme)
has +49 30 1234567; l1.agent has extension 201, l2.agent 210.

Run: FIRSTLINE_BIN=build/release/src/server/firstline /usr/bin/python3 tests/integration/test_phone.py
"""

from __future__ import annotations

import asyncio
import json
import os
import time
import unittest
from typing import Any

import websockets

from firstline_harness import ServerTestCase, items

CTI_TOKEN = "cti-test-token-0123456789abcdef"
WAIT = 15.0
UNSOLVED = {"new", "open", "pending_customer", "pending_vendor"}


class Feed:
    """A live-feed client that authenticates by its first message, as a browser does."""

    def __init__(self, ws: Any):
        self.ws = ws

    @classmethod
    async def open(cls, port: int, token: str) -> "Feed":
        ws = await websockets.connect(f"ws://127.0.0.1:{port}/api/v1/events", open_timeout=WAIT)
        feed = cls(ws)
        await feed.send({"type": "auth", "token": token})
        hello = await feed.next()
        assert hello["type"] == "authenticated", hello
        return feed

    async def send(self, message: dict) -> None:
        await self.ws.send(json.dumps(message))

    async def next(self, timeout: float = WAIT) -> dict:
        return json.loads(await asyncio.wait_for(self.ws.recv(), timeout))

    async def close(self) -> None:
        await self.ws.close()


class PhoneTest(ServerTestCase):
    server_env = {"FIRSTLINE_CTI_TOKEN": CTI_TOKEN, "FIRSTLINE_PHONE_DEFAULT_COUNTRY_CODE": "49"}

    def run_async(self, coro: Any) -> Any:
        return asyncio.run(asyncio.wait_for(coro, 120))

    def user(self, login: str) -> dict:
        users = items(self.server.request("GET", "/api/v1/users", as_user="admin").json)
        return next(u for u in users if u["login"] == login)

    def named(self, path: str, name: str) -> dict:
        return next(x for x in items(self.server.request("GET", path, as_user="admin").json)
                    if x["name"] == name)

    def put(self, path: str, body: Any, login: str, *expected: int) -> Any:
        return self.assertStatus(self.server.request("PUT", path, body, as_user=login),
                                 *(expected or (200,))).json

    def cti(self, body: Any, token: str | None = CTI_TOKEN, **kw: Any):
        return self.server.request("POST", "/api/v1/cti/events", body, token=token, **kw)

    # --- the admin's edits -------------------------------------------------------------

    def test_admins_edit_users_teams_and_organisations(self):
        l2 = self.user("l2.agent")
        self.assertEqual((l2["phone"], l2["extension"]), ("", "210"))
        self.assertEqual(self.user("customer1")["phone"], "+49301234567")
        path = f"/api/v1/users/{l2['id']}"
        changed = self.put(path, {"name": "Dirk Desktop-Dienst", "phone": "(030) 555-1234"}, "admin")
        self.assertEqual(changed["name"], "Dirk Desktop-Dienst")
        self.assertEqual(changed["phone"], "+49305551234")
        self.assertEqual(changed["extension"], "210", "absent fields stay")
        self.assertEqual(changed["team_ids"], l2["team_ids"])

        self.assertProblem(self.server.request("PUT", path, {"name": "x"}, as_user="supervisor"), 403)
        self.assertProblem(self.server.request("PUT", path, {"name": "x"}, as_user="l1.agent"), 403)
        body = self.assertProblem(self.server.request(
            "PUT", path, {"language": "fr", "phone": "call me", "extension": "2x"},
            as_user="admin"), 422)
        self.assertEqual(sorted(e["field"] for e in body["errors"]),
                         ["extension", "language", "phone"])
        self.assertProblem(self.server.request("PUT", path, {"extension": "201"}, as_user="admin"),
                           409)  # l1.agent's
        self.assertProblem(self.server.request("PUT", path, {"role": "wizard"}, as_user="admin"),
                           422, field="role")
        self.assertProblem(self.server.request("PUT", "/api/v1/users/999999", {"name": "x"},
                                               as_user="admin"), 404)
        c1 = self.user("customer1")
        self.assertProblem(self.server.request("PUT", f"/api/v1/users/{c1['id']}",
                                               {"extension": "299"}, as_user="admin"),
                           422, field="extension")

        # Everyone edits their own name, language and phone, nothing else.
        me = self.put("/api/v1/me", {"phone": "0044 20 7946 0958", "language": "en"}, "customer2")
        self.assertEqual(me["phone"], "+442079460958")
        self.assertEqual(me["login"], "customer2")
        self.assertProblem(self.server.request("PUT", "/api/v1/me", {"role": "admin"},
                                               as_user="customer2"), 422, field="role")
        self.assertProblem(self.server.request("PUT", "/api/v1/me", {"phone": "12"},
                                               as_user="customer2"), 422, field="phone")
        self.assertEqual(self.server.request("GET", "/api/v1/me", as_user="customer2").json["phone"],
                         "+442079460958")

        # Teams and organisations.
        network = self.named("/api/v1/teams", "Network & Infrastructure")
        team = self.put(f"/api/v1/teams/{network['id']}", {"name": "Netzwerk"}, "admin")
        self.assertEqual((team["name"], team["line"], team["kind"]),
                         ("Netzwerk", network["line"], network["kind"]))
        self.assertProblem(self.server.request("PUT", f"/api/v1/teams/{network['id']}",
                                               {"name": "Service Desk"}, as_user="admin"), 409)
        self.assertProblem(self.server.request("PUT", f"/api/v1/teams/{network['id']}",
                                               {"kind": "vendor"}, as_user="admin"), 422,
                           field="line")
        self.assertProblem(self.server.request("PUT", f"/api/v1/teams/{network['id']}",
                                               {"name": "x"}, as_user="supervisor"), 403)
        self.put(f"/api/v1/teams/{network['id']}", {"name": network["name"]}, "admin")
        desk = self.named("/api/v1/teams", "Service Desk")
        self.assertProblem(self.server.request("PUT", f"/api/v1/teams/{desk['id']}", {"line": 2},
                                               as_user="admin"), 409)  # it holds open tickets

        globex = self.named("/api/v1/organizations", "Globex AG")
        org = self.put(f"/api/v1/organizations/{globex['id']}",
                       {"customers_see_all_tickets": True}, "admin")
        self.assertTrue(org["customers_see_all_tickets"])
        self.assertEqual(org["domain"], globex["domain"])
        self.assertProblem(self.server.request("PUT", f"/api/v1/organizations/{globex['id']}",
                                               {"domain": "acme.example"}, as_user="admin"), 409)
        self.assertProblem(self.server.request("PUT", f"/api/v1/organizations/{globex['id']}",
                                               {"domain": "not a domain"}, as_user="admin"), 422,
                           field="domain")
        self.put(f"/api/v1/organizations/{globex['id']}", {"customers_see_all_tickets": False},
                 "admin")

    def test_the_last_admin_and_deactivation(self):
        admin = self.user("admin")
        own = f"/api/v1/users/{admin['id']}"
        self.assertProblem(self.server.request("PUT", own, {"role": "supervisor"}, as_user="admin"),
                           409)
        self.assertProblem(self.server.request("PUT", own, {"active": False}, as_user="admin"), 409)

        # With a second admin the first could step down; the second can be let go again.
        body = {"login": f"admin.two{os.getpid()}", "name": "Second Admin", "role": "admin",
                "password": self.server.demo_password, "phone": "+49 30 999 0000"}
        second = self.assertStatus(self.server.request("POST", "/api/v1/users", body,
                                                       as_user="admin"), 201).json
        self.assertEqual(second["phone"], "+49309990000")
        token = self.server.login(second["login"]).json["token"]
        self.assertStatus(self.server.request("GET", "/api/v1/me", token=token), 200)
        self.assertEqual(self.put(f"/api/v1/users/{second['id']}", {"active": False},
                                  "admin")["active"], False)
        # Deactivation ends the sessions at once.
        self.assertProblem(self.server.request("GET", "/api/v1/me", token=token), 401)
        self.assertProblem(self.server.login(second["login"]), 401)

    def test_an_admin_resets_a_password(self):
        body = {"login": f"reset.me{os.getpid()}", "name": "Reset Me", "role": "customer",
                "password": self.server.demo_password}
        user = self.assertStatus(self.server.request("POST", "/api/v1/users", body,
                                                     as_user="admin"), 201).json
        old_session = self.server.login(user["login"]).json["token"]
        path = f"/api/v1/users/{user['id']}"
        self.assertProblem(self.server.request("PUT", path, {"password": "short"}, as_user="admin"),
                           422, field="password")
        self.assertProblem(self.server.request("PUT", path, {"password": "a-new-password-1"},
                                               as_user="supervisor"), 403)
        self.put(path, {"password": "a-new-password-1"}, "admin")
        self.assertProblem(self.server.request("GET", "/api/v1/me", token=old_session), 401)
        self.assertProblem(self.server.login(user["login"]), 401)
        self.assertStatus(self.server.login(user["login"], "a-new-password-1"), 201)

    # --- the caller lookup ---------------------------------------------------------------

    def test_caller_lookup(self):
        c1 = self.user("customer1")
        card = self.assertStatus(self.server.request(
            "GET", "/api/v1/callers?number=030%201234567", as_user="l1.agent"), 200).json
        self.assertEqual(card["number"], "+49301234567")
        self.assertEqual(card["user"]["id"], c1["id"])
        self.assertEqual(card["users"][0]["id"], c1["id"])
        self.assertEqual(card["organization"]["name"], "Acme GmbH")
        self.assertIsInstance(card["organization_open_tickets"], int)
        tickets = card["open_tickets"]
        self.assertTrue(tickets, "the demo has open tickets of customer1")
        self.assertLessEqual(len(tickets), 20)
        self.assertEqual([t["id"] for t in tickets], sorted((t["id"] for t in tickets), reverse=True))
        for t in tickets:
            self.assertEqual(t["requester_id"], c1["id"])
            self.assertIn(t["status"], UNSOLVED)

        # What each agent sees is what they may see: every ticket shown opens for them.
        for login in ("partner.agent", "l3.agent", "supervisor"):
            view = self.assertStatus(self.server.request(
                "GET", "/api/v1/callers?number=%2B49301234567", as_user=login), 200).json
            self.assertEqual(view["user"]["id"], c1["id"])
            for t in view["open_tickets"]:
                self.assertStatus(self.server.request("GET", f"/api/v1/tickets/{t['id']}",
                                                      as_user=login), 200)
        partner = self.server.request("GET", "/api/v1/callers?number=%2B49301234567",
                                      as_user="partner.agent").json
        self.assertEqual(partner["open_tickets"], [], "the partner desk serves Globex, not Acme")

        for login in ("vendor.agent", "customer1"):
            self.assertProblem(self.server.request("GET", "/api/v1/callers?number=0301234567",
                                                   as_user=login), 403)
        self.assertProblem(self.server.request("GET", "/api/v1/callers", as_user="l1.agent"), 422,
                           field="number")
        self.assertProblem(self.server.request("GET", "/api/v1/callers?number=hello",
                                               as_user="l1.agent"), 422, field="number")
        self.assertProblem(self.server.request("GET", "/api/v1/callers?number=0301234567"), 401)
        unknown = self.assertStatus(self.server.request(
            "GET", "/api/v1/callers?number=0301112223", as_user="l1.agent"), 200).json
        self.assertEqual((unknown["number"], unknown["user"], unknown["users"],
                          unknown["organization"], unknown["open_tickets"]),
                         ("+49301112223", None, [], None, []))

    # --- the CTI webhook -----------------------------------------------------------------

    def test_a_call_pops_the_caller_for_the_right_agent(self):
        c1 = self.user("customer1")
        l1 = self.user("l1.agent")

        async def scenario() -> None:
            lena = await Feed.open(self.server.port, self.server.token("l1.agent"))
            dirk = await Feed.open(self.server.port, self.server.token("l2.agent"))
            try:
                reply = self.cti({"event": "ringing", "call_id": "pbx-4711",
                                  "caller": "+49 30 1234567", "extension": "201",
                                  "at": "2026-11-27T10:55:00+01:00"})
                self.assertStatus(reply, 202)
                self.assertEqual(reply.json["agents"], [l1["id"]])
                self.assertEqual(reply.json["clients"], 1)
                pop = await lena.next()
                self.assertEqual(pop["type"], "call", pop)
                self.assertEqual(pop["call"], {
                    "event": "ringing", "call_id": "pbx-4711", "caller": "+49301234567",
                    "extension": "201", "at": "2026-11-27T09:55:00.000Z",
                    "duration_seconds": None})
                self.assertEqual(pop["caller"]["user"]["id"], c1["id"])
                self.assertEqual(pop["caller"]["organization"]["name"], "Acme GmbH")
                self.assertTrue(pop["caller"]["open_tickets"])
                # Dirk has another extension: his next message is the answer to his ping.
                await dirk.send({"type": "ping"})
                self.assertEqual((await dirk.next())["type"], "pong")

                reply = self.cti({"event": "ended", "call_id": "pbx-4711", "caller": "anonymous",
                                  "extension": "201", "duration_seconds": 95})
                self.assertStatus(reply, 202)
                ended = await lena.next()
                self.assertEqual((ended["call"]["event"], ended["call"]["duration_seconds"],
                                  ended["call"]["caller"], ended["caller"]),
                                 ("ended", 95, None, None))
                self.assertTimestamp(ended["call"]["at"])
            finally:
                await lena.close()
                await dirk.close()

        self.run_async(scenario())

        # Nobody with the extension: accepted, nobody told.
        reply = self.assertStatus(self.cti({"event": "ringing", "call_id": "x", "caller": "",
                                            "extension": "999"}), 202)
        self.assertEqual(reply.json["agents"], [])
        self.assertIn("note", reply.json)

    def test_the_webhook_checks_its_token_and_body(self):
        good = {"event": "ringing", "call_id": "c1", "caller": "+49301234567", "extension": "201"}
        for token in (None, "wrong", CTI_TOKEN[:-1]):
            p = self.assertProblem(self.cti(good, token=token), 401)
            self.assertNotIn(CTI_TOKEN, json.dumps(p))
        self.assertProblem(self.cti(good, token=self.server.token("admin")), 401,
                           ) # a user's token is not the phone system's
        body = self.assertProblem(self.cti({"event": "dialing", "extension": "20 1",
                                            "duration_seconds": 5, "at": "yesterday"}), 422)
        self.assertEqual(sorted(e["field"] for e in body["errors"]),
                         ["at", "call_id", "event", "extension"])
        self.assertProblem(self.cti({**good, "event": "ringing", "duration_seconds": 5}), 422,
                           field="duration_seconds")
        self.assertProblem(self.cti({**good, "call_id": ""}), 422, field="call_id")
        self.assertProblem(self.cti(None, raw=b"{not json", headers={"Content-Type": "application/json"}), 400)
        self.assertProblem(self.cti(None, raw=b"event=ringing", headers={"Content-Type": "text/plain"}), 415)
        self.assertProblem(self.cti({**good, "caller": "1" * 5000}), 413)
        # The secret never reaches the log.
        time.sleep(0.2)
        log = self.server.log_path.read_text(errors="replace")
        self.assertIn("cti: call", log)
        self.assertNotIn(CTI_TOKEN, log)


class PhoneWithoutCtiTest(ServerTestCase):
    def test_the_webhook_is_off_without_a_token(self):
        reply = self.server.request("POST", "/api/v1/cti/events",
                                    {"event": "ringing", "call_id": "c", "extension": "201"},
                                    token="anything")
        self.assertProblem(reply, 404)
        # Numbers must be international without a default country code.
        self.assertProblem(self.server.request("GET", "/api/v1/callers?number=0301234567",
                                               as_user="l1.agent"), 422, field="number")
        card = self.server.request("GET", "/api/v1/callers?number=%2B49%2030%201234567",
                                   as_user="l1.agent").json
        self.assertEqual(card["user"]["login"], "customer1")


if __name__ == "__main__":
    unittest.main()
