"""A test SMTP server: accepts every message and writes it to a folder as NNNNNN.eml (the
bytes as received, envelope in X-Sink-* headers first). Debian's python3-aiosmtpd;
run with /usr/bin/python3:

    /usr/bin/python3 smtp_sink.py --port 2525 --dir /tmp/mail

Prints "smtp-sink: ready" once it listens; stops on SIGTERM/SIGINT.
"""

from __future__ import annotations

import argparse
import itertools
import os
import signal
import sys
import threading
from pathlib import Path

from aiosmtpd.controller import Controller


class FolderHandler:
    def __init__(self, folder: Path):
        self.folder = folder
        existing = [int(p.stem) for p in folder.glob("*.eml") if p.stem.isdigit()]
        self.numbers = itertools.count(max(existing, default=0) + 1)
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        with self.lock:
            n = next(self.numbers)
        head = (f"X-Sink-Mail-From: {envelope.mail_from}\r\n"
                f"X-Sink-Rcpt-To: {', '.join(envelope.rcpt_tos)}\r\n").encode()
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8")
        tmp = self.folder / f".{n:06d}.tmp"
        tmp.write_bytes(head + data)
        os.replace(tmp, self.folder / f"{n:06d}.eml")  # whole files only
        return "250 Message accepted for delivery"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    controller = Controller(FolderHandler(folder), hostname=args.host, port=args.port,
                            decode_data=False)
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
