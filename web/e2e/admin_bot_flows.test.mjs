// The chatbot's flows in the admin area, in a real browser: an admin (German UI) opens the
// printer flow, changes a step's German text and where "did not help" leads, renames a node (its
// targets follow), saves, and finds it all stored and shown again; an edit the server refuses
// (an empty text, a start node that does not exist in the JSON view) shows the server's message
// at its path and keeps the edits.
// A supervisor reads the flows without being offered changes and walks one in the preview.
// axe-core on the list, the editor and the preview.
import assert from "node:assert/strict";
import { test } from "node:test";
import { apiGet, apiToken, noSeriousViolations, signedIn, signedInEnglish, withServerAndBrowser } from "./harness.mjs";

const e2e = withServerAndBrowser();

async function openFlows(page, adminNav, section) {
  await page.getByRole("navigation", { name: "main" }).getByRole("link", { name: adminNav }).click();
  await page.getByRole("navigation", { name: adminNav }).getByRole("link", { name: section }).click();
  await page.getByRole("heading", { level: 1, name: section }).waitFor();
  await page.locator("table").first().waitFor();
}

test("an admin edits a step of the printer flow in German; refused edits show the server's message", async () => {
  const { context, page } = await signedIn(e2e.browser, e2e.url, "admin", "en");
  await page.waitForURL(/\/console/);
  await page.locator("header").getByLabel("Language").selectOption("de");
  await openFlows(page, "Verwaltung", "Chatbot-Abläufe");
  await page.getByRole("cell", { name: "printer" }).waitFor();
  await noSeriousViolations(page, "the chatbot flows list");

  await page.getByRole("button", { name: "Drucker bearbeiten" }).click();
  const editor = page.getByRole("region", { name: "Ablauf Drucker bearbeiten" });
  const toner = editor.getByRole("group", { name: "Knoten toner" });
  await toner.getByLabel("Text (Deutsch)").waitFor();
  await noSeriousViolations(page, "the flow editor (German)");

  const text = "Setzen Sie eine neue Tonerkartusche ein und drucken Sie eine Testseite.";
  await toner.getByLabel("Text (Deutsch)").fill(text);
  await toner.getByLabel("Wenn es nicht geholfen hat").selectOption("human");
  // A renamed node: the targets that named it follow.
  const note = editor.getByRole("group", { name: "Knoten paper_note" }).getByLabel("Knoten-Kennung");
  await note.fill("paper_hint");
  await note.press("Tab");
  await editor.getByRole("group", { name: "Knoten paper_hint" }).waitFor();
  assert.equal(await editor.getByRole("group", { name: "Knoten paper" }).getByLabel("Wenn es nicht geholfen hat").inputValue(), "paper_hint");
  await editor.getByRole("button", { name: "Speichern" }).click();
  await page.getByRole("status").getByText("Ablauf printer gespeichert.").waitFor();

  const admin = await apiToken(e2e.url, "admin");
  const stored = await apiGet(e2e.url, "/api/v1/bot/flows/printer", admin);
  const doc = JSON.parse(stored.document);
  assert.equal(doc.nodes.toner.say.de, text);
  assert.equal(doc.nodes.toner.unsolved, "human");
  assert.equal(doc.nodes.paper.unsolved, "paper_hint");
  assert.equal(doc.nodes.paper_note, undefined);
  assert.equal(stored.version, 2);
  assert.equal(stored.edited, true);

  // Shown again when reopened, and the list says it was edited.
  await page.getByRole("row", { name: /printer/ }).getByText("mitgeliefert, bearbeitet").waitFor();
  await page.getByRole("button", { name: "Drucker bearbeiten" }).click();
  const again = page.getByRole("region", { name: "Ablauf Drucker bearbeiten" }).getByRole("group", { name: "Knoten toner" });
  assert.equal(await again.getByLabel("Text (Deutsch)").inputValue(), text);
  assert.equal(await again.getByLabel("Wenn es nicht geholfen hat").inputValue(), "human");

  // An empty German text: refused by the server, its path named, the other edit kept.
  const editor2 = page.getByRole("region", { name: "Ablauf Drucker bearbeiten" });
  await again.getByLabel("Text (Englisch)").fill("Put in a new toner cartridge.");
  await again.getByLabel("Text (Deutsch)").fill("");
  await editor2.getByRole("button", { name: "Speichern" }).click();
  const alert = editor2.getByRole("alert").filter({ hasText: "nodes.toner.say.de" });
  await alert.waitFor();
  assert.equal(await again.getByLabel("Text (Englisch)").inputValue(), "Put in a new toner cartridge.");
  await again.locator(".field-error").first().waitFor();
  assert.equal((await apiGet(e2e.url, "/api/v1/bot/flows/printer", admin)).version, 2, "nothing stored");

  // The JSON view: a start node that does not exist; the server's message is shown beside it.
  await again.getByLabel("Text (Deutsch)").fill(text);
  await editor2.getByRole("button", { name: "JSON" }).click();
  const json = editor2.getByLabel("Der Ablauf als JSON");
  const raw = await json.inputValue();
  assert.match(raw, /"start": "which_printer"/);
  await json.fill(raw.replace('"start": "which_printer"', '"start": "cabel"'));
  await editor2.getByRole("button", { name: "Speichern" }).click();
  await editor2.getByText("start: no node 'cabel'").first().waitFor();
  await noSeriousViolations(page, "the flow editor's JSON view with the server's error");
  assert.match(await json.inputValue(), /"start": "cabel"/, "the edit is kept");
  await context.close();
});

test("a supervisor reads the chatbot flows without being offered changes", async () => {
  const { context, page } = await signedInEnglish(e2e.browser, e2e.url, "supervisor");
  await openFlows(page, "Administration", "Chatbot flows");
  await page.getByText("Only administrators change the chatbot's flows; you can read them.").waitFor();
  assert.equal(await page.getByRole("button", { name: "New flow" }).count(), 0);
  await page.getByRole("button", { name: "View VPN / remote access" }).click();
  const viewer = page.getByRole("region", { name: /^Flow / });
  await viewer.getByRole("group", { name: /^Node / }).first().waitFor();
  assert.equal(await viewer.getByRole("button", { name: "Save" }).count(), 0);
  await noSeriousViolations(page, "the flow viewer (supervisor)");

  // The preview walks the flow: the first question, a button, then a typed answer.
  const preview = viewer.getByRole("region", { name: "Preview" });
  await preview.getByRole("button", { name: "Start the preview" }).click();
  await preview.getByText("Does the internet work without the VPN?").waitFor();
  await preview.getByRole("group", { name: "Answers to choose" }).getByRole("button", { name: "Yes, the internet works" }).click();
  await preview.getByText("Which device are you using the VPN on").waitFor();
  await preview.getByLabel("Your answer").fill("win 11");
  await preview.getByRole("button", { name: "Send" }).click();
  await preview.getByRole("listitem").filter({ hasText: "win 11" }).waitFor();
  await noSeriousViolations(page, "the flow preview");
  await context.close();
});
