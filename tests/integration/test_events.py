"""The live event feed (GET /api/v1/events, a WebSocket) against the real binary: subscribe,
change tickets through the REST API and receive the changes; access rules across roles;
authentication by header and by first message; bad messages; resume after a reconnect;
revoked tokens. On the demo data (see firstline_harness.DEMO_LOGINS).

Messages are awaited with generous timeouts (a noisy machine); the latency figure of the
issue (100 ms) is measured by bench/live_events, not asserted here.

Run: FIRSTLINE_BIN=build/release/src/server/firstline /usr/bin/python3 tests/integration/test_events.py
"""

from __future__ import annotations

import asyncio
import json
import os
import time
import unittest
from typing import Any, Callable

import websockets
import websockets.exceptions

from firstline_harness import ServerTestCase, items

WAIT = 15.0  # seconds a message may take before the test fails (not the latency target)


class Feed:
    """One WebSocket client of the feed."""

    def __init__(self, ws: Any):
        self.ws = ws
        self.seen: list[dict] = []

    @classmethod
    async def open(cls, port: int, token: str | None = None, origin: str | None = None) -> "Feed":
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        ws = await websockets.connect(f"ws://127.0.0.1:{port}/api/v1/events",
                                      extra_headers=headers, origin=origin,
                                      open_timeout=WAIT, max_size=2 ** 22)
        return cls(ws)

    async def send(self, message: dict | str) -> None:
        await self.ws.send(message if isinstance(message, str) else json.dumps(message))

    async def next(self, timeout: float = WAIT) -> dict:
        message = json.loads(await asyncio.wait_for(self.ws.recv(), timeout))
        self.seen.append(message)
        return message

    async def until(self, pred: Callable[[dict], bool], timeout: float = WAIT) -> dict:
        """The first message that satisfies `pred`; the ones before it stay in `seen`."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no matching message within {timeout}s; saw {self.seen}")
            message = await self.next(left)
            if pred(message):
                return message

    async def request(self, message: dict) -> dict:
        """Sends a message with an id and returns the answer carrying that id."""
        rid = f"r{time.monotonic_ns()}"
        await self.send({**message, "id": rid})
        return await self.until(lambda m: m.get("id") == rid)

    async def closed(self, timeout: float = WAIT) -> websockets.exceptions.ConnectionClosed:
        """Reads until the server closes; returns how it closed."""
        try:
            while True:
                await self.next(timeout)
        except websockets.exceptions.ConnectionClosed as e:
            return e

    async def close(self) -> None:
        await self.ws.close()


def event_of(message: dict, ticket: int, etype: str | None = None) -> bool:
    return (message.get("type") == "event" and message["event"]["ticket_id"] == ticket
            and (etype is None or message["event"]["type"] == etype))


def concerns(message: dict, ticket: int) -> bool:
    return (message.get("ticket", {}) or {}).get("id") == ticket \
        or message.get("ticket_id") == ticket


def close_code(e: websockets.exceptions.ConnectionClosed) -> int | None:
    return e.rcvd.code if e.rcvd is not None else None


class EventsTest(ServerTestCase):
    def run_async(self, coro: Any) -> Any:
        return asyncio.run(asyncio.wait_for(coro, 120))

    def team_id(self, name: str) -> int:
        teams = items(self.server.request("GET", "/api/v1/teams", as_user="admin").json)
        return next(t["id"] for t in teams if t["name"] == name)

    def open_ticket(self, login: str, subject: str) -> dict:
        return self.assertStatus(self.server.request(
            "POST", "/api/v1/tickets", {"subject": f"{subject} {os.getpid()}"},
            as_user=login), 201).json

    def post(self, path: str, body: dict, login: str, *expected: int) -> dict:
        return self.assertStatus(self.server.request("POST", path, body, as_user=login),
                                 *(expected or (201,))).json

    async def subscribed(self, login: str, **subscription: Any) -> Feed:
        feed = await Feed.open(self.server.port, self.server.token(login))
        hello = await feed.next()
        self.assertEqual(hello["type"], "authenticated", hello)
        self.assertEqual(hello["user"]["login"], login)
        ack = await feed.request({"type": "subscribe", **subscription})
        self.assertEqual(ack["type"], "subscribed", ack)
        return feed

    def test_a_queue_receives_new_tickets_and_loses_escalated_ones(self):
        desk, desktop = self.team_id("Service Desk"), self.team_id("Desktop Support")

        async def scenario() -> None:
            l1 = await self.subscribed("l1.agent", queues=[{"team": desk}])
            l2 = await self.subscribed("l2.agent", queues=[{"team": desktop}])
            t = self.open_ticket("customer1", "Printer jams")
            got = await l1.until(lambda m: event_of(m, t["id"], "ticket.created"))
            summary = got["ticket"]
            self.assertEqual((summary["number"], summary["status"], summary["line"]),
                             (t["number"], "new", 1))
            self.assertEqual(summary["team"], {"id": desk, "name": "Service Desk"})
            self.assertEqual(got["cursor"], got["event"]["id"])
            self.assertTimestamp(got["event"]["at"])

            self.post(f"/api/v1/tickets/{t['id']}/escalations",
                      {"to_line": 2, "to_team": desktop, "reason": "needs_expertise",
                       "handoff_note": "Cleaned the rollers."}, "l1.agent")
            left = await l1.until(lambda m: concerns(m, t["id"]) and m["type"] != "event")
            self.assertEqual(left["type"], "ticket_left")
            self.assertEqual(set(left), {"type", "cursor", "ticket_id"}, "the id and nothing else")
            got = await l2.until(lambda m: event_of(m, t["id"], "ticket.escalated"))
            self.assertEqual(got["event"]["payload"]["note"], "Cleaned the rollers.")
            self.assertEqual(got["ticket"]["line"], 2)
            await l1.close()
            await l2.close()

        self.run_async(scenario())

    def test_each_role_sees_only_what_it_may(self):
        async def scenario() -> None:
            # The customer authenticates by the first message, as a browser does.
            c1 = await Feed.open(self.server.port)
            await c1.send({"type": "auth", "token": self.server.token("customer1")})
            self.assertEqual((await c1.next())["type"], "authenticated")
            self.assertEqual((await c1.request({"type": "subscribe", "queues": ["mine"]}))["type"],
                             "subscribed")
            c2 = await self.subscribed("customer2", queues=["all"])
            vendor = await self.subscribed("vendor.agent", queues=["all"])

            t = self.open_ticket("customer1", "Laptop will not boot")
            c2_spy = await self.subscribed("customer2", tickets=[t["id"]])
            await c1.until(lambda m: event_of(m, t["id"], "ticket.created"))
            self.post(f"/api/v1/tickets/{t['id']}/entries",
                      {"kind": "note", "body": "VIP, handle with care"}, "l1.agent")
            self.post(f"/api/v1/tickets/{t['id']}/entries",
                      {"kind": "reply", "body": "Please hold the power button for 30 s."},
                      "l1.agent")
            reply = await c1.until(lambda m: event_of(m, t["id"], "ticket.entry_added"))
            self.assertEqual(reply["event"]["payload"]["kind"], "reply")
            for m in c1.seen:
                if m["type"] == "event":
                    self.assertIn(m["event"]["type"], ("ticket.created", "ticket.entry_added",
                                                      "ticket.status_changed"), m)
                    self.assertNotEqual(m["event"]["payload"].get("kind"), "note", m)
                self.assertNotIn("VIP", json.dumps(m))

            # A ticket of customer2's own marks the end: nothing about customer1's came first.
            mine = self.open_ticket("customer2", "Sentinel")
            await c2.until(lambda m: concerns(m, mine["id"]))
            self.assertFalse([m for m in c2.seen if concerns(m, t["id"])], c2.seen)
            await c2_spy.send({"type": "ping", "id": "p"})
            self.assertEqual(await c2_spy.next(), {"type": "pong", "id": "p"})
            # Everything about the ticket was queued before the sentinel, so before the pong.
            self.assertEqual([m["type"] for m in c2_spy.seen],
                             ["authenticated", "subscribed", "pong"],
                             "nothing about a ticket one may not see, even by its id")
            vendor_sentinel = self.open_ticket("customer1", "Vendor sentinel")
            self.post(f"/api/v1/tickets/{vendor_sentinel['id']}/escalations",
                      {"to_line": 4, "to_team": self.team_id("Vendor Support"),
                       "reason": "vendor_required", "handoff_note": "Firmware bug, case opened."},
                      "supervisor")
            await vendor.until(lambda m: event_of(m, vendor_sentinel["id"], "ticket.escalated"))
            self.assertFalse([m for m in vendor.seen if concerns(m, t["id"])], vendor.seen)
            for f in (c1, c2, c2_spy, vendor):
                await f.close()

        self.run_async(scenario())

    def test_authentication_rules(self):
        async def scenario() -> None:
            feed = await Feed.open(self.server.port)
            answer = await feed.request({"type": "subscribe", "queues": ["all"]})
            self.assertEqual(answer["type"], "error")
            self.assertIn("authenticate first", answer["detail"])
            await feed.send({"type": "auth", "token": "not-a-token"})
            closed = await feed.closed()
            self.assertEqual(close_code(closed), 4401)
            self.assertIn("not valid", closed.rcvd.reason)

            # A bad header is refused before the upgrade, as plain HTTP.
            with self.assertRaises(websockets.exceptions.InvalidStatusCode) as refused:
                await Feed.open(self.server.port, "not-a-token")
            self.assertEqual(refused.exception.status_code, 401)
            # Pages from another site may not connect.
            with self.assertRaises(websockets.exceptions.InvalidStatusCode) as foreign:
                await Feed.open(self.server.port, origin="https://evil.example")
            self.assertEqual(foreign.exception.status_code, 403)

            # Silence: closed after the few seconds a client has to authenticate.
            started = time.monotonic()
            silent = await Feed.open(self.server.port)
            closed = await silent.closed(timeout=WAIT)
            self.assertEqual(close_code(closed), 4401)
            self.assertGreater(time.monotonic() - started, 3)

        self.run_async(scenario())
        reply = self.server.request("GET", "/api/v1/events", as_user="l1.agent")
        self.assertProblem(reply, 426)
        self.assertEqual(reply.headers.get("Upgrade"), "websocket")

    def test_bad_messages_get_errors_and_the_connection_stays(self):
        async def scenario() -> None:
            feed = await self.subscribed("l1.agent", queues=["mine"])
            for bad, why in (("not json", "not a JSON object"),
                             ({"type": "dance", "id": 1}, "type:"),
                             ({"type": "subscribe", "queues": [{"line": 9}], "id": 2}, "line"),
                             ({"type": "subscribe", "tickets": ["x"], "id": 3}, "tickets")):
                await feed.send(bad)
                answer = await feed.next()
                self.assertEqual(answer["type"], "error", answer)
                self.assertIn(why, answer["detail"])
                if isinstance(bad, dict):
                    self.assertEqual(answer.get("id"), bad["id"])
            self.assertEqual((await feed.request({"type": "ping"}))["type"], "pong")
            # Abuse is not: a flood of malformed messages closes the connection.
            for _ in range(25):
                await feed.send("{")
            closed = await feed.closed()
            self.assertEqual(close_code(closed), 1008)

        self.run_async(scenario())

    def test_resume_after_a_reconnect_loses_nothing(self):
        desk = self.team_id("Service Desk")

        async def scenario() -> None:
            feed = await self.subscribed("supervisor", queues=[{"team": desk}])
            first = self.open_ticket("customer1", "Before the gap")
            got = await feed.until(lambda m: event_of(m, first["id"], "ticket.created"))
            cursor = got["cursor"]
            # Drain what else belongs to the first ticket (its SLA policy) for the cursor.
            await feed.close()
            missed = [self.open_ticket("customer1", f"While away {i}")["id"] for i in range(3)]

            again = await Feed.open(self.server.port, self.server.token("supervisor"))
            await again.next()
            ack = await again.request({"type": "subscribe", "queues": [{"team": desk}],
                                       "after": cursor})
            replayed = [m for m in again.seen if m["type"] in ("event", "ticket")]
            self.assertEqual(ack["type"], "subscribed")
            self.assertEqual(ack["replayed"], len(replayed))
            created = [m["event"]["ticket_id"] for m in replayed
                       if m["event"]["type"] == "ticket.created"]
            self.assertEqual(created, missed, "each missed ticket, in order, once")
            self.assertTrue(all(m["cursor"] > cursor for m in replayed))
            live = self.open_ticket("customer1", "After the gap")
            await again.until(lambda m: event_of(m, live["id"], "ticket.created"))
            await again.close()

        self.run_async(scenario())

    def test_a_revoked_token_stops_the_feed(self):
        async def scenario() -> None:
            issued = self.post("/api/v1/me/tokens", {"name": "wallboard"}, "l1.agent")
            feed = await Feed.open(self.server.port, issued["token"])
            self.assertEqual((await feed.next())["type"], "authenticated")
            await feed.request({"type": "subscribe", "queues": ["all"]})
            self.assertStatus(self.server.request("DELETE", f"/api/v1/me/tokens/{issued['id']}",
                                                  as_user="l1.agent"), 204)
            closed = await feed.closed()
            self.assertEqual(close_code(closed), 4401)

        self.run_async(scenario())


if __name__ == "__main__":
    unittest.main()
