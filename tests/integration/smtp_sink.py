"""A test SMTP server: accepts every message and writes it to a folder as NNNNNN.eml (the
bytes as received, envelope and session in X-Sink-* headers first). Debian's
python3-aiosmtpd; run with /usr/bin/python3:

    /usr/bin/python3 smtp_sink.py --port 2525 --dir /tmp/mail

Options for the ways a real relay is set up:

    --tls-cert FILE --tls-key FILE   offer STARTTLS with this certificate
    --require-starttls               refuse everything but EHLO/NOOP/QUIT before STARTTLS
    --implicit-tls                   TLS from the first byte (smtps://) instead of STARTTLS
    --auth-user U --auth-password P  require AUTH (PLAIN or LOGIN), and only over TLS
    --auth-mechanisms PLAIN|LOGIN    offer only these (comma-separated)

The headers X-Sink-TLS (the TLS version, or "none") and X-Sink-Auth ("LOGIN (MECHANISM)",
or "none") say how each message came in. Prints "smtp-sink: ready" once it listens; stops on
SIGTERM/SIGINT.
"""

from __future__ import annotations

import argparse
import itertools
import logging
import os
import signal
import ssl
import sys
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class FolderHandler:
    def __init__(self, folder: Path):
        self.folder = folder
        existing = [int(p.stem) for p in folder.glob("*.eml") if p.stem.isdigit()]
        self.numbers = itertools.count(max(existing, default=0) + 1)
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        with self.lock:
            n = next(self.numbers)
        tls = server.transport.get_extra_info("ssl_object") if server.transport else None
        login = "none"
        if session.authenticated and isinstance(session.auth_data, Login):
            login = f"{session.auth_data.login} ({session.auth_data.mechanism})"
        head = (f"X-Sink-Mail-From: {envelope.mail_from}\r\n"
                f"X-Sink-Rcpt-To: {', '.join(envelope.rcpt_tos)}\r\n"
                f"X-Sink-TLS: {tls.version() if tls else 'none'}\r\n"
                f"X-Sink-Auth: {login}\r\n").encode()
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8")
        tmp = self.folder / f".{n:06d}.tmp"
        tmp.write_bytes(head + data)
        os.replace(tmp, self.folder / f"{n:06d}.eml")  # whole files only
        return "250 Message accepted for delivery"


@dataclass(frozen=True)
class Login:
    login: str
    mechanism: str


def authenticator(user: str, password: str):
    """aiosmtpd's authenticator callback: one login, PLAIN or LOGIN."""
    def check(server, session, envelope, mechanism, auth_data):
        if (isinstance(auth_data, LoginPassword) and auth_data.login == user.encode()
                and auth_data.password == password.encode()):
            return AuthResult(success=True, auth_data=Login(user, mechanism))
        return AuthResult(success=False, handled=False)  # 535, aiosmtpd's wording
    return check


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--require-starttls", action="store_true")
    parser.add_argument("--implicit-tls", action="store_true")
    parser.add_argument("--auth-user")
    parser.add_argument("--auth-password")
    parser.add_argument("--auth-mechanisms", default="PLAIN,LOGIN")
    args = parser.parse_args()
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    if (args.require_starttls or args.implicit_tls) and not args.tls_cert:
        parser.error("--require-starttls and --implicit-tls need --tls-cert/--tls-key")
    if bool(args.auth_user) != bool(args.auth_password):
        parser.error("--auth-user and --auth-password go together")
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)

    smtp: dict = {"decode_data": False}
    controller_tls = None
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        if args.implicit_tls:
            controller_tls = context
        else:
            smtp["tls_context"] = context
            smtp["require_starttls"] = args.require_starttls
    if args.auth_user:
        offered = {m.strip().upper() for m in args.auth_mechanisms.split(",") if m.strip()}
        # aiosmtpd 1.4's auth_require_tls knows only STARTTLS: with implicit TLS it would never
        # offer AUTH. There every byte is encrypted anyway, so the requirement holds without it
        # (and aiosmtpd's warning that it does not is beside the point).
        if args.implicit_tls:
            warnings.filterwarnings("ignore", "Requiring AUTH while not requiring TLS")
            logging.getLogger("mail.log").addFilter(
                lambda record: "auth_require_tls == False" not in record.getMessage())
        smtp.update(authenticator=authenticator(args.auth_user, args.auth_password),
                    auth_required=True, auth_require_tls=not args.implicit_tls,
                    auth_exclude_mechanism={"PLAIN", "LOGIN"} - offered)
    controller = Controller(FolderHandler(folder), hostname=args.host, port=args.port,
                            ssl_context=controller_tls, **smtp)
    controller.start()
    print("smtp-sink: ready", flush=True)
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    done.wait()
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
