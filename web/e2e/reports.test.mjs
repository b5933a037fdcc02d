// The supervisors' dashboard (issue 8, docs/reports.md "Dashboard") in a real browser: the
// supervisor opens Reports from the console, sees line 1's figures on the demo data, switches
// report and period, compares with the previous period, drills from a figure to its tickets
// and on into a ticket, drills a table row, and downloads the figures and a table as CSV; an
// agent has no Reports entry (and the API refuses them); axe-core on the page and the
// drill-down.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { apiToken, noSeriousViolations, signedInEnglish, withServerAndBrowser } from "./harness.mjs";

const e2e = withServerAndBrowser();

const DAY = 86_400_000;
const day = (ms) => new Date(ms).toISOString().slice(0, 10);

async function report(token, name, query) {
  const r = await fetch(`${e2e.url}/api/v1/reports/${name}?${new URLSearchParams(query)}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  assert.equal(r.status, 200, `${name}: ${r.status}`);
  return r.json();
}

// The report facts follow the event feed every 2 s: wait until line 1 has a figure with tickets
// behind it on the demo data. Answers that figure, in the period the page asks for by default.
async function drillableLine1Figure(token) {
  const tomorrow = Math.floor(Date.now() / DAY) * DAY + DAY;
  const period = { from: day(tomorrow - 30 * DAY), to: day(tomorrow) };
  for (let i = 0; i < 40; i++) {
    const line1 = await report(token, "line1", period);
    const figure = line1.figures.find((f) => f.drill && typeof f.value === "number" && f.value > 0);
    if (figure) return figure;
    await new Promise((ok) => setTimeout(ok, 500));
  }
  assert.fail("line 1 has no figure with tickets behind it on the demo data");
}

test("a supervisor reads the reports, compares, drills into a ticket and downloads CSV", async () => {
  const token = await apiToken(e2e.url, "supervisor");
  const figure = await drillableLine1Figure(token);

  const { context, page } = await signedInEnglish(e2e.browser, e2e.url, "supervisor");
  const requests = [];
  page.on("request", (r) => r.url().includes("/api/v1/reports/") && requests.push(new URL(r.url())));
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Reports" }).click();
  await page.waitForURL(/\/console\/reports\/line1$/);
  await page.getByRole("heading", { name: "Reports", level: 1 }).waitFor();
  assert.equal(
    await page.getByRole("navigation", { name: "Reports" }).locator('[aria-current="page"]').textContent(),
    "Line 1",
  );

  // Line 1's figures on the demo data: one tile per figure the API answers.
  const tiles = page.locator(".figure-tile");
  await tiles.first().waitFor();
  const line1 = await report(token, "line1", { from: requests.at(-1).searchParams.get("from"), to: requests.at(-1).searchParams.get("to") });
  assert.equal(await tiles.count(), line1.figures.length);
  const tile = page.locator(`[data-figure="${figure.name}"]`);
  assert.equal((await tile.locator(".figure-value").innerText()).split("\n")[0].trim(), String(figure.value));
  // Tables as tables; a chart for each table that asks for one and has rows.
  for (const table of line1.tables) {
    if (table.rows.length === 0) continue;
    assert.equal(await page.locator(`#table-${table.name} ~ .table-scroll tbody tr`).count(), table.rows.length, table.name);
    if (table.chart) assert.equal(await page.locator(`#table-${table.name} ~ .report-chart`).count(), 1, table.name);
  }
  await noSeriousViolations(page, "the line 1 report");

  // Another report, then another period: the URL and the API request follow.
  await page.getByRole("navigation", { name: "Reports" }).getByRole("link", { name: "Escalation" }).click();
  await page.waitForURL(/\/console\/reports\/escalation$/);
  await page.waitForFunction(() => document.querySelector(".report")?.getAttribute("aria-busy") === null && !!document.querySelector(".figure-tile, .report .empty"));
  assert.equal(requests.at(-1).pathname, "/api/v1/reports/escalation");
  await page.getByLabel("Range").selectOption("7");
  await page.waitForURL(/\/console\/reports\/escalation\?period=7$/);
  await page.waitForFunction(() => !document.querySelector('.report[aria-busy="true"]'));
  const asked = requests.at(-1).searchParams;
  assert.equal((Date.parse(asked.get("to")) - Date.parse(asked.get("from"))) / DAY, 7);
  // A custom period; then back to line 1 over the last 30 days, which keeps the query.
  await page.getByLabel("Range").selectOption("custom");
  await page.getByLabel("From").fill(day(Date.now() - 10 * DAY));
  await page.getByLabel("Until (inclusive)").fill(day(Date.now()));
  await page.waitForURL(/period=custom&from=.*&until=/);
  await page.getByLabel("Range").selectOption("30");
  await page.getByRole("navigation", { name: "Reports" }).getByRole("link", { name: "Line 1" }).click();
  await page.waitForURL(/\/console\/reports\/line1$/);

  // Compare with the previous period: each figure shows its previous value and the change.
  await page.getByLabel("Compare with the previous period").check();
  await page.waitForURL(/compare=previous/);
  await tile.getByText(/^Previous: /).waitFor();
  assert.equal(requests.at(-1).searchParams.get("compare"), "previous");
  assert.equal(await page.locator(".figure-previous").count(), line1.figures.length);
  await noSeriousViolations(page, "the line 1 report compared with the previous period");

  // The figures as CSV: the response is the API's CSV with the previous values.
  const [csv, download] = await Promise.all([
    page.waitForResponse((r) => r.url().includes("/api/v1/reports/line1?") && r.url().includes("format=csv")),
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download the figures as CSV" }).click(),
  ]);
  assert.equal(csv.status(), 200);
  assert.match(csv.headers()["content-type"], /^text\/csv/);
  // The saved file is the response's body.
  const text = await readFile(await download.path(), "utf8");
  assert.match(text.split(/\r?\n/)[0], /^figure,value,previous/);
  assert.ok(text.includes(`\n${figure.name},`), text);
  assert.match(download.suggestedFilename(), /^line1-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d\.csv$/);
  // A table as CSV: its columns as the header.
  const table = line1.tables[0];
  const [tableCsv, tableDownload] = await Promise.all([
    page.waitForResponse((r) => r.url().includes(`table=${table.name}`)),
    page.waitForEvent("download"),
    page.locator(`#table-${table.name} ~ p a`).click(),
  ]);
  assert.equal(tableCsv.status(), 200);
  assert.equal((await readFile(await tableDownload.path(), "utf8")).split(/\r?\n/)[0], table.columns.join(","));

  // A table row drills by its first cell.
  const drilling = line1.tables.find((t) => t.drill_by && t.rows.length > 0);
  assert.ok(drilling, "line 1 has a table that drills, with rows");
  {
    await page.locator(`#table-${drilling.name} ~ .table-scroll tbody th button`).first().click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText(/^(Tickets: \d+|No tickets behind this figure\.)/).waitFor();
    const drilled = requests.at(-1).searchParams;
    assert.equal(drilled.get("figure"), drilling.drill_figure);
    assert.equal(drilled.get(drilling.drill_by), String(drilling.rows[0][0]));
    await dialog.getByRole("button", { name: "Close" }).click();
  }

  // Drill from the figure to its tickets, then into one of them.
  await tile.getByRole("button", { name: /Show the tickets behind/ }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByText(/^Tickets: \d+/).waitFor();
  assert.equal(requests.at(-1).pathname, "/api/v1/reports/line1/tickets");
  assert.equal(requests.at(-1).searchParams.get("figure"), figure.drill);
  await noSeriousViolations(page, "the tickets behind a figure");
  const first = dialog.getByRole("link").first();
  const number = (await first.textContent()).trim();
  await first.click();
  await page.waitForURL(/\/console\/tickets\/\d+$/);
  await page.getByRole("heading", { level: 1, name: new RegExp(`^${number} `) }).waitFor();
  await context.close();
});

test("an agent has no Reports entry, and the API refuses them", async () => {
  const { context, page } = await signedInEnglish(e2e.browser, e2e.url, "l1.agent");
  const nav = page.getByRole("navigation", { name: "Console" });
  await nav.getByRole("link", { name: "Queue" }).waitFor();
  assert.equal(await nav.getByRole("link", { name: "Reports" }).count(), 0);
  const token = await apiToken(e2e.url, "l1.agent");
  const r = await fetch(`${e2e.url}/api/v1/reports/line1?from=${day(Date.now() - 30 * DAY)}&to=${day(Date.now())}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  assert.equal(r.status, 403);
  // A typed-in address shows the queue, not the reports.
  await page.goto(e2e.url + "/console/reports/line1");
  await page.getByRole("heading", { name: /^Queue/ }).waitFor();
  assert.equal(await page.getByRole("heading", { name: "Reports" }).count(), 0);
  await context.close();
});

test("the reports in German", async () => {
  const { context, page } = await signedInEnglish(e2e.browser, e2e.url, "supervisor");
  await page.getByLabel("Language").selectOption("de");
  await page.getByRole("link", { name: "Berichte" }).click();
  await page.getByRole("heading", { name: "Berichte", level: 1 }).waitFor();
  await page.getByRole("link", { name: "Zufriedenheit" }).click();
  await page.getByLabel("Mit dem vorigen Zeitraum vergleichen").waitFor();
  await page.getByRole("heading", { name: "Kennzahlen" }).waitFor();
  await noSeriousViolations(page, "the reports in German");
  await context.close();
});
