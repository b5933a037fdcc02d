"""Outbound e-mail over TLS with SMTP AUTH, against real relays: smtp_sink.py (Debian's
aiosmtpd) with STARTTLS, implicit TLS (smtps://) and AUTH PLAIN/LOGIN, holding a certificate
for 127.0.0.1 signed by a throw-away CA (tls_certs.py). The real `firstline` binary trusts that
CA only through mail.smtp_ca_file, as a site with its own CA would.

  (a) smtp:// + STARTTLS required + AUTH, CA from mail.smtp_ca_file: the reply arrives, and
      the relay saw TLS and the login;
  (b) smtps:// + AUTH (LOGIN): arrives;
  (c) a wrong password: not sent, the entry says retrying with a readable error; once the
      password is put right the same mail goes out, once;
  (d) a certificate nobody trusts (no ca_file, verification on): refused, error visible;
  (e) STARTTLS required but the relay offers none: refused, nothing sent in the clear.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_mail_outbound import MailCase  # noqa: E402
from tls_certs import Certificates, make_certificates  # noqa: E402

RELAY_USER = "desk-relay"
RELAY_PASSWORD = "Relay-Passw0rd!"

_certs_dir = Path(tempfile.mkdtemp(prefix="firstline-smtp-tls-"))
CERTS: Certificates = make_certificates(_certs_dir, "smtp")


def tearDownModule() -> None:  # noqa: N802 (unittest's name)
    shutil.rmtree(_certs_dir, ignore_errors=True)


TLS = ("--tls-cert", str(CERTS.cert), "--tls-key", str(CERTS.key))
AUTH = ("--auth-user", RELAY_USER, "--auth-password", RELAY_PASSWORD)


def body_has(text: str):
    def match(m) -> bool:
        plain = m.get_body(("plain",))
        return plain is not None and text in plain.get_content()
    return match


class TlsMailCase(MailCase):
    """One relay and one desk per class; the desk's mail settings come from `settings`."""

    settings: dict[str, str] = {}
    implicit_tls = False

    @classmethod
    def mail_settings(cls) -> dict[str, str]:
        scheme = "smtps" if cls.implicit_tls else "smtp"
        return {"FIRSTLINE_MAIL_SMTP_URL": f"{scheme}://127.0.0.1:{cls.sink.port}",
                "FIRSTLINE_MAIL_MAX_ATTEMPTS": "8", **cls.settings}

    def reply_and_wait_for_failure(self, subject: str, body: str) -> dict:
        """A reply whose mail the relay must not get: its entry's mail state once retrying."""
        t = self.new_ticket(subject)
        entry = self.reply(t["id"], body)
        mail = self.wait_mail_status(t["id"], entry["id"], "retrying")
        self.assertGreaterEqual(mail["attempts"], 1)
        self.assertIsNone(mail["sent_at"])
        self.assertIsNotNone(mail["next_attempt_at"])
        self.assertTrue(mail["last_error"], "the error is shown to staff")
        time.sleep(1)  # room for a wrong send to land
        self.assertEqual([m for m in self.sink.messages() if body_has(body)(m)], [])
        return {"ticket": t, "entry": entry, "mail": mail}


class StarttlsWithAuthTest(TlsMailCase):
    sink_options = TLS + AUTH + ("--require-starttls", "--auth-mechanisms", "PLAIN")
    settings = {"FIRSTLINE_MAIL_SMTP_STARTTLS": "true",
                "FIRSTLINE_MAIL_SMTP_USER": RELAY_USER,
                "FIRSTLINE_MAIL_SMTP_PASSWORD": RELAY_PASSWORD,
                "FIRSTLINE_MAIL_SMTP_CA_FILE": str(CERTS.ca)}

    def test_a_reply_goes_out_over_starttls_as_the_authenticated_user(self):
        t = self.new_ticket("Zertifikat der eigenen CA")
        entry = self.reply(t["id"], "Antwort über STARTTLS mit Anmeldung")
        [m] = self.sink.wait_for(body_has("über STARTTLS"), "with the reply")
        self.assertRegex(m["X-Sink-TLS"], r"^TLSv1\.[23]$", "the relay saw TLS")
        self.assertEqual(m["X-Sink-Auth"], f"{RELAY_USER} (PLAIN)")
        self.assertIn("customer1@acme.example", m["X-Sink-Rcpt-To"])
        mail = self.wait_mail_status(t["id"], entry["id"], "sent")
        self.assertEqual(mail["attempts"], 1)
        self.assertIsNone(mail["last_error"])


class ImplicitTlsWithAuthTest(TlsMailCase):
    implicit_tls = True
    sink_options = TLS + AUTH + ("--implicit-tls", "--auth-mechanisms", "LOGIN")
    settings = {"FIRSTLINE_MAIL_SMTP_USER": RELAY_USER,
                "FIRSTLINE_MAIL_SMTP_PASSWORD": RELAY_PASSWORD,
                "FIRSTLINE_MAIL_SMTP_CA_FILE": str(CERTS.ca)}

    def test_a_reply_goes_out_over_smtps(self):
        t = self.new_ticket("Port 465")
        entry = self.reply(t["id"], "Antwort über smtps, TLS vom ersten Byte an")
        [m] = self.sink.wait_for(body_has("über smtps"), "with the reply")
        self.assertRegex(m["X-Sink-TLS"], r"^TLSv1\.[23]$")
        self.assertEqual(m["X-Sink-Auth"], f"{RELAY_USER} (LOGIN)")
        self.wait_mail_status(t["id"], entry["id"], "sent")


class WrongPasswordTest(TlsMailCase):
    sink_options = TLS + AUTH + ("--require-starttls",)
    settings = {"FIRSTLINE_MAIL_SMTP_STARTTLS": "true",
                "FIRSTLINE_MAIL_SMTP_USER": RELAY_USER,
                "FIRSTLINE_MAIL_SMTP_PASSWORD": "not-the-password",
                "FIRSTLINE_MAIL_SMTP_CA_FILE": str(CERTS.ca)}

    def test_a_refused_login_keeps_the_mail_until_the_password_is_right(self):
        body = "Antwort, die auf das richtige Passwort wartet"
        failed = self.reply_and_wait_for_failure("Falsches Relay-Passwort", body)
        error = failed["mail"]["last_error"]
        self.assertRegex(error, r"535|[Ll]ogin denied", error)
        self.assertNotIn("not-the-password", error, "no secret in the error")
        # The admin puts the password right: the same mail goes out, once.
        self.server.env["FIRSTLINE_MAIL_SMTP_PASSWORD"] = RELAY_PASSWORD
        self.server.restart()
        t, entry = failed["ticket"], failed["entry"]
        sent = self.wait_mail_status(t["id"], entry["id"], "sent", timeout=90)
        self.assertGreaterEqual(sent["attempts"], 2)
        [m] = self.sink.wait_for(body_has(body), "after the fix")
        self.assertEqual(m["X-Sink-Auth"], f"{RELAY_USER} (PLAIN)")
        time.sleep(1)
        self.assertEqual(len([m for m in self.sink.messages() if body_has(body)(m)]), 1)


class UntrustedCertificateTest(TlsMailCase):
    """(a) without mail.smtp_ca_file: the same relay, and the desk refuses it."""

    sink_options = TLS + AUTH + ("--require-starttls",)
    settings = {"FIRSTLINE_MAIL_SMTP_STARTTLS": "true",
                "FIRSTLINE_MAIL_SMTP_USER": RELAY_USER,
                "FIRSTLINE_MAIL_SMTP_PASSWORD": RELAY_PASSWORD}

    def test_a_certificate_from_an_unknown_ca_is_refused(self):
        failed = self.reply_and_wait_for_failure("Unbekannte CA", "Antwort an ein falsches Relay")
        self.assertIn("certificate", failed["mail"]["last_error"])
        self.assertEqual(self.sink.messages(), [], "nothing at all reached the relay")


class NoStarttlsOfferedTest(TlsMailCase):
    """A relay without STARTTLS (as after a downgrade on the path): nothing in the clear."""

    sink_options = ()
    settings = {"FIRSTLINE_MAIL_SMTP_STARTTLS": "true",
                "FIRSTLINE_MAIL_SMTP_USER": RELAY_USER,
                "FIRSTLINE_MAIL_SMTP_PASSWORD": RELAY_PASSWORD,
                "FIRSTLINE_MAIL_SMTP_CA_FILE": str(CERTS.ca)}

    def test_required_starttls_that_is_not_offered_sends_nothing(self):
        failed = self.reply_and_wait_for_failure("Kein STARTTLS", "Antwort, die nie im Klartext geht")
        self.assertIn("STARTTLS", failed["mail"]["last_error"])
        self.assertEqual(self.sink.messages(), [], "no message went out in the clear")


class NoStarttlsWithAPasswordTest(TlsMailCase):
    """mail.smtp_starttls off, but a user is set: the password is never sent in the clear."""

    sink_options = ()
    settings = {"FIRSTLINE_MAIL_SMTP_USER": RELAY_USER,
                "FIRSTLINE_MAIL_SMTP_PASSWORD": RELAY_PASSWORD}

    def test_a_password_demands_tls_even_when_starttls_is_not_required(self):
        failed = self.reply_and_wait_for_failure("Passwort nie im Klartext", "Antwort ohne TLS")
        self.assertIn("STARTTLS", failed["mail"]["last_error"])
        self.assertEqual(self.sink.messages(), [], "nothing, and no password, went out")


if __name__ == "__main__":
    unittest.main(verbosity=2)
