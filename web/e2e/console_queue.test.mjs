// The queue's SLA view in a real browser: priority and SLA-state filters, sort by SLA due (the
// default for team queues), SLA badges in the rows that move on as the warning and due times
// pass (the page's clock fast-forwarded), counts per queue from GET /queues in the queue
// picker; axe-core in English and German.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  DEMO_PASSWORD,
  signedIn,
  noSeriousViolations,
  apiToken as tokenFor,
  withServerAndBrowser,
} from "./harness.mjs";

const e2e = withServerAndBrowser();

const apiToken = (login) => tokenFor(e2e.url, login);

test("team queue: sorted by SLA due with badges, filtered by priority and SLA state, counts in the picker", async () => {
  const { context, page } = await signedIn(e2e.browser, e2e.url, "l1.agent", "en");
  await page.getByRole("heading", { name: /Warteschlange/ }).waitFor();
  await page.getByLabel("Sprache").selectOption("en");
  await page.getByRole("heading", { name: "Queue: Service Desk" }).waitFor();
  assert.equal(await page.getByLabel("Sort").inputValue(), "sla_due");
  await page.locator("tbody tr").first().waitFor();

  // The rows in the server's SLA-due order, each with its badge.
  const token = await apiToken("l1.agent");
  const me = await fetch(e2e.url + "/api/v1/me", { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.json());
  const team = me.teams.find((x) => x.line === 1).id;
  const api = await fetch(`${e2e.url}/api/v1/tickets?team=${team}&status=new,open,pending_customer,pending_vendor&sort=sla_due&limit=100`, {
    headers: { Authorization: `Bearer ${token}` },
  }).then((r) => r.json());
  const shown = await page.locator("tbody tr").evaluateAll((rows) => rows.map((r) => Number(r.dataset.ticket)));
  assert.deepEqual(shown, api.items.map((x) => x.number));
  assert.equal(await page.locator("tbody tr").count(), await page.locator("tbody tr td .sla-badge, tbody tr td .muted").count());

  // Counts per queue in the picker.
  const option = page.locator("#queue-scope option", { hasText: "Service Desk" }).first();
  await page.waitForFunction(() => /open, \d+ at risk, \d+ breached/.test(document.querySelector("#queue-scope")?.textContent ?? ""));
  const counts = await fetch(e2e.url + "/api/v1/queues", { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.json());
  const mine = counts.teams.find((c) => c.team.id === team);
  assert.match(await option.textContent(), new RegExp(`${mine.open} open, ${mine.at_risk} at risk, ${mine.breached} breached`));
  await noSeriousViolations(page, "the queue with SLA badges");

  // A new request arrives live: the picker's count follows (throttled, within seconds).
  const customer = await apiToken("customer1");
  const created = await fetch(e2e.url + "/api/v1/tickets", {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${customer}` },
    body: JSON.stringify({ subject: `Counts ${Date.now()}`, description: "VPN drops every hour." }),
  });
  assert.equal(created.status, 201);
  const after = await fetch(e2e.url + "/api/v1/queues", { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.json());
  const now = after.teams.find((c) => c.team.id === team);
  assert.equal(now.open, mine.open + 1);
  await page.waitForFunction(
    (want) => [...document.querySelectorAll("#queue-scope option")].some((o) => o.textContent.includes(want)),
    `Service Desk (L1) — ${now.open} open`,
    { timeout: 10_000 },
  );

  // Priority filter: the first row's priority only.
  const prio = (await page.locator("tbody tr").first().locator(".prio").textContent()).trim();
  await page.getByRole("group", { name: "Priority" }).getByLabel(prio).check();
  await page.waitForURL(new RegExp(`priority=${prio}`));
  await page.waitForFunction(
    (p) => [...document.querySelectorAll("tbody tr .prio")].every((x) => x.textContent.trim() === p),
    prio,
  );
  await page.getByRole("group", { name: "Priority" }).getByLabel(prio).uncheck();

  // SLA filter: only running ones.
  await page.getByRole("group", { name: "SLA" }).getByLabel("Running").check();
  await page.waitForURL(/sla=running/);
  await page.waitForFunction(() => [...document.querySelectorAll("tbody tr [data-sla]")].every((x) => x.dataset.sla === "running"));
  await page.getByRole("group", { name: "SLA" }).getByLabel("Running").uncheck();

  // Several tags: tickets with all of them (typed separated by spaces, kept in the URL).
  const both = `both${Date.now()}`;
  const only = `only${Date.now()}`;
  const filed = async (tags) => {
    const r = await fetch(e2e.url + "/api/v1/tickets", {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify({ subject: `Tags ${tags.join(" ")}`, description: "Tagged.", tags }),
    });
    assert.equal(r.status, 201);
    return (await r.json()).number;
  };
  const withBoth = await filed([both, only]);
  await filed([only]);
  await page.getByLabel("Tags").fill(`${only} ${both.toUpperCase()}`);
  await page.getByLabel("Tags").press("Enter");
  await page.waitForURL(new RegExp(`tag=${only},${both}`));
  await page.waitForFunction(
    (n) => [...document.querySelectorAll("tbody tr")].map((r) => Number(r.dataset.ticket)).join() === String(n),
    withBoth,
  );
  await page.getByLabel("Tags").fill("");
  await page.getByLabel("Tags").press("Enter");

  // Sort by keyboard: newest first.
  await page.getByLabel("Sort").focus();
  await page.getByLabel("Sort").selectOption("newest");
  await page.waitForURL(/sort=newest/);
  await context.close();
});

test("SLA badges turn amber, then red as time passes, without a reload (German)", async () => {
  const context = await e2e.browser.newContext({ locale: "de-DE" });
  const page = await context.newPage();
  await page.clock.install();
  await page.goto(e2e.url + "/");
  await page.getByLabel("Benutzername").fill("l1.agent");
  await page.getByLabel("Passwort").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Anmelden" }).click();
  await page.getByRole("heading", { name: /Warteschlange: Service Desk/ }).waitFor();
  await page.locator("tbody tr").first().waitFor();
  const running = await page.locator('[data-sla="running"]').count();
  assert.ok(running > 0, "the demo has running SLA clocks");
  await noSeriousViolations(page, "the queue in German");

  // Half-way between one ticket's warning and due time: that row turns amber.
  const token = await apiToken("l1.agent");
  const me = await fetch(e2e.url + "/api/v1/me", { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.json());
  const team = me.teams.find((x) => x.line === 1).id;
  const api = await fetch(`${e2e.url}/api/v1/tickets?team=${team}&sla=running&sort=sla_due`, {
    headers: { Authorization: `Bearer ${token}` },
  }).then((r) => r.json());
  const one = api.items.find((x) => x.sla_warn_at && x.sla_due_at);
  const pageNow = await page.evaluate(() => Date.now());
  const warn = Date.parse(one.sla_warn_at);
  const due = Date.parse(one.sla_due_at);
  await page.clock.fastForward(Math.round(warn + (due - warn) / 2 - pageNow));
  const row = page.locator(`tr[data-ticket="${one.number}"]`);
  await row.locator('.sla-badge.amber[data-sla="at_risk"]').getByText("Gefährdet").waitFor();

  await page.clock.fastForward(100 * 24 * 3600 * 1000);
  await page.waitForFunction(() => document.querySelectorAll('[data-sla="running"]').length === 0);
  assert.ok((await page.locator('[data-sla="breached"]').count()) >= running);
  await page.locator(".sla-badge.red").first().getByText("Verletzt").waitFor();
  await context.close();
});
