// The frame of the UI in a real browser: signing in leads staff to the console and customers
// to the portal, the language is chosen from the browser and switchable, a ticket created
// elsewhere appears in the queue live, and the pages pass axe-core without serious issues.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  seriousViolations,
  signedIn,
  apiToken as tokenFor,
  withServerAndBrowser,
} from "./harness.mjs";

const e2e = withServerAndBrowser();

const apiToken = (login) => tokenFor(e2e.url, login);

test("a wrong password is refused with a message", async () => {
  const context = await e2e.browser.newContext({ locale: "en-US" });
  const page = await context.newPage();
  await page.goto(e2e.url + "/");
  await page.getByLabel("Login").fill("l1.agent");
  await page.getByLabel("Password").fill("wrong-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("alert").filter({ hasText: "wrong" }).waitFor();
  assert.deepEqual(await seriousViolations(page), []);
  await context.close();
});

test("an agent's queue updates live; German from the e2e.browser, English on request", async () => {
  const { context, page } = await signedIn(e2e.browser, e2e.url, "l1.agent", "de");
  await page.getByRole("heading", { name: /Warteschlange: Service Desk/ }).waitFor();
  await page.getByText("Live", { exact: true }).waitFor();
  assert.deepEqual(await seriousViolations(page), []);

  const token = await apiToken("customer1");
  const subject = `Monitor flackert ${Date.now()}`;
  const created = await fetch(e2e.url + "/api/v1/tickets", {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify({ subject }),
  });
  assert.equal(created.status, 201);
  await page.getByRole("cell", { name: subject }).waitFor({ timeout: 5000 });

  await page.getByLabel("Sprache").selectOption("en");
  await page.getByRole("heading", { name: /Queue: Service Desk/ }).waitFor();
  await page.reload();
  await page.getByRole("heading", { name: /Queue: Service Desk/ }).waitFor();
  await context.close();
});

test("a customer lands in the portal and sees only their own tickets", async () => {
  const { context, page } = await signedIn(e2e.browser, e2e.url, "customer2", "en");
  await page.getByRole("heading", { name: "My tickets" }).waitFor();
  const token = await apiToken("customer2");
  const mine = await (
    await fetch(e2e.url + "/api/v1/tickets?limit=100", { headers: { Authorization: `Bearer ${token}` } })
  ).json();
  // The heading shows before the list has loaded: wait for the rows, then count them.
  const rowsOnPage = page.locator("table.tickets tbody tr");
  if (mine.items.length > 0) await rowsOnPage.nth(mine.items.length - 1).waitFor();
  const rows = await rowsOnPage.count();
  assert.equal(rows, mine.items.length);
  assert.deepEqual(await seriousViolations(page), []);
  await page.getByRole("button", { name: /Sign out/ }).click();
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await context.close();
});
