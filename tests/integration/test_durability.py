"""An acknowledged write survives kill -9: 16 writers create tickets over keep-alive
connections as fast as they can, the server is SIGKILLed while requests are in flight,
and after a restart on the same data folder every ticket that got a 201 is there.
A clean SIGTERM stop keeps everything too.
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import threading
import time
import unittest

from firstline_harness import ServerTestCase

WRITERS = 16
WRITE_SECONDS = 3.0
CHECKERS = 8


class DurabilityTest(ServerTestCase):
    def setUp(self) -> None:
        super().setUp()
        if not self.server.alive():  # an earlier test may have left it stopped
            self.server.start()

    def _write_until_killed(self, token: str) -> tuple[list[tuple[int, int, str]], int]:
        """Runs the writers, SIGKILLs the server mid-flight; returns (acknowledged, errors)."""
        port = self.server.port
        acked: list[tuple[int, int, str]] = []  # (id, number, subject)
        lock = threading.Lock()
        started = threading.Barrier(WRITERS + 1)
        stop = threading.Event()
        failures: list[str] = []
        errors = [0]

        def writer(n: int) -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                       "Accept": "application/json"}
            started.wait()
            i = 0
            try:
                while not stop.is_set():
                    i += 1
                    subject = f"durability w{n} #{i} pid{os.getpid()}"
                    body = json.dumps({"subject": subject, "description": "kill -9 test",
                                       "impact": 1 + i % 3, "urgency": 1 + n % 3})
                    try:
                        conn.request("POST", "/api/v1/tickets", body=body, headers=headers)
                        resp = conn.getresponse()
                        data = resp.read()
                    except (OSError, http.client.HTTPException):
                        # The server is gone (or the connection broke): not acknowledged.
                        with lock:
                            errors[0] += 1
                        return
                    if resp.status != 201:
                        if not stop.is_set():
                            with lock:
                                failures.append(f"{resp.status} {data[:300]!r}")
                        return
                    t = json.loads(data)
                    with lock:
                        acked.append((t["id"], t["number"], subject))
            finally:
                conn.close()

        threads = [threading.Thread(target=writer, args=(n,), name=f"writer-{n}", daemon=True)
                   for n in range(WRITERS)]
        for t in threads:
            t.start()
        started.wait()
        time.sleep(WRITE_SECONDS)
        with lock:
            before_kill = len(acked)
        # Kill while the writers are still sending: some requests are in flight right now.
        self.server.kill()
        stop.set()
        for t in threads:
            t.join(60)
            self.assertFalse(t.is_alive(), "a writer hung after the kill")
        self.assertFalse(failures, f"creation failed before the kill: {failures[:5]}")
        self.assertGreater(before_kill, 0, "no ticket was acknowledged before the kill")
        return acked, errors[0]

    def _check_all_present(self, acked: list[tuple[int, int, str]], token: str) -> list[str]:
        """GET every acknowledged ticket with a few keep-alive connections; the problems."""
        port = self.server.port
        work: queue.Queue[tuple[int, int, str]] = queue.Queue()
        for item in acked:
            work.put(item)
        missing: list[str] = []
        lock = threading.Lock()

        def checker() -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
            try:
                while True:
                    try:
                        tid, number, subject = work.get_nowait()
                    except queue.Empty:
                        return
                    try:
                        conn.request("GET", f"/api/v1/tickets/{tid}", headers=headers)
                        resp = conn.getresponse()
                        data = resp.read()
                    except (OSError, http.client.HTTPException) as e:
                        with lock:
                            missing.append(f"ticket {tid}: request failed: {e!r}")
                        return
                    problem = None
                    if resp.status != 200:
                        problem = f"ticket {tid} (#{number}): {resp.status} {data[:200]!r}"
                    else:
                        t = json.loads(data)
                        if (t.get("number"), t.get("subject")) != (number, subject):
                            problem = (f"ticket {tid}: got #{t.get('number')} {t.get('subject')!r},"
                                       f" acknowledged #{number} {subject!r}")
                    if problem:
                        with lock:
                            missing.append(problem)
            finally:
                conn.close()

        threads = [threading.Thread(target=checker, daemon=True) for _ in range(CHECKERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
            self.assertFalse(t.is_alive(), "a checker hung")
        if not work.empty():
            missing.append(f"{work.qsize()} tickets left unchecked")
        return missing

    def test_acknowledged_tickets_survive_sigkill(self):
        token = self.server.token("supervisor")
        t0 = time.monotonic()
        acked, errors = self._write_until_killed(token)
        elapsed = time.monotonic() - t0
        print(f"\ndurability: {len(acked)} tickets acknowledged by {WRITERS} writers in "
              f"{elapsed:.1f}s ({len(acked) / elapsed:.0f}/s); {errors} requests cut off by "
              f"SIGKILL", flush=True)

        ids = [a[0] for a in acked]
        numbers = [a[1] for a in acked]
        self.assertEqual(len(set(ids)), len(ids), "an id was acknowledged twice")
        self.assertEqual(len(set(numbers)), len(numbers), "a number was acknowledged twice")

        self.server.start()
        token = self.server.token("supervisor")
        missing = self._check_all_present(acked, token)
        self.assertFalse(missing, f"{len(missing)} of {len(acked)} acknowledged tickets lost "
                                  f"after SIGKILL, e.g. {missing[:5]}")

        # The store keeps working after recovery: numbers continue above the old ones.
        r = self.server.request("POST", "/api/v1/tickets", {"subject": "after the crash"},
                                token=token)
        self.assertStatus(r, 201)
        if numbers:
            self.assertGreater(r.json["number"], max(numbers))

    def test_sigterm_stops_cleanly_and_keeps_data(self):
        token = self.server.token("supervisor")
        r = self.server.request("POST", "/api/v1/tickets", {"subject": "before SIGTERM"},
                                token=token)
        self.assertStatus(r, 201)
        ticket = r.json
        code = self.server.stop()
        self.assertEqual(code, 0, "SIGTERM is a clean stop:\n" + self.server.log_tail())
        self.server.start()
        r = self.server.request("GET", f"/api/v1/tickets/{ticket['id']}", as_user="supervisor")
        self.assertStatus(r, 200)
        self.assertEqual((r.json["number"], r.json["subject"]), (ticket["number"], "before SIGTERM"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
