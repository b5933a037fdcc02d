// Screenshots of the main screens on demo data, for the README: the console's queue, a ticket
// with its timeline and SLA clocks, the escalate dialog, the new-call screen; the portal's
// knowledge base with suggestions, a new request with matching articles, My tickets and a
// resolved request with the rating form (also on a phone-sized screen). English UI, fixed
// viewport (1280x800, the phone 390x844), after the data is shown; carets hidden, animations
// stopped. Written to web/e2e/screenshots/ (ignored by git), so a test run leaves the tree
// clean; `npm run screenshots` writes the README's copies in docs/screenshots/
// (FIRSTLINE_SCREENSHOT_DIR chooses any folder).
//
// The demo has few open tickets: a handful more are filed first through the API, so the queue
// looks like a working day's.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { before, test } from "node:test";
import { signedIn, signedInEnglish, apiToken as tokenFor, withServerAndBrowser } from "./harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dir = resolve(process.env.FIRSTLINE_SCREENSHOT_DIR ?? join(here, "screenshots"));
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

before(() => mkdirSync(dir, { recursive: true }));
const e2e = withServerAndBrowser();

const apiToken = (login) => tokenFor(e2e.url, login);

async function call(method, path, token, body) {
  const r = await fetch(e2e.url + path, {
    method,
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const text = await r.text();
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function shoot(page, name) {
  // No blinking caret, no transition caught half-way, no hover effect from the last click.
  await page.addStyleTag({ content: "*, *::before, *::after { caret-color: transparent !important; }" });
  await page.mouse.move(0, 0);
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: join(dir, name), animations: "disabled", caret: "hide" });
}

// Staff and a customer whose UI is switched to English.
async function customerInEnglish(login) {
  const session = await signedIn(e2e.browser, e2e.url, login, "en");
  await session.page.getByRole("heading", { level: 1 }).first().waitFor();
  await session.page.getByLabel(/Sprache|Language/).selectOption("en");
  await session.page.getByRole("heading", { level: 1, name: "My tickets" }).waitFor();
  return session;
}

let showcase; // the ticket shown in the ticket view and the escalate dialog

test("seed: a working day's tickets", async () => {
  const agent = await apiToken("l1.agent");
  const carl = await apiToken("customer2");
  const partner = await apiToken("partner.agent");
  const me = await fetch(e2e.url + "/api/v1/me", { headers: { Authorization: `Bearer ${agent}` } }).then((r) => r.json());
  const desk = me.teams.find((x) => x.line === 1).id;
  const users = await fetch(e2e.url + "/api/v1/users?limit=100", { headers: { Authorization: `Bearer ${agent}` } }).then(
    (r) => r.json(),
  );
  const clara = users.items.find((u) => u.login === "customer1").id;
  const carlId = users.items.find((u) => u.login === "customer2").id;
  const seeds = [
    ["Laptop fan runs loud and the laptop gets hot", 3, 2, "phone", clara],
    ["Cannot open shared mailbox \"Sales\"", 2, 2, "email", carlId],
    ["New employee needs an account from Monday", 3, 3, "email", clara],
    ["Excel crashes when opening the budget file", 3, 1, "phone", carlId],
    ["Teams calls drop after a few minutes", 2, 1, "web", clara],
    ["Monitor flickers on the docking station", 3, 3, "web", carlId],
    ["Wi-Fi in meeting room 4 is very slow", 2, 2, "phone", clara],
  ];
  for (const [subject, impact, urgency, channel, requester] of seeds)
    await call("POST", "/api/v1/tickets", agent, {
      subject,
      description: "Reported by phone; details in the notes.",
      requester_id: requester,
      team_id: desk,
      impact,
      urgency,
      channel,
    });
  // The one shown: a customer's request with the desk's reply and an internal note.
  const clarasToken = await apiToken("customer1");
  showcase = await call("POST", "/api/v1/tickets", clarasToken, {
    subject: "Laptop does not start after the update",
    description: "Since this morning's update the laptop shows a black screen. The power light is on.",
  });
  await call("POST", `/api/v1/tickets/${showcase.id}/entries`, agent, {
    kind: "reply",
    body: "Thank you, Clara. Please hold the power button for 15 seconds, then start the laptop again.",
  });
  await call("POST", `/api/v1/tickets/${showcase.id}/entries`, agent, {
    kind: "note",
    body: "Hard reset tried on the phone, still black. BIOS shows no disk: looks like hardware.",
  });
  await call("PATCH", `/api/v1/tickets/${showcase.id}`, agent, { status: "open" });

  // Carl (whose UI is English) has requests at the Partner Desk: one open, one resolved.
  await call("POST", "/api/v1/tickets", carl, {
    subject: "VPN disconnects every hour",
    description: "Working from home, the VPN drops every hour and I have to sign in again.",
  });
  const resolved = await call("POST", "/api/v1/tickets", carl, {
    subject: "Outlook keeps asking for my password",
    description: "Outlook asks for my password every few minutes since yesterday.",
  });
  await call("POST", `/api/v1/tickets/${resolved.id}/entries`, partner, {
    kind: "reply",
    body: "We removed the old stored credentials for your account. Please restart Outlook and sign in once more.",
  });
  await call("PATCH", `/api/v1/tickets/${resolved.id}`, partner, { status: "resolved" });
});

test("console: queue, ticket view, escalate dialog, new call", async () => {
  const { context, page } = await signedInEnglish(e2e.browser, e2e.url, "l1.agent");
  await page.setViewportSize(DESKTOP);
  await page.getByRole("heading", { name: "Queue: Service Desk" }).waitFor();
  await page.getByRole("link", { name: "Laptop does not start after the update" }).waitFor();
  await page.getByText("Live", { exact: true }).waitFor();
  await page.waitForFunction(() => /open, \d+ at risk/.test(document.querySelector("#queue-scope")?.textContent ?? ""));
  await shoot(page, "console-queue.png");

  await page.getByRole("link", { name: "Laptop does not start after the update" }).click();
  await page.getByRole("heading", { name: /Laptop does not start after the update/ }).waitFor();
  await page.getByRole("list", { name: "SLA clocks" }).waitFor();
  await page.locator(".timeline .entry.note").filter({ hasText: "BIOS shows no disk" }).waitFor();
  await page.getByText("Clara Kundin").first().waitFor();
  await shoot(page, "console-ticket.png");

  await page.getByRole("button", { name: "Escalate…" }).click();
  const dialog = page.getByRole("dialog", { name: /Escalate #/ });
  await dialog.waitFor();
  await dialog.getByRole("radio", { name: "Desktop Support" }).check();
  await dialog.getByLabel("Reason").selectOption("needs_expertise");
  await dialog.locator("#move-note").fill("Hard reset and BIOS defaults tried; the BIOS does not detect the disk.");
  await shoot(page, "console-escalate.png");
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });

  await page.getByRole("link", { name: "New call" }).click();
  await page.getByRole("heading", { name: /New call/ }).waitFor();
  await page.getByLabel("Calling number (optional)").fill("+44 20 7946 0958");
  await page.getByLabel("Calling number (optional)").press("Enter");
  await page.getByRole("region", { name: "Caller card" }).getByText("Carl Customer").waitFor();
  await page.getByLabel("Subject").fill("Printer on the 2nd floor prints blank pages");
  await page.getByLabel("Notes (taken while talking)").fill("Toner replaced yesterday; test page is blank too.");
  await shoot(page, "console-new-call.png");
  await context.close();
});

test("portal: knowledge base with suggestions, new request with matching articles, my tickets, rating", async () => {
  const { context, page } = await customerInEnglish("customer2");
  await page.setViewportSize(DESKTOP);
  await page.getByRole("link", { name: "Outlook keeps asking for my password" }).waitFor();
  await shoot(page, "portal-my-tickets.png");

  await page.getByRole("link", { name: "Knowledge base" }).first().click();
  await page.getByRole("heading", { level: 1, name: "Knowledge base" }).waitFor();
  await page.getByRole("heading", { name: "Most read" }).waitFor();
  const box = page.getByRole("combobox", { name: "Search the knowledge base" });
  await box.focus();
  await page.keyboard.type("passw", { delay: 30 });
  await page.getByRole("listbox", { name: "Suggested articles" }).getByRole("option", { name: "Reset your password" }).waitFor();
  await shoot(page, "portal-kb-suggestions.png");
  await page.keyboard.press("Escape");

  await page.getByRole("link", { name: "New request" }).first().click();
  await page.getByRole("heading", { level: 1, name: "New request" }).waitFor();
  await page.getByLabel("Subject").fill("Outlook asks for my password again");
  await page.getByLabel("Description").fill("After changing my password Outlook asks for it every few minutes.");
  await page
    .getByRole("region", { name: "These articles may help" })
    .getByRole("heading", { name: "Outlook asks for the password again and again" })
    .waitFor();
  await shoot(page, "portal-new-request.png");

  await page.getByRole("link", { name: "My tickets" }).first().click();
  await page.getByRole("link", { name: "Outlook keeps asking for my password" }).click();
  await page.getByRole("heading", { level: 1, name: "Outlook keeps asking for my password" }).waitFor();
  await page.locator("#ticket-rating").getByRole("radio", { name: "5 – excellent" }).waitFor();
  await page.locator("#ticket-rating").getByRole("radio", { name: "4 – good" }).check();
  await page.locator("#ticket-rating").getByLabel("Comment (optional)").fill("Quick and friendly, thank you!");
  await page.locator("#ticket-rating").evaluate((el) => el.scrollIntoView({ block: "end" }));
  await shoot(page, "portal-ticket-rating.png");

  // The same page on a phone: the top of the request.
  await page.setViewportSize(PHONE);
  await page.evaluate(() => window.scrollTo(0, 0));
  await shoot(page, "portal-phone-ticket.png");
  await context.close();
});
