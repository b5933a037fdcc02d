// Ticket search in the console, in a real browser: "s" focuses the box in the console's
// navigation; words list the best matches with highlighted snippets (GET /tickets/search,
// within the agent's access); a ticket number opens the ticket at once; axe-core; German.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  apiGet,
  apiToken,
  noSeriousViolations,
  signedIn,
  signedInEnglish,
  withServerAndBrowser,
} from "./harness.mjs";

const e2e = withServerAndBrowser();

test("words find tickets with highlighted snippets; a number opens the ticket", async () => {
  const { context, page } = await signedInEnglish(e2e.browser, e2e.url, "l1.agent");
  await page.getByRole("heading", { name: "Queue: Service Desk" }).waitFor();
  const token = await apiToken(e2e.url, "l1.agent");
  const expected = await apiGet(e2e.url, "/api/v1/tickets/search?q=drucker&limit=50", token);
  assert.ok(expected.items.length > 0, "the demo has printer tickets at line 1");

  await page.locator("body").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("s");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "ticket-search");
  await page.keyboard.type("drucker");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Tickets matching “drucker”" }).waitFor();
  await page.waitForURL(/\/console\/search\?q=drucker/);
  const hits = page.locator(".search-hits li");
  await hits.first().waitFor();
  assert.equal(await hits.count(), expected.items.length);
  assert.match(await hits.first().locator("a").textContent(), new RegExp(`#${expected.items[0].number}`));
  assert.ok((await page.locator(".search-hits mark").count()) > 0, "matches are highlighted");
  await noSeriousViolations(page, "ticket search results");

  // A second search from the results page.
  const other = expected.items[0];
  await page.getByLabel("Search tickets").fill(`#${other.number}`);
  await page.getByLabel("Search tickets").press("Enter");
  await page.waitForURL(new RegExp(`/console/tickets/${other.id}$`));
  await page.getByRole("heading", { level: 1, name: new RegExp(`#${other.number}`) }).waitFor();
  await context.close();
});

test("German: the search box and an empty answer", async () => {
  const { context, page } = await signedIn(e2e.browser, e2e.url, "l1.agent", "de");
  await page.getByRole("heading", { name: /Warteschlange/ }).waitFor();
  await page.getByLabel("Tickets suchen").fill("zzzxqv");
  await page.getByRole("button", { name: "Tickets suchen" }).click();
  await page.getByRole("heading", { name: "Tickets zu „zzzxqv“" }).waitFor();
  await page.getByRole("status").filter({ hasText: "0 gefunden" }).waitFor();
  await context.close();
});
