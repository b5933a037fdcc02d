"""Inbound mail: `firstline mailgate` as an MTA's pipe into a real data folder, checked over the
REST API of the running server: a new ticket per message, a second delivery not filed twice,
German UTF-8, a reply threaded by its ticket tag, noise ignored, clear exit codes (0, 65, 75).

Run: FIRSTLINE_BIN=build/release/src/server/firstline /usr/bin/python3 tests/integration/test_mail_inbound.py
"""

from __future__ import annotations

import re
import subprocess
import unittest
from pathlib import Path

from firstline_harness import ServerTestCase, find_binary, items, ref_id, server_env

CORPUS = Path(__file__).resolve().parent.parent / "mail" / "corpus"
EX_DATAERR = 65
EX_TEMPFAIL = 75


class MailInboundTest(ServerTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.config = cls.server.tmp / "mail.toml"
        cls.config.write_text(
            '[mail]\naddress = "support@desk.example"\n'
            "new_tickets_per_sender_per_hour = 50\n\n"
            '[[mail.mailboxes]]\nname = "support"\n\n'
            '[[mail.mailboxes]]\nname = "partner"\nteam = "Partner Desk"\n')

    def mailgate(self, raw: bytes, mailbox: str = "support") -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [find_binary(), "mailgate", "--config", str(self.config), "--data",
             str(self.server.data_dir), "--mailbox", mailbox],
            input=raw, capture_output=True, env=server_env(), timeout=60)

    def file(self, name: str) -> tuple[str, int | None]:
        done = self.mailgate((CORPUS / name).read_bytes())
        self.assertEqual(done.returncode, 0, done.stderr.decode(errors="replace"))
        out = done.stdout.decode()
        m = re.search(r": (created|appended|duplicate|ignored)(?: ticket (\d+))?", out)
        self.assertIsNotNone(m, out)
        return m.group(1), int(m.group(2)) if m.group(2) else None

    def ticket(self, ticket_id: int) -> dict:
        reply = self.assertStatus(
            self.server.request("GET", f"/api/v1/tickets/{ticket_id}", as_user="admin"), 200)
        return reply.json

    def entries(self, ticket_id: int) -> list[dict]:
        reply = self.assertStatus(
            self.server.request("GET", f"/api/v1/tickets/{ticket_id}/entries", as_user="admin"),
            200)
        return [e for e in items(reply.json) if e.get("kind") == "reply"]

    def test_new_ticket_and_second_delivery_is_not_filed_twice(self):
        outcome, ticket_id = self.file("base64_attachment.eml")
        self.assertEqual(outcome, "created")
        t = self.ticket(ticket_id)
        self.assertEqual(t["subject"], "Invoice tool error, screenshot attached")
        self.assertEqual(t["channel"], "email")
        entries = self.entries(ticket_id)
        self.assertEqual(len(entries), 1)
        names = {a["filename"] for a in entries[0]["attachments"]}
        self.assertIn("report.pdf", names)
        self.assertIn("original.eml", names)

        again, same = self.file("base64_attachment.eml")
        self.assertEqual(again, "duplicate")
        self.assertEqual(same, ticket_id)
        self.assertEqual(len(self.entries(ticket_id)), 1, "the second delivery added nothing")

    def test_german_utf8_message(self):
        outcome, ticket_id = self.file("qp_german.eml")
        self.assertEqual(outcome, "created")
        t = self.ticket(ticket_id)
        self.assertEqual(t["subject"], "Laptop startet nicht – dringend für Präsentation")
        body = self.entries(ticket_id)[0]["body"]
        self.assertIn("Können Sie mir bitte helfen?", body)
        users = items(self.assertStatus(
            self.server.request("GET", "/api/v1/users", as_user="admin"), 200).json)
        user = next(u for u in users if u["id"] == ref_id(t["requester_id"]))
        self.assertEqual(user["name"], "Jürgen Müller")
        self.assertEqual(user["language"], "de")

    def test_reply_by_ticket_tag_is_appended_and_trimmed(self):
        outcome, ticket_id = self.file("multipart_alternative.eml")
        self.assertEqual(outcome, "created")
        number = self.ticket(ticket_id)["number"]
        reply = (CORPUS / "outlook_reply_de.eml").read_bytes()
        reply = reply.replace(b"anna.berg@acme.example", b"bob@acme.example")
        reply = reply.replace(b"100001", str(number).encode())
        done = self.mailgate(reply)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn(f"appended ticket {ticket_id}".encode(), done.stdout)
        entries = self.entries(ticket_id)
        self.assertEqual(len(entries), 2)
        self.assertTrue(entries[1]["body"].startswith("Danke, jetzt funktioniert es wieder."))
        self.assertNotIn("Bitte starten Sie den Drucker neu", entries[1]["body"])

    def test_noise_is_ignored(self):
        outcome, ticket_id = self.file("bounce_dsn.eml")
        self.assertEqual(outcome, "ignored")
        self.assertIsNone(ticket_id)

    def test_exit_codes(self):
        garbage = self.mailgate(b"this is not an e-mail message at all")
        self.assertEqual(garbage.returncode, EX_DATAERR)
        self.assertIn(b"not an e-mail message", garbage.stderr)
        empty = self.mailgate(b"")
        self.assertEqual(empty.returncode, EX_DATAERR)
        unknown = self.mailgate((CORPUS / "plain.eml").read_bytes(), mailbox="nope")
        self.assertEqual(unknown.returncode, EX_TEMPFAIL)
        self.assertIn(b"nope", unknown.stderr)
        # A data folder that cannot be opened is temporary: the MTA keeps the message.
        done = subprocess.run(
            [find_binary(), "mailgate", "--config", str(self.config), "--data",
             "/proc/firstline-no-such-folder", "--mailbox", "support"],
            input=(CORPUS / "plain.eml").read_bytes(), capture_output=True, env=server_env(),
            timeout=60)
        self.assertEqual(done.returncode, EX_TEMPFAIL, done.stderr)
        # So is a configuration that cannot be read: mended, the MTA's next try files it.
        broken = self.server.tmp / "broken.toml"
        broken.write_text("[mail\n")
        done = subprocess.run(
            [find_binary(), "mailgate", "--config", str(broken), "--data",
             str(self.server.data_dir), "--mailbox", "support"],
            input=(CORPUS / "plain.eml").read_bytes(), capture_output=True, env=server_env(),
            timeout=60)
        self.assertEqual(done.returncode, EX_TEMPFAIL, done.stderr)

    def test_batch_of_an_mbox_threads_replies_after_what_they_answer(self):
        first = (CORPUS / "plain.eml").read_bytes().replace(b"CAB1234.plain", b"batch-1")
        first = first.replace(b"anna.berg@acme.example", b"batch.user@acme.example")
        reply = (b"From: batch.user@acme.example\nTo: support@desk.example\n"
                 b"Subject: Re: Printer\nMessage-ID: <batch-2@acme.example>\n"
                 b"In-Reply-To: <batch-1@mail.acme.example>\n"
                 b"References: <batch-1@mail.acme.example>\n\nStill blank.\n")
        # Names only the reply before it: the same conversation all the same.
        again = (b"From: batch.user@acme.example\nTo: support@desk.example\n"
                 b"Subject: Re: Printer\nMessage-ID: <batch-3@acme.example>\n"
                 b"In-Reply-To: <batch-2@acme.example>\n\nAnd now it jams.\n")
        mbox = self.server.tmp / "batch.mbox"
        mbox.write_bytes(b"From batch.user@acme.example Fri Nov 27 10:00:00 2026\n"
                         + first.replace(b"\r\n", b"\n")
                         + b"\nFrom batch.user@acme.example Fri Nov 27 10:05:00 2026\n" + reply
                         + b"\nFrom batch.user@acme.example Fri Nov 27 10:07:00 2026\n" + again)
        done = subprocess.run(
            [find_binary(), "mailgate", "--config", str(self.config), "--data",
             str(self.server.data_dir), "--mailbox", "support", "--batch", str(mbox)],
            capture_output=True, env=server_env(), timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr)
        lines = done.stdout.decode().splitlines()
        self.assertEqual(len(lines), 3, lines)
        created = int(re.search(r"created ticket (\d+)", lines[0]).group(1))
        self.assertIn(f"appended ticket {created}", lines[1])
        self.assertIn(f"appended ticket {created}", lines[2])

    def test_mailbox_team(self):
        done = self.mailgate((CORPUS / "rfc2047_utf8.eml").read_bytes(), mailbox="partner")
        self.assertEqual(done.returncode, 0, done.stderr)
        ticket_id = int(re.search(rb"ticket (\d+)", done.stdout).group(1))
        t = self.ticket(ticket_id)
        self.assertEqual(t["subject"], "Drucker im Büro geht nicht")
        teams = items(self.assertStatus(
            self.server.request("GET", "/api/v1/teams", as_user="admin"), 200).json)
        partner = next(x for x in teams if x["name"] == "Partner Desk")
        self.assertEqual(ref_id(t["team"]), partner["id"])


if __name__ == "__main__":
    unittest.main()
