// Files on entries in a real browser: a customer attaches a small text file to a reply in the
// portal (the picker lists it, with its size and a way to remove it); an agent sees it in the
// console's timeline and downloads it (the bytes arrive intact, fetched with the bearer token);
// an internal note's file is neither shown to nor downloadable by the customer.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import {
  apiGet,
  apiToken,
  fitsNarrowScreen,
  noSeriousViolations,
  signedIn,
  signedInEnglish,
  withServerAndBrowser,
} from "./harness.mjs";

const e2e = withServerAndBrowser();

async function customerTicket(token, subject) {
  const r = await fetch(`${e2e.url}/api/v1/tickets`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify({ subject, description: "Der Drucker druckt leere Seiten." }),
  });
  assert.equal(r.status, 201);
  return r.json();
}

test("a customer attaches a file to a reply; the agent downloads it; a note's file stays internal", async () => {
  const subject = `Druckerprotokoll ${Date.now()}`;
  const customerToken = await apiToken(e2e.url, "customer1");
  const ticket = await customerTicket(customerToken, subject);
  const content = "Fehlerprotokoll: Papierstau in Fach 2 — Größe A4\n";
  const filename = "protokoll-größe.txt";

  // The customer (German) replies with a file.
  const customer = await signedIn(e2e.browser, e2e.url, "customer1", "de");
  await customer.page.getByRole("heading", { level: 1, name: "Meine Tickets" }).waitFor();
  await customer.page.goto(`${e2e.url}/portal/tickets/${ticket.id}`);
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
  const agent = await signedInEnglish(e2e.browser, e2e.url, "l1.agent");
  await agent.page.goto(`${e2e.url}/console/tickets/${ticket.id}`);
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

  const agentToken = await apiToken(e2e.url, "l1.agent");
  const staffView = await apiGet(e2e.url, `/api/v1/tickets/${ticket.id}/entries`, agentToken);
  const noteFile = staffView.items.find((e) => e.kind === "note").attachments[0];
  assert.equal(noteFile.filename, "intern.txt");
  const customerView = await apiGet(e2e.url, `/api/v1/tickets/${ticket.id}/entries`, customerToken);
  assert.ok(!JSON.stringify(customerView).includes("intern.txt"), "the customer's timeline has no note file");
  const denied = await fetch(`${e2e.url}/api/v1/attachments/${noteFile.id}`, {
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

test("a customer files a new request with a screenshot; the request's first message carries it", async () => {
  // customer2's own language is English.
  const { context, page } = await signedIn(e2e.browser, e2e.url, "customer2", "en");
  await page.getByRole("heading", { level: 1, name: "My tickets" }).waitFor();
  await page.getByRole("link", { name: "New request" }).first().click();
  await page.getByRole("heading", { level: 1, name: "New request" }).waitFor();
  const subject = `Scanner shows an error ${Date.now()}`;
  await page.getByLabel("Subject").fill(subject);
  await page.getByLabel("Description", { exact: true }).fill("See the screenshot.");
  // A 1x1 PNG: shown as a thumbnail once filed.
  const png = Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
    "base64",
  );
  await page.getByLabel("Attach files").setInputFiles({ name: "scanner.png", mimeType: "image/png", buffer: png });
  await page.getByRole("list", { name: "Files to send" }).getByText("scanner.png", { exact: true }).waitFor();
  await page.getByLabel("Category").selectOption("hardware");
  await page.getByRole("radio", { name: "Just me" }).check();
  await page.getByRole("radio", { name: "Yes, but with difficulty" }).check();
  await page.getByRole("button", { name: "File request" }).click();
  await page.getByRole("heading", { level: 1, name: subject }).waitFor();
  await page.getByRole("link", { name: "Download scanner.png" }).waitFor();
  await page.locator(".conversation img.attach-thumb").waitFor();
  await noSeriousViolations(page, "a request with a picture");

  const token = await apiToken(e2e.url, "customer2");
  const id = Number(page.url().match(/tickets\/(\d+)/)[1]);
  const entries = await apiGet(e2e.url, `/api/v1/tickets/${id}/entries`, token);
  const first = entries.items.find((e) => e.kind === "reply");
  assert.deepEqual(
    first.attachments.map((a) => [a.filename, a.content_type, a.size]),
    [["scanner.png", "image/png", png.length]],
  );
  await context.close();
});
