// The self-service portal in a real e2e.browser, keyboard first: a guest searches the knowledge
// base with suggestions while typing, reads an article and votes; a customer writes a request,
// sees matching articles appear, opens one (recorded as a deflection open), files the request
// with the first-line facts, finds it in My tickets and replies; a resolved request reopens on
// a reply. German and English; axe-core on every main page; nothing wider than 320 px.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  signedIn,
  noSeriousViolations,
  fitsNarrowScreen,
  apiToken as tokenFor,
  apiGet as getJson,
  withServerAndBrowser,
} from "./harness.mjs";

const e2e = withServerAndBrowser();

const apiToken = (login) => tokenFor(e2e.url, login);

const apiGet = (path, token) => getJson(e2e.url, path, token);

// The portal's part of the page (main) must fit a 320 px wide screen. (The frame's header is
// not the portal's; it is checked where it is made.)
test("a guest searches the knowledge base with suggestions, reads an article and votes", async () => {
  const context = await e2e.browser.newContext({ locale: "en-US" });
  const page = await context.newPage();
  await page.goto(e2e.url + "/portal/kb");
  await page.getByRole("heading", { level: 1, name: "Knowledge base" }).waitFor();
  await page.getByRole("navigation", { name: "Self-service" }).getByRole("link", { name: "Sign in" }).waitFor();
  await page.getByRole("link", { name: "Drucken" }).waitFor();  // a category
  await noSeriousViolations(page, "KB home");
  await fitsNarrowScreen(page, "KB home");

  // Suggestions while typing, chosen with the keyboard only.
  const box = page.getByRole("combobox", { name: "Search the knowledge base" });
  await box.focus();
  await page.keyboard.type("passw", { delay: 40 });
  const listbox = page.getByRole("listbox", { name: "Suggested articles" });
  await listbox.getByRole("option", { name: "Reset your password" }).waitFor();
  assert.equal(await box.getAttribute("aria-expanded"), "true");
  await noSeriousViolations(page, "KB home with suggestions");
  await page.keyboard.press("ArrowDown");
  const active = await box.getAttribute("aria-activedescendant");
  assert.ok(active, "an option is active");
  assert.equal(await page.locator(`#${active}`).getAttribute("aria-selected"), "true");
  const chosen = await page.locator(`#${active}`).textContent();
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { level: 1, name: chosen }).waitFor();
  await noSeriousViolations(page, "article");
  await fitsNarrowScreen(page, "article");

  // Full search: results with snippets and facets.
  await page.goto(e2e.url + "/portal/kb");
  await page.getByRole("combobox", { name: "Search the knowledge base" }).fill("vpn");
  await page.keyboard.press("Enter");  // no option chosen: search
  await page.getByRole("heading", { level: 1, name: "Results for “vpn”" }).waitFor();
  await page.getByRole("heading", { name: /articles found/ }).waitFor();
  assert.ok((await page.locator(".kb-hits mark").count()) > 0, "snippets mark the matches");
  await page.getByRole("heading", { name: "Refine" }).waitFor();
  await page.getByRole("link", { name: /^Guide \(\d+\)$/ }).click();
  await page.getByRole("link", { name: "Clear filters" }).waitFor();
  await noSeriousViolations(page, "search results");

  // Read "Set up the VPN" and vote, by keyboard.
  await page.getByRole("link", { name: "Set up the VPN" }).focus();
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { level: 1, name: "Set up the VPN" }).waitFor();
  const id = Number(page.url().match(/articles\/(\d+)/)[1]);
  await page.getByRole("button", { name: "Yes" }).focus();
  await page.keyboard.press("Enter");
  await page.getByRole("status").filter({ hasText: "Thank you for your feedback." }).waitFor();
  assert.equal(await page.getByRole("button", { name: "Yes" }).getAttribute("aria-pressed"), "true");
  assert.equal((await apiGet(`/api/v1/kb/articles/${id}/translations`)).items[0].language, "de");
  const token = await apiToken("supervisor");
  assert.equal((await apiGet(`/api/v1/kb/articles/${id}`, token)).helpful, 1);

  // The language switch follows the article's translation.
  await page.getByLabel("Language").selectOption("de");
  await page.getByRole("heading", { level: 1, name: "VPN einrichten" }).waitFor();
  await page.getByRole("heading", { name: "War dieser Artikel hilfreich?" }).waitFor();
  await context.close();
});

test("a signed-out visitor asking for a request or their tickets is asked to sign in", async () => {
  const context = await e2e.browser.newContext({ locale: "en-US" });
  const page = await context.newPage();
  await page.goto(e2e.url + "/portal/new");
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await context.close();
});

test("a customer files a request after seeing matching articles, then replies (English)", async () => {
  // customer2's own language is English.
  const { context, page } = await signedIn(e2e.browser, e2e.url, "customer2", "en");
  await page.getByRole("heading", { level: 1, name: "My tickets" }).waitFor();
  const supervisor = await apiToken("supervisor");
  const today = new Date().toISOString().slice(0, 10);
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const report = () => apiGet(`/api/v1/reports/deflection?from=${today}&to=${tomorrow}`, supervisor);
  const before = await report();

  await page.getByRole("link", { name: "New request" }).first().click();
  await page.getByRole("heading", { level: 1, name: "New request" }).waitFor();
  const subject = `VPN drops every few minutes ${Date.now()}`;
  await page.getByLabel("Subject").pressSequentially(subject.slice(0, 30), { delay: 20 });
  await page.getByLabel("Subject").fill(subject);
  await page.getByLabel("Description", { exact: true }).fill("Since this morning the VPN disconnects at home.");
  const matching = page.getByRole("region", { name: "These articles may help" });
  await matching.getByRole("heading", { name: "VPN trennt die Verbindung regelmäßig" }).waitFor();
  await noSeriousViolations(page, "new request with matching articles");
  await fitsNarrowScreen(page, "new request");

  // Open one: the read is recorded in the deflection session.
  await matching.getByRole("button", { name: "Read here" }).first().click();
  await matching.getByRole("button", { name: "This solved my problem" }).waitFor();
  const opened = await report();
  assert.equal(opened.sessions, before.sessions + 1, "one session for the request being written");
  assert.equal(opened.opened, before.opened + 1, "the open is recorded");

  // The facts, by keyboard where it matters.
  await page.getByLabel("Category").selectOption("vpn");
  await page.getByLabel("Affected device").fill("Laptop ThinkPad T14");
  await page.getByLabel("Since when").selectOption("today");
  await page.getByRole("radio", { name: "My team" }).check();
  await page.getByRole("radio", { name: "Yes, but with difficulty" }).focus();
  await page.keyboard.press("Space");
  await page.getByRole("button", { name: "File request" }).click();

  await page.getByRole("heading", { level: 1, name: subject }).waitFor();
  await page.getByRole("status").filter({ hasText: /Request #\d+ was filed/ }).waitFor();
  const ticketId = Number(page.url().match(/tickets\/(\d+)/)[1]);
  const token = await apiToken("customer2");
  const ticket = await apiGet(`/api/v1/tickets/${ticketId}`, token);
  assert.equal(ticket.category, "vpn");
  assert.equal(ticket.impact, 2);  // my team
  assert.equal(ticket.urgency, 2);  // working with difficulty
  assert.equal(ticket.priority, "P3");
  const entries = await apiGet(`/api/v1/tickets/${ticketId}/entries`, token);
  const description = entries.items.find((e) => e.kind === "reply").body;
  assert.match(description, /Since this morning the VPN disconnects at home\./);
  assert.match(description, /Affected device: Laptop ThinkPad T14/);
  assert.match(description, /How many people are affected\?: My team/);
  const filed = await report();
  assert.equal(filed.tickets_filed, before.tickets_filed + 1, "the ticket closed the session");
  await noSeriousViolations(page, "ticket page");
  await fitsNarrowScreen(page, "ticket page");

  // Reply.
  await page.getByLabel("Your reply").fill("It also happens on the office Wi-Fi.");
  await page.getByRole("button", { name: "Send reply" }).click();
  await page.getByRole("status").filter({ hasText: "Your reply was sent." }).waitFor();
  await page.locator(".conversation .from-me").filter({ hasText: "office Wi-Fi" }).waitFor();

  // My tickets lists it.
  await page.getByRole("link", { name: "My tickets" }).click();
  await page.getByRole("link", { name: subject }).waitFor();
  await noSeriousViolations(page, "my tickets");
  await fitsNarrowScreen(page, "my tickets");
  await context.close();
});

test("a customer reopens a resolved request by replying, and sees the desk's answer live (German)", async () => {
  // customer1's own language is German: after signing in the UI speaks it.
  const { context, page } = await signedIn(e2e.browser, e2e.url, "customer1", "en");
  await page.getByRole("heading", { level: 1, name: "Meine Tickets" }).waitFor();
  const token = await apiToken("customer1");
  const mine = await apiGet("/api/v1/tickets?limit=100", token);
  const resolved = mine.items.find((t) => t.status === "resolved");
  assert.ok(resolved, "the demo data has a resolved ticket for customer1");
  await page.getByRole("link", { name: resolved.subject }).click();
  await page.getByRole("heading", { level: 1, name: resolved.subject }).waitFor();
  await page.getByText("Diese Anfrage ist gelöst.", { exact: false }).waitFor();
  await noSeriousViolations(page, "resolved ticket (German)");

  await page.getByLabel("Ihre Antwort").fill("Das Problem ist wieder da.");
  await page.getByRole("button", { name: "Antwort senden" }).click();
  await page.getByRole("status").filter({ hasText: "wieder offen" }).waitFor();
  await page.locator(".ticket-facts").getByText("Offen", { exact: true }).waitFor();

  // An agent answers; the conversation shows it without a reload.
  const agent = await apiToken("l1.agent");
  const r = await fetch(`${e2e.url}/api/v1/tickets/${resolved.id}/entries`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${agent}` },
    body: JSON.stringify({ kind: "reply", body: "Bitte starten Sie Outlook neu." }),
  });
  assert.equal(r.status, 201);
  await page.locator(".conversation .from-desk").filter({ hasText: "Bitte starten Sie Outlook neu." }).waitFor({ timeout: 5000 });

  // The German knowledge base and a new request in German.
  await page.getByRole("link", { name: "Wissensdatenbank" }).click();
  await page.getByRole("heading", { level: 1, name: "Wissensdatenbank" }).waitFor();
  await noSeriousViolations(page, "KB home (German)");
  await page.getByRole("link", { name: "Neue Anfrage" }).first().click();
  await page.getByLabel("Betreff").fill("Drucker druckt leere Seiten");
  await page
    .getByRole("region", { name: "Diese Artikel könnten helfen" })
    .getByRole("heading", { name: "Drucker druckt leere Seiten" })
    .waitFor();
  // Filing without the facts names what is missing and moves the focus there.
  await page.getByRole("button", { name: "Anfrage stellen" }).click();
  await page.locator("#request-category:focus").waitFor();
  assert.equal(await page.getByLabel("Kategorie").getAttribute("aria-invalid"), "true");
  await noSeriousViolations(page, "new request with errors (German)");

  // An article answers it after all: no request is filed.
  const region = page.getByRole("region", { name: "Diese Artikel könnten helfen" });
  await region.getByRole("button", { name: "Hier lesen" }).first().click();
  await region.getByRole("button", { name: "Das hat mein Problem gelöst" }).click();
  await page.getByRole("heading", { level: 1, name: "Wissensdatenbank" }).waitFor();
  await page.getByRole("status").filter({ hasText: "Es wurde keine Anfrage gestellt." }).waitFor();
  const after = await apiGet("/api/v1/tickets?limit=100", token);
  assert.equal(after.items.length, mine.items.length);
  await context.close();
});
