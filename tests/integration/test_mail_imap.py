"""IMAP mailboxes in the real binary's configuration: a good [[mail.mailboxes]] block lets
`firstline serve` start (with a warning for tls_verify = false), a bad one is a plain error
naming the field. The polling itself is tested in tests/mail against a real dovecot; once the
mail intake (MailIntake) is wired into serve, the end-to-end runs belong here.

Run: FIRSTLINE_BIN=build/release/src/server/firstline /usr/bin/python3 tests/integration/test_mail_imap.py
"""

from __future__ import annotations

import subprocess
import tempfile
import unittest
from pathlib import Path

from firstline_harness import Server, find_binary, server_env

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


if __name__ == "__main__":
    unittest.main()
