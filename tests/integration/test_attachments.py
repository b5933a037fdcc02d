"""Attachments end to end against the real binary: upload first, then name the upload in an
entry (bound in the entry's commit); download under the entry's access rules with safe
headers; limits (413 on the upload route while other routes keep server.body_limit, 422 for
an empty file and for unknown, used or foreign upload ids); sniffing; file names with
umlauts; and an acknowledged upload surviving kill -9.
"""

from __future__ import annotations

import hashlib
import urllib.parse
import unittest
import uuid
from typing import Any

from firstline_harness import ServerTestCase, items

MAX_BYTES = 64 * 1024


def unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:8]}"


class AttachmentsTest(ServerTestCase):
    server_env = {"FIRSTLINE_ATTACHMENTS_MAX_BYTES": str(MAX_BYTES),
                  "FIRSTLINE_SERVER_BODY_LIMIT": "16384"}

    def setUp(self) -> None:
        super().setUp()
        if not self.server.alive():
            self.server.start()

    # --- helpers ----------------------------------------------------------------------

    def upload(self, as_user: str, filename: str, data: bytes,
               content_type: str = "application/octet-stream"):
        path = "/api/v1/uploads?filename=" + urllib.parse.quote(filename)
        return self.server.request("POST", path, raw=data, as_user=as_user,
                                   headers={"Content-Type": content_type})

    def uploaded(self, as_user: str, filename: str, data: bytes, **kw: Any) -> dict:
        r = self.assertStatus(self.upload(as_user, filename, data, **kw), 201)
        return r.json

    def download(self, as_user: str, attachment_id: int, **kw: Any):
        return self.server.request("GET", f"/api/v1/attachments/{attachment_id}",
                                   as_user=as_user, **kw)

    def new_ticket(self, as_user: str = "customer1", **fields: Any) -> dict:
        body = {"subject": unique("attachments"), "description": "see the file", **fields}
        r = self.server.request("POST", "/api/v1/tickets", body, as_user=as_user)
        return self.assertStatus(r, 201).json

    def entry(self, as_user: str, ticket_id: int, kind: str, body: str, ids: list[int]):
        return self.server.request("POST", f"/api/v1/tickets/{ticket_id}/entries",
                                   {"kind": kind, "body": body, "attachment_ids": ids},
                                   as_user=as_user)

    def escalate(self, as_user: str, ticket_id: int, line: int, team: int | None = None,
                 reason: str = "needs_expertise") -> None:
        body: dict[str, Any] = {"to_line": line, "reason": reason,
                                "handoff_note": "tried the usual"}
        if team is not None:
            body["to_team"] = team
        r = self.server.request("POST", f"/api/v1/tickets/{ticket_id}/escalations", body,
                                as_user=as_user)
        self.assertStatus(r, 201)

    def team_id(self, name: str) -> int:
        r = self.server.request("GET", "/api/v1/teams", as_user="admin")
        for t in items(r.json):
            if t["name"] == name:
                return t["id"]
        self.fail(f"no team {name!r}")

    # --- tests ------------------------------------------------------------------------

    def test_upload_then_reply_then_download(self):
        data = "Grüße aus Köln\n".encode()
        up = self.uploaded("customer1", "Prüfbericht Größe.txt", data, content_type="text/plain")
        self.assertEqual(up["filename"], "Prüfbericht Größe.txt")
        self.assertEqual(up["size"], len(data))
        self.assertEqual(up["sha256"], hashlib.sha256(data).hexdigest())
        self.assertEqual(up["content_type"], "text/plain; charset=utf-8")

        t = self.new_ticket()
        r = self.assertStatus(self.entry("customer1", t["id"], "reply", "log attached",
                                         [up["id"]]), 201)
        self.assertEqual([a["id"] for a in r.json["attachments"]], [up["id"]])
        self.assertEqual(set(r.json["attachments"][0]),
                         {"id", "filename", "size", "content_type"})
        listed = items(self.server.request("GET", f"/api/v1/tickets/{t['id']}/entries",
                                           as_user="l1.agent").json)
        with_file = [e for e in listed if e.get("attachments")]
        self.assertEqual(len(with_file), 1)
        self.assertEqual(with_file[0]["attachments"][0]["filename"], "Prüfbericht Größe.txt")
        self.assertTrue(all("attachments" in e for e in listed if e["kind"] != "event"))

        got = self.assertStatus(self.download("l1.agent", up["id"]), 200)
        self.assertEqual(got.raw, data)
        self.assertEqual(got.headers["Content-Type"], "text/plain; charset=utf-8")
        self.assertEqual(got.headers["X-Content-Type-Options"], "nosniff")
        self.assertEqual(got.headers["Content-Security-Policy"], "sandbox")
        disposition = got.headers["Content-Disposition"]
        self.assertTrue(disposition.startswith("attachment;"), disposition)
        self.assertIn("filename*=UTF-8''Pr%C3%BCfbericht%20Gr%C3%B6%C3%9Fe.txt", disposition)
        etag = got.headers["ETag"]
        self.assertEqual(etag, f'"{up["sha256"]}"')
        again = self.download("l1.agent", up["id"], headers={"If-None-Match": etag})
        self.assertEqual(again.status, 304)
        self.assertEqual(again.raw, b"")
        listed_tags = self.download("l1.agent", up["id"],
                                    headers={"If-None-Match": f'"other", W/{etag}'})
        self.assertEqual(listed_tags.status, 304)
        stale = self.download("l1.agent", up["id"], headers={"If-None-Match": '"other"'})
        self.assertEqual(stale.status, 200)

    def test_a_new_ticket_takes_attachment_ids(self):
        up = self.uploaded("customer1", "screen.png",
                           b"\x89PNG\r\n\x1a\n" + bytes(range(32)))
        self.assertEqual(up["content_type"], "image/png")
        t = self.new_ticket(attachment_ids=[up["id"]])
        entries = items(self.server.request("GET", f"/api/v1/tickets/{t['id']}/entries",
                                            as_user="customer1").json)
        files = [a for e in entries for a in e.get("attachments", [])]
        self.assertEqual([a["id"] for a in files], [up["id"]])
        got = self.assertStatus(self.download("customer1", up["id"]), 200)
        self.assertTrue(got.headers["Content-Disposition"].startswith("inline;"))

    def test_html_claimed_as_png_is_not_served_as_html(self):
        html = b"<html><body><script>alert(document.cookie)</script></body></html>"
        up = self.uploaded("customer1", "cat.png", html, content_type="image/png")
        self.assertEqual(up["content_type"], "text/plain; charset=utf-8")
        svg = self.uploaded("customer1", "x.svg", b"<svg onload='alert(1)'/>",
                            content_type="image/svg+xml")
        self.assertNotIn("svg", svg["content_type"])
        got = self.assertStatus(self.download("customer1", up["id"]), 200)
        self.assertNotIn("html", got.headers["Content-Type"])
        self.assertTrue(got.headers["Content-Disposition"].startswith("attachment;"))

    def test_who_may_download(self):
        t = self.new_ticket()
        public = self.uploaded("l1.agent", "answer.txt", b"public answer")
        internal = self.uploaded("l1.agent", "internal.txt", b"internal only")
        self.assertStatus(self.entry("l1.agent", t["id"], "reply", "answer", [public["id"]]), 201)
        self.assertStatus(self.entry("l1.agent", t["id"], "note", "note", [internal["id"]]), 201)

        self.assertStatus(self.download("customer1", public["id"]), 200)
        self.assertProblem(self.download("customer1", internal["id"]), 404)
        self.assertProblem(self.download("customer2", public["id"]), 404)
        self.assertProblem(self.download("vendor.agent", public["id"]), 404)
        self.assertStatus(self.download("supervisor", internal["id"]), 200)
        customer_view = self.server.request("GET", f"/api/v1/tickets/{t['id']}/entries",
                                            as_user="customer1").text
        self.assertNotIn("internal.txt", customer_view)

        self.escalate("l1.agent", t["id"], 2)
        self.escalate("l2.agent", t["id"], 4, self.team_id("Vendor Support"), "vendor_required")
        self.assertStatus(self.download("vendor.agent", public["id"]), 200)
        self.assertProblem(self.download("vendor.agent", internal["id"]), 404)

        # An upload not used yet: its uploader only.
        pending = self.uploaded("customer1", "draft.txt", b"draft")
        self.assertStatus(self.download("customer1", pending["id"]), 200)
        self.assertProblem(self.download("l1.agent", pending["id"]), 404)
        self.assertProblem(self.server.request("GET", f"/api/v1/attachments/{pending['id']}"),
                           401)

    def test_limits(self):
        # The upload route takes up to attachments.max_bytes ...
        self.uploaded("customer1", "big.bin", b"\0" * (MAX_BYTES - 1))
        self.assertProblem(self.upload("customer1", "huge.bin", b"\0" * (MAX_BYTES + 1)), 413)
        # ... while every other route keeps server.body_limit.
        big_json = {"subject": "x", "description": "y" * 20000}
        self.assertProblem(self.server.request("POST", "/api/v1/tickets", big_json,
                                               as_user="customer1"), 413)
        self.assertProblem(self.upload("customer1", "empty.txt", b""), 422, field="file")
        self.assertProblem(self.server.request("POST", "/api/v1/uploads", raw=b"x",
                                               as_user="customer1"), 422, field="filename")

        t = self.new_ticket()
        mine = self.uploaded("customer1", "mine.txt", b"mine")
        theirs = self.uploaded("customer2", "theirs.txt", b"theirs")
        for bad in (theirs["id"], 987654321):
            body = self.assertProblem(self.entry("customer1", t["id"], "reply", "x",
                                                 [mine["id"], bad]), 422, field="attachment_ids")
            self.assertIn(str(bad), body["detail"])
        self.assertStatus(self.entry("customer1", t["id"], "reply", "x", [mine["id"]]), 201)
        used = self.assertProblem(self.entry("customer1", t["id"], "reply", "again",
                                             [mine["id"]]), 422, field="attachment_ids")
        self.assertIn(str(mine["id"]), used["detail"])
        # Nothing of the refused entries was written.
        texts = [e["body"] for e in items(self.server.request(
            "GET", f"/api/v1/tickets/{t['id']}/entries", as_user="customer1").json)
            if e["kind"] == "reply"]
        self.assertEqual(texts, ["see the file", "x"])
        many = [self.uploaded("customer1", f"f{i}.txt", f"{i}".encode())["id"] for i in range(21)]
        self.assertProblem(self.entry("customer1", t["id"], "reply", "many", many), 422,
                           field="attachment_ids")
        self.assertProblem(self.server.request("POST", f"/api/v1/tickets/{t['id']}/entries",
                                               {"kind": "reply", "body": "x",
                                                "attachment_ids": ["a"]},
                                               as_user="customer1"), 422, field="attachment_ids")

    def test_an_acknowledged_upload_survives_kill_9(self):
        data = bytes(range(256)) * 50
        up = self.uploaded("customer1", "durable.bin", data)
        self.server.restart(hard=True)
        got = self.assertStatus(self.download("customer1", up["id"]), 200)
        self.assertEqual(got.raw, data)
        self.assertEqual(got.headers["Content-Type"], "application/octet-stream")


if __name__ == "__main__":
    unittest.main(verbosity=2)
