"""Outbound e-mail against a real SMTP server (smtp_sink.py, Debian's aiosmtpd): replies,
acknowledgements, status mail, retries while the server is down, no mail twice across a
restart, nothing lost to kill -9 between queueing and sending."""

from __future__ import annotations

import email
import email.policy
import socket
import subprocess
import sys
import time
import unittest
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from firstline_harness import ServerTestCase, find_binary, items, server_env  # noqa: E402

SINK = Path(__file__).resolve().parent / "smtp_sink.py"
DESK = "desk@firstline.example"
WAIT = 30.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpSink:
    """smtp_sink.py as a process; `options` are its TLS and AUTH options (see there)."""

    def __init__(self, port: int, folder: Path, *options: str):
        self.port, self.folder, self.proc = port, folder, None
        self.options = list(options)

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["/usr/bin/python3", str(SINK), "--port", str(self.port), "--dir", str(self.folder),
             *self.options],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        line = self.proc.stdout.readline().decode()
        if "ready" not in line:
            raise AssertionError(f"smtp sink did not start: {line}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        if self.proc and self.proc.stdout:
            self.proc.stdout.close()

    def messages(self) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
                for p in sorted(self.folder.glob("*.eml"))]

    def wait_for(self, predicate, what: str, timeout: float = WAIT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [m for m in self.messages() if predicate(m)]
            if found:
                return found
            time.sleep(0.2)
        raise AssertionError(f"no mail {what} within {timeout:.0f}s; got: "
                             + repr([str(m["Subject"]) for m in self.messages()]))


def mail_env(port: int, **extra: str) -> dict[str, str]:
    env = {"FIRSTLINE_MAIL_SMTP_URL": f"smtp://127.0.0.1:{port}",
           "FIRSTLINE_MAIL_ADDRESS": DESK,
           "FIRSTLINE_MAIL_FROM_NAME": "IT-Service Süd",
           "FIRSTLINE_MAIL_BASE_URL": "https://desk.firstline.example",
           "FIRSTLINE_MAIL_FIRST_RETRY_SECONDS": "1"}
    env.update(extra)
    return env


class MailCase(ServerTestCase):
    start_sink = True
    sink_options: tuple[str, ...] = ()  # smtp_sink.py's TLS and AUTH options
    extra_env: dict[str, str] = {}

    @classmethod
    def mail_settings(cls) -> dict[str, str]:
        """FIRSTLINE_* settings over mail_env's (TLS, AUTH); cls.sink.port is known here."""
        return {}

    @classmethod
    def setUpClass(cls) -> None:
        import tempfile
        cls.sink_dir = Path(tempfile.mkdtemp(prefix="firstline-smtp-"))
        cls.sink = SmtpSink(free_port(), cls.sink_dir, *cls.sink_options)
        if cls.start_sink:
            cls.sink.start()
        cls.addClassCleanup(cls.sink.stop)
        cls.server_env = mail_env(cls.sink.port, **{**cls.extra_env, **cls.mail_settings()})
        super().setUpClass()

    def new_ticket(self, subject: str, as_user: str = "customer1") -> dict:
        r = self.server.request("POST", "/api/v1/tickets",
                                {"subject": subject, "description": "Seit heute früh."},
                                as_user=as_user)
        self.assertStatus(r, 201)
        return r.json

    def reply(self, ticket: int, body: str) -> dict:
        r = self.server.request("POST", f"/api/v1/tickets/{ticket}/entries",
                                {"kind": "reply", "body": body}, as_user="admin")
        self.assertStatus(r, 201)
        return r.json

    def entry_mail(self, ticket: int, entry: int) -> dict | None:
        r = self.server.request("GET", f"/api/v1/tickets/{ticket}/entries", as_user="admin")
        self.assertStatus(r, 200)
        for item in items(r.json):
            if item.get("id") == entry and item.get("kind") == "reply":
                return item.get("mail")
        raise AssertionError(f"entry {entry} not in the timeline")

    def wait_mail_status(self, ticket: int, entry: int, status: str, timeout: float = WAIT):
        deadline = time.monotonic() + timeout
        seen = None
        while time.monotonic() < deadline:
            seen = self.entry_mail(ticket, entry)
            if seen and seen["status"] == status:
                return seen
            time.sleep(0.2)
        raise AssertionError(f"mail of entry {entry} not {status}: {seen}")


    def upload(self, filename: str, data: bytes, as_user: str = "l1.agent") -> dict:
        r = self.server.request("POST", "/api/v1/uploads?filename=" + urllib.parse.quote(filename),
                                raw=data, as_user=as_user,
                                headers={"Content-Type": "application/octet-stream"})
        self.assertStatus(r, 201)
        return r.json

    def reply_with_files(self, ticket: int, body: str, files: dict[str, bytes]) -> dict:
        ids = [self.upload(name, data)["id"] for name, data in files.items()]
        r = self.server.request("POST", f"/api/v1/tickets/{ticket}/entries",
                                {"kind": "reply", "body": body, "attachment_ids": ids},
                                as_user="l1.agent")
        self.assertStatus(r, 201)
        return r.json

    def resend(self, ticket: int, mail: int, as_user: str = "l1.agent"):
        return self.server.request("POST", f"/api/v1/tickets/{ticket}/mail/{mail}/resend",
                                   as_user=as_user)


def tagged(number: int):
    return lambda m: f"[#{number}]" in str(m["Subject"])


def plain_text(m) -> str:
    return m.get_body(("plain",)).get_content()


# A PDF as the upload sniffs it, with every byte value in it (base64 must carry them all).
REPORT = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


class OutboundMailTest(MailCase):
    def test_acknowledgement_in_german_with_articles_and_auto_submitted(self):
        t = self.new_ticket("Outlook startet nicht")
        [ack] = self.sink.wait_for(lambda m: tagged(t["number"])(m)
                                   and "eingegangen" in str(m["Subject"]), "acknowledging")
        self.assertEqual(ack["Auto-Submitted"], "auto-replied")
        self.assertEqual(ack["Content-Language"], "de")
        self.assertIn("customer1@acme.example", ack["To"])
        self.assertIn("IT-Service Süd", str(ack["From"]))
        self.assertIn(DESK, str(ack["From"]))
        self.assertRegex(ack["Message-ID"],
                         rf"^<fl-{t['number']}-\d+\.[0-9a-z]+@firstline\.example>$")
        text = ack.get_body(("plain",)).get_content()
        self.assertIn(f"#{t['number']}", text)
        self.assertIn("https://desk.firstline.example/portal/kb/articles/", text)
        html = ack.get_body(("html",)).get_content()
        self.assertIn("<a href=\"https://desk.firstline.example/portal/kb/articles/", html)
        self.assertIsNotNone(ack["Date"])

    def test_agent_reply_threads_on_the_acknowledgement_and_is_not_automatic(self):
        t = self.new_ticket("Drucker im 2. OG druckt nur Streifen")
        [ack] = self.sink.wait_for(tagged(t["number"]), "acknowledging")
        entry = self.reply(t["id"], "Guten Tag, wir tauschen heute die Trommel. Grüße")
        replies = self.sink.wait_for(
            lambda m: tagged(t["number"])(m) and "Trommel" in m.get_body(("plain",)).get_content(),
            "with the reply")
        self.assertEqual(len(replies), 1)
        reply = replies[0]
        self.assertIsNone(reply["Auto-Submitted"])
        self.assertRegex(reply["Message-ID"], rf"^<fl-{t['number']}-\d+\.")
        self.assertNotEqual(reply["Message-ID"], ack["Message-ID"])
        self.assertEqual(reply["In-Reply-To"], ack["Message-ID"])
        self.assertIn(ack["Message-ID"], reply["References"])
        self.assertIn("Drucker im 2. OG", str(reply["Subject"]))  # decoded from RFC 2047
        mail = self.wait_mail_status(t["id"], entry["id"], "sent")
        self.assertEqual(mail["attempts"], 1)
        self.assertIsNone(mail["last_error"])
        self.assertIsNotNone(mail["sent_at"])

    def test_status_changes_the_customer_should_know(self):
        t = self.new_ticket("VPN bricht ab")
        self.sink.wait_for(tagged(t["number"]), "acknowledging")
        r = self.server.request("PATCH", f"/api/v1/tickets/{t['id']}",
                                {"status": "pending_customer"}, as_user="admin")
        self.assertStatus(r, 200)
        [waiting] = self.sink.wait_for(
            lambda m: tagged(t["number"])(m) and "warten" in str(m["Subject"]), "waiting for you")
        self.assertEqual(waiting["Auto-Submitted"], "auto-replied")
        r = self.server.request("PATCH", f"/api/v1/tickets/{t['id']}", {"status": "resolved"},
                                as_user="admin")
        self.assertStatus(r, 200)
        [resolved] = self.sink.wait_for(
            lambda m: tagged(t["number"])(m) and "Gelöst" in str(m["Subject"]), "resolved")
        self.assertEqual(resolved["In-Reply-To"] is not None, True)

    def test_english_customer_gets_english(self):
        t = self.new_ticket("Cannot log in", as_user="customer2")
        [ack] = self.sink.wait_for(tagged(t["number"]), "acknowledging")
        self.assertEqual(ack["Content-Language"], "en")
        self.assertIn("received your request", str(ack["Subject"]))

    def test_internal_notes_are_not_mailed(self):
        t = self.new_ticket("Notiztest")
        self.sink.wait_for(tagged(t["number"]), "acknowledging")
        r = self.server.request("POST", f"/api/v1/tickets/{t['id']}/entries",
                                {"kind": "note", "body": "intern: Teil bestellt"}, as_user="admin")
        self.assertStatus(r, 201)
        time.sleep(2)
        for m in self.sink.messages():
            if tagged(t["number"])(m):
                self.assertNotIn("Teil bestellt", m.get_body(("plain",)).get_content())


class ReplyFilesTest(MailCase):
    def test_a_reply_with_files_is_multipart_mixed_and_carries_the_same_bytes(self):
        t = self.new_ticket("Prüfbericht fehlt")
        self.sink.wait_for(tagged(t["number"]), "acknowledging")
        entry = self.reply_with_files(t["id"], "Anbei der Prüfbericht und das Protokoll.",
                                      {"Prüfbericht.pdf": REPORT, "protokoll.txt": b"Zeile 1\n"})
        [mail] = self.sink.wait_for(
            lambda m: tagged(t["number"])(m) and "Protokoll" in plain_text(m), "with the files")
        self.assertEqual(mail.get_content_type(), "multipart/mixed")
        parts = list(mail.iter_parts())
        self.assertEqual(parts[0].get_content_type(), "multipart/alternative",
                         "the text and HTML come first")
        self.assertIn("Prüfbericht", mail.get_body(("html",)).get_content())
        files = list(mail.iter_attachments())
        self.assertEqual([f.get_filename() for f in files], ["Prüfbericht.pdf", "protokoll.txt"])
        self.assertEqual(files[0].get_content_type(), "application/pdf")
        self.assertEqual(files[0].get_content_disposition(), "attachment")
        self.assertEqual(files[0].get_payload(decode=True), REPORT)
        self.assertEqual(files[1].get_payload(decode=True), b"Zeile 1\n")
        # On the wire: base64 in lines of at most 76, and the RFC 2231 name.
        raw = next(p.read_bytes() for p in sorted(self.sink.folder.glob("*.eml"))
                   if p.read_bytes().find(mail["Message-ID"].encode()) >= 0)
        self.assertIn(b"filename*=UTF-8''Pr%C3%BCfbericht.pdf", raw)
        body = raw.split(b"Content-Transfer-Encoding: base64\r\n\r\n", 1)[1]
        lines = body.split(b"\r\n--", 1)[0].split(b"\r\n")
        self.assertGreater(len(lines), 10)
        self.assertTrue(all(len(line) <= 76 for line in lines), "a base64 line over 76")
        self.assertEqual(self.wait_mail_status(t["id"], entry["id"], "sent")["attempts"], 1)


class ReplyFilesOverTheLimitTest(MailCase):
    extra_env = {"FIRSTLINE_MAIL_MAX_ATTACHMENT_BYTES": "4096"}

    def test_files_over_the_limit_stay_in_the_portal_and_the_mail_says_so(self):
        t = self.new_ticket("Großer Anhang")
        self.sink.wait_for(tagged(t["number"]), "acknowledging")
        entry = self.reply_with_files(t["id"], "Hier die Auswertung.",
                                      {"Auswertung.pdf": REPORT})  # 10 KiB > 4 KiB
        [mail] = self.sink.wait_for(
            lambda m: tagged(t["number"])(m) and "Auswertung." in plain_text(m), "with the reply")
        self.assertEqual(list(mail.iter_attachments()), [], "no file beyond the limit")
        text = plain_text(mail)
        self.assertIn("zu groß", text)  # customer1 reads German
        self.assertIn("Auswertung.pdf", text)
        self.assertIn(f"https://desk.firstline.example/portal/tickets/{t['id']}", text)
        self.assertEqual(self.wait_mail_status(t["id"], entry["id"], "sent")["attempts"], 1,
                         "sent without the files rather than failed")


class ResendTest(MailCase):
    start_sink = False
    extra_env = {"FIRSTLINE_MAIL_MAX_ATTEMPTS": "2"}

    def test_a_failed_mail_is_sent_again_once_by_staff_who_may_reply(self):
        t = self.new_ticket("Zustellung gescheitert")
        entry = self.reply(t["id"], "Diese Antwort kommt beim zweiten Versuch an")
        failed = self.wait_mail_status(t["id"], entry["id"], "failed")
        self.assertEqual(failed["attempts"], 2)
        self.assertTrue(failed["last_error"])
        mail_id = failed["id"]
        self.sink.start()

        # Who may: staff who may reply on the ticket; a customer never, others do not see it.
        self.assertProblem(self.resend(t["id"], mail_id, as_user="customer1"), 403)
        self.assertProblem(self.resend(t["id"], mail_id, as_user="customer2"), 404)
        self.assertProblem(self.resend(t["id"], mail_id, as_user="vendor.agent"), 404)
        self.assertProblem(self.server.request(
            "POST", f"/api/v1/tickets/{t['id']}/mail/{mail_id}/resend"), 401)
        other = self.new_ticket("Anderes Ticket")
        self.assertProblem(self.resend(other["id"], mail_id), 404)  # not that ticket's mail
        self.assertProblem(self.resend(t["id"], 999999), 404)
        time.sleep(1.5)
        self.assertEqual([m for m in self.sink.messages() if "zweiten Versuch" in plain_text(m)],
                         [], "nothing is sent again without being asked")

        r = self.assertStatus(self.resend(t["id"], mail_id), 202)
        self.assertEqual(r.json["id"], mail_id)
        self.assertEqual(r.json["status"], "retrying")
        self.assertEqual(r.json["attempts"], 2)
        sent = self.wait_mail_status(t["id"], entry["id"], "sent")
        self.assertEqual(sent["attempts"], 3)
        self.assertEqual(sent["id"], mail_id)
        # Only failed mail is sent again: a sent one is a conflict.
        self.assertProblem(self.resend(t["id"], mail_id), 409)
        time.sleep(1.5)
        arrived = [m for m in self.sink.messages() if "zweiten Versuch" in plain_text(m)]
        self.assertEqual(len(arrived), 1, "sent once")
        self.assertRegex(arrived[0]["Message-ID"], rf"^<fl-{t['number']}-{mail_id}\.")


class MailThreadTest(MailCase):
    def test_the_reply_to_a_mailed_request_threads_on_the_customers_message(self):
        config = self.server.tmp / "mailgate.toml"
        config.write_text(f'[mail]\naddress = "{DESK}"\n[[mail.mailboxes]]\nname = "support"\n')
        customer_id = f"<thread-{time.time_ns()}@acme.example>"
        raw = (f"From: Clara Kundin <customer1@acme.example>\r\nTo: {DESK}\r\n"
               f"Subject: Bildschirm bleibt schwarz {customer_id}\r\nMessage-ID: {customer_id}\r\n"
               "Date: Fri, 27 Nov 2026 09:00:00 +0100\r\nMIME-Version: 1.0\r\n"
               "Content-Type: text/plain; charset=UTF-8\r\n\r\nSeit heute bleibt er schwarz.\r\n")
        done = subprocess.run(
            [find_binary(), "mailgate", "--config", str(config), "--data",
             str(self.server.data_dir), "--mailbox", "support"],
            input=raw.encode(), capture_output=True, env=server_env(mail_env(self.sink.port)),
            timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr.decode(errors="replace"))
        listed = self.server.request("GET", "/api/v1/tickets?limit=100", as_user="admin").json
        [t] = [x for x in items(listed) if customer_id in x["subject"]]
        self.assertEqual(t["channel"], "email")
        [ack] = self.sink.wait_for(tagged(t["number"]), "acknowledging")
        self.assertEqual(ack["In-Reply-To"], customer_id, "the acknowledgement answers the mail")
        self.reply(t["id"], "Bitte einmal den Netzstecker ziehen.")
        [reply] = self.sink.wait_for(
            lambda m: tagged(t["number"])(m) and "Netzstecker" in m.get_body(("plain",)).get_content(),
            "with the reply")
        self.assertIn(customer_id, reply["References"])
        self.assertIn(ack["Message-ID"], reply["References"])
        self.assertEqual(reply["In-Reply-To"], ack["Message-ID"], "the newest of the thread")


class RetryAndCrashTest(MailCase):
    start_sink = False  # the SMTP server is down at first

    def test_retried_while_the_server_is_down_then_sent_once_across_restarts(self):
        self.sink.stop()
        t = self.new_ticket("Mailserver war weg")
        entry = self.reply(t["id"], "Antwort, während der Mailserver schläft")
        failed = self.wait_mail_status(t["id"], entry["id"], "retrying")
        self.assertGreaterEqual(failed["attempts"], 1)
        self.assertTrue(failed["last_error"])
        self.sink.start()
        sent = self.wait_mail_status(t["id"], entry["id"], "sent", timeout=60)
        self.assertGreaterEqual(sent["attempts"], 2)
        self.assertIsNotNone(sent["sent_at"])
        self.sink.wait_for(lambda m: "schläft" in m.get_body(("plain",)).get_content(), "retried")
        # A restart sends nothing again.
        self.server.restart()
        time.sleep(3)
        again = [m for m in self.sink.messages()
                 if "schläft" in m.get_body(("plain",)).get_content()]
        self.assertEqual(len(again), 1)
        ids = [m["Message-ID"] for m in self.sink.messages()]
        self.assertEqual(len(ids), len(set(ids)), "a message was sent twice")

    def test_kill_9_between_queueing_and_sending_loses_nothing(self):
        self.sink.stop()  # queued, not sent
        t = self.new_ticket("Absturztest")
        entry = self.reply(t["id"], "Diese Antwort überlebt kill -9")
        self.server.kill()
        self.sink.start()
        self.server.start()
        self.wait_mail_status(t["id"], entry["id"], "sent", timeout=60)
        found = self.sink.wait_for(
            lambda m: "überlebt" in m.get_body(("plain",)).get_content(), "after the crash")
        self.assertEqual(len(found), 1)
        self.sink.wait_for(lambda m: tagged(t["number"])(m) and m["Auto-Submitted"], "acknowledging")



class WeeklySummaryTest(MailCase):
    extra_env = {"FIRSTLINE_REPORTS_WEEKLY_SUMMARY": "true"}

    def test_supervisors_get_last_weeks_figures_once_in_their_language(self):
        import datetime
        now = datetime.datetime.now(datetime.timezone.utc)
        if now.weekday() == 0 and now.hour < 6:
            self.skipTest("Mondays before 06:00 UTC the summary is not due yet")
        [mail] = self.sink.wait_for(
            lambda m: "supervisor@acme.example" in str(m["To"]), "with the weekly summary")
        self.assertIn("Service Desk: die Woche ab", str(mail["Subject"]))  # Sven reads German
        self.assertTrue(mail["Auto-Submitted"], "no auto-replies to it")
        text = plain_text(mail)
        self.assertIn("Erstlösungsquote", text)
        self.assertIn("https://desk.firstline.example/console/reports", text)
        self.assertIn("<p>Hallo Sven Supervisor", mail.get_body(("html",)).get_content())
        self.server.restart()
        time.sleep(3)
        self.assertEqual(len([m for m in self.sink.messages()
                              if "supervisor@acme.example" in str(m["To"])]), 1,
                         "sent once a week, a restart does not send it again")

if __name__ == "__main__":
    unittest.main(verbosity=2)
