"""Outbound webhooks against the real server and a real receiver on loopback: an admin
subscribes a URL, a customer's new ticket arrives there signed (checked with Python's own
hmac), the receiver's first failure is retried, the delivery log shows it all, a test
delivery (ping), rotating the secret, sending a delivery again, who may do what, and a
pending delivery that survives a restart.

The server's first retry waits 1 s here (FIRSTLINE_WEBHOOKS_FIRST_RETRY_SECONDS), then 4 s.

Run: FIRSTLINE_BIN=build/release/src/server/firstline /usr/bin/python3 tests/integration/test_webhooks.py
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from firstline_harness import ServerTestCase, items

WEBHOOKS = "/api/v1/webhooks"
WAIT = 20.0  # seconds: the follower runs every 200 ms, the sender every second


class Receiver:
    """A webhook endpoint on 127.0.0.1: records each POST and answers the next scripted
    status for its path (200 once the script is used up)."""

    def __init__(self) -> None:
        self.lock = threading.Condition()
        self.requests: list[dict[str, Any]] = []
        self.scripts: dict[str, list[int]] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the http.server name)
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver.lock:
                    script = receiver.scripts.get(self.path, [])
                    status = script.pop(0) if script else 200
                    receiver.requests.append({"path": self.path, "headers": dict(self.headers),
                                              "body": body, "status": status})
                    receiver.lock.notify_all()
                answer = b"ok" if status < 300 else b"try later"
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def script(self, path: str, statuses: list[int]) -> None:
        with self.lock:
            self.scripts.setdefault(path, []).extend(statuses)

    def wait_for(self, path: str, count: int, timeout: float = WAIT) -> list[dict[str, Any]]:
        with self.lock:
            self.lock.wait_for(lambda: len(self.at(path)) >= count, timeout)
            return self.at(path)

    def at(self, path: str) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["path"] == path]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def signature_ok(request: dict[str, Any], secret: str) -> bool:
    """What a receiver does: HMAC-SHA256 of "<timestamp>.<body>", compared in constant time."""
    timestamp = request["headers"]["X-Firstline-Timestamp"]
    expected = "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + request["body"],
                                    hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, request["headers"]["X-Firstline-Signature"])


class WebhookApiTest(ServerTestCase):
    server_env = {"FIRSTLINE_WEBHOOKS_FIRST_RETRY_SECONDS": "1",
                  "FIRSTLINE_WEBHOOKS_TIMEOUT_SECONDS": "5"}

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.receiver = Receiver()
        cls.addClassCleanup(cls.receiver.close)

    def create(self, name: str, path: str, events: list[str]) -> dict[str, Any]:
        body = {"name": f"{name} {os.getpid()}", "url": self.receiver.url(path), "events": events}
        return self.assertStatus(self.server.request("POST", WEBHOOKS, body, as_user="admin"),
                                 201).json

    def open_ticket(self, subject: str) -> dict[str, Any]:
        return self.assertStatus(self.server.request(
            "POST", "/api/v1/tickets", {"subject": f"{subject} {os.getpid()}"},
            as_user="customer1"), 201).json

    def log(self, webhook_id: int) -> list[dict[str, Any]]:
        return items(self.assertStatus(self.server.request(
            "GET", f"{WEBHOOKS}/{webhook_id}/deliveries", as_user="admin"), 200).json)

    def wait_for_log(self, webhook_id: int, done: Any) -> list[dict[str, Any]]:
        deadline = time.monotonic() + WAIT
        while True:
            log = self.log(webhook_id)
            if done(log) or time.monotonic() > deadline:
                return log
            time.sleep(0.1)

    def ticket_deliveries(self, path: str, count: int, ticket_id: int) -> list[dict[str, Any]]:
        """The requests at `path` about the ticket, once `count` of them came."""
        deadline = time.monotonic() + WAIT
        while True:
            got = [r for r in self.receiver.at(path)
                   if json.loads(r["body"]).get("event", {}).get("ticket_id") == ticket_id]
            if len(got) >= count or time.monotonic() > deadline:
                return got
            time.sleep(0.05)

    # --- the happy path, with one failure ---------------------------------------------------

    def test_a_new_ticket_arrives_signed_and_a_failure_is_retried(self):
        hook = self.create("CMDB", "/cmdb", ["ticket.created"])
        self.assertTrue(hook["secret"].startswith("whsec_"), hook)
        self.assertEqual(hook["events"], ["ticket.created"])
        self.assertTimestamp(hook["updated_at"], "updated_at")
        self.receiver.script("/cmdb", [500])
        ticket = self.open_ticket("VPN drops")

        got = self.ticket_deliveries("/cmdb", 2, ticket["id"])
        self.assertEqual(len(got), 2, self.receiver.at("/cmdb"))
        self.assertEqual([r["status"] for r in got], [500, 200])
        for r in got:
            self.assertTrue(signature_ok(r, hook["secret"]), r["headers"])
            self.assertEqual(r["headers"]["Content-Type"], "application/json")
            self.assertTrue(r["headers"]["User-Agent"].startswith("Firstline-Webhook/"))
            self.assertEqual(r["headers"]["X-Firstline-Event"], "ticket.created")
            self.assertEqual(r["headers"]["X-Firstline-Webhook"], str(hook["id"]))
            self.assertLess(abs(int(r["headers"]["X-Firstline-Timestamp"]) - time.time()), 120)
        self.assertEqual(got[0]["headers"]["X-Firstline-Delivery"],
                         got[1]["headers"]["X-Firstline-Delivery"], "one delivery, two attempts")
        self.assertEqual(got[0]["body"], got[1]["body"])
        body = json.loads(got[1]["body"])
        self.assertEqual(body["type"], "ticket.created")
        self.assertEqual(body["ticket"]["id"], ticket["id"])
        self.assertEqual(body["ticket"]["number"], ticket["number"])
        self.assertEqual(body["ticket"]["subject"], ticket["subject"])
        self.assertEqual(body["event"]["type"], "ticket.created")
        self.assertTimestamp(body["created_at"], "created_at")
        self.assertTimestamp(body["event"]["at"], "event.at")

        # A tampered body does not verify.
        forged = dict(got[1], body=got[1]["body"].replace(b"VPN", b"XYZ"))
        self.assertFalse(signature_ok(forged, hook["secret"]))

        log = self.wait_for_log(hook["id"], lambda l: l and l[0]["state"] == "delivered")
        self.assertEqual(len(log), 1, log)
        d = log[0]
        self.assertEqual(str(d["id"]), got[1]["headers"]["X-Firstline-Delivery"])
        self.assertEqual((d["state"], d["attempts"], d["last_status"], d["last_error"]),
                         ("delivered", 2, 200, ""))
        self.assertEqual(d["webhook_id"], hook["id"])
        self.assertEqual(d["event_type"], "ticket.created")
        self.assertIsNone(d["rule_id"])
        self.assertIsNone(d["next_attempt_at"])
        self.assertTimestamp(d["finished_at"], "finished_at")
        self.assertEqual(d["payload"], body)

        # Sent again on request: the same delivery id, so the receiver can tell.
        again = self.assertStatus(self.server.request(
            "POST", f"/api/v1/webhook-deliveries/{d['id']}/redeliver", as_user="admin"), 202).json
        self.assertEqual(again["state"], "pending")
        got = self.ticket_deliveries("/cmdb", 3, ticket["id"])
        self.assertEqual(len(got), 3)
        self.assertEqual(got[2]["headers"]["X-Firstline-Delivery"], str(d["id"]))
        log = self.wait_for_log(hook["id"], lambda l: l[0]["attempts"] == 3)
        self.assertEqual((log[0]["state"], log[0]["attempts"]), ("delivered", 3))

    # --- management ---------------------------------------------------------------------

    def test_only_admins_keep_webhooks(self):
        hook = self.create("Audit", "/audit", [])
        for who in ("supervisor", "l1.agent", "customer1"):
            self.assertProblem(self.server.request("GET", WEBHOOKS, as_user=who), 403)
            self.assertProblem(self.server.request(
                "POST", WEBHOOKS, {"name": "x", "url": self.receiver.url("/x")}, as_user=who), 403)
            self.assertProblem(self.server.request(
                "GET", f"{WEBHOOKS}/{hook['id']}/deliveries", as_user=who), 403)
        self.assertProblem(self.server.request("GET", WEBHOOKS), 401)
        listed = items(self.assertStatus(self.server.request("GET", WEBHOOKS, as_user="admin"),
                                         200).json)
        mine = next(w for w in listed if w["id"] == hook["id"])
        self.assertNotIn("secret", mine, "shown on create only")
        self.assertNotIn("secret", self.server.request(
            "GET", f"{WEBHOOKS}/{hook['id']}", as_user="admin").json)

    def test_bad_input_is_named(self):
        def refused(body: dict[str, Any], field: str) -> None:
            self.assertProblem(self.server.request("POST", WEBHOOKS, body, as_user="admin"), 422,
                               field=field)

        url = self.receiver.url("/v")
        refused({"name": "v", "url": "ftp://example.com/x"}, "url")
        refused({"name": "v", "url": "https://user:secret@example.com/x"}, "url")
        refused({"name": "v", "url": "example.com/x"}, "url")
        refused({"name": "v", "url": url, "events": ["Ticket created"]}, "events")
        refused({"name": "v", "url": url, "secret": "short"}, "secret")
        refused({"url": url}, "name")
        self.assertStatus(self.server.request("POST", WEBHOOKS, {"name": "dup", "url": url},
                                              as_user="admin"), 201)
        self.assertProblem(self.server.request("POST", WEBHOOKS, {"name": "dup", "url": url},
                                               as_user="admin"), 409)
        self.assertProblem(self.server.request("GET", f"{WEBHOOKS}/999999", as_user="admin"), 404)
        self.assertProblem(self.server.request(
            "POST", "/api/v1/webhook-deliveries/999999/redeliver", as_user="admin"), 404)

    def test_update_ping_and_rotation(self):
        hook = self.create("Chat", "/chat", ["ticket.created"])
        path = f"{WEBHOOKS}/{hook['id']}"
        change = {"name": hook["name"], "url": hook["url"], "events": ["ticket.*"],
                  "active": True, "version": hook["version"]}
        updated = self.assertStatus(self.server.request("PUT", path, change, as_user="admin"),
                                    200).json
        self.assertEqual((updated["version"], updated["events"]), (2, ["ticket.*"]))
        self.assertNotIn("secret", updated)
        self.assertProblem(self.server.request("PUT", path, change, as_user="admin"), 409)
        self.assertProblem(self.server.request("PUT", path, dict(change, version=2,
                                                                 secret="x" * 20),
                                               as_user="admin"), 422, field="secret")

        ping = self.assertStatus(self.server.request("POST", f"{path}/ping", as_user="admin"),
                                 200).json
        self.assertEqual((ping["delivered"], ping["status"], ping["error"]), (True, 200, ""))
        request = self.receiver.wait_for("/chat", 1)[-1]
        self.assertEqual(request["headers"]["X-Firstline-Event"], "webhook.ping")
        self.assertTrue(signature_ok(request, hook["secret"]))

        rotated = self.assertStatus(self.server.request(
            "POST", f"{path}/rotate-secret", as_user="admin"), 200).json
        self.assertNotEqual(rotated["secret"], hook["secret"])
        self.server.request("POST", f"{path}/ping", as_user="admin")
        request = self.receiver.wait_for("/chat", 2)[-1]
        self.assertTrue(signature_ok(request, rotated["secret"]))
        self.assertFalse(signature_ok(request, hook["secret"]), "the old secret is out of use")

        # Switched off, it gets nothing more.
        self.assertStatus(self.server.request("PUT", path, dict(change, version=3, active=False),
                                              as_user="admin"), 200)
        before = len(self.receiver.at("/chat"))
        self.open_ticket("Switched off")
        # A second webhook's delivery of a later ticket shows the follower got past the first.
        self.create("Marker", "/marker", ["ticket.created"])
        self.open_ticket("After the marker")
        self.receiver.wait_for("/marker", 1)
        self.assertEqual(len(self.receiver.at("/chat")), before, "nothing for a switched-off one")

    # --- durability ---------------------------------------------------------------------

    def test_a_pending_delivery_survives_a_restart(self):
        hook = self.create("Restart", "/restart", ["ticket.created"])
        self.receiver.script("/restart", [503])
        ticket = self.open_ticket("Before the restart")
        self.assertEqual(len(self.ticket_deliveries("/restart", 1, ticket["id"])), 1)
        # Once the failure is on disk (else the delivery waits for its lease to run out).
        log = self.wait_for_log(hook["id"], lambda l: l and l[0]["attempts"] == 1)
        self.assertEqual((log[0]["state"], log[0]["last_status"]), ("pending", 503))
        self.server.restart(hard=True)
        got = self.ticket_deliveries("/restart", 2, ticket["id"])
        self.assertEqual([r["status"] for r in got], [503, 200], "tried again after the restart")
        log = self.wait_for_log(hook["id"], lambda l: l and l[0]["state"] == "delivered")
        self.assertEqual((log[0]["state"], log[0]["attempts"]), ("delivered", 2))


if __name__ == "__main__":
    unittest.main()
