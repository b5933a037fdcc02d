#!/usr/bin/python3
"""bench/mail_imap/api_latency.py: does IMAP ingestion slow down the API?

Target: with 10 mailboxes x 100 messages being drained, the p99 of GET /api/v1/tickets/{id}
stays within 2x of its idle p99.

Starts a throw-away dovecot (tests/integration/imap_server.py) and a Release `firstline serve`
with demo data and 10 [[mail.mailboxes]] polling it every 5 s (half over IMAPS), then with wrk
(2 threads, 32 connections, loopback; bench/get_ticket.lua):
  1. idle: 10 s of ticket reads -> p99
  2. 10 x 100 messages (distinct senders, so no rate limit applies) written into the maildirs;
     ticket reads while the poller drains them -> p99, and the drain time read from /metrics
     (firstline_imap_messages_total).
A measurement, not a test: prints the figures and exits 0 (2 if it cannot run).

If `firstline serve` does not poll (a build without the poller wired), it says so and stops.

usage: bench/mail_imap/api_latency.py [--build DIR] [--duration S] [--side-by-side]

--side-by-side (until then): firstline serves the reads while bench/mail_imap's
mail_imap_drain drains 20 x 200 messages from the same dovecot in another process, into its
test sink's own SQLite file. It measures what the poller, dovecot and their fsyncs cost the
API on a shared machine, not contention inside the desk's store.
"""
import argparse
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

here = Path(__file__).resolve().parent
repo = here.parent.parent
sys.path.insert(0, str(repo / "tests" / "integration"))
from imap_server import ImapServer  # noqa: E402
import firstline_harness as harness  # noqa: E402

MAILBOXES, MESSAGES = 10, 100


def metric_sum(text, name, outcomes):
    total = 0
    for line in text.splitlines():
        m = re.match(name + r'\{mailbox="[^"]*",outcome="([a-z_]+)"\} (\d+)', line)
        if m and m.group(1) in outcomes:
            total += int(m.group(2))
    return total


def wrk(base, token, seconds, lo, hi):
    out = subprocess.run(
        ["wrk", "-t2", "-c32", f"-d{seconds}s", "--timeout", "10s", "--latency",
         "-H", f"Authorization: Bearer {token}", "-s", str(repo / "bench" / "get_ticket.lua"),
         base, "--", str(lo), str(hi)], capture_output=True, text=True, check=True).stdout
    fields = dict(kv.split("=") for kv in out.split("FL_RESULT ")[1].split())
    return int(fields["p99_us"]) / 1000, int(fields["requests"])


def deliver(maildir_root):
    for b in range(1, MAILBOXES + 1):
        root = Path(maildir_root) / f"box{b}"
        for m in range(MESSAGES):
            name = f"{time.time_ns()}.b{b}m{m}.bench"
            raw = (f"From: User {b}-{m} <user{b}-{m}@example.com>\r\nTo: desk@example.com\r\n"
                   f"Subject: Printer on floor {m} does not print\r\n"
                   f"Message-ID: <b{b}m{m}.{time.time_ns()}@bench>\r\n"
                   f"Date: Fri, 27 Nov 2026 10:00:00 +0000\r\n\r\n" + "The printer is offline. " * 100
                   + "\r\n")
            (root / "tmp" / name).write_text(raw)
            os.rename(root / "tmp" / name, root / "new" / name)


def side_by_side(args, imap, server, base):
    token = server.token("supervisor")
    newest = harness.items(server.request("GET", "/api/v1/tickets?limit=1",
                                          token=token).json)[0]["id"]
    idle_p99, idle_n = wrk(base, token, args.duration, 1, newest)
    print(f"idle: p99 {idle_p99:.2f} ms ({idle_n} requests)")
    drain = subprocess.Popen([str(Path(args.build) / "bench" / "mail_imap" / "mail_imap_drain"),
                              "20", "200", "4"], env={**os.environ, **imap.env()},
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    time.sleep(1.0)  # the 4,000 messages are being written into the maildirs
    busy_p99, busy_n = wrk(base, token, args.duration, 1, newest)
    out, _ = drain.communicate()
    print(out.strip())
    print(f"while draining beside it: p99 {busy_p99:.2f} ms ({busy_n} requests), "
          f"{busy_p99 / idle_p99:.2f}x idle (target: at most 2x)")
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=str(repo / "build" / "release"))
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--side-by-side", action="store_true")
    args = ap.parse_args()
    os.environ.setdefault("FIRSTLINE_BIN", str(Path(args.build) / "src" / "server" / "firstline"))
    imap = ImapServer()
    server = None
    try:
        conf = Path(imap.tmp.name) / "firstline.toml"
        with open(conf, "w") as f:
            f.write('[security]\npassword_cost = "min"\n')
            for b in range(1, MAILBOXES + 1):
                url = (f"imaps://127.0.0.1:{imap.tls_port}/INBOX" if b % 2 == 0
                       else f"imap://127.0.0.1:{imap.port}/INBOX")
                f.write(f'[[mail.mailboxes]]\nname = "box{b}"\nteam = "Service Desk"\n'
                        f'url = "{url}"\nuser = "box{b}"\npassword = "secret"\n'
                        f'tls_verify = false\ninterval_seconds = 5\n')
        server = harness.Server(env={"FIRSTLINE_CONFIG": str(conf)})
        server.init()
        server.start()
        base = f"http://127.0.0.1:{server.port}"
        metrics = server.request("GET", "/metrics").raw.decode()
        if args.side_by_side:
            return side_by_side(args, imap, server, base)
        if "firstline_imap_polls_total" not in metrics:
            print("api_latency: this firstline does not poll IMAP yet (the mail intake, "
                  "MailIntake, is not wired in src/server/main.cpp): nothing to measure")
            return 2
        token = server.token("supervisor")
        newest = harness.items(server.request("GET", "/api/v1/tickets?limit=1",
                                              token=token).json)[0]["id"]
        idle_p99, idle_n = wrk(base, token, args.duration, 1, newest)
        print(f"idle: p99 {idle_p99:.2f} ms ({idle_n} requests)")

        taken_before = metric_sum(metrics, "firstline_imap_messages_total",
                                  {"created", "appended", "duplicate", "ignored"})
        drained = {}

        def watch(started):
            while time.monotonic() - started < 300:
                text = server.request("GET", "/metrics").raw.decode()
                taken = metric_sum(text, "firstline_imap_messages_total",
                                   {"created", "appended", "duplicate", "ignored"})
                if taken - taken_before >= MAILBOXES * MESSAGES:
                    drained["seconds"] = time.monotonic() - started
                    return
                time.sleep(0.2)

        deliver(imap.maildir_root)
        started = time.monotonic()
        watcher = threading.Thread(target=watch, args=(started,))
        watcher.start()
        busy_p99, busy_n = wrk(base, token, args.duration, 1, newest)
        watcher.join()
        print(f"draining {MAILBOXES} x {MESSAGES}: p99 {busy_p99:.2f} ms ({busy_n} requests), "
              f"{busy_p99 / idle_p99:.2f}x idle (target: at most 2x)")
        if "seconds" in drained:
            print(f"drained in {drained['seconds']:.1f} s after delivery (polls every 5 s)")
        else:
            print("not drained within 300 s")
        return 0
    finally:
        if server is not None:
            server.close()
        imap.stop()


if __name__ == "__main__":
    sys.exit(main())
