"""Bad input never crashes the server: malformed JSON, wrong content types, oversized bodies,
garbage on a raw socket, unknown paths and methods; repeated failed logins are throttled.
After each test the server must still be alive and answering.
"""

from __future__ import annotations

import json
import select
import socket
import time
import unittest

from firstline_harness import ServerTestCase

MiB = 1024 * 1024


def read_http_status(sock: socket.socket, timeout: float = 10.0) -> int | None:
    """The status code of the first response on the socket, or None if the server closed
    (or reset) the connection without one."""
    sock.settimeout(timeout)
    data = b""
    try:
        while b"\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    except (ConnectionResetError, BrokenPipeError):
        pass
    except socket.timeout:
        raise AssertionError(f"no answer and no close within {timeout}s (got {data!r})")
    if not data:
        return None
    line = data.split(b"\r\n", 1)[0].decode(errors="replace")
    parts = line.split(" ")
    if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
        raise AssertionError(f"not an HTTP status line: {line!r}")
    return int(parts[1])


class RobustnessTest(ServerTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.token = self.server.token("l1.agent")

    def tearDown(self) -> None:
        # Whatever the test did, the server answers normally afterwards.
        if self.server.alive():
            status, _, body = self.server.request("GET", "/healthz")
            self.assertEqual((status, body), (200, {"status": "ok"}), "server unwell afterwards")
        super().tearDown()

    def raw(self, payload: bytes, content_type: str | None = "application/json",
            path: str = "/api/v1/tickets", method: str = "POST"):
        headers = {"Content-Type": content_type} if content_type else {}
        return self.server.request(method, path, raw=payload, token=self.token, headers=headers)

    def connect(self) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.server.port), timeout=10)

    # --- JSON and content types -------------------------------------------------------

    def test_malformed_json_is_400(self):
        for payload in (b'{"subject": ', b"{subject: 1}", b"[1, 2", b"{\"subject\": \"x\",}",
                        b"", b"\x00\x01\x02", b'{"subject": "a"} trailing'):
            with self.subTest(payload=payload):
                self.assertProblem(self.raw(payload), 400)
        r = self.server.request("POST", "/api/v1/sessions", raw=b'{"login": "admin", "pass',
                                headers={"Content-Type": "application/json"})
        self.assertProblem(r, 400)

    def test_wellformed_json_of_the_wrong_shape(self):
        for payload in (b"[]", b"null", b"42", b'"subject"', b'{"subject": 5}',
                        b'{"subject": ["a"]}', b'{"subject": "x", "impact": "high"}',
                        b'{"subject": "\xff\xfe"}'):
            with self.subTest(payload=payload):
                self.assertProblem(self.raw(payload), 400, 422)

    def test_wrong_content_type(self):
        body = json.dumps({"subject": "wrong content type"}).encode()
        for ctype in ("text/plain", "application/x-www-form-urlencoded", "application/xml",
                      "multipart/form-data; boundary=x"):
            with self.subTest(content_type=ctype):
                self.assertProblem(self.raw(body, ctype), 400, 415)
        r = self.server.request("POST", "/api/v1/sessions",
                                raw=b"login=admin&password=x",
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertProblem(r, 400, 415)
        # A charset parameter on JSON is fine.
        r = self.raw(body, "application/json; charset=utf-8")
        self.assertStatus(r, 201)

    # --- body limits ------------------------------------------------------------------

    def _send_big(self, size: int, chunked: bool = False) -> int | None:
        """POST a body of `size` bytes on a raw socket; the status, or None if closed.
        Sends the head first and gives the server a moment to refuse early, so an early
        413 is read before a reset could discard it."""
        sock = self.connect()
        try:
            head = (f"POST /api/v1/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    f"Authorization: Bearer {self.token}\r\nContent-Type: application/json\r\n")
            head += ("Transfer-Encoding: chunked\r\n" if chunked else f"Content-Length: {size}\r\n")
            sock.sendall((head + "\r\n").encode())
            ready, _, _ = select.select([sock], [], [], 0.5)
            if ready:
                return read_http_status(sock)
            filler = b'{"subject": "big", "description": "' + b"x" * (size - 40) + b'"}'
            filler = filler.ljust(size, b" ")[:size]
            try:
                if chunked:
                    step = 64 * 1024
                    for i in range(0, len(filler), step):
                        part = filler[i:i + step]
                        sock.sendall(f"{len(part):x}\r\n".encode() + part + b"\r\n")
                    sock.sendall(b"0\r\n\r\n")
                else:
                    sock.sendall(filler)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return read_http_status(sock)
        finally:
            sock.close()

    def test_body_over_one_mib_is_413(self):
        self.assertEqual(self._send_big(MiB + 1), 413)
        self.assertEqual(self._send_big(4 * MiB), 413)
        self.assertIn(self._send_big(2 * MiB, chunked=True), (413, None))
        # Through http.client as well, with a problem body.
        body = b'{"subject": "' + b"y" * (MiB + 16) + b'"}'
        try:
            r = self.raw(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused before the body was read: also acceptable
        else:
            self.assertProblem(r, 413)

    def test_body_under_one_mib_is_not_refused_for_size(self):
        r = self.raw(b'{"subject": "almost big", "description": "' + b"z" * 900_000 + b'"}')
        self.assertNotEqual(r.status, 413, repr(r))
        self.assertLess(r.status, 500, repr(r))

    # --- raw socket garbage -----------------------------------------------------------

    def test_garbage_on_a_raw_socket(self):
        garbage = [
            b"\x00\x01\x02\x03 garbage \xff\xfe\r\n\r\n",
            b"HELLO WORLD\r\n\r\n",
            b"GET\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost 127.0.0.1\r\nthis is not a header\r\n\r\n",
            b"POST /api/v1/tickets HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
            b"POST /api/v1/tickets HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
            b"POST /api/v1/tickets HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"zz\r\nnot hex\r\n0\r\n\r\n",
            b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 200_000 + b"\r\n\r\n",
        ]
        for payload in garbage:
            with self.subTest(payload=payload[:60]):
                sock = self.connect()
                try:
                    try:
                        sock.sendall(payload)
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    status = read_http_status(sock)
                finally:
                    sock.close()
                if status is not None:
                    self.assertTrue(400 <= status < 500, f"status {status} for garbage")
                self.assertTrue(self.server.alive(), self.server.log_tail())
        # A TLS client hello has no line ends at all; after it the client stops sending.
        sock = self.connect()
        try:
            sock.sendall(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64)
            sock.shutdown(socket.SHUT_WR)
            self.assertIn(read_http_status(sock), (400, None))
        finally:
            sock.close()

    def test_half_request_then_close(self):
        for payload in (b"GET /healthz HTTP/1.1\r\nHo",
                        b"POST /api/v1/tickets HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"):
            sock = self.connect()
            sock.sendall(payload)
            sock.close()
        time.sleep(0.1)
        self.assertTrue(self.server.alive())

    def test_keep_alive_survives_an_error_response(self):
        conn = self.server.connection()
        try:
            r = self.server.request("GET", "/api/v1/nope", token=self.token, conn=conn)
            self.assertProblem(r, 404)
            r = self.server.request("POST", "/api/v1/tickets", raw=b"{", token=self.token,
                                    headers={"Content-Type": "application/json"}, conn=conn)
            self.assertProblem(r, 400)
            r = self.server.request("GET", "/healthz", conn=conn)
            self.assertStatus(r, 200)
        finally:
            conn.close()

    # --- routing ----------------------------------------------------------------------

    def test_unknown_path_is_404(self):
        # Under /api/ only: other paths may later fall through to the web app's files.
        for path in ("/api/v1/nope", "/api/nope", "/api/v2/tickets", "/api/v1/tickets/1/nope/2",
                     "/api/v1/tickets/1/entries/2"):
            with self.subTest(path=path):
                self.assertProblem(self.server.request("GET", path, token=self.token), 404)

    def test_wrong_method_is_405(self):
        for method, path in (("DELETE", "/api/v1/tickets"), ("DELETE", "/api/v1/me"),
                             ("GET", "/api/v1/sessions"), ("POST", "/healthz"),
                             ("DELETE", "/api/v1/teams")):
            with self.subTest(method=method, path=path):
                r = self.server.request(method, path, token=self.token)
                self.assertProblem(r, 405)
                allow = r.headers.get("Allow")
                if allow is not None:
                    self.assertNotIn(method, [m.strip() for m in allow.split(",")])

    def test_bad_ids_and_query_parameters(self):
        for path in ("/api/v1/tickets/abc", "/api/v1/tickets/-1", "/api/v1/tickets/1e9",
                     "/api/v1/tickets/99999999999999999999999"):
            with self.subTest(path=path):
                self.assertProblem(self.server.request("GET", path, token=self.token), 400, 404)
        for query in ("limit=abc", "limit=-1", "line=nine", "status=bogus", "cursor=%00%ff!!",
                      "assignee=x", "team=", "limit=99999999999999999999"):
            with self.subTest(query=query):
                r = self.server.request("GET", f"/api/v1/tickets?{query}", token=self.token)
                if r.status != 200:
                    self.assertProblem(r, 400, 422)


class LoginThrottleTest(ServerTestCase):
    """Its own server: the throttle state would disturb the other tests."""

    def test_repeated_failures_for_one_login_are_throttled(self):
        statuses = []
        for _ in range(12):
            r = self.server.login("customer1", "not-the-password")
            statuses.append(r.status)
            if r.status == 429:
                break
            self.assertProblem(r, 401)
        self.assertEqual(statuses[-1], 429, f"no 429 after {len(statuses)} failures: {statuses}")
        self.assertGreaterEqual(len(statuses), 3, "throttled too early")
        self.assertProblem(r, 429)
        retry_after = r.headers.get("Retry-After")
        self.assertIsNotNone(retry_after, "429 carries Retry-After")
        self.assertTrue(retry_after.strip().isdigit() and int(retry_after) >= 1, retry_after)


class AddressThrottleTest(ServerTestCase):
    """Failures spread over many logins from one address are throttled too. The allowance
    per address may be larger than per login (many users can share one NAT address), so
    this only asks for a 429 within 40 failures, each for a different login."""

    def test_repeated_failures_from_one_address_are_throttled(self):
        statuses = []
        for i in range(40):
            r = self.server.login(f"nobody.{i}", "not-the-password")
            statuses.append(r.status)
            if r.status == 429:
                break
            self.assertProblem(r, 401)
        self.assertEqual(statuses[-1], 429, f"no 429 after {len(statuses)} failures: {statuses}")
        self.assertIsNotNone(r.headers.get("Retry-After"))
        # The address is blocked for every login now, the right password included.
        self.assertProblem(self.server.login("customer1"), 429)


if __name__ == "__main__":
    unittest.main(verbosity=2)
