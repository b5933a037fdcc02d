"""The chatbot's flow catalog over HTTP on the demo data: the shipped flows are seeded; admins
edit, switch off and reset them, supervisors read them, agents and customers neither; a bad
document is refused with every problem by its path (422), a stale version is a 409; an edited
flow survives a restart; and a new flow is learnt by the chatbot while the server runs.

Run: FIRSTLINE_BIN=build/release/src/server/firstline /usr/bin/python3 tests/integration/test_bot_flows.py
"""

from __future__ import annotations

import json
import time
import unittest

from firstline_harness import ServerTestCase, items

FLOWS = "/api/v1/bot/flows"
SHIPPED = {"password", "printer", "vpn", "email", "network", "slow_computer", "software_request"}


class BotFlowsApiTest(ServerTestCase):
    def flow(self, flow_id: str, as_user: str = "admin") -> dict:
        return self.assertStatus(self.server.request("GET", f"{FLOWS}/{flow_id}",
                                                     as_user=as_user), 200).json

    def test_the_shipped_flows_are_seeded_and_listed(self):
        listed = items(self.assertStatus(self.server.request("GET", FLOWS, as_user="supervisor"),
                                         200).json)
        by_id = {f["id"]: f for f in listed}
        self.assertTrue(SHIPPED <= set(by_id), by_id.keys())
        printer = by_id["printer"]
        self.assertEqual(printer["title"], {"de": "Drucker", "en": "Printer"})
        self.assertEqual(printer["node_count"], 20)
        self.assertTrue(printer["shipped"])
        self.assertEqual(printer["problem"], "")
        self.assertTimestamp(printer["updated_at"])
        self.assertIsNone(by_id["network"]["updated_by"], "seeded, not edited by anyone")
        self.assertFalse(by_id["network"]["edited"])
        doc = json.loads(self.flow("vpn", as_user="supervisor")["document"])
        self.assertEqual(doc["id"], "vpn")

    def test_the_role_matrix(self):
        self.assertProblem(self.server.request("GET", FLOWS), 401)
        for who in ("l1.agent", "customer1"):
            self.assertProblem(self.server.request("GET", FLOWS, as_user=who), 403)
            self.assertProblem(self.server.request("GET", f"{FLOWS}/printer", as_user=who), 403)
        printer = self.flow("printer", as_user="supervisor")
        for who in ("supervisor", "l1.agent", "customer1"):
            self.assertProblem(self.server.request(
                "PUT", f"{FLOWS}/printer", {"version": printer["version"], "active": False},
                as_user=who), 403)
            self.assertProblem(self.server.request(
                "POST", f"{FLOWS}/printer/reset", {"version": printer["version"]}, as_user=who), 403)
            self.assertProblem(self.server.request(
                "POST", FLOWS, {"document": printer["document"]}, as_user=who), 403)
        self.assertProblem(self.server.request("GET", f"{FLOWS}/nope", as_user="admin"), 404)

    def test_a_bad_document_is_refused_by_path_and_a_stale_version_conflicts(self):
        email = self.flow("email")
        doc = json.loads(email["document"])
        first = doc["start"]
        doc["start"] = "cabel"
        problem = self.assertProblem(self.server.request(
            "PUT", f"{FLOWS}/email", {"version": email["version"], "document": json.dumps(doc)},
            as_user="admin"), 422, field="start")
        self.assertIn("cabel", json.dumps(problem["errors"]))
        self.assertProblem(self.server.request(
            "PUT", f"{FLOWS}/email", {"version": email["version"], "document": "{\"id\": "},
            as_user="admin"), 422)
        self.assertEqual(self.flow("email")["version"], email["version"], "nothing stored")

        doc["start"] = first
        doc["title"]["de"] = "E-Mail und Kalender"
        saved = self.assertStatus(self.server.request(
            "PUT", f"{FLOWS}/email", {"version": email["version"], "document": json.dumps(doc)},
            as_user="admin"), 200).json
        self.assertEqual(saved["version"], email["version"] + 1)
        self.assertTrue(saved["edited"])
        self.assertProblem(self.server.request(
            "PUT", f"{FLOWS}/email", {"version": email["version"], "active": False},
            as_user="admin"), 409)

    def test_edit_switch_off_reset_and_a_restart_keeps_the_edit(self):
        printer = self.flow("printer")
        doc = json.loads(printer["document"])
        doc["title"]["de"] = "Drucker und Scanner"
        text = json.dumps(doc, ensure_ascii=False, indent=1)
        saved = self.assertStatus(self.server.request(
            "PUT", f"{FLOWS}/printer", {"version": printer["version"], "document": text},
            as_user="admin"), 200).json
        self.assertEqual(saved["document"], text, "kept as written")
        off = self.assertStatus(self.server.request(
            "PUT", f"{FLOWS}/printer", {"version": saved["version"], "active": False},
            as_user="admin"), 200).json
        self.assertFalse(off["active"])
        self.assertEqual(off["document"], text)

        self.server.stop()
        self.server.start()
        again = self.flow("printer")
        self.assertEqual(again["document"], text, "a restart does not bring the shipped one back")
        self.assertFalse(again["active"])

        reset = self.assertStatus(self.server.request(
            "POST", f"{FLOWS}/printer/reset", {"version": again["version"]}, as_user="admin"),
            200).json
        self.assertFalse(reset["edited"])
        self.assertEqual(json.loads(reset["document"])["title"]["de"], "Drucker")
        versions = items(self.assertStatus(self.server.request(
            "GET", f"{FLOWS}/printer/versions", as_user="supervisor"), 200).json)
        self.assertEqual([v["version"] for v in versions][:4],
                         [reset["version"], again["version"], saved["version"], printer["version"]])

    def test_create_a_flow(self):
        doc = json.loads(self.flow("password")["document"])
        doc["id"] = "badge"
        doc["title"] = {"de": "Ausweis", "en": "Badge"}
        made = self.assertStatus(self.server.request(
            "POST", FLOWS, {"document": json.dumps(doc), "active": False}, as_user="admin"),
            201).json
        self.assertEqual(made["id"], "badge")
        self.assertEqual(made["version"], 1)
        self.assertFalse(made["shipped"])
        self.assertProblem(self.server.request(
            "POST", FLOWS, {"document": json.dumps(doc)}, as_user="admin"), 409)
        self.assertProblem(self.server.request(
            "POST", f"{FLOWS}/badge/reset", {"version": 1}, as_user="admin"), 409)

    def test_a_preview_walks_an_unsaved_document(self):
        doc = json.loads(self.flow("vpn", as_user="supervisor")["document"])
        doc["nodes"][doc["start"]]["say"]["en"] = "Unsaved question?"
        first = self.assertStatus(self.server.request(
            "POST", f"{FLOWS}/preview", {"document": json.dumps(doc), "lang": "en"},
            as_user="supervisor"), 200).json
        self.assertEqual(first["messages"], ["Unsaved question?"])
        self.assertEqual(first["expecting"], "choice")
        self.assertEqual(first["outcome"], "running")
        self.assertIn("yes", [b["id"] for b in first["buttons"]])
        second = self.assertStatus(self.server.request(
            "POST", f"{FLOWS}/preview",
            {"document": json.dumps(doc), "lang": "en", "state": first["state"], "button": "yes"},
            as_user="supervisor"), 200).json
        self.assertEqual(second["expecting"], "slot")
        self.assertEqual(second["slot_kind"], "os")
        self.assertNotEqual(json.loads(self.flow("vpn")["document"])["nodes"][doc["start"]]["say"]["en"],
                            "Unsaved question?", "a preview stores nothing")
        doc["start"] = "cabel"
        self.assertProblem(self.server.request(
            "POST", f"{FLOWS}/preview", {"document": json.dumps(doc)}, as_user="supervisor"),
            422, field="start")
        self.assertProblem(self.server.request(
            "POST", f"{FLOWS}/preview", {"document": json.dumps(doc)}, as_user="l1.agent"), 403)

    def test_a_new_flow_is_learnt_by_the_chatbot_while_the_server_runs(self):
        doc = {
            "id": "parking",
            "title": {"de": "Schranke der Tiefgarage", "en": "Car park barrier"},
            "examples": {
                "de": ["Die Schranke der Tiefgarage öffnet nicht", "Tiefgaragenschranke geht nicht auf",
                       "Schranke Parkhaus klemmt", "komme nicht in die Tiefgarage, Schranke zu",
                       "Parkhausschranke reagiert nicht auf meinen Ausweis", "Schranke bleibt unten"],
                "en": ["the car park barrier does not open", "garage barrier won't lift",
                       "parking gate stuck", "can't get into the car park, the barrier stays down",
                       "car park gate ignores my badge", "barrier stays closed"]},
            "handoff": {"category": "Gebäude > Parken"},
            "start": "badge",
            "nodes": {
                "badge": {"type": "step", "unsolved": "human",
                          "say": {"de": "Halten Sie den Ausweis flach an den Leser.",
                                  "en": "Hold your badge flat against the reader."}},
                "human": {"type": "end", "outcome": "handoff",
                          "say": {"de": "Ich gebe das weiter.", "en": "I am passing this on."}}}}
        self.assertStatus(self.server.request(
            "POST", FLOWS, {"document": json.dumps(doc), "active": True}, as_user="admin"), 201)
        # Retrained on a thread of its own (about a second after the save); no restart.
        deadline = time.monotonic() + 30
        while True:
            hello = self.assertStatus(self.server.request(
                "POST", "/api/v1/bot/sessions", {"language": "de"}, as_user="customer1"), 201).json
            if "flow:parking" in [b["id"] for b in hello["buttons"]]:
                break
            self.assertLess(time.monotonic(), deadline, "the new flow was not learnt")
            time.sleep(1)
        reply = self.assertStatus(self.server.request(
            "POST", f"/api/v1/bot/sessions/{hello['id']}/messages",
            {"text": "Die Schranke der Tiefgarage öffnet nicht"}, as_user="customer1"), 200).json
        said = " ".join(m["text"] for m in reply["messages"])
        self.assertTrue("an den Leser" in said or "against the reader" in said, said)
        self.assertEqual(reply["expecting"], "yes_no")

    def test_openapi_documents_the_routes(self):
        spec = self.server.request("GET", "/api/v1/openapi.yaml").text
        for path in (f"{FLOWS}:", f"{FLOWS}/{{id}}:", f"{FLOWS}/{{id}}/reset:", f"{FLOWS}/preview:"):
            self.assertIn(path, spec)


if __name__ == "__main__":
    unittest.main()
