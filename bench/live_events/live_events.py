#!/usr/bin/env python3
"""bench/live_events: how fast the live event feed (GET /api/v1/events) tells its clients.

Starts a Release `firstline` (demo data, temporary folder), connects N WebSocket clients and
creates tickets through the REST API at a steady rate. Half the clients are supervisors
following everything ("all"), half first-line agents following the Service Desk queue: each
ticket reaches every client. For each (ticket, client) it takes the time from the API's 201
response to the client receiving the ticket.created event, and prints p50/p99/max beside the
issue's target (<= 100 ms), with the server's CPU time per second. A run with no clients
first gives the CPU that creating tickets costs anyway. A measurement, not a test.

Client and server share the machine: the clients' own work (a Python event loop reading
every message) is in the figures.

usage: bench/live_events/live_events.py [--build DIR] [--clients 0,50,200] [--rate R] [--duration S]
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import re
import statistics
import sys
import threading
import time
from pathlib import Path

import websockets

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "integration"))
from firstline_harness import Server  # noqa: E402

CREATED = re.compile(rb'"type":"ticket\.created","ticket_id":(\d+)')


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def live_lag(server: Server) -> tuple[float, int, float]:
    """The server's own delay figures: (sum in s, count, max in s) since its start."""
    text = server.request("GET", "/metrics").text
    def value(name: str) -> float:
        m = re.search(rf"^{name} ([0-9.e+-]+)$", text, re.M)
        return float(m.group(1)) if m else 0.0
    return (value("firstline_live_lag_seconds_sum"), int(value("firstline_live_lag_seconds_count")),
            value("firstline_live_lag_max_seconds"))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


class Creator(threading.Thread):
    """Creates tickets at a steady rate; remembers when each 201 arrived."""

    def __init__(self, port: int, token: str, rate: float, duration: float):
        super().__init__(daemon=True)
        self.port, self.token, self.rate, self.duration = port, token, rate, duration
        self.answered: dict[int, float] = {}  # ticket id -> monotonic time of the 201
        self.sent: dict[int, float] = {}
        self.failures = 0

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        start = time.monotonic()
        n = 0
        while True:
            due = start + n / self.rate
            if due - start >= self.duration:
                break
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            body = json.dumps({"subject": f"Live bench ticket {n}"})
            sent = time.monotonic()
            conn.request("POST", "/api/v1/tickets", body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            answered = time.monotonic()
            if resp.status != 201:
                self.failures += 1
            else:
                tid = json.loads(data)["id"]
                self.sent[tid] = sent
                self.answered[tid] = answered
            n += 1
        conn.close()


async def client(port: int, token: str, subscription: dict, received: list, ready: asyncio.Event,
                 counts: list) -> None:
    async with websockets.connect(f"ws://127.0.0.1:{port}/api/v1/events",
                                  extra_headers={"Authorization": f"Bearer {token}"},
                                  max_size=2 ** 22, open_timeout=60) as ws:
        await ws.send(json.dumps({"type": "subscribe", **subscription}))
        while True:
            m = json.loads(await ws.recv())
            if m["type"] == "subscribed":
                break
        ready.set()
        # As little work per message as possible: the client shares the machine.
        async for raw in ws:
            now = time.monotonic()
            counts[0] += 1
            match = CREATED.search(raw.encode() if isinstance(raw, str) else raw)
            if match:
                received.append((int(match.group(1)), now))


async def phase(server: Server, clients: int, rate: float, duration: float) -> dict:
    tokens = {"supervisor": server.token("supervisor"), "l1.agent": server.token("l1.agent"),
              "customer1": server.token("customer1")}
    teams = json.loads(server.request("GET", "/api/v1/teams", token=tokens["supervisor"]).text)
    desk = next(t["id"] for t in teams["items"] if t["name"] == "Service Desk")
    received: list[tuple[int, float]] = []
    counts = [0]
    tasks, readies = [], []
    for i in range(clients):
        ready = asyncio.Event()
        readies.append(ready)
        if i % 2 == 0:
            who, sub = "supervisor", {"queues": ["all"]}
        else:
            who, sub = "l1.agent", {"queues": [{"team": desk}]}
        tasks.append(asyncio.create_task(
            client(server.port, tokens[who], sub, received, ready, counts)))
    for r in readies:
        await asyncio.wait_for(r.wait(), 120)
    await asyncio.sleep(1)  # let connecting settle

    lag0 = live_lag(server)
    creator = Creator(server.port, tokens["customer1"], rate, duration)
    cpu0, wall0 = cpu_seconds(server.proc.pid), time.monotonic()
    own0 = time.process_time()
    creator.start()
    while creator.is_alive():
        await asyncio.sleep(0.1)
    await asyncio.sleep(1.0)  # the last events' way to the clients
    cpu1, wall1 = cpu_seconds(server.proc.pid), time.monotonic()
    own1 = time.process_time()
    lag1 = live_lag(server)
    lag_count = lag1[1] - lag0[1]
    server_lag = (lag1[0] - lag0[0]) / lag_count * 1000 if lag_count else None
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)

    after_201 = [(t - creator.answered[tid]) * 1000 for tid, t in received
                 if tid in creator.answered]
    after_send = [(t - creator.sent[tid]) * 1000 for tid, t in received if tid in creator.sent]
    expected = len(creator.answered) * clients
    return {"clients": clients, "tickets": len(creator.answered), "failures": creator.failures,
            "expected": expected, "got": len(after_201), "messages": counts[0],
            "after_201": after_201, "after_send": after_send,
            "server_lag": server_lag, "server_lag_max": lag1[2] * 1000,
            "cpu": (cpu1 - cpu0) / (wall1 - wall0), "client_cpu": (own1 - own0) / (wall1 - wall0)}


def report(r: dict, rate: float, duration: float) -> str:
    lines = [f"clients {r['clients']:>4}: {r['tickets']} tickets in {duration:.0f} s "
             f"({rate:g}/s, {r['failures']} failed), server CPU {r['cpu'] * 100:.1f} % of a core, "
             f"this client {r['client_cpu'] * 100:.0f} %"]
    if r["clients"]:
        a, s = r["after_201"], r["after_send"]
        lines.append(f"              received {r['got']}/{r['expected']} ticket.created "
                     f"({r['messages']} messages in all)")
        if a:
            lines.append("              201 -> client:  p50 {:.1f} ms  p99 {:.1f} ms  max {:.1f} ms"
                         "   (target <= 100 ms)".format(statistics.median(a), percentile(a, 99),
                                                      max(a)))
            lines.append("              request -> client: p50 {:.1f} ms  p99 {:.1f} ms  max {:.1f} ms"
                         .format(statistics.median(s), percentile(s, 99), max(s)))
        if r["server_lag"] is not None:
            lines.append("              in the server, change -> queued: mean {:.1f} ms, max since "
                         "start {:.0f} ms (firstline_live_lag_seconds; 1 ms steps)"
                         .format(r["server_lag"], r["server_lag_max"]))
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> None:
    os.environ["FIRSTLINE_BIN"] = str(Path(args.build).resolve() / "src" / "server" / "firstline")
    server = Server()
    try:
        server.init()
        server.start()
        print(f"live_events: firstline on port {server.port}; {args.rate:g} tickets/s for "
              f"{args.duration:g} s per run", flush=True)
        baseline = None
        for n in args.clients:
            r = await phase(server, n, args.rate, args.duration)
            if n == 0:
                baseline = r["cpu"]
            print(report(r, args.rate, args.duration), flush=True)
            if n and baseline is not None:
                print(f"              the feed's share: {(r['cpu'] - baseline) * 100:.1f} % of a "
                      f"core for {n} clients", flush=True)
    finally:
        server.close()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--build", default=str(REPO / "build" / "release"))
    p.add_argument("--clients", default="0,50,200",
                   type=lambda s: [int(x) for x in s.split(",")])
    p.add_argument("--rate", type=float, default=20.0, help="tickets per second")
    p.add_argument("--duration", type=float, default=15.0, help="seconds per run")
    asyncio.run(main_async(p.parse_args()))


if __name__ == "__main__":
    main()
