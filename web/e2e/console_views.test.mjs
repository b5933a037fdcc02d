// Saved views of the queue in a real browser: an agent saves the current filters under a
// name, applies the view later, renames it, saves new filters into it and deletes it (keyboard, English); a supervisor shares a view
// with their teams and a member of those teams sees it, read-only (German); axe-core.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  signedIn,
  noSeriousViolations,
  apiToken,
  apiGet,
  withServerAndBrowser,
} from "./harness.mjs";

const e2e = withServerAndBrowser();

test("save the current filters as a view, apply it, rename it, overwrite it, delete it", async () => {
  const { context, page } = await signedIn(e2e.browser, e2e.url, "l1.agent", "en");
  await page.getByRole("heading", { name: /Warteschlange/ }).waitFor();
  await page.getByLabel("Sprache").selectOption("en");
  await page.getByRole("heading", { name: "Queue: Service Desk" }).waitFor();
  await page.getByText("No saved views yet.").waitFor();

  await page.getByRole("group", { name: "SLA" }).getByLabel("Breached").check();
  await page.getByRole("group", { name: "Priority" }).getByLabel("P1").check();
  await page.waitForURL(/priority=P1/);
  await page.getByLabel("Save the current filters as").fill("Desk: P1 breached");
  await page.getByLabel("Save the current filters as").press("Enter");
  await page.getByRole("status").getByText("View “Desk: P1 breached” saved.").waitFor();
  await noSeriousViolations(page, "the queue with saved views");

  // Clear the filters, then apply the view by keyboard.
  await page.getByRole("group", { name: "SLA" }).getByLabel("Breached").uncheck();
  await page.getByRole("group", { name: "Priority" }).getByLabel("P1").uncheck();
  await page.waitForURL((u) => !u.search.includes("priority"));
  assert.equal(await page.getByLabel("View", { exact: true }).locator("option:checked").textContent(), "Desk: P1 breached");
  await page.getByRole("button", { name: "Apply view" }).focus();
  await page.keyboard.press("Enter");
  await page.waitForURL(/priority=P1/);
  assert.match(page.url(), /sla=breached/);
  assert.ok(await page.getByRole("group", { name: "Priority" }).getByLabel("P1").isChecked());

  // Renamed; then the current filters (P2 instead of P1) saved into it.
  await page.getByRole("button", { name: "Rename" }).click();
  await page.getByLabel("New name for “Desk: P1 breached”").fill("Desk: urgent breached");
  await page.getByLabel("New name for “Desk: P1 breached”").press("Enter");
  await page.getByRole("status").getByText("View renamed to “Desk: urgent breached”.").waitFor();
  await page.getByRole("group", { name: "Priority" }).getByLabel("P2").check();
  await page.waitForURL(/priority=P1,P2/);
  await page.getByRole("button", { name: "Save current filters into it" }).click();
  await page.getByRole("status").getByText("View “Desk: urgent breached” now has the current filters.").waitFor();
  const token = await apiToken(e2e.url, "l1.agent");
  const saved = (await apiGet(e2e.url, "/api/v1/me/views", token)).items;
  assert.equal(saved.length, 1);
  assert.equal(saved[0].name, "Desk: urgent breached");
  assert.match(saved[0].query, /priority=P1,P2/);

  await page.getByRole("button", { name: "Delete view" }).click();
  await page.getByRole("status").getByText("View “Desk: urgent breached” deleted.").waitFor();
  await page.getByText("No saved views yet.").waitFor();
  await context.close();
});

test("a supervisor shares a view; a team member sees it without being able to delete it (German)", async () => {
  const sup = await signedIn(e2e.browser, e2e.url, "supervisor", "de");
  await sup.page.getByRole("heading", { name: /Warteschlange/ }).waitFor();
  await sup.page.getByRole("group", { name: "SLA" }).getByLabel("Gefährdet").check();
  await sup.page.waitForURL(/sla=at_risk/);
  await sup.page.getByLabel("Aktuelle Filter speichern als").fill("Gefährdet zuerst");
  await sup.page.getByLabel("Mit meinen Teams teilen").check();
  await sup.page.getByRole("button", { name: "Ansicht speichern" }).click();
  await sup.page.getByRole("status").getByText("Ansicht „Gefährdet zuerst“ gespeichert.").waitFor();
  await noSeriousViolations(sup.page, "saved views in German");
  await sup.context.close();

  // A member of the supervisor's teams (the demo's l1.agent, Service Desk).
  const member = await signedIn(e2e.browser, e2e.url, "l1.agent", "de");
  await member.page.getByRole("heading", { name: /Warteschlange/ }).waitFor();
  const list = member.page.getByLabel("Ansicht", { exact: true });
  await list.locator("option", { hasText: "Gefährdet zuerst (mit Ihnen geteilt)" }).waitFor({ state: "attached" });
  await list.selectOption({ label: "Gefährdet zuerst (mit Ihnen geteilt)" });
  assert.equal(await member.page.getByRole("button", { name: "Ansicht löschen" }).count(), 0);
  await member.page.getByRole("button", { name: "Ansicht anwenden" }).click();
  await member.page.waitForURL(/sla=at_risk/);
  await member.context.close();
});
