"""The live hand-over against the real binary: a guest talks to the bot over its WebSocket,
hands over, asks for an agent; a line-1 agent with the console open (connected to the live
feed) sees the waiting chat, accepts, writes; each side gets the other's lines (the guest by
push), the chat lines are public replies on the ticket marked as chat, the chat ends, and what
the guest writes afterwards is filed on the ticket. Without an agent online no chat is offered.

Run: FIRSTLINE_BIN=build/release/src/server/firstline /usr/bin/python3 tests/integration/test_live_chat.py
"""

from __future__ import annotations

import asyncio
import json
import unittest
from typing import Any

import websockets
import websockets.exceptions

from firstline_harness import ServerTestCase, items
from test_events import WAIT, Feed, event_of

CHATS = "/api/v1/live-chats"


class BotSocket(Feed):
    @classmethod
    async def connect(cls, port: int, origin: str | None = None) -> "BotSocket":
        ws = await websockets.connect(f"ws://127.0.0.1:{port}/api/v1/bot/socket",
                                      origin=origin, open_timeout=WAIT)
        return cls(ws)

    async def turn(self, **message: Any) -> dict:
        await self.send(message)
        return await self.until(lambda m: m.get("type") in ("reply", "resumed", "error"))


class LiveChatTest(ServerTestCase):
    def run_async(self, coro: Any) -> Any:
        return asyncio.run(asyncio.wait_for(coro, 120))

    async def agent_online(self, login: str) -> Feed:
        feed = await Feed.open(self.server.port, self.server.token(login))
        self.assertEqual((await feed.next())["type"], "authenticated")
        return feed

    async def guest_hands_over(self, port: int) -> tuple[BotSocket, dict]:
        guest = await BotSocket.connect(port)
        r = await guest.turn(type="start", language="en")
        self.assertEqual(r["type"], "reply", r)
        self.assertEqual(r["expecting"], "text")
        r = await guest.turn(type="message", text="My laptop beeps three times when I start it")
        r = await guest.turn(type="message", button="human")
        self.assertEqual(r["expecting"], "name", r)
        r = await guest.turn(type="message", text="Gina Gast")
        self.assertEqual(r["expecting"], "email", r)
        r = await guest.turn(type="message", text="gina.gast@example.org")
        self.assertEqual(r["status"], "handed_off", r)
        self.assertIn("ticket", r)
        return guest, r

    def test_from_the_bot_to_an_agent_and_back(self):
        port = self.server.port

        async def scenario() -> None:
            agent = await self.agent_online("l1.agent")
            guest, handed = await self.guest_hands_over(port)
            ticket = handed["ticket"]["id"]
            self.assertIn("live", [b["id"] for b in handed["buttons"]], handed)
            await agent.request({"type": "subscribe", "tickets": [ticket]})

            r = await guest.turn(type="message", button="live")
            self.assertEqual(r["expecting"], "live", r)
            self.assertEqual(r["live"], {"state": "waiting", "agent": None})
            await agent.until(lambda m: event_of(m, ticket, "ticket.live_chat"))

            waiting = items(self.assertStatus(self.server.request(
                "GET", CHATS, as_user="l1.agent"), 200).json)
            mine = [c for c in waiting if c["ticket_id"] == ticket]
            self.assertEqual(len(mine), 1, waiting)
            self.assertEqual((mine[0]["status"], mine[0]["customer_name"], mine[0]["language"]),
                             ("waiting", "Gina Gast", "en"))
            self.assertProblem(self.server.request("GET", CHATS, as_user="customer1"), 403)

            accepted = self.assertStatus(self.server.request(
                "POST", f"{CHATS}/{ticket}/accept", as_user="l1.agent"), 200).json
            self.assertEqual(accepted["status"], "active")
            self.assertProblem(self.server.request(
                "POST", f"{CHATS}/{ticket}/accept", as_user="supervisor"), 409)
            news = await guest.until(lambda m: m.get("type") == "live" and m["state"] == "active")
            self.assertEqual(news["agent"], accepted["agent_name"])
            t = self.assertStatus(self.server.request(
                "GET", f"/api/v1/tickets/{ticket}", as_user="l1.agent"), 200).json
            self.assertEqual(t["assignee_id"], accepted["agent_id"], "the agent owns the ticket")
            self.assertStatus(self.server.request(
                "POST", f"{CHATS}/{ticket}/messages", {"text": "Hello Gina, does it beep long or short?"},
                as_user="l1.agent"), 201)
            line = await guest.until(lambda m: m.get("type") == "chat")
            self.assertEqual((line["from"], line["text"]),
                             ("agent", "Hello Gina, does it beep long or short?"))
            got = await agent.until(lambda m: event_of(m, ticket, "ticket.entry_added"))
            self.assertIs(got["event"]["payload"].get("chat"), True, got)

            r = await guest.turn(type="message", text="Three short beeps.")
            self.assertEqual(r["expecting"], "live", r)
            self.assertEqual(r["live"]["state"], "active")
            view = self.assertStatus(self.server.request(
                "GET", f"{CHATS}/{ticket}", as_user="l1.agent"), 200).json
            self.assertEqual([(m["from"], m["text"]) for m in view["messages"]],
                             [("agent", "Hello Gina, does it beep long or short?"),
                              ("user", "Three short beeps.")])

            # A reload: the guest resumes on a new socket and the REST transcript has the lines.
            await guest.close()
            guest = await BotSocket.connect(port)
            r = await guest.turn(type="resume", session=handed["id"])
            self.assertEqual((r["type"], r["live"]["state"]), ("resumed", "active"), r)
            transcript = self.assertStatus(self.server.request(
                "GET", f"/api/v1/bot/sessions/{handed['id']}"), 200).json
            self.assertEqual(len(transcript["live"]["messages"]), 2, transcript["live"])
            self.assertEqual(transcript["ticket"], handed["ticket"])

            self.assertStatus(self.server.request(
                "POST", f"{CHATS}/{ticket}/end", as_user="l1.agent"), 200)
            ended = await guest.until(lambda m: m.get("type") == "live" and m["state"] == "ended")
            self.assertEqual(ended["ended_by"], "agent")
            r = await guest.turn(type="message", text="One more thing: it is a ThinkPad.")
            self.assertEqual(r["expecting"], "nothing", r)
            timeline = self.assertStatus(self.server.request(
                "GET", f"/api/v1/tickets/{ticket}/entries", as_user="l1.agent"), 200).json
            self.assertIn("One more thing: it is a ThinkPad.", json.dumps(timeline))
            r = await guest.turn(type="message", text="hello?")
            self.assertEqual((r["type"], r["status"]), ("error", 409), r)
            await guest.close()
            await agent.close()

        self.run_async(scenario())

    def test_the_desk_routes_by_role(self):
        async def scenario() -> None:
            agent = await self.agent_online("l1.agent")
            guest, handed = await self.guest_hands_over(self.server.port)
            ticket = handed["ticket"]["id"]
            await guest.turn(type="message", button="live")
            routes = [("GET", CHATS, None), ("GET", f"{CHATS}/{ticket}", None),
                      ("POST", f"{CHATS}/{ticket}/accept", None),
                      ("POST", f"{CHATS}/{ticket}/messages", {"text": "hi"}),
                      ("POST", f"{CHATS}/{ticket}/end", None)]
            for method, path, body in routes:
                self.assertProblem(self.server.request(method, path, body), 401)
                self.assertProblem(self.server.request(method, path, body, as_user="customer1"),
                                   403, 404)
            for method, path, body in routes[1:]:
                # A vendor does not see a line-1 ticket: not even that it exists.
                self.assertProblem(self.server.request(method, path, body, as_user="vendor.agent"),
                                   403, 404)
            self.assertNotIn(ticket, [c["ticket_id"] for c in items(self.server.request(
                "GET", CHATS, as_user="vendor.agent").json)])
            self.assertStatus(self.server.request("GET", f"{CHATS}/{ticket}", as_user="supervisor"), 200)
            r = self.server.request("GET", "/metrics")
            self.assertRegex(r.text, r'firstline_live_chats\{state="waiting"\} [1-9]')
            self.assertRegex(r.text, r'firstline_agents_available\{line="1",online="true"\} [1-9]')
            self.assertRegex(r.text, r'firstline_agents_available\{line="2"\} \d+')
            self.assertStatus(self.server.request(
                "POST", f"{CHATS}/{ticket}/end", as_user="supervisor"), 200)
            await guest.close()
            await agent.close()

        self.run_async(scenario())

    def test_no_agent_online_no_chat_offered(self):
        async def scenario() -> None:
            guest, handed = await self.guest_hands_over(self.server.port)
            self.assertNotIn("live", [b["id"] for b in handed["buttons"]])
            self.assertEqual(handed["expecting"], "nothing")
            await guest.close()

        self.run_async(scenario())

    def test_socket_speaks_problems_and_refuses_foreign_pages(self):
        async def scenario() -> None:
            s = await BotSocket.connect(self.server.port)
            r = await s.turn(type="message", text="hi")
            self.assertEqual((r["type"], r["status"]), ("error", 400), r)
            await s.send("not json")
            self.assertEqual((await s.next())["status"], 400)
            r = await s.turn(type="resume", session="nope")
            self.assertEqual((r["type"], r["status"]), ("error", 404), r)
            await s.send({"type": "ping"})
            self.assertEqual((await s.next())["type"], "pong")
            await s.close()
            with self.assertRaises(websockets.exceptions.InvalidStatusCode) as refused:
                await BotSocket.connect(self.server.port, origin="https://evil.example")
            self.assertEqual(refused.exception.status_code, 403)

        self.run_async(scenario())


if __name__ == "__main__":
    unittest.main()
