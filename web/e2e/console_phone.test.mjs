// Phone first in a real browser: a CTI "ringing" event for extension 201 pops the caller card
// on l1.agent's console (announced, not modal); "Take call" opens the new call screen prefilled
// with the number and the caller; "ended" fills in the duration; the call is resolved on the
// spot and the ticket has channel phone and the caller as requester. The number typed by hand
// is looked up the same way. axe-core on the pop and the call screen, English and German.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  signedIn,
  noSeriousViolations,
  signedInEnglish,
  apiToken as tokenFor,
  withServerAndBrowser,
} from "./harness.mjs";

const CTI = "e2e-cti-token-0123456789abcdef";
const e2e = withServerAndBrowser({ FIRSTLINE_CTI_TOKEN: CTI });

const apiToken = (login) => tokenFor(e2e.url, login);

async function cti(body) {
  const r = await fetch(e2e.url + "/api/v1/cti/events", {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${CTI}` },
    body: JSON.stringify(body),
  });
  const text = await r.text();
  assert.equal(r.status, 202, text);
  return JSON.parse(text);
}

const inEnglish = (login) => signedInEnglish(e2e.browser, e2e.url, login);

// Posts `event` until the agent's socket was told (the feed may still be connecting).
async function ringUntilTold(body) {
  for (let i = 0; i < 50; i++) {
    const answer = await cti(body);
    if (answer.clients > 0) return answer;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error("the agent's console never got the call");
}

test("a CTI call pops the caller card; Take call prefills the call screen; resolved on the spot as a phone ticket", async () => {
  const l1 = await inEnglish("l1.agent");
  const { page } = l1;
  await page.getByRole("heading", { name: "Queue: Service Desk" }).waitFor();
  await page.getByText("Live", { exact: true }).waitFor();

  const callId = `pbx-${Date.now()}`;
  await ringUntilTold({ event: "ringing", call_id: callId, caller: "+49 30 1234567", extension: "201" });
  const pop = page.getByRole("region", { name: /Incoming call/ });
  await pop.waitFor({ timeout: 5000 });
  await pop.getByText("Clara Kundin").waitFor();
  await pop.getByText("Ringing").waitFor();
  // Announced for screen readers.
  await page.getByRole("status").filter({ hasText: "Incoming call from Clara Kundin" }).waitFor();
  await noSeriousViolations(page, "the call pop");

  await cti({ event: "answered", call_id: callId, caller: "+49 30 1234567", extension: "201" });
  await pop.getByText("Answered").waitFor();
  // By keyboard: the pop's button is reachable and works with Enter.
  await pop.getByRole("button", { name: "Take call" }).focus();
  await page.keyboard.press("Enter");

  await page.getByRole("heading", { name: /New call/ }).waitFor();
  assert.equal(await page.getByLabel("Calling number (optional)").inputValue(), "+49301234567");
  await page.getByText(/Caller: Clara Kundin/).waitFor();
  await page.getByRole("region", { name: "Caller card" }).getByText("Clara Kundin").waitFor();
  await page.waitForFunction(() => document.activeElement?.id === "call-subject");
  await noSeriousViolations(page, "the prefilled call screen");

  await cti({ event: "ended", call_id: callId, caller: "+49 30 1234567", extension: "201", duration_seconds: 185 });
  await page.getByRole("timer", { name: "Call duration" }).getByText("3:05").waitFor();
  // The ended call does not pop again.
  assert.equal(await page.getByRole("region", { name: /Incoming call/ }).count(), 0);

  const subject = `Password reset by phone ${Date.now()}`;
  await page.getByLabel("Subject").fill(subject);
  await page.getByLabel("Notes (taken while talking)").fill("Reset the password, she signed in while on the phone.");
  await page.getByRole("button", { name: "Create as resolved" }).click();
  await page.getByRole("heading", { name: new RegExp(subject) }).waitFor();

  const token = await apiToken("l1.agent");
  const id = Number(page.url().match(/tickets\/(\d+)/)[1]);
  const r = await fetch(`${e2e.url}/api/v1/tickets/${id}`, { headers: { Authorization: `Bearer ${token}` } });
  const ticket = await r.json();
  assert.equal(ticket.channel, "phone");
  assert.equal(ticket.status, "resolved");
  const me = await fetch(`${e2e.url}/api/v1/callers?number=${encodeURIComponent("+49 30 1234567")}`, {
    headers: { Authorization: `Bearer ${token}` },
  }).then((x) => x.json());
  assert.equal(ticket.requester_id, me.user.id);
  await l1.context.close();
});

test("German: a number typed on the call screen is looked up; the caller card lists her open tickets", async () => {
  const { context, page } = await signedIn(e2e.browser, e2e.url, "l1.agent", "de");
  await page.getByRole("heading", { name: /Warteschlange/ }).waitFor();
  await page.getByRole("link", { name: "Neuer Anruf" }).click();
  await page.getByRole("heading", { name: /Neuer Anruf/ }).waitFor();
  await page.getByLabel("Rufnummer (optional)").fill("+49 30 1234567");
  await page.getByLabel("Rufnummer (optional)").press("Enter");
  const card = page.getByRole("region", { name: "Anruferkarte" });
  await card.getByText("Clara Kundin").waitFor();
  await page.getByText(/Anrufer: Clara Kundin/).waitFor();
  const links = card.getByRole("list", { name: "Offene Tickets" }).getByRole("link");
  assert.ok((await links.count()) > 0, "Clara has open tickets in the demo");
  await noSeriousViolations(page, "the call screen with a caller card (German)");

  // A CTI pop in German, dismissed by keyboard.
  await ringUntilTold({ event: "ringing", call_id: `pbx-de-${Date.now()}`, caller: "anonymous", extension: "201" });
  const pop = page.getByRole("region", { name: /Eingehender Anruf/ });
  await pop.getByText("Rufnummer unterdrückt").first().waitFor();
  await pop.getByRole("button", { name: "Schließen" }).focus();
  await page.keyboard.press("Enter");
  assert.equal(await pop.count(), 0);
  await context.close();
});

test("two calls at once: the pops stack, newest first; 'a' takes the newest, the other stays", async () => {
  const l1 = await inEnglish("l1.agent");
  const { page } = l1;
  await page.getByRole("heading", { name: "Queue: Service Desk" }).waitFor();
  await page.getByText("Live", { exact: true }).waitFor();

  const first = `pbx-a-${Date.now()}`;
  const second = `pbx-b-${Date.now()}`;
  await ringUntilTold({ event: "ringing", call_id: first, caller: "+49 30 1234567", extension: "201" });
  await page.getByRole("region", { name: /Incoming call/ }).getByText("Clara Kundin").waitFor();
  await cti({ event: "ringing", call_id: second, caller: "+49 89 5550100", extension: "201" });
  const pops = page.getByRole("region", { name: /Incoming call/ });
  await page.waitForFunction(() => document.querySelectorAll(".call-pop").length === 2);
  assert.match(await pops.nth(0).textContent(), /\+49895550100/, "the newest on top");
  assert.match(await pops.nth(1).textContent(), /Clara Kundin/);
  await noSeriousViolations(page, "two stacked call pops");

  // The shortcut takes the newest; Clara's call keeps ringing in its pop.
  await page.locator("body").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("a");
  await page.getByRole("heading", { name: /New call/ }).waitFor();
  assert.equal(await page.getByLabel("Calling number (optional)").inputValue(), "+49895550100");
  assert.equal(await pops.count(), 1);
  assert.match(await pops.first().textContent(), /Clara Kundin/);
  await l1.context.close();
});
