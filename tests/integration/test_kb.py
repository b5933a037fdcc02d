"""The knowledge base over HTTP: writing, publishing, reading as a guest, sanitised HTML,
versions and restore, votes, and a resolved ticket turned into a draft.

Run: FIRSTLINE_BIN=build/release/src/server/firstline /usr/bin/python3 tests/integration/test_kb.py
"""

from __future__ import annotations

import unittest

import time

from firstline_harness import ServerTestCase, items


class KnowledgeBaseApiTest(ServerTestCase):
    def create(self, as_user: str, **fields):
        body = {"title": "Drucker druckt leere Seiten", "body": "Toner **prüfen**.", "language": "de",
                "kind": "troubleshooting", "keywords": ["Drucker", "printer"]}
        body.update(fields)
        return self.server.request("POST", "/api/v1/kb/articles", body, as_user=as_user)

    def test_revisions_of_published_articles(self):
        a = self.assertStatus(self.create("supervisor", title="Scanner", status="published"), 201).json
        path = f"/api/v1/kb/articles/{a['id']}"
        self.assertProblem(self.server.request("PATCH", path, {"version": 1, "body": "x"},
                                               as_user="l1.agent"), 403)
        rev = self.assertStatus(self.server.request("PUT", path + "/revision",
                                                    {"version": 1, "body": "Glas **reinigen**."},
                                                    as_user="l1.agent"), 201)
        self.assertEqual(rev.headers.get("Location"), path + "/revision")
        self.assertEqual((rev.json["article_id"], rev.json["based_on_version"]), (a["id"], 1))
        self.assertIn("<strong>reinigen</strong>", rev.json["body_html"])
        self.assertEqual(self.server.request("GET", path).json["body"], "Toner **prüfen**.")
        self.assertStatus(self.server.request("GET", path + "/revision", as_user="customer1"), 404)
        self.assertProblem(self.server.request("POST", path + "/revision/publish", {"version": 1},
                                               as_user="l2.agent"), 403)
        self.assertProblem(self.server.request("PUT", path + "/revision",
                                               {"version": 1, "status": "archived"},
                                               as_user="l1.agent"), 422, field="status")
        done = self.assertStatus(self.server.request("POST", path + "/revision/publish", {"version": 1},
                                                     as_user="supervisor"), 200).json
        self.assertEqual((done["version"], done["body"]), (2, "Glas **reinigen**."))
        self.assertEqual(self.server.request("GET", path).json["body"], "Glas **reinigen**.")
        self.assertStatus(self.server.request("GET", path + "/revision", as_user="l1.agent"), 404)
        self.assertStatus(self.server.request("PUT", path + "/revision", {"version": 2, "title": "S"},
                                              as_user="l1.agent"), 201)
        self.assertStatus(self.server.request("DELETE", path + "/revision", as_user="l1.agent"), 204)

    def test_draft_publish_and_guest_reading(self):
        draft = self.assertStatus(self.create("l1.agent"), 201).json
        self.assertEqual(draft["status"], "draft")
        self.assertEqual(draft["version"], 1)
        self.assertIn("<strong>prüfen</strong>", draft["body_html"])
        path = f"/api/v1/kb/articles/{draft['id']}"
        # Drafts stay hidden from customers and guests.
        self.assertStatus(self.server.request("GET", path, as_user="customer1"), 404)
        self.assertStatus(self.server.request("GET", path), 404)
        # Agents may not publish; supervisors may.
        self.assertProblem(self.server.request("PATCH", path, {"version": 1, "status": "published"},
                                               as_user="l1.agent"), 403)
        published = self.assertStatus(self.server.request(
            "PATCH", path, {"version": 1, "status": "published"}, as_user="supervisor"), 200).json
        self.assertEqual(published["version"], 2)
        guest = self.assertStatus(self.server.request("GET", path), 200).json
        self.assertEqual(guest["title"], "Drucker druckt leere Seiten")
        self.assertEqual(guest["views"], 1)
        listed = [a["id"] for a in items(self.server.request("GET", "/api/v1/kb/articles").json)]
        self.assertIn(draft["id"], listed)
        # The language filter by either name, as search takes it.
        for param in ("lang", "language"):
            german = items(self.server.request("GET", f"/api/v1/kb/articles?{param}=de").json)
            self.assertIn(draft["id"], [a["id"] for a in german], param)
            self.assertTrue(all(a["language"] == "de" for a in german), param)
            self.assertProblem(self.server.request("GET", f"/api/v1/kb/articles?{param}=fr"), 422,
                               field=param)
        # A stale edit is a conflict.
        self.assertProblem(self.server.request("PATCH", path, {"version": 1, "title": "x"},
                                               as_user="l1.agent"), 409)
        # A bad token is still refused, even where guests may read.
        self.assertStatus(self.server.request("GET", path, token="nope"), 401)

    def test_internal_articles_are_for_agents(self):
        a = self.assertStatus(self.create("supervisor", audience="internal", status="published"), 201).json
        path = f"/api/v1/kb/articles/{a['id']}"
        self.assertStatus(self.server.request("GET", path, as_user="l2.agent"), 200)
        for who in ("customer1", "vendor.agent"):
            self.assertStatus(self.server.request("GET", path, as_user=who), 404)
        self.assertStatus(self.server.request("GET", path), 404)

    def test_markdown_is_sanitised(self):
        body = ("<script>alert(1)</script>\n\n[click](javascript:alert(1))\n\n"
                "<img src=x onerror=alert(1)>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
        a = self.assertStatus(self.create("supervisor", body=body, status="published"), 201).json
        html = a["body_html"].lower()
        self.assertNotIn("<script", html)
        self.assertNotIn("javascript:", html)
        self.assertNotIn("onerror", html)
        self.assertIn("<table>", html)

    def test_versions_restore_and_votes(self):
        a = self.assertStatus(self.create("l1.agent", title="v1"), 201).json
        path = f"/api/v1/kb/articles/{a['id']}"
        self.assertStatus(self.server.request("PATCH", path, {"version": 1, "title": "v2"},
                                              as_user="l1.agent"), 200)
        versions = items(self.assertStatus(self.server.request("GET", path + "/versions",
                                                               as_user="l1.agent"), 200).json)
        self.assertEqual([v["title"] for v in versions], ["v1", "v2"])
        self.assertStatus(self.server.request("GET", path + "/versions", as_user="customer1"), 404)
        restored = self.assertStatus(self.server.request("POST", path + "/restore", {"version": 1},
                                                         as_user="l2.agent"), 201).json
        self.assertEqual(restored["title"], "v1")
        self.assertEqual(restored["version"], 3)
        self.server.request("PATCH", path, {"version": 3, "status": "published"}, as_user="supervisor")
        # What readers see changes only through a supervisor.
        self.assertProblem(self.server.request("PATCH", path, {"version": 4, "title": "v5"},
                                               as_user="l1.agent"), 403)
        self.assertStatus(self.server.request("PATCH", path, {"version": 4, "title": "v1 fixed"},
                                              as_user="supervisor"), 200)
        for _ in range(2):  # one vote per person
            self.assertStatus(self.server.request("POST", path + "/votes", {"helpful": True},
                                                  as_user="customer1"), 204)
            self.assertStatus(self.server.request("POST", path + "/votes",
                                                  {"helpful": False, "voter": "guest-browser-1"}), 204)
        self.assertProblem(self.server.request("POST", path + "/votes", {"helpful": False}), 422,
                           field="voter")
        self.assertProblem(self.server.request("POST", path + "/votes", {}, as_user="customer1"), 422,
                           field="helpful")
        now = self.server.request("GET", path, as_user="l1.agent").json
        self.assertEqual((now["helpful"], now["not_helpful"]), (1, 1))
        self.assertStatus(self.server.request("POST", path + "/votes", {"helpful": False},
                                              as_user="customer1"), 204)  # a changed mind
        now = self.server.request("GET", path, as_user="l1.agent").json
        self.assertEqual((now["helpful"], now["not_helpful"]), (0, 2))

    def test_validation_and_categories(self):
        self.assertProblem(self.create("l1.agent", title=" ", language="fr"), 422, field="title")
        self.assertProblem(self.server.request("POST", "/api/v1/kb/categories", {"name": "Hardware"},
                                               as_user="l1.agent"), 403)
        hw = self.assertStatus(self.server.request("POST", "/api/v1/kb/categories", {"name": "Hardware"},
                                                   as_user="supervisor"), 201).json
        sub = self.assertStatus(self.server.request("POST", "/api/v1/kb/categories",
                                                    {"name": "Drucker", "parent_id": hw["id"]},
                                                    as_user="supervisor"), 201).json
        self.assertEqual(sub["parent_id"], hw["id"])
        names = [c["name"] for c in items(self.server.request("GET", "/api/v1/kb/categories").json)]
        self.assertIn("Drucker", names)
        self.assertProblem(self.server.request("GET", "/api/v1/kb/categories", token="fl_not-a-token"), 401)

        # Renamed and moved; never under itself; sibling names stay unique.
        path = f"/api/v1/kb/categories/{sub['id']}"
        self.assertProblem(self.server.request("PUT", path, {"name": "Printers"}, as_user="l1.agent"), 403)
        moved = self.assertStatus(self.server.request("PUT", path, {"name": "Printers", "parent_id": None},
                                                      as_user="supervisor"), 200).json
        self.assertEqual((moved["name"], moved["parent_id"]), ("Printers", None))
        self.assertProblem(self.server.request("PUT", f"/api/v1/kb/categories/{hw['id']}",
                                               {"parent_id": hw["id"]}, as_user="supervisor"),
                           422, field="parent_id")
        self.assertProblem(self.server.request("PUT", path, {"name": "Hardware"}, as_user="supervisor"), 409)
        self.assertProblem(self.server.request("PUT", "/api/v1/kb/categories/99999", {"name": "x"},
                                               as_user="supervisor"), 404)

    def test_resolved_ticket_becomes_a_draft(self):
        t = self.assertStatus(self.server.request(
            "POST", "/api/v1/tickets", {"subject": "Outlook hängt beim Start",
                                        "description": "Outlook startet nicht mehr."},
            as_user="customer1"), 201).json
        tpath = f"/api/v1/tickets/{t['id']}"
        self.assertProblem(self.server.request("POST", tpath + "/article-draft", as_user="l1.agent"), 409)
        self.server.request("POST", tpath + "/entries", {"kind": "reply", "body": "Profil neu angelegt."},
                            as_user="l1.agent")
        self.assertStatus(self.server.request("PATCH", tpath, {"status": "resolved"}, as_user="l1.agent"), 200)
        draft = self.assertStatus(self.server.request("POST", tpath + "/article-draft",
                                                      as_user="l1.agent"), 201).json
        self.assertEqual(draft["title"], "Outlook hängt beim Start")
        self.assertEqual(draft["audience"], "internal")
        self.assertIn("Profil neu angelegt.", draft["body"])
        linked = items(self.server.request("GET", tpath + "/articles", as_user="l1.agent").json)
        self.assertEqual([a["id"] for a in linked], [draft["id"]])
        self.assertProblem(self.server.request("POST", tpath + "/articles", {"article_id": draft["id"]},
                                               as_user="customer1"), 403)

    def wait_for(self, path: str, as_user: str | None, want, timeout: float = 1.0):
        """Polls `path` until want(items) holds; the index follows the store within a second."""
        deadline = time.monotonic() + timeout
        while True:
            reply = self.server.request("GET", path, as_user=as_user)
            self.assertEqual(reply.status, 200, reply.text)
            found = items(reply.json)
            if want(found) or time.monotonic() > deadline:
                return found
            time.sleep(0.05)

    def test_search_finds_a_change_within_a_second(self):
        a = self.assertStatus(self.create("supervisor", title="Fernzugriff einrichten",
                                          body="Den **VPN**-Client installieren.", status="published",
                                          keywords=["VPN"]), 201).json
        found = self.wait_for("/api/v1/kb/search?q=fernzugriff", None,
                              lambda hits: any(h["id"] == a["id"] for h in hits))
        self.assertIn(a["id"], [h["id"] for h in found])
        hit = next(h for h in found if h["id"] == a["id"])
        self.assertIn("<mark>", hit["snippet"] + "<mark>")  # snippets are HTML with marks
        suggestions = self.wait_for("/api/v1/kb/suggest?q=fernz", "customer1",
                                    lambda s: any(x["id"] == a["id"] for x in s))
        self.assertIn(a["id"], [x["id"] for x in suggestions])
        for param in ("lang", "language"):  # the same parameter by either name
            reply = self.server.request("GET", f"/api/v1/kb/search?q=fernzugriff&{param}=de")
            self.assertIn(a["id"], [h["id"] for h in items(self.assertStatus(reply, 200).json)])
            self.assertProblem(self.server.request("GET", f"/api/v1/kb/search?q=x&{param}=fr"), 422,
                               field=param)
        # Internal articles stay out of customers' results.
        hidden = self.assertStatus(self.create("supervisor", title="Fernzugriff Gateway intern",
                                               audience="internal", status="published"), 201).json
        staff = self.wait_for("/api/v1/kb/search?q=fernzugriff", "l1.agent",
                              lambda hits: any(h["id"] == hidden["id"] for h in hits))
        self.assertIn(hidden["id"], [h["id"] for h in staff])
        guest = items(self.server.request("GET", "/api/v1/kb/search?q=fernzugriff").json)
        self.assertNotIn(hidden["id"], [h["id"] for h in guest])
        self.assertProblem(self.server.request("GET", "/api/v1/kb/search?q=x&lang=fr"), 422, field="lang")

    def test_ticket_search_respects_access(self):
        t = self.assertStatus(self.server.request(
            "POST", "/api/v1/tickets", {"subject": "Beamer im Raum 4 zeigt kein Bild"},
            as_user="customer1"), 201).json
        mine = self.wait_for("/api/v1/tickets/search?q=beamer", "customer1",
                             lambda hits: any(h["id"] == t["id"] for h in hits))
        self.assertIn(t["id"], [h["id"] for h in mine])
        self.assertNotIn(t["id"], [h["id"] for h in items(self.server.request(
            "GET", "/api/v1/tickets/search?q=beamer", as_user="customer2").json)])
        self.assertStatus(self.server.request("GET", "/api/v1/tickets/search?q=beamer"), 401)

    def test_deflection_flow_and_report(self):
        a = self.assertStatus(self.create("supervisor", title="Monitor bleibt schwarz",
                                          body="Kabel und Eingang pruefen.", status="published"), 201).json
        self.wait_for("/api/v1/kb/search?q=monitor", None, lambda hits: any(h["id"] == a["id"] for h in hits))
        offer = self.assertStatus(self.server.request(
            "POST", "/api/v1/tickets", {"subject": "Monitor bleibt schwarz", "suggest": True},
            as_user="customer2"), 200).json
        self.assertIn(a["id"], [x["id"] for x in offer["suggestions"]])
        session = offer["deflection_session"]
        self.assertStatus(self.server.request(
            "GET", f"/api/v1/kb/articles/{a['id']}?deflection_session={session}", as_user="customer2"), 200)
        # The user files the ticket anyway: not a deflection.
        self.assertStatus(self.server.request(
            "POST", "/api/v1/tickets", {"subject": "Monitor bleibt schwarz", "deflection_session": session},
            as_user="customer2"), 201)
        report = self.assertStatus(self.server.request(
            "GET", "/api/v1/reports/deflection?from=2000-01-01&to=2100-01-01", as_user="supervisor"), 200).json
        self.assertGreaterEqual(report["sessions"], 1)
        self.assertGreaterEqual(report["tickets_filed"], 1)
        row = next(r for r in report["articles"] if r["article_id"] == a["id"])
        self.assertEqual(row["opened"], 1)
        self.assertEqual(row["tickets_despite"], 1)
        self.assertStatus(self.server.request(
            "GET", "/api/v1/reports/deflection?from=2000-01-01&to=2100-01-01", as_user="l1.agent"), 403)
        self.assertProblem(self.server.request(
            "GET", "/api/v1/reports/deflection?from=yesterday", as_user="supervisor"), 422, field="from")


if __name__ == "__main__":
    unittest.main()
