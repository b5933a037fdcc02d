// The Staffing tab of the supervisors' dashboard (docs/reports.md "Dashboard", docs/staffing.md
// "Measured staffing and what-if over the API") in a real browser, on the demo desk: the week
// heat map has a cell per hour (168), marks the hours planned below their need as the API
// counts them, follows the desk selector; the what-if posts the levers and its answer changes
// with them; a lever the server refuses is shown at its field; the plan is edited and saved;
// axe-core on the tab, the what-if's answer and the German page.
import assert from "node:assert/strict";
import { test } from "node:test";
import { apiToken, noSeriousViolations, signedInEnglish, withServerAndBrowser } from "./harness.mjs";

const e2e = withServerAndBrowser();

const DAY = 86_400_000;
const day = (ms) => new Date(ms).toISOString().slice(0, 10);

// The period the page asks for by default: the last 30 days.
function defaultPeriod() {
  const tomorrow = Math.floor(Date.now() / DAY) * DAY + DAY;
  return { from: day(tomorrow - 30 * DAY), to: day(tomorrow) };
}

async function api(token, method, path, body) {
  const r = await fetch(e2e.url + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  assert.equal(r.status, 200, `${method} ${path}: ${r.status} ${await r.clone().text()}`);
  return r.json();
}

const staffing = (token, query) => api(token, "GET", `/api/v1/reports/staffing?${new URLSearchParams({ ...defaultPeriod(), ...query })}`);

// The report facts follow the event feed every 2 s: wait until line 1 needs someone somewhere.
async function measuredWeek(token) {
  for (let i = 0; i < 40; i++) {
    const report = await staffing(token, {});
    const week = report.tables.find((t) => t.name === "week");
    if (week.rows.some((r) => r[3] > 0)) return report;
    await new Promise((ok) => setTimeout(ok, 500));
  }
  assert.fail("the staffing report has no arrivals on the demo data");
}

test("a supervisor reads the staffing heat map and runs a what-if", async () => {
  const token = await apiToken(e2e.url, "supervisor");
  await measuredWeek(token);
  // A plan for line 1 that leaves most of the week short: one agent on Monday 00-01.
  const plan = await api(token, "GET", "/api/v1/staffing/plan");
  await api(token, "PUT", "/api/v1/staffing/plan", {
    version: plan.version,
    desks: { line1: { shifts: [{ days: ["mon"], from: 0, to: 1, agents: 1 }] } },
  });
  const { context, page } = await signedInEnglish(e2e.browser, e2e.url, "supervisor");
  const requests = [];
  page.on("request", (r) => r.url().includes("/api/v1/") && requests.push(r));
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Reports" }).click();
  // The map is checked against the report the page was given (the facts may still grow).
  const [answer] = await Promise.all([
    page.waitForResponse((r) => r.url().includes("/api/v1/reports/staffing?") && r.url().includes("line=line1")),
    page.getByRole("navigation", { name: "Reports" }).getByRole("link", { name: "Staffing" }).click(),
  ]);
  await page.waitForURL(/\/console\/reports\/staffing$/);
  const report = await answer.json();
  const week = report.tables.find((t) => t.name === "week");
  const short = week.rows.filter((r) => r[4] !== null && r[4] < r[3]).length;
  assert.ok(short > 0, "the plan leaves some hour short");
  assert.equal(
    await page.getByRole("navigation", { name: "Reports" }).locator('[aria-current="page"]').textContent(),
    "Staffing",
  );
  // The line filter and "compare" do not apply here.
  assert.equal(await page.getByLabel("Compare with the previous period").count(), 0);
  assert.equal(await page.getByLabel("Line", { exact: true }).count(), 0);

  // The heat map: a cell per hour of the week, the short ones marked in words too.
  const map = page.getByRole("table", { name: /^Week of Line 1/ });
  await map.waitFor();
  assert.equal(await map.locator("td.heat-cell").count(), 168);
  assert.equal(await map.locator("td.heat-cell.short").count(), short);
  assert.equal(await map.locator("td.heat-cell").filter({ hasText: /short by \d+$/ }).count(), short);
  const monday0 = map.locator("tbody tr").first().locator("td").first();
  assert.match(await monday0.innerText(), /Mon 00:00: \d+ needed, 1 planned/);
  await page
    .getByText(short === 1 ? "One hour of the week is planned below its need." : `${short} hours of the week are planned below their need.`)
    .waitFor();
  await page.getByText("framed, with “!”: fewer planned than needed").waitFor();
  await noSeriousViolations(page, "the staffing tab");

  // Another desk: the report is asked for it, and its week has no plan.
  await page.getByLabel(/^Desk/).selectOption("line2");
  await page.getByRole("table", { name: /^Week of Line 2/ }).waitFor();
  assert.equal(new URL(requests.filter((r) => r.url().includes("/reports/staffing")).at(-1).url()).searchParams.get("line"), "line2");
  assert.equal(await page.locator("td.heat-cell").count(), 168);
  assert.equal(await page.locator("td.heat-cell.short").count(), 0);
  await page.getByText("This desk has no plan: the map shows the need only.").waitFor();

  // The what-if: the defaults are the measured shares; its answer changes with the levers.
  const flr = report.figures.find((f) => f.name === "first_line_resolution").value;
  if (typeof flr === "number")
    assert.equal(Number(await page.getByLabel("Solved at line 1 without escalation (%)").inputValue()), Math.round(flr * 100000) / 1000);
  const factor = page.getByLabel("Arrivals (factor)");
  assert.equal(await factor.inputValue(), "1");
  const simulate = async () => {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/api/v1/staffing/what-if")),
      page.getByRole("button", { name: "Simulate" }).click(),
    ]);
    return response;
  };
  let response = await simulate();
  assert.equal(response.status(), 200);
  // Untouched levers are not sent: the scenario starts as measured.
  assert.deepEqual(JSON.parse(response.request().postData()).overrides, {});
  const desks = page.getByRole("table", { name: "Each desk, now and with the change" });
  await desks.waitFor();
  const base = await response.json();
  assert.deepEqual(
    await desks.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.dataset.desk)),
    base.desks.map((d) => d.desk),
  );
  const before = await desks.locator("tbody").innerText();
  await factor.fill("4");
  response = await simulate();
  assert.equal(response.status(), 200);
  assert.equal(JSON.parse(response.request().postData()).overrides.arrival_factor, 4);
  await page.waitForFunction((old) => document.querySelector(".what-if-desks tbody")?.innerText !== old, before);
  const changed = await response.json();
  const line1 = changed.desks.find((d) => d.desk === "line1");
  assert.equal(
    await desks.locator('tr[data-desk="line1"] td[data-measure="needed_agent_hours"][data-side="what_if"]').innerText(),
    new Intl.NumberFormat("en-GB", { maximumFractionDigits: 1 }).format(line1.what_if.needed_agent_hours),
  );
  await desks.locator('tr[data-desk="line1"] td[data-measure="sla_risk"]').first().getByText(/^(none \(no tickets\)|low|medium|high)$/).waitFor();
  await noSeriousViolations(page, "the what-if's answer");

  // A lever the server refuses: its message at the field.
  await page.getByLabel("Solved by self-service (%)").fill("100");
  response = await simulate();
  assert.equal(response.status(), 422);
  const deflection = page.getByLabel("Solved by self-service (%)");
  await page.locator("#lever-deflection_rate-err").getByText(/below 1/).waitFor();
  assert.equal(await deflection.getAttribute("aria-invalid"), "true");
  await page.getByRole("alert").getByText("Please correct the marked fields.").waitFor();
  await noSeriousViolations(page, "the what-if with a refused lever");
  await page.getByRole("button", { name: "Back to the measured values" }).click();
  await page.locator("#lever-deflection_rate-err").waitFor({ state: "detached" });
  assert.equal(await deflection.getAttribute("aria-invalid"), null);

  // The plan: line 2 gets a shift; a bad hour is named at its field, then the plan is saved.
  await page.getByText("Edit the plan").click();
  const line2 = page.getByRole("group", { name: "Line 2", exact: true });
  await line2.getByLabel("Planned").check();
  await line2.getByLabel("To (hour)").waitFor();
  await line2.getByLabel("To (hour)").fill("6");
  await page.getByRole("button", { name: "Save the plan" }).click();
  await line2.getByText("must be after from").waitFor();
  assert.equal(await line2.getByLabel("To (hour)").getAttribute("aria-invalid"), "true");
  await noSeriousViolations(page, "the plan with a refused shift");
  await line2.getByLabel("To (hour)").fill("17");
  await page.getByRole("button", { name: "Save the plan" }).click();
  await page.getByText(/^Plan saved \(version \d+\)\.$/).waitFor();
  const saved = await api(token, "GET", "/api/v1/staffing/plan");
  assert.deepEqual(saved.desks.line2, { shifts: [{ days: ["mon", "tue", "wed", "thu", "fri"], from: 8, to: 17, agents: 1 }] });
  assert.deepEqual(saved.desks.line1, { shifts: [{ days: ["mon"], from: 0, to: 1, agents: 1 }] });
  // The map reloads with the saved plan: line 2 now has planned agents.
  await page.getByRole("table", { name: /^Week of Line 2/ }).locator("td.heat-cell").first().getByText(/planned/).waitFor();

  // A line filter set on another tab is hidden here, and so is "Clear filters" for it alone.
  await page.goto(`${e2e.url}/console/reports/line1?line=2`);
  await page.getByRole("button", { name: "Clear filters" }).waitFor();
  await page.getByRole("navigation", { name: "Reports" }).getByRole("link", { name: "Staffing" }).click();
  await page.waitForURL(/\/console\/reports\/staffing\?line=2$/);
  await page.getByRole("table", { name: /^Week of / }).waitFor();
  assert.equal(await page.getByRole("button", { name: "Clear filters" }).count(), 0);
  await context.close();
});

test("the staffing tab in German", async () => {
  const { context, page } = await signedInEnglish(e2e.browser, e2e.url, "supervisor");
  await page.getByLabel("Language").selectOption("de");
  await page.getByRole("link", { name: "Berichte" }).click();
  await page.getByRole("link", { name: "Personalbedarf" }).click();
  await page.waitForURL(/\/console\/reports\/staffing$/);
  const map = page.getByRole("table", { name: /^Woche von Linie 1/ });
  await map.waitFor();
  assert.equal(await map.locator("td.heat-cell").count(), 168);
  await page.getByRole("heading", { name: "Was wäre, wenn …" }).waitFor();
  await page.getByLabel("Eingänge (Faktor)").waitFor();
  await page.getByRole("button", { name: "Simulieren" }).click();
  await page.getByRole("table", { name: "Jeder Schalter, jetzt und mit der Änderung" }).waitFor();
  await noSeriousViolations(page, "the staffing tab in German");
  await context.close();
});
