"""The chatbot's conversations over HTTP against the real binary: a logged-in customer walks a
flow to a hand-off whose ticket an agent sees, an anonymous visitor hands over with name and
e-mail, sessions are bound to their user, bad input is problem+json, and anonymous visitors
are rate-limited (429 with Retry-After).

Run: FIRSTLINE_BIN=build/release/src/server/firstline /usr/bin/python3 tests/integration/test_bot.py
"""

from __future__ import annotations

import unittest

from firstline_harness import ServerTestCase, items

SESSIONS = "/api/v1/bot/sessions"


class BotApiTest(ServerTestCase):
    def start(self, as_user: str | None = None, **body) -> dict:
        r = self.assertStatus(self.server.request("POST", SESSIONS, body, as_user=as_user), 201)
        self.assertEqual(r.headers.get("Location"), f"{SESSIONS}/{r.json['id']}")
        return r.json

    def say(self, session: dict, as_user: str | None = None, **body) -> dict:
        return self.assertStatus(self.server.request(
            "POST", f"{SESSIONS}/{session['id']}/messages", body, as_user=as_user), 200).json

    def test_customer_flow_to_handoff_is_a_ticket_the_agent_sees(self):
        s = self.start("customer1", language="en")
        self.assertEqual(s["status"], "open")
        self.assertEqual(s["expecting"], "text")
        self.assertIn("flow:printer", [b["id"] for b in s["buttons"]])
        r = self.say(s, "customer1", text="my printer does not print anything")
        self.assertEqual(r["expecting"], "slot", r)
        for step in ("HP reception", "iPhone", "#nothing", "#no", "just me", "don't know", "2 days"):
            body = {"button": step[1:]} if step.startswith("#") else {"text": step}
            r = self.say(s, "customer1", **body)
        self.assertEqual(r["status"], "handed_off", r)
        self.assertEqual(r["expecting"], "nothing")
        ticket = r["ticket"]
        self.assertIn(str(ticket["number"]), " ".join(m["text"] for m in r["messages"]))

        listed = items(self.assertStatus(self.server.request(
            "GET", "/api/v1/tickets?limit=200", as_user="l1.agent"), 200).json)
        self.assertIn(ticket["id"], [t["id"] for t in listed])
        t = self.assertStatus(self.server.request(
            "GET", f"/api/v1/tickets/{ticket['id']}", as_user="l1.agent"), 200).json
        self.assertEqual(t["channel"], "bot")
        self.assertEqual(t["category"], "Hardware > Drucker")
        self.assertEqual(sorted(t["tags"]), ["bot", "printer"])
        self.assertEqual(t["subject"], "my printer does not print anything")

        # The agent taking it reads the transcript; the customer too; nobody else.
        transcript = self.assertStatus(self.server.request(
            "GET", f"{SESSIONS}/{s['id']}", as_user="l1.agent"), 200).json
        self.assertEqual(transcript["ticket_id"], ticket["id"])
        self.assertEqual(transcript["status"], "handed_off")
        whos = [turn["who"] for turn in transcript["turns"]]
        self.assertEqual(whos[0], "bot")
        self.assertIn("user", whos)
        self.assertEqual([turn["seq"] for turn in transcript["turns"]],
                         list(range(1, len(transcript["turns"]) + 1)))
        self.assertStatus(self.server.request("GET", f"{SESSIONS}/{s['id']}", as_user="customer1"), 200)
        self.assertProblem(self.server.request("GET", f"{SESSIONS}/{s['id']}", as_user="customer2"), 404)
        self.assertProblem(self.server.request("GET", f"{SESSIONS}/{s['id']}"), 404)

        # A finished session takes no more messages.
        self.assertProblem(self.server.request("POST", f"{SESSIONS}/{s['id']}/messages",
                                               {"text": "hello"}, as_user="customer1"), 409)

    def test_another_users_session_is_not_found(self):
        s = self.start("customer1", language="de")
        self.assertProblem(self.server.request("POST", f"{SESSIONS}/{s['id']}/messages",
                                               {"text": "hallo"}, as_user="customer2"), 404)
        self.assertProblem(self.server.request("POST", f"{SESSIONS}/{s['id']}/messages",
                                               {"text": "hallo"}), 404)
        self.assertProblem(self.server.request("POST", f"{SESSIONS}/nope/messages",
                                               {"text": "hallo"}), 404)

    def test_anonymous_handoff_asks_for_name_and_email(self):
        s = self.start(language="de")
        self.assertEqual(s["language"], "de")
        r = self.say(s, text="Ich möchte mit einem Mitarbeiter sprechen")
        self.assertEqual(r["expecting"], "name")
        r = self.say(s, text="Erika Muster")
        self.assertEqual(r["expecting"], "email")
        r = self.say(s, text="kaputt")
        self.assertEqual(r["expecting"], "email")
        r = self.say(s, text="erika.muster@example.org")
        self.assertEqual(r["status"], "handed_off", r)
        t = self.assertStatus(self.server.request(
            "GET", f"/api/v1/tickets/{r['ticket']['id']}", as_user="l1.agent"), 200).json
        self.assertEqual(t["channel"], "bot")
        # The anonymous visitor's capability reads the transcript.
        self.assertStatus(self.server.request("GET", f"{SESSIONS}/{s['id']}"), 200)

    def test_accept_language_is_the_fallback(self):
        r = self.assertStatus(self.server.request(
            "POST", SESSIONS, {}, headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.8"}), 201).json
        self.assertEqual(r["language"], "de")
        self.assertIn("Hallo", r["messages"][0]["text"])

    def test_bad_input_is_problem_json(self):
        s = self.start(language="en")
        path = f"{SESSIONS}/{s['id']}/messages"
        self.assertProblem(self.server.request("POST", path, {"text": "a", "button": "yes"}), 422)
        self.assertProblem(self.server.request("POST", path, {}), 422)
        self.assertProblem(self.server.request("POST", path, {"text": 5}), 400, 422)
        self.assertProblem(self.server.request("POST", path, {"text": "x" * 5000}), 413)
        self.assertProblem(self.server.request("POST", path, raw=b"{not json",
                                               headers={"Content-Type": "application/json"}), 400)
        self.assertProblem(self.server.request("POST", SESSIONS, {"language": "fr"}), 422)

    def test_openapi_documents_the_routes(self):
        spec = self.server.request("GET", "/api/v1/openapi.yaml").text
        for path in ("/api/v1/bot/sessions:", "/api/v1/bot/sessions/{id}:",
                     "/api/v1/bot/sessions/{id}/messages:"):
            self.assertIn(path, spec)


class BotRateLimitTest(ServerTestCase):
    server_env = {"FIRSTLINE_BOT_ANONYMOUS_SESSIONS_PER_HOUR": "3",
                  "FIRSTLINE_BOT_ANONYMOUS_MESSAGES_PER_MINUTE": "4"}

    def test_anonymous_visitors_are_limited(self):
        s = self.assertStatus(self.server.request("POST", SESSIONS, {"language": "en"}), 201).json
        path = f"{SESSIONS}/{s['id']}/messages"
        for _ in range(4):
            self.assertStatus(self.server.request("POST", path, {"text": "hello"}), 200)
        r = self.server.request("POST", path, {"text": "hello"})
        self.assertProblem(r, 429)
        self.assertGreater(int(r.headers.get("Retry-After")), 0)

        for _ in range(2):
            self.assertStatus(self.server.request("POST", SESSIONS, {"language": "en"}), 201)
        r = self.server.request("POST", SESSIONS, {"language": "en"})
        self.assertProblem(r, 429)
        self.assertGreater(int(r.headers.get("Retry-After")), 0)
        # A logged-in customer counts apart, with the more generous user limits.
        c = self.assertStatus(self.server.request("POST", SESSIONS, {}, as_user="customer1"), 201).json
        for _ in range(6):
            self.assertStatus(self.server.request("POST", f"{SESSIONS}/{c['id']}/messages",
                                                  {"text": "hello"}, as_user="customer1"), 200)


if __name__ == "__main__":
    unittest.main()
