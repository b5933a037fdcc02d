// Files on entries in a real browser: a customer attaches a small text file to a reply in the
// portal (the picker lists it, with its size and a way to remove it); an agent sees it in the
// console's timeline and downloads it (the bytes arrive intact, fetched with the bearer token);
// an internal note's file is neither shown to nor downloadable by the customer.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, test } from "node:test";
import {
  apiGet,
  apiToken,
  fitsNarrowScreen,
  noSeriousViolations,
  signedIn,
  signedInEnglish,
  startBrowser,
  startServer,
} from "./harness.mjs";

let server, browser;
before(async () => {
  server = await startServer();
  browser = await startBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function customerTicket(token, subject) {
  const r = await fetch(`${server.url}/api/v1/tickets`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify({ subject, description: "Der Drucker druckt leere Seiten." }),
  });
  assert.equal(r.status, 201);
  return r.json();
}

test("a customer attaches a file to a reply; the agent downloads it; a note's file stays internal", async () => {
  const subject = `Druckerprotokoll ${Date.now()}`;
  const customerToken = await apiToken(server.url, "customer1");
  const ticket = await customerTicket(customerToken, subject);
  const content = "Fehlerprotokoll: Papierstau in Fach 2 — Größe A4\n";
  const filename = "protokoll-größe.txt";

  // The customer (German) replies with a file.
  const customer = await signedIn(browser, server.url, "customer1", "de");
  await customer.page.getByRole("heading", { level: 1, name: "Meine Tickets" }).waitFor();
  await customer.page.goto(`${server.url}/portal/tickets/${ticket.id}`);
  await customer.page.getByRole("heading", { level: 1, name: subject }).waitFor();
  const picker = customer.page.getByLabel("Dateien anhängen");
  await picker.setInputFiles([
    { name: filename, mimeType: "text/plain", buffer: Buffer.from(content) },
    { name: "falsch.txt", mimeType: "text/plain", buffer: Buffer.from("nicht diese") },
  ]);
  const chosen = customer.page.getByRole("list", { name: "Zu sendende Dateien" });
  await chosen.getByText(filename, { exact: true }).waitFor();
  await chosen.getByText(/\d+ B/).first().waitFor();
  await noSeriousViolations(customer.page, "portal reply with chosen files");
  await fitsNarrowScreen(customer.page, "portal reply with chosen files");
  await customer.page.getByRole("button", { name: "falsch.txt entfernen" }).click();
  assert.equal(await chosen.getByRole("listitem").count(), 1);
  await customer.page.getByLabel("Ihre Antwort").fill("Das Protokoll hängt an.");
  await customer.page.getByRole("button", { name: "Antwort senden" }).click();
  await customer.page.getByRole("status").filter({ hasText: "gesendet" }).waitFor();
  const link = customer.page.getByRole("link", { name: `${filename} herunterladen` });
  await link.waitFor();
  assert.equal(await customer.page.getByRole("list", { name: "Zu sendende Dateien" }).count(), 0, "the picker is empty again");
  await noSeriousViolations(customer.page, "portal conversation with a file");

  // The agent sees it in the timeline and downloads it.
  const agent = await signedInEnglish(browser, server.url, "l1.agent");
  await agent.page.goto(`${server.url}/console/tickets/${ticket.id}`);
  await agent.page.getByRole("heading", { name: new RegExp(subject) }).waitFor();
  const fileLink = agent.page.locator(".timeline .entry.reply").getByRole("link", { name: `Download ${filename}` });
  await fileLink.waitFor();
  const [download] = await Promise.all([agent.page.waitForEvent("download"), fileLink.click()]);
  assert.equal(download.suggestedFilename(), filename);
  assert.equal(await readFile(await download.path(), "utf8"), content);
  await noSeriousViolations(agent.page, "console timeline with a file");

  // An internal note with a file.
  await agent.page.getByLabel("Internal note", { exact: true }).first().check();
  await agent.page.getByLabel("Internal note", { exact: true }).last().fill("VIP: Drucker wird getauscht.");
  await agent.page.getByLabel("Attach files").setInputFiles({
    name: "intern.txt",
    mimeType: "text/plain",
    buffer: Buffer.from("nur fürs Team"),
  });
  await agent.page.getByRole("button", { name: "Save note" }).click();
  await agent.page.getByRole("status").getByText("Note saved.").waitFor();
  await agent.page.locator(".timeline .entry.note").getByRole("link", { name: "Download intern.txt" }).waitFor();

  const agentToken = await apiToken(server.url, "l1.agent");
  const staffView = await apiGet(server.url, `/api/v1/tickets/${ticket.id}/entries`, agentToken);
  const noteFile = staffView.items.find((e) => e.kind === "note").attachments[0];
  assert.equal(noteFile.filename, "intern.txt");
  const customerView = await apiGet(server.url, `/api/v1/tickets/${ticket.id}/entries`, customerToken);
  assert.ok(!JSON.stringify(customerView).includes("intern.txt"), "the customer's timeline has no note file");
  const denied = await fetch(`${server.url}/api/v1/attachments/${noteFile.id}`, {
    headers: { Authorization: `Bearer ${customerToken}` },
  });
  assert.equal(denied.status, 404);
  await customer.page.reload();
  await customer.page.getByRole("heading", { level: 1, name: subject }).waitFor();
  await customer.page.getByRole("link", { name: `${filename} herunterladen` }).waitFor();
  assert.equal(await customer.page.getByText("intern.txt").count(), 0);

  await customer.context.close();
  await agent.context.close();
});
