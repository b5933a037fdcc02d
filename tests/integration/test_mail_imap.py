"""IMAP mailboxes in the real binary's configuration: a good [[mail.mailboxes]] block lets
`firstline serve` start (with a warning for tls_verify = false), a bad one is a plain error
naming the field; and end to end under a real dovecot (run by tests/integration/imap_server.py,
which sets FL_IMAP_PORT and FL_IMAP_MAILDIR_ROOT): a mail delivered to the mailbox becomes a
ticket, is marked seen only then, and a reply with the ticket's tag joins it; a site's own CA
(the mailbox's ca_file) over IMAPS and STARTTLS, with a move into a folder with an umlaut.

Run: FIRSTLINE_BIN=build/release/src/server/firstline /usr/bin/python3 \
       tests/integration/imap_server.py -- /usr/bin/python3 tests/integration/test_mail_imap.py
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

from firstline_harness import Server, find_binary, items, server_env

GOOD = """
[[mail.mailboxes]]
name = "servicedesk"
team = "Service Desk"
url = "imaps://127.0.0.1:1/INBOX"
user = "desk"
password_file = "desk.password"
tls_verify = false
after = "move"
move_to = "Processed"
quarantine = "Rejected"
interval_seconds = 30

[[mail.mailboxes]]
name = "gate-only"
team = "Network"
"""


class MailImapConfigTest(unittest.TestCase):
    def test_a_good_mailbox_block_lets_serve_start(self):
        server = Server()
        try:
            server.init()
            (server.tmp / "desk.password").write_text("secret\n")
            config = server.tmp / "firstline.toml"
            config.write_text(GOOD)
            server.env["FIRSTLINE_CONFIG"] = str(config)
            server.start()
            self.assertEqual(server.request("GET", "/healthz").status, 200)
            self.assertIn("tls_verify = false", server.log_tail())
        finally:
            server.close()

    def test_a_bad_mailbox_block_is_a_plain_error(self):
        with tempfile.TemporaryDirectory() as tmp:
            config = Path(tmp) / "firstline.toml"
            config.write_text('[[mail.mailboxes]]\nname = "desk"\nuser = "u"\n'
                              'url = "imap://127.0.0.1:143/INBOX"\nafter = "move"\n')
            done = subprocess.run(
                [find_binary(), "serve", "--data", str(Path(tmp) / "data"), "--listen",
                 "127.0.0.1:0"], capture_output=True, text=True, timeout=60,
                env=server_env({"FIRSTLINE_CONFIG": str(config)}))
            self.assertEqual(done.returncode, 2, done.stderr)
            self.assertIn("move_to", done.stderr)

    def test_a_mailboxs_connect_timeout_is_its_own(self):
        # A listener that accepts and never greets: the poll gives up after the mailbox's
        # connect_timeout_seconds (libcurl says after how long), not after the default 10 s.
        with socket.socket() as silent:
            silent.bind(("127.0.0.1", 0))
            silent.listen(8)
            server = Server()
            try:
                server.init()
                config = server.tmp / "firstline.toml"
                config.write_text(f"""
[[mail.mailboxes]]
name = "silent"
url = "imap://127.0.0.1:{silent.getsockname()[1]}/INBOX"
user = "desk"
password = "secret"
connect_timeout_seconds = 1
interval_seconds = 5
""")
                server.env["FIRSTLINE_CONFIG"] = str(config)
                server.start()
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline and "mail silent:" not in server.log_tail():
                    time.sleep(0.2)
                self.assertRegex(server.log_tail(), r"mail silent: .*after 1\d\d\d milli")
            finally:
                server.close()


NEW_REQUEST = """From: Clara Kundin <customer1@acme.example>
To: servicedesk@example.com
Subject: =?UTF-8?Q?Monitor_flackert_st=C3=A4ndig_{tag}?=
Message-ID: <{tag}@acme.example>
Date: Fri, 27 Nov 2026 09:00:00 +0100
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit

Seit dem Update flackert mein Monitor ({tag}). Grüße, Clara
"""

REPLY = """From: Clara Kundin <customer1@acme.example>
To: servicedesk@example.com
Subject: Re: [#{number}] Monitor flackert
Message-ID: <reply-{tag}@acme.example>
Date: Fri, 27 Nov 2026 09:30:00 +0100
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

Jetzt auch der zweite Bildschirm.
"""


def filed_in_store(data_dir: Path, tag: str) -> list[str]:
    """The subjects filed so far, read from the database file itself (the server is down)."""
    import sqlite3
    with sqlite3.connect(data_dir / "firstline.db") as db:
        return [r[0] for r in db.execute("SELECT subject FROM tickets WHERE subject LIKE ?",
                                         (f"%{tag}%",))]


@unittest.skipUnless(os.environ.get("FL_IMAP_PORT"), "needs the dovecot of imap_server.py")
class MailImapEndToEndTest(unittest.TestCase):
    def setUp(self):
        self.maildir = Path(os.environ["FL_IMAP_MAILDIR_ROOT"]) / "box1"
        self.server = Server()
        self.server.init()
        config = self.server.tmp / "firstline.toml"
        config.write_text(f"""
[mail]
address = "servicedesk@example.com"
new_tickets_per_sender_per_hour = 1000
[[mail.mailboxes]]
name = "servicedesk"
team = "Service Desk"
url = "imap://127.0.0.1:{os.environ["FL_IMAP_PORT"]}/INBOX"
user = "box1"
password = "secret"
interval_seconds = 5
""")
        self.server.env["FIRSTLINE_CONFIG"] = str(config)
        self.server.start()

    def tearDown(self):
        self.server.close()

    def deliver(self, text: str) -> Path:
        name = f"{time.time_ns()}.firstline-test"
        (self.maildir / "tmp").mkdir(parents=True, exist_ok=True)
        (self.maildir / "new").mkdir(parents=True, exist_ok=True)
        tmp = self.maildir / "tmp" / name
        tmp.write_text(text.replace("\n", "\r\n"), encoding="utf-8")
        tmp.rename(self.maildir / "new" / name)
        return self.maildir / "new" / name

    def seen(self, name: str) -> bool:
        return any(p.name.startswith(name) and p.name.endswith(":2,S")
                   for p in (self.maildir / "cur").glob("*"))

    def wait_for(self, what, seconds: float = 20.0):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = what()
            if found:
                return found
            time.sleep(0.2)
        self.fail("gave up waiting; server log:\n" + self.server.log_tail())

    def test_a_mail_becomes_a_ticket_and_a_reply_joins_it(self):
        tag = f"imap-{time.time_ns()}"
        name = self.deliver(NEW_REQUEST.format(tag=tag)).name
        supervisor = self.server.token("supervisor")

        def the_ticket():
            listed = self.server.request("GET", "/api/v1/tickets?limit=100", token=supervisor).json
            return next((t for t in items(listed) if tag in t["subject"]), None)

        ticket = self.wait_for(the_ticket)
        self.assertEqual(ticket["channel"], "email")
        self.assertIn("Monitor flackert ständig", ticket["subject"])
        self.wait_for(lambda: self.seen(name))  # marked only after the commit

        self.deliver(REPLY.format(number=ticket["number"], tag=tag))
        path = f"/api/v1/tickets/{ticket['id']}/entries"

        def replied():
            entries = items(self.server.request("GET", path, token=supervisor).json)
            return any("zweite Bildschirm" in e["body"] for e in entries)

        self.wait_for(replied)


    def test_a_crash_while_draining_neither_loses_nor_duplicates(self):
        tag = f"crash-{time.time_ns()}"
        count = 200
        names = [self.deliver(NEW_REQUEST.format(tag=f"{tag}-{i}")).name for i in range(count)]
        supervisor = self.server.token("supervisor")

        def filed() -> list[dict]:
            found, cursor = [], None
            while True:
                path = "/api/v1/tickets?limit=100" + (f"&cursor={cursor}" if cursor else "")
                page = self.server.request("GET", path, token=supervisor).json
                found += [t for t in items(page) if tag in t["subject"]]
                cursor = page.get("next_cursor")
                if not cursor:
                    return found

        # Some, not all, filed: then kill -9 in the middle of the drain.
        self.wait_for(lambda: len(filed()) >= 1, seconds=30)
        self.server.kill()
        at_crash = len(filed_in_store(self.server.data_dir, tag))
        self.assertLess(at_crash, count, "the crash came in the middle of the drain")
        self.server.start()
        supervisor = self.server.token("supervisor")
        self.wait_for(lambda: all(self.seen(n) for n in names), seconds=60)
        tickets = filed()
        subjects = [t["subject"] for t in tickets]
        self.assertEqual(len(subjects), count, "every message once")
        self.assertEqual(len(set(subjects)), count, "no message twice")



@unittest.skipUnless(os.environ.get("FL_IMAP_PORT"), "needs the dovecot of imap_server.py")
class MailImapTrustTest(unittest.TestCase):
    """A site's own CA: dovecot's certificate (for 127.0.0.1) is signed by a CA the system does
    not know. With the mailbox's ca_file and tls_verify on, `serve` polls over IMAPS and over
    STARTTLS, and moves into a folder with an umlaut; without ca_file the same server is
    refused. Also imap_parallel and the timeouts, read from the file."""

    def setUp(self):
        self.server = Server()
        self.server.init()
        ca = os.environ["FL_IMAP_CA_FILE"]
        imap, imaps = os.environ["FL_IMAP_PORT"], os.environ["FL_IMAPS_PORT"]
        config = self.server.tmp / "firstline.toml"
        config.write_text(f"""
[mail]
address = "servicedesk@example.com"
imap_parallel = 2
[[mail.mailboxes]]
name = "over-imaps"
url = "imaps://127.0.0.1:{imaps}/INBOX"
user = "box4"
password = "secret"
ca_file = "{ca}"
after = "move"
move_to = "Erledigt.Übernommen"
interval_seconds = 5
connect_timeout_seconds = 15
timeout_seconds = 120
[[mail.mailboxes]]
name = "over-starttls"
url = "imap://127.0.0.1:{imap}/INBOX"
starttls = true
user = "box5"
password = "secret"
ca_file = "{ca}"
interval_seconds = 5
[[mail.mailboxes]]
name = "untrusted"
url = "imaps://127.0.0.1:{imaps}/INBOX"
user = "box7"
password = "secret"
interval_seconds = 5
""", encoding="utf-8")
        self.server.env["FIRSTLINE_CONFIG"] = str(config)
        self.server.start()
        self.addCleanup(self.server.close)

    deliver = MailImapEndToEndTest.deliver
    wait_for = MailImapEndToEndTest.wait_for

    def test_a_sites_own_ca_over_imaps_and_starttls(self):
        root = Path(os.environ["FL_IMAP_MAILDIR_ROOT"])
        tag = f"trust-{time.time_ns()}"
        for box in ("box4", "box5", "box7"):
            self.maildir = root / box
            self.deliver(NEW_REQUEST.format(tag=f"{tag}-{box}"))
        supervisor = self.server.token("supervisor")

        def filed() -> set[str]:
            listed = self.server.request("GET", "/api/v1/tickets?limit=100", token=supervisor).json
            return {t["subject"].rsplit("-", 1)[-1] for t in items(listed) if tag in t["subject"]}

        self.wait_for(lambda: {"box4", "box5"} <= filed(), seconds=60)
        # IMAPS: moved into "Erledigt.Übernommen", which dovecot keeps as modified UTF-7.
        moved = root / "box4" / ".Erledigt.&ANw-bernommen"
        self.wait_for(lambda: list((moved / "cur").glob("*")) + list((moved / "new").glob("*")))
        self.assertFalse(list((root / "box4" / "new").glob("*")))
        # STARTTLS: marked seen.
        self.wait_for(lambda: [p for p in (root / "box5" / "cur").glob("*") if p.name.endswith(",S")])
        # Without ca_file the same certificate is refused: the message stays, the log says why.
        self.wait_for(lambda: "certificate" in self.server.log_tail(200))
        self.assertNotIn("box7", filed())
        self.assertEqual(len(list((root / "box7" / "new").glob("*"))), 1)
        self.assertIn("untrusted", self.server.log_tail(200))


CORPUS = Path(__file__).resolve().parent.parent / "mail" / "corpus"


def corpus_mail(name: str, unique: str) -> str:
    """A corpus message with a Message-ID of its own, so each run files it anew."""
    text = (CORPUS / name).read_text(encoding="utf-8")
    return re.sub(r"(?im)^Message-ID: <([^>]*)>", rf"Message-ID: <\1-{unique}>", text, count=1)


@unittest.skipUnless(os.environ.get("FL_IMAP_PORT"), "needs the dovecot of imap_server.py")
class MailLoopTest(unittest.TestCase):
    """IMAP in, SMTP out, both real: an HTML-only mail and one with an attachment become
    tickets that are acknowledged; an out-of-office reply is filed but never answered."""

    def setUp(self):
        from test_mail_outbound import SmtpSink, free_port
        self.maildir = Path(os.environ["FL_IMAP_MAILDIR_ROOT"]) / "box3"
        self.sink = SmtpSink(free_port(), Path(tempfile.mkdtemp(prefix="firstline-loop-smtp-")))
        self.sink.start()
        self.addCleanup(self.sink.stop)
        self.server = Server()
        self.server.init()
        config = self.server.tmp / "firstline.toml"
        config.write_text(f"""
[mail]
address = "support@desk.example"
smtp_url = "smtp://127.0.0.1:{self.sink.port}"
[[mail.mailboxes]]
name = "support"
url = "imap://127.0.0.1:{os.environ["FL_IMAP_PORT"]}/INBOX"
user = "box3"
password = "secret"
interval_seconds = 5
""")
        self.server.env["FIRSTLINE_CONFIG"] = str(config)
        self.server.start()
        self.addCleanup(self.server.close)

    deliver = MailImapEndToEndTest.deliver
    seen = MailImapEndToEndTest.seen
    wait_for = MailImapEndToEndTest.wait_for

    def test_html_attachments_and_an_auto_reply_through_imap_and_smtp(self):
        unique = str(time.time_ns())
        names = [self.deliver(corpus_mail(n, unique)).name
                 for n in ("html_only.eml", "base64_attachment.eml", "vacation_autoreply.eml")]
        self.wait_for(lambda: all(self.seen(n) for n in names))
        admin = self.server.token("admin")
        listed = items(self.server.request("GET", "/api/v1/tickets?limit=100", token=admin).json)

        def entries(subject_part: str) -> tuple[dict, list[dict]]:
            [t] = [x for x in listed if subject_part in x["subject"]]
            path = f"/api/v1/tickets/{t['id']}/entries"
            return t, [e for e in items(self.server.request("GET", path, token=admin).json)
                       if e["kind"] == "reply"]

        html_ticket, [html_entry] = entries("Outlook keeps asking for my password")
        self.assertIn("will not connect", html_entry["body"])
        self.assertNotIn("alert", html_entry["body"])
        self.assertIn("message.html", [a["filename"] for a in html_entry["attachments"]])
        pdf_ticket, [pdf_entry] = entries("Invoice tool error")
        files = {a["filename"]: a for a in pdf_entry["attachments"]}
        self.assertEqual(files["report.pdf"]["content_type"], "application/pdf")
        self.assertIn("original.eml", files)

        # Both are acknowledged; nothing goes to the out-of-office sender.
        for t in (html_ticket, pdf_ticket):
            self.sink.wait_for(lambda m, n=t["number"]: f"[#{n}]" in str(m["Subject"]),
                               f"acknowledging #{t['number']}")
        time.sleep(2)  # the follower would have queued an answer by now
        self.assertFalse([m for m in self.sink.messages() if "frank@acme.example" in str(m["To"])])


if __name__ == "__main__":
    unittest.main()
