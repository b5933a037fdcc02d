"""bench/mail: how fast `firstline mailgate` files mail into an existing install.

Two ways in: one `firstline mailgate` process per message (what an MTA's pipe does: process
start, store open, one message, one commit), and `firstline mailgate --batch` on a folder of
.eml files (one process, one store open). Messages are new tickets from 50 senders of a known
organisation (a plain text part and a small PDF attachment each, like real mail), filed into a
fresh `firstline init --demo` data folder. Prints messages per second for each.

Run: /usr/bin/python3 bench/mail/mail_bench.py --build build/release [--processes 200] [--batch 2000]
"""

from __future__ import annotations

import argparse
import base64
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PDF = base64.encodebytes(b"%PDF-1.4\n" + b"0" * 2000 + b"\n%%EOF\n").decode()


def message(i: int) -> bytes:
    sender = f"user{i % 50}@acme.example"
    return (
        f"From: Bench User {i % 50} <{sender}>\r\n"
        "To: support@desk.example\r\n"
        f"Subject: Bench problem {i}: Drucker druckt nicht\r\n"
        f"Date: Fri, 27 Nov 2026 10:{i % 60:02d}:{i // 60 % 60:02d} +0100\r\n"
        f"Message-ID: <bench-{i}-{os.getpid()}@acme.example>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        "--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        f"Hallo, der Drucker im 2. Stock druckt seit heute früh nur leere Seiten ({i}).\r\n"
        "Viele Grüße\r\n-- \r\nBench User\r\n"
        "--b\r\nContent-Type: application/pdf; name=\"report.pdf\"\r\n"
        "Content-Disposition: attachment; filename=\"report.pdf\"\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n" + PDF + "\r\n--b--\r\n").encode()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build/release")
    ap.add_argument("--processes", type=int, default=200, help="messages, one process each")
    ap.add_argument("--batch", type=int, default=2000, help="messages in one --batch process")
    args = ap.parse_args()
    binary = Path(args.build) / "src" / "server" / "firstline"
    env = {k: v for k, v in os.environ.items() if not k.startswith("FIRSTLINE_")}
    env["FIRSTLINE_SECURITY_PASSWORD_COST"] = "min"
    tmp = Path(tempfile.mkdtemp(prefix="firstline-mail-bench-"))
    try:
        data = tmp / "data"
        subprocess.run([binary, "init", "--data", data, "--demo", "--demo-password",
                        "bench-password-1"], env=env, check=True, capture_output=True)
        config = tmp / "mail.toml"
        config.write_text('[mail]\naddress = "support@desk.example"\n'
                          "new_tickets_per_sender_per_hour = 0\n"
                          '[[mail.mailboxes]]\nname = "support"\n')
        gate = [binary, "mailgate", "--config", config, "--data", data, "--mailbox", "support"]

        started = time.perf_counter()
        for i in range(args.processes):
            done = subprocess.run(gate, input=message(i), env=env, capture_output=True)
            if done.returncode != 0 or b"created" not in done.stdout:
                print(done.stdout.decode(), done.stderr.decode(), file=sys.stderr)
                return 1
        per_process = args.processes / (time.perf_counter() - started)

        folder = tmp / "batch"
        folder.mkdir()
        for i in range(args.batch):
            (folder / f"{i:06d}.eml").write_bytes(message(100000 + i))
        started = time.perf_counter()
        done = subprocess.run([*gate, "--batch", folder], env=env, capture_output=True)
        batch_seconds = time.perf_counter() - started
        created = done.stdout.count(b": created")
        if done.returncode != 0 or created != args.batch:
            print(done.stderr.decode()[-2000:], file=sys.stderr)
            return 1
        print(f"mailgate, one process per message: {args.processes} messages, "
              f"{per_process:.0f} messages/s")
        print(f"mailgate --batch (one process):    {args.batch} messages, "
              f"{args.batch / batch_seconds:.0f} messages/s (process start included)")
        return 0
    finally:
        if not os.environ.get("FIRSTLINE_KEEP_DATA"):
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
