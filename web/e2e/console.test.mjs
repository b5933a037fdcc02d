// The agent console in a real browser (issue 5): a line-1 agent takes a phone call, creates
// and escalates the ticket with a hand-off note, and a line-2 agent sees it arrive live in
// Desktop Support (queue and notifications) and reads the hand-off note; the ticket view's
// actions (reply, note, macro, KB link, status); the main flow by keyboard alone; axe-core on
// the queue, ticket and call screens; German and English.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  signedIn,
  noSeriousViolations,
  signedInEnglish,
  apiToken as tokenFor,
  withServerAndBrowser,
} from "./harness.mjs";

const e2e = withServerAndBrowser();

const apiToken = (login) => tokenFor(e2e.url, login);

async function customerTicket(subject) {
  const token = await apiToken("customer1");
  const r = await fetch(e2e.url + "/api/v1/tickets", {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify({ subject, description: "Seit heute früh geht nichts mehr." }),
  });
  assert.equal(r.status, 201);
  return r.json();
}

// The demo's staff read German (their own language wins after sign-in): switch to English.
const inEnglish = (login) => signedInEnglish(e2e.browser, e2e.url, login);

// Waits until the element with this id has the focus.
async function focusOn(page, id) {
  await page.waitForFunction((want) => document.activeElement?.id === want, id, { timeout: 5000 });
}

// Presses Tab until the focused element matches `selector` (at most `limit` times).
async function tabTo(page, selector, limit = 40) {
  for (let i = 0; i < limit; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${selector}`);
}

test("l1.agent takes a call, creates and escalates it; l2.agent sees it arrive live and reads the hand-off note", async () => {
  const l2 = await inEnglish("l2.agent");
  await l2.page.getByRole("heading", { name: "Queue: Desktop Support" }).waitFor();
  await l2.page.getByText("Live", { exact: true }).waitFor();
  await noSeriousViolations(l2.page, "the queue");

  const l1 = await inEnglish("l1.agent");
  await l1.page.getByRole("heading", { name: "Queue: Service Desk" }).waitFor();
  await l1.page.getByRole("link", { name: "New call" }).click();
  await l1.page.getByRole("heading", { name: /New call/ }).waitFor();
  const subject = `Laptop does not boot ${Date.now()}`;
  await l1.page.getByLabel("Caller (name or e-mail)").fill("clara");
  await l1.page.getByRole("button", { name: /Clara Kundin/ }).click();
  await l1.page.getByLabel("Subject").fill(subject);
  await l1.page.getByLabel("Notes (taken while talking)").fill("Black screen after the update; power LED on.");
  await l1.page.getByLabel("Create and escalate").first().check();
  await l1.page.getByRole("radio", { name: "Desktop Support" }).check();
  await l1.page.getByLabel("Reason").selectOption("needs_expertise");
  await noSeriousViolations(l1.page, "the call screen");

  // The hand-off note is required before anything is sent.
  await l1.page.getByRole("button", { name: "Create and escalate" }).click();
  await l1.page.getByText("A hand-off note is required").waitFor();
  const handoff = "Hard reset and BIOS defaults tried; disk not detected.";
  await l1.page.getByLabel("Hand-off note (what was tried)").fill(handoff);
  await l1.page.getByRole("button", { name: "Create and escalate" }).click();
  await l1.page.getByRole("heading", { name: new RegExp(subject) }).waitFor();
  await l1.page.getByText(/created and escalated to Desktop Support/).waitFor();
  await l1.page.getByText(handoff).waitFor();

  // Live in the second context: the queue row and the notification.
  await l2.page.getByRole("link", { name: subject }).waitFor({ timeout: 5000 });
  const bell = l2.page.getByRole("button", { name: /Notifications/ });
  await bell.getByText("1", { exact: true }).waitFor({ timeout: 5000 });
  await bell.click();
  await l2.page.getByRole("region", { name: "Notifications" }).getByRole("link", { name: new RegExp(subject) }).waitFor();
  await l2.page.keyboard.press("Escape");
  await l2.page.getByRole("link", { name: subject }).click();
  await l2.page.getByRole("heading", { name: new RegExp(subject) }).waitFor();
  await l2.page.locator(".handoff").filter({ hasText: handoff }).waitFor();
  await l2.page.getByText(/Escalated from line 1 to line 2 \(Desktop Support\); reason: Needs expertise/).waitFor();
  assert.equal(await l2.page.locator(".facts [data-status]").getAttribute("data-status"), "new");
  await l2.page.getByRole("list", { name: "SLA clocks" }).waitFor();
  await noSeriousViolations(l2.page, "the ticket view");
  await l1.context.close();
  await l2.context.close();
});

test("ticket view in German: reply, internal note, macro, KB link, status; the other context follows live", async () => {
  const subject = `Passwort abgelaufen ${Date.now()}`;
  const ticket = await customerTicket(subject);
  const { context, page } = await signedIn(e2e.browser, e2e.url, "l1.agent", "de");
  await page.getByRole("heading", { name: "Warteschlange: Service Desk" }).waitFor();
  await page.getByRole("link", { name: subject }).click();
  await page.getByRole("heading", { name: new RegExp(subject) }).waitFor();
  await page.getByText("Weitere offene Tickets").waitFor();
  await page.getByText("Clara Kundin").first().waitFor();

  // A second view of the same ticket follows the changes live.
  const watcher = await signedIn(e2e.browser, e2e.url, "supervisor", "de");
  await watcher.page.getByRole("heading", { name: /Warteschlange/ }).waitFor();
  await watcher.page.goto(`${e2e.url}/console/tickets/${ticket.id}`);
  await watcher.page.getByRole("heading", { name: new RegExp(subject) }).waitFor();
  await watcher.page.getByText("Live", { exact: true }).waitFor();

  await page.getByLabel("Antwort", { exact: true }).fill("Wir setzen das Passwort gleich zurück.");
  await page.getByRole("button", { name: "Antwort senden" }).click();
  await page.getByRole("status").getByText("Antwort gesendet.").waitFor();
  await page.locator(".timeline .entry.reply").filter({ hasText: "gleich zurück" }).waitFor();
  await watcher.page.locator(".timeline .entry.reply").filter({ hasText: "gleich zurück" }).waitFor({ timeout: 5000 });

  await page.getByLabel("Interne Notiz", { exact: true }).first().check();
  await page.getByLabel("Interne Notiz", { exact: true }).last().fill("Konto im AD entsperrt.");
  await page.getByRole("button", { name: "Notiz speichern" }).click();
  await page.locator(".timeline .entry.note").filter({ hasText: "Konto im AD entsperrt." }).waitFor();

  await page.getByLabel("Wissensdatenbank durchsuchen").fill("Passwort");
  await page.getByRole("button", { name: "Suchen", exact: true }).click();
  await page.getByRole("button", { name: /Link einfügen.*Passwort zurücksetzen/ }).click();
  const body = await page.locator("#entry-body").inputValue();
  assert.match(body, /\[Passwort zurücksetzen\]\(http:\/\/[^)]+\/portal\/kb\/\d+\)/);
  await page.locator("#entry-body").fill("");

  await page.getByLabel("Textbaustein", { exact: true }).selectOption({ label: "Passwort zurückgesetzt" });
  await page.getByRole("button", { name: "Textbaustein anwenden" }).click();
  await page.locator(".timeline .entry.reply").filter({ hasText: "Ihr Passwort wurde zurückgesetzt" }).waitFor();
  await page.locator('.facts [data-status="pending_customer"]').waitFor();
  await watcher.page.locator('.facts [data-status="pending_customer"]').waitFor({ timeout: 5000 });

  await page.getByRole("button", { name: "Lösen" }).click();
  await page.locator('.facts [data-status="resolved"]').waitFor();
  await page.getByText("Status: Wartet auf Kunden → Gelöst").waitFor();
  await noSeriousViolations(page, "the ticket view in German");
  await watcher.context.close();
  await context.close();
});

test("keyboard alone: a call resolved on the spot, then a queue ticket replied to and escalated", async () => {
  const subject = `Drucker offline ${Date.now()}`;
  await customerTicket(subject);
  const { context, page } = await inEnglish("l1.agent");
  await page.getByRole("heading", { name: "Queue: Service Desk" }).waitFor();
  await page.getByRole("link", { name: subject }).waitFor();

  // ? opens the help, Escape closes it.
  await page.keyboard.press("?");
  await page.getByRole("dialog", { name: "Keyboard shortcuts" }).waitFor();
  await page.keyboard.press("Escape");
  await page.getByRole("dialog").waitFor({ state: "detached" });

  // A call: g c, find the caller, notes, resolve on the spot.
  await page.keyboard.press("g");
  await page.keyboard.press("c");
  await page.getByRole("heading", { name: /New call/ }).waitFor();
  await focusOn(page, "caller-q");
  await page.keyboard.type("carl");
  await tabTo(page, ".caller-hits button");
  await page.keyboard.press("Enter");
  await focusOn(page, "call-subject");
  const callSubject = `Password expired ${Date.now()}`;
  await page.keyboard.type(callSubject);
  await tabTo(page, "#call-notes");
  await page.keyboard.type("Reset the password while on the phone.");
  await tabTo(page, "button[type=submit]");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: new RegExp(callSubject) }).waitFor();
  await page.locator('.facts [data-status="resolved"]').waitFor();
  await page.locator(".timeline .entry.call").waitFor();

  // The queue: g q, j down the rows (sorted by SLA due) to the ticket, Enter opens it.
  await page.keyboard.press("g");
  await page.keyboard.press("q");
  await page.getByRole("heading", { name: "Queue: Service Desk" }).waitFor();
  await page.getByRole("link", { name: subject }).waitFor();
  for (let i = 0; i < 100; i++) {
    await page.keyboard.press("j");
    if (await page.evaluate((want) => document.activeElement?.textContent === want, subject)) break;
  }
  await page.waitForFunction((want) => document.activeElement?.textContent === want, subject, { timeout: 5000 });
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: new RegExp(subject) }).waitFor();

  // r writes a reply, Ctrl+Enter sends it; shortcuts stay quiet while typing ("e", "n").
  await page.keyboard.press("r");
  await focusOn(page, "entry-body");
  await page.keyboard.type("Please switch the printer off and on again.");
  await page.keyboard.press("Control+Enter");
  await page.getByRole("status").getByText("Reply sent.").waitFor();
  await page.locator(".timeline .entry.reply").filter({ hasText: "off and on again" }).waitFor();

  // e escalates: the dialog traps focus, the hand-off note is required.
  await page.locator("#entry-body").blur();
  await page.keyboard.press("e");
  const dialog = page.getByRole("dialog", { name: /Escalate #/ });
  await dialog.waitFor();
  await tabTo(page, "dialog button[type=submit]");
  await page.keyboard.press("Enter");
  await dialog.getByText("A hand-off note is required").waitFor();
  await tabTo(page, "#move-note");
  await page.keyboard.type("Printer pings, spooler restarted; still offline.");
  await tabTo(page, "dialog button[type=submit]");
  await page.keyboard.press("Enter");
  await dialog.waitFor({ state: "detached" });
  await page.getByText(/Escalated from line 1 to line 2/).waitFor();
  await page.locator(".handoff").filter({ hasText: "spooler restarted" }).waitFor();
  await context.close();
});

test("the call screen and the queue in German pass axe-core", async () => {
  const { context, page } = await signedIn(e2e.browser, e2e.url, "supervisor", "de");
  await page.getByRole("heading", { name: /Warteschlange/ }).waitFor();
  await page.getByLabel("Warteschlange", { exact: true }).selectOption(JSON.stringify({ line: 2 }));
  await page.getByRole("heading", { name: "Warteschlange: Linie 2" }).waitFor();
  await noSeriousViolations(page, "the line queue");
  await page.getByRole("link", { name: "Neuer Anruf" }).click();
  await page.getByRole("heading", { name: /Neuer Anruf/ }).waitFor();
  await page.getByLabel("Erstellen und eskalieren").check();
  await page.getByText("Übergabenotiz (was wurde versucht)").waitFor();
  await noSeriousViolations(page, "the call screen in German");
  await context.close();
});
