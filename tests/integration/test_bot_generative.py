"""The chatbot's generative answers through the real binary: firstline is configured with
bot.generative_url pointing at a scripted OpenAI-compatible chat-completions server on
loopback (this file's own, standard library only), which records every request and answers
as the test says. Proved over the bot's HTTP API:

- a message the bot would ask back about gets the model's answer with a "Quelle:" line and a
  link for each cited article; the model was asked with the Bearer key, the model name, the
  numbered public passages and the question;
- an answer citing no passage, or a passage it was not given, or NO_ANSWER, is not shown;
- a model server that is too slow (beyond bot.generative_timeout_seconds), answers HTTP 500 or
  garbage leaves the bot asking back within a bounded time, and the server healthy; a burst of
  messages lets only a few wait on a slow model at once;
- a message the bot routes on its own (an article it is sure of) does not ask the model;
- without bot.generative_url the model server hears nothing.

Run: FIRSTLINE_BIN=build/release/src/server/firstline /usr/bin/python3 tests/integration/test_bot_generative.py
"""

from __future__ import annotations

import json
import re
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from firstline_harness import ServerTestCase

SESSIONS = "/api/v1/bot/sessions"
MODEL_NAME = "firstline-test-model"
API_KEY = "test-key-4711"
TIMEOUT_SECONDS = 1
SLOW_SECONDS = 3.0

# Published before the test by the supervisor. Two German calendar articles answer the German
# question, one English the English; the internal one matches too but must never reach the
# model for a customer or a guest.
ARTICLES = (
    {"title": "Kalender für Kollegen freigeben",
     "body": "Öffnen Sie Outlook im Web, klicken Sie mit der rechten Maustaste auf Ihren Kalender "
             "und wählen Sie **Freigabe**. Tragen Sie die Kollegen ein und wählen Sie, ob sie nur "
             "Zeiten oder auch Details sehen. Die Kollegen bekommen eine Einladung per Mail und "
             "sehen Ihren Kalender danach in ihrer Liste.",
     "language": "de", "status": "published"},
    {"title": "Kalender Stellvertretung einrichten",
     "body": "Eine Stellvertretung für Ihren Kalender richten Sie unter Einstellungen ein. Der "
             "Stellvertreter darf dann Termine annehmen.",
     "language": "de", "status": "published"},
    {"title": "Share your calendar with colleagues",
     "body": "Open Outlook on the web, right-click your calendar and choose Sharing. Add your "
             "colleagues and pick what they see.",
     "language": "en", "status": "published"},
    {"title": "Kalender Freigabe Admin Trick",
     "body": "Intern: Kalender aller Kollegen über die Admin-Konsole freigeben. Geheimwort Zebra.",
     "language": "de", "audience": "internal", "status": "published"},
)
# No flow and no single article is sure enough for this one: the bot asks back (with article
# buttons), and with a model it first asks the model.
UNCLEAR = "Kalender teilen Kollegen Problem"
UNCLEAR_EN = "calendar sharing weird issue"
# This one fits the first article well enough to be offered straight away.
CLEAR = "Kollegen sollen meine Termine im Kalender sehen"
PASSAGE = re.compile(r"^\[(\d+)\] (.+)$", re.MULTILINE)


class ScriptedModel:
    """An OpenAI-compatible chat-completions server on 127.0.0.1:0. Records each request
    (path, headers, JSON body) and answers with what `script` set: a completion whose content is
    `content`, or `raw` bytes with `status`, after `delay` seconds."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self.script(content="NO_ANSWER")
        model = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # answers libcurl's "Expect: 100-continue" at once

            def do_POST(self) -> None:  # noqa: N802 (the stdlib's name)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = None
                with model._lock:
                    model.requests.append({"path": self.path, "headers": dict(self.headers),
                                           "body": body})
                    status, payload, delay = model._answer
                if delay:
                    time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # firstline gave up waiting, as it should

            def log_message(self, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="scripted-model",
                                        daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def script(self, *, content: str | None = None, status: int = 200, raw: bytes | None = None,
               delay: float = 0.0) -> None:
        if raw is None:
            raw = json.dumps({
                "id": "chatcmpl-test", "object": "chat.completion", "model": MODEL_NAME,
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": content}}],
            }).encode()
        with self._lock:
            self._answer = (status, raw, delay)
            self.requests = []

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def all_text(reply: dict) -> str:
    return "\n".join(m["text"] for m in reply["messages"])


class ModelTestCase(ServerTestCase):
    """A scripted model server, then firstline (with `model_config`), then the articles."""

    model: ScriptedModel
    model_config: bool = True

    @classmethod
    def setUpClass(cls) -> None:
        cls.model = ScriptedModel()
        cls.addClassCleanup(cls.model.close)
        cls.server_env = {}
        if cls.model_config:
            cls.server_env = {"FIRSTLINE_BOT_GENERATIVE_URL": cls.model.base_url,
                              "FIRSTLINE_BOT_GENERATIVE_MODEL": MODEL_NAME,
                              "FIRSTLINE_BOT_GENERATIVE_API_KEY": API_KEY,
                              "FIRSTLINE_BOT_GENERATIVE_TIMEOUT_SECONDS": str(TIMEOUT_SECONDS)}
        super().setUpClass()
        cls.articles = {}
        for a in ARTICLES:
            r = cls.server.request("POST", "/api/v1/kb/articles", a, as_user="supervisor")
            if r.status != 201:
                raise AssertionError(f"publishing {a['title']!r}: {r!r}")
            cls.articles[a["title"]] = r.json["id"]
        # The bot's classifier learns the articles at start (docs/bot.md, "Not yet").
        cls.server.restart()

    def setUp(self) -> None:
        super().setUp()
        self.model.script(content="NO_ANSWER")

    def ask(self, text: str, as_user: str | None = "customer1",
            language: str = "de") -> tuple[dict, float]:
        """A fresh session's answer to `text`, and how long the message took."""
        s = self.assertStatus(self.server.request("POST", SESSIONS, {"language": language},
                                                  as_user=as_user), 201).json
        began = time.monotonic()
        r = self.assertStatus(self.server.request(
            "POST", f"{SESSIONS}/{s['id']}/messages", {"text": text}, as_user=as_user), 200)
        return r.json, time.monotonic() - began

    def assertAsksBack(self, reply: dict) -> None:
        """The bot's answer without a model: not sure, article buttons, no written answer."""
        text = all_text(reply)
        self.assertIn("Ich bin nicht ganz sicher", text, reply)
        self.assertNotIn("automatisch formuliert", text, reply)
        self.assertFalse([m for m in reply["messages"] if "article" in m], reply)
        self.assertEqual(reply["expecting"], "text", reply)
        buttons = [b["id"] for b in reply["buttons"]]
        self.assertIn(f"article:{self.articles['Kalender für Kollegen freigeben']}", buttons, reply)
        self.assertIn("human", buttons, reply)

    def assertHealthy(self) -> None:
        self.assertStatus(self.server.request("GET", "/healthz", timeout=5), 200)


class GenerativeAnswerTest(ModelTestCase):
    def passages(self) -> dict[int, str]:
        """Passage number -> article title, from the one request the model received."""
        self.assertEqual(len(self.model.requests), 1, self.model.requests)
        user = self.model.requests[0]["body"]["messages"][1]["content"]
        return {int(n): title for n, title in PASSAGE.findall(user)}

    def test_a_cited_answer_is_shown_with_its_sources(self):
        self.model.script(content="Geben Sie den Kalender in Outlook frei [1]. "
                                  "Eine Stellvertretung darf Termine annehmen [2].")
        reply, _ = self.ask(UNCLEAR)

        # What the model server received.
        self.assertEqual(len(self.model.requests), 1, self.model.requests)
        sent = self.model.requests[0]
        self.assertEqual(sent["path"], "/v1/chat/completions")
        self.assertEqual(sent["headers"].get("Authorization"), f"Bearer {API_KEY}")
        self.assertEqual(sent["body"]["model"], MODEL_NAME)
        self.assertIs(sent["body"]["stream"], False)
        system, user = sent["body"]["messages"]
        self.assertEqual((system["role"], user["role"]), ("system", "user"))
        self.assertIn("NO_ANSWER", system["content"])
        self.assertIn("Auszüge:", user["content"])
        self.assertTrue(user["content"].rstrip().endswith(f"Frage: {UNCLEAR}"), user["content"])
        passages = self.passages()
        self.assertEqual(sorted(passages), list(range(1, len(passages) + 1)), user["content"])
        self.assertIn("Kalender für Kollegen freigeben", passages.values(), user["content"])
        self.assertIn("Kalender Stellvertretung einrichten", passages.values(), user["content"])
        self.assertIn("Tragen Sie die Kollegen ein", user["content"], "the article's text")
        self.assertNotIn("**", user["content"], "plain text, not Markdown")
        self.assertNotIn("Admin Trick", user["content"], "a customer's passages are public only")
        self.assertNotIn("Zebra", user["content"])

        # What the customer sees: the answer, a source line with a link per cited article.
        text = all_text(reply)
        self.assertIn("Nach unserer Wissensdatenbank (automatisch formuliert):", text, reply)
        self.assertIn("Geben Sie den Kalender in Outlook frei [1].", text)
        sources = [m for m in reply["messages"] if "article" in m]
        self.assertEqual([m["text"] for m in sources],
                         [f"Quelle: {passages[1]}", f"Quelle: {passages[2]}"], reply)
        for m, n in zip(sources, (1, 2)):
            article = self.articles[passages[n]]
            self.assertEqual(m["article"], {"id": article, "title": passages[n],
                                            "url": f"/portal/kb/articles/{article}"})
        self.assertIn("Hat das geholfen?", text)
        self.assertEqual(reply["expecting"], "yes_no", reply)
        self.assertEqual({b["id"] for b in reply["buttons"]}, {"yes", "no"}, reply)

        # "Yes" ends the session deflected.
        done = self.assertStatus(self.server.request(
            "POST", f"{SESSIONS}/{reply['id']}/messages", {"button": "yes"},
            as_user="customer1"), 200).json
        self.assertEqual(done["status"], "deflected", done)
        self.assertNotIn(API_KEY, self.server.log_tail(400), "the key is a secret")

    def test_an_anonymous_visitor_gets_it_too_from_public_passages(self):
        self.model.script(content="Geben Sie den Kalender in Outlook frei [1].")
        reply, _ = self.ask(UNCLEAR, as_user=None)
        passages = self.passages()
        self.assertNotIn("Kalender Freigabe Admin Trick", passages.values())
        self.assertIn("automatisch formuliert", all_text(reply), reply)
        self.assertIn(f"Quelle: {passages[1]}", all_text(reply))
        # "No" goes on as after an article, without asking the model again.
        self.model.script(content="Geben Sie den Kalender frei [1].")
        after = self.assertStatus(self.server.request(
            "POST", f"{SESSIONS}/{reply['id']}/messages", {"button": "no"}), 200).json
        self.assertEqual(after["status"], "open", after)
        self.assertIn("Schade, dass das nicht geholfen hat.", all_text(after), after)
        self.assertNotIn("automatisch formuliert", all_text(after), after)
        self.assertEqual(self.model.requests, [])

    def test_in_english_the_source_line_says_source(self):
        self.model.script(content="Open Outlook on the web and choose Sharing [1].")
        reply, _ = self.ask(UNCLEAR_EN, as_user=None, language="en")
        passages = self.passages()
        system, user = self.model.requests[0]["body"]["messages"]
        self.assertIn("in English", system["content"])
        self.assertTrue(user["content"].startswith("Excerpts:\n[1] "), user["content"])
        self.assertTrue(user["content"].rstrip().endswith(f"Question: {UNCLEAR_EN}"))
        text = all_text(reply)
        self.assertIn("From our knowledge base (written automatically):", text, reply)
        self.assertIn(f"Source: {passages[1]}", text, reply)
        self.assertIn("Did this solve it?", text)

    def test_an_answer_without_valid_citations_is_not_shown(self):
        for content in ("Starten Sie den Rechner neu.",            # cites nothing
                        "Geben Sie den Kalender frei [7].",          # a passage it was not given
                        "Geben Sie den Kalender frei [1] [0].",      # one good, one not given
                        "NO_ANSWER"):
            with self.subTest(content=content):
                self.model.script(content=content)
                reply, _ = self.ask(UNCLEAR)
                self.assertEqual(len(self.model.requests), 1, "the model was asked")
                self.assertLess(len(self.passages()), 7)
                self.assertAsksBack(reply)
                self.assertNotIn("Geben Sie", all_text(reply))
                self.assertNotIn("Starten Sie den Rechner", all_text(reply))

    def test_a_slow_failing_or_garbled_model_leaves_the_bot_answering(self):
        # curl's timeout is the whole request: a reply within it plus the bot's own work.
        bound = TIMEOUT_SECONDS + 1.5
        cases = (
            ("slow", {"content": "Geben Sie den Kalender frei [1].", "delay": SLOW_SECONDS}),
            ("HTTP 500", {"status": 500, "raw": b'{"error": {"message": "model crashed"}}'}),
            ("garbage", {"raw": b"{this is not json"}),
            ("no choices", {"raw": b'{"choices": []}'}),
            ("content not a string", {"raw": b'{"choices": [{"message": {"content": 5}}]}'}),
            ("over a megabyte", {"raw": b'{"choices": [{"message": {"content": "'
                                        + b"[1] " * (1 << 18) + b'"}}]}'}),
        )
        for name, script in cases:
            with self.subTest(name):
                self.model.script(**script)
                result: dict[str, Any] = {}

                def ask() -> None:
                    result["reply"], result["took"] = self.ask(UNCLEAR)

                asking = threading.Thread(target=ask)
                asking.start()
                # While the bot waits on the model, the server answers others.
                deadline = time.monotonic() + 5
                while not self.model.requests and time.monotonic() < deadline:
                    time.sleep(0.01)
                began = time.monotonic()
                self.assertHealthy()
                self.assertLess(time.monotonic() - began, 1.0, "health waits on the model")
                asking.join(SLOW_SECONDS + 10)
                self.assertFalse(asking.is_alive(), "the bot did not answer")
                self.assertIn("reply", result, "the bot's request failed")
                self.assertEqual(len(self.model.requests), 1, "the model was asked")
                self.assertLess(result["took"], bound, f"{name}: {result['took']:.2f}s")
                self.assertAsksBack(result["reply"])
                self.assertHealthy()
        self.assertIn("bot: no generative answer", self.server.log_tail(400))

    def test_a_burst_of_messages_waits_on_a_slow_model_only_a_few_times(self):
        # Each message waiting on the model holds one of the server's workers; the client lets
        # only a few wait (OpenAiOptions::max_in_flight), the others ask back at once.
        self.model.script(content="Geben Sie den Kalender frei [1].", delay=SLOW_SECONDS)
        burst = 12
        replies: list[tuple[dict, float]] = []

        def ask() -> None:
            replies.append(self.ask(UNCLEAR))

        asking = [threading.Thread(target=ask) for _ in range(burst)]
        for t in asking:
            t.start()
        for t in asking:
            t.join(SLOW_SECONDS + 10)
        self.assertEqual(len(replies), burst, "every message is answered")
        self.assertLessEqual(len(self.model.requests), 4, "requests waiting on the model")
        self.assertGreaterEqual(len(self.model.requests), 1)
        for reply, took in replies:
            self.assertAsksBack(reply)
            self.assertLess(took, TIMEOUT_SECONDS + 1.5)
        self.assertHealthy()

    def test_a_message_the_bot_is_sure_of_does_not_ask_the_model(self):
        self.model.script(content="Geben Sie den Kalender frei [1].")
        reply, _ = self.ask(CLEAR)
        self.assertIn("Dazu habe ich einen Artikel gefunden", all_text(reply), reply)
        self.assertEqual(self.model.requests, [])


class WithoutModelTest(ModelTestCase):
    model_config = False

    def test_the_model_server_hears_nothing(self):
        self.model.script(content="Geben Sie den Kalender frei [1].")
        for text in (UNCLEAR, CLEAR, "qwertz asdfgh yxcvb"):
            reply, _ = self.ask(text)
            self.assertNotIn("automatisch formuliert", all_text(reply), reply)
        reply, _ = self.ask(UNCLEAR)
        self.assertAsksBack(reply)
        self.assertEqual(self.model.requests, [])
        self.assertNotIn("generative answers through", self.server.log_tail(400))


if __name__ == "__main__":
    unittest.main()
