"""Shared harness for Firstline's integration tests: the real binary, a temporary data
folder, port 0, no network beyond loopback.

A test module does:

    from firstline_harness import ServerTestCase

    class MyTest(ServerTestCase):
        def test_something(self):
            status, headers, body = self.server.request("GET", "/healthz")

`ServerTestCase` runs `firstline init --demo` and `firstline serve` once per class and
always kills the server at teardown. Standard library only; run with /usr/bin/python3.

Environment:
  FIRSTLINE_BIN       the executable (CTest sets it); otherwise build trees are searched.
  FIRSTLINE_TEST_LOG  1: print the server's log at teardown even when nothing failed.
  FIRSTLINE_KEEP_DATA 1: keep the temporary data folders.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from pathlib import Path
from typing import Any, Iterator

DEMO_PASSWORD = "demo-Passw0rd!"
DEMO_LOGINS = (
    "admin",
    "supervisor",
    "l1.agent",
    "partner.agent",
    "l2.agent",
    "l3.agent",
    "vendor.agent",
    "customer1",
    "customer2",
)
LISTENING = re.compile(r"firstline: listening on http://([0-9.]+):(\d+)")
RFC3339_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$")
START_TIMEOUT = 30.0
REQUEST_TIMEOUT = 30.0

_REPO = Path(__file__).resolve().parents[2]


def find_binary() -> str:
    """The firstline executable: $FIRSTLINE_BIN, else the usual build trees."""
    env = os.environ.get("FIRSTLINE_BIN")
    if env:
        return env
    for sub in ("build/debug", "build/release", "build"):
        candidate = _REPO / sub / "src" / "server" / "firstline"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise unittest.SkipTest("no firstline binary: set FIRSTLINE_BIN")


def server_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    # Hermetic configuration: no FIRSTLINE_* setting leaks in from the caller's shell.
    env = {k: v for k, v in os.environ.items() if not k.startswith("FIRSTLINE_")}
    # argon2id at minimum cost: a login costs microseconds instead of ~120 ms.
    env["FIRSTLINE_SECURITY_PASSWORD_COST"] = "min"
    if extra:
        env.update(extra)
    return env


class Reply:
    """An HTTP answer. Unpacks as (status, headers, json); `.text` is the raw body."""

    def __init__(self, status: int, headers: http.client.HTTPMessage, raw: bytes):
        self.status = status
        self.headers = headers
        self.raw = raw
        self.text = raw.decode("utf-8", errors="replace")
        self.json: Any = None
        ctype = headers.get("Content-Type", "") or ""
        if raw and "json" in ctype:
            try:
                self.json = json.loads(self.text)
            except ValueError:
                self.json = None

    def __iter__(self) -> Iterator[Any]:
        return iter((self.status, self.headers, self.json))

    @property
    def content_type(self) -> str:
        return (self.headers.get("Content-Type", "") or "").split(";")[0].strip().lower()

    def __repr__(self) -> str:
        body = self.text if len(self.text) < 600 else self.text[:600] + "..."
        return f"<Reply {self.status} {self.content_type} {body}>"


def request(
    port: int,
    method: str,
    path: str,
    body: Any = None,
    *,
    token: str | None = None,
    headers: dict[str, str] | None = None,
    raw: bytes | None = None,
    conn: http.client.HTTPConnection | None = None,
    timeout: float = REQUEST_TIMEOUT,
) -> Reply:
    """One request. `body` is sent as JSON; `raw` as is (with the headers given).
    With `conn` the keep-alive connection is reused, else a fresh one is opened."""
    hdrs = {"Accept": "application/json"}
    payload: bytes | None = None
    if raw is not None:
        payload = raw
    elif body is not None:
        payload = json.dumps(body).encode()
        hdrs["Content-Type"] = "application/json"
    if token:
        hdrs["Authorization"] = f"Bearer {token}"
    if headers:
        hdrs.update(headers)
    own = conn is None
    c = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request(method, path, body=payload, headers=hdrs)
        resp = c.getresponse()
        data = resp.read()
        return Reply(resp.status, resp.headers, data)
    finally:
        if own:
            c.close()


class Server:
    """One firstline server on a temporary data folder. Not thread-safe to start/stop;
    request() may be called from many threads."""

    def __init__(self, *, demo_password: str = DEMO_PASSWORD, env: dict[str, str] | None = None):
        self.binary = find_binary()
        self.demo_password = demo_password
        self.env = server_env(env)
        self.tmp = Path(tempfile.mkdtemp(prefix="firstline-it-"))
        self.data_dir = self.tmp / "data"
        self.log_path = self.tmp / "server.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.port: int | None = None
        self.stdout_lines: list[str] = []
        self.init_output = ""
        self._tokens: dict[str, str] = {}
        self._expected_exit = False
        self._log_file = None
        self._pump: threading.Thread | None = None

    # --- lifecycle -------------------------------------------------------------------

    def init(self) -> str:
        """`firstline init --data DIR --demo --demo-password PW`; returns its output."""
        cmd = [self.binary, "init", "--data", str(self.data_dir), "--demo",
               "--demo-password", self.demo_password]
        done = subprocess.run(cmd, cwd=self.tmp, env=self.env, capture_output=True, timeout=120)
        if done.returncode != 0:
            raise AssertionError(
                f"firstline init failed ({done.returncode}):\n"
                f"{done.stdout.decode(errors='replace')}\n{done.stderr.decode(errors='replace')}")
        # The logins may be printed on either stream; keep both.
        self.init_output = (done.stdout.decode(errors="replace") + "\n"
                            + done.stderr.decode(errors="replace"))
        return self.init_output

    def start(self) -> int:
        """`firstline serve --listen 127.0.0.1:0`; waits for the listening line."""
        assert self.proc is None or self.proc.poll() is not None, "already running"
        self._expected_exit = False
        self._tokens.clear()
        self.stdout_lines = []
        self._release_process()
        self._log_file = open(self.log_path, "ab")
        self._log_file.write(f"\n===== serve started {time.strftime('%H:%M:%S')} =====\n".encode())
        self._log_file.flush()
        cmd = [self.binary, "serve", "--data", str(self.data_dir), "--listen", "127.0.0.1:0"]
        self.proc = subprocess.Popen(cmd, cwd=self.tmp, env=self.env, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=self._log_file)
        found = threading.Event()
        port: list[int] = []
        proc = self.proc
        lines = self.stdout_lines

        def pump() -> None:
            # Keep draining stdout so the server never blocks on a full pipe.
            assert proc.stdout is not None
            for raw_line in proc.stdout:
                line = raw_line.decode(errors="replace").rstrip("\n")
                lines.append(line)
                m = LISTENING.search(line)
                if m and not found.is_set():
                    port.append(int(m.group(2)))
                    found.set()
            found.set()  # EOF: the process is gone

        self._pump = threading.Thread(target=pump, name="firstline-stdout", daemon=True)
        self._pump.start()
        if not found.wait(START_TIMEOUT) or not port:
            self._hard_kill()
            raise AssertionError(
                "firstline serve did not report its port within "
                f"{START_TIMEOUT:.0f}s (exit {self.proc.returncode});\nstdout:\n"
                + "\n".join(self.stdout_lines) + "\nlog:\n" + self.log_tail())
        self.port = port[0]
        return self.port

    def stop(self, timeout: float = 15.0) -> int:
        """SIGTERM, wait; SIGKILL if it does not stop in time. Returns the exit code."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else 0
        self._expected_exit = True
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self._hard_kill()
            raise AssertionError(f"firstline did not stop within {timeout:.0f}s of SIGTERM")

    def kill(self) -> None:
        """SIGKILL now (a crash as far as the server can tell)."""
        self._expected_exit = True
        self._hard_kill()

    def restart(self, *, hard: bool = False) -> int:
        if hard:
            self.kill()
        else:
            self.stop()
        return self.start()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def close(self) -> None:
        """Always kill the server; drop the data unless FIRSTLINE_KEEP_DATA=1."""
        crashed = (self.proc is not None and self.proc.poll() is not None
                   and not self._expected_exit)
        self._expected_exit = True
        self._hard_kill()
        if crashed or os.environ.get("FIRSTLINE_TEST_LOG") == "1":
            why = f"crashed, exit {self.proc.returncode}" if crashed else "FIRSTLINE_TEST_LOG=1"
            sys.stderr.write(f"\n--- firstline log ({why}) ---\n{self.log_tail(200)}\n")
        self._release_process()
        if os.environ.get("FIRSTLINE_KEEP_DATA") == "1":
            sys.stderr.write(f"firstline test data kept in {self.tmp}\n")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def _release_process(self) -> None:
        """Closes the stdout pipe and the log file of a server that has exited."""
        if self.proc is not None and self.proc.poll() is not None:
            if self._pump is not None:
                self._pump.join(5)  # it reaches EOF now that the process is gone
                if not self._pump.is_alive():
                    self._pump = None
            if self._pump is None and self.proc.stdout is not None:
                self.proc.stdout.close()
        if self._log_file is not None and (self.proc is None or self.proc.poll() is not None):
            self._log_file.close()
            self._log_file = None

    def _hard_kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                pass

    def log_tail(self, lines: int = 60) -> str:
        if self._log_file is not None:
            self._log_file.flush()
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    # --- HTTP ------------------------------------------------------------------------

    def request(self, method: str, path: str, body: Any = None, *, token: str | None = None,
                as_user: str | None = None, **kw: Any) -> Reply:
        assert self.port is not None, "server not started"
        if as_user is not None:
            token = self.token(as_user)
        return request(self.port, method, path, body, token=token, **kw)

    def connection(self, timeout: float = REQUEST_TIMEOUT) -> http.client.HTTPConnection:
        """A keep-alive connection for request(conn=...)."""
        assert self.port is not None
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def login(self, login: str, password: str | None = None) -> Reply:
        return self.request("POST", "/api/v1/sessions",
                            {"login": login, "password": password or self.demo_password})

    def token(self, login: str) -> str:
        """A cached session token for a demo login (logs in on first use)."""
        if login not in self._tokens:
            r = self.login(login)
            if r.status != 201 or not isinstance(r.json, dict) or "token" not in r.json:
                raise AssertionError(f"login {login!r} failed: {r!r}")
            self._tokens[login] = r.json["token"]
        return self._tokens[login]


def items(body: Any) -> list[Any]:
    """The list of a collection answer: {"items": [...]} (or a bare list)."""
    if isinstance(body, dict) and isinstance(body.get("items"), list):
        return body["items"]
    if isinstance(body, list):
        return body
    raise AssertionError(f"not a collection: {body!r}")


def ref_id(value: Any) -> Any:
    """A reference given either as an id or as an object {"id", ...}."""
    if isinstance(value, dict):
        return value.get("id")
    return value


class ServerTestCase(unittest.TestCase):
    """One initialised, serving firstline per test class; killed at class teardown.
    Each test checks that the server did not die under it."""

    server: Server
    server_env: dict[str, str] | None = None

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.server = Server(env=cls.server_env)
        cls.addClassCleanup(cls.server.close)
        cls.server.init()
        cls.server.start()

    def tearDown(self) -> None:
        if not self.server.alive() and not self.server._expected_exit:
            self.fail("the server died during this test:\n" + self.server.log_tail())
        super().tearDown()

    # --- assertions ------------------------------------------------------------------

    def assertStatus(self, reply: Reply, *expected: int) -> Reply:
        if reply.status not in expected:
            self.fail(f"expected status {' or '.join(map(str, expected))}, got {reply!r}")
        return reply

    def assertProblem(self, reply: Reply, *expected: int, field: str | None = None) -> dict:
        """A problem+json answer with one of the statuses; `field` among errors[].field."""
        self.assertStatus(reply, *expected)
        self.assertEqual(reply.content_type, "application/problem+json", repr(reply))
        body = reply.json
        self.assertIsInstance(body, dict, repr(reply))
        self.assertEqual(body.get("status"), reply.status, repr(reply))
        self.assertIsInstance(body.get("title"), str, repr(reply))
        if field is not None:
            fields = [e.get("field") for e in body.get("errors") or []]
            self.assertIn(field, fields, f"errors[].field should name {field!r}: {reply!r}")
        return body

    def assertTimestamp(self, value: Any, what: str = "timestamp") -> None:
        self.assertIsInstance(value, str, what)
        self.assertRegex(value, RFC3339_UTC, f"{what} is not RFC 3339 UTC")


if __name__ == "__main__":
    print("firstline_harness is a library; run the test_*.py modules", file=sys.stderr)
    sys.exit(2)
