// The satisfaction rating (CSAT) in the portal: customer1 (whose language is German) opens one
// of their resolved requests, rates it 4 with a comment using the keyboard, sees the rating with
// "change", and the API has it; a change the server refuses (409) shows the server's message.
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

// The portal's part of the page (main) must fit a 320 px wide screen.
test("a customer rates a resolved request 4 with a comment, sees it and may change it (German)", async () => {
  const { context, page } = await signedIn(e2e.browser, e2e.url, "customer1", "en");
  await page.getByRole("heading", { level: 1, name: "Meine Tickets" }).waitFor();
  const token = await apiToken("customer1");
  const mine = await apiGet("/api/v1/tickets?limit=100", token);
  const resolved = mine.items.find((t) => t.status === "resolved");
  assert.ok(resolved, "the demo data has a resolved ticket for customer1");
  assert.equal((await apiGet(`/api/v1/tickets/${resolved.id}`, token)).rating, null);

  await page.getByRole("link", { name: resolved.subject }).click();
  await page.getByRole("heading", { level: 1, name: resolved.subject }).waitFor();
  const section = page.locator("#ticket-rating");
  const group = section.getByRole("group", { name: "Wie zufrieden sind Sie mit der Bearbeitung dieser Anfrage?" });
  await group.waitFor();
  for (const name of ["1 – sehr schlecht", "2 – schlecht", "3 – in Ordnung", "4 – gut", "5 – ausgezeichnet"])
    await group.getByRole("radio", { name }).waitFor();
  await noSeriousViolations(page, "resolved ticket with the rating form");
  await fitsNarrowScreen(page, "resolved ticket with the rating form");

  // Submitting without a score asks for one.
  await section.getByRole("button", { name: "Bewertung senden" }).click();
  await section.getByText("Bitte wählen Sie eine Bewertung von 1 bis 5.").waitFor();

  // Keyboard only: the first radio, Space chooses it, the arrow keys move the choice to 4.
  await group.getByRole("radio", { name: "1 – sehr schlecht" }).focus();
  await page.keyboard.press("Space");
  for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowDown");
  assert.equal(await group.getByRole("radio", { name: "4 – gut" }).isChecked(), true);
  await page.keyboard.press("Tab");
  await page.keyboard.type("Schnell gelöst, danke!");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "rating-comment");
  await noSeriousViolations(page, "rating form filled in");
  await section.getByRole("button", { name: "Bewertung senden" }).click();

  await section.getByText("Ihre Bewertung: 4 von 5 (gut)").waitFor();
  await section.getByText("Schnell gelöst, danke!").waitFor();
  await page.getByRole("status").getByText("Vielen Dank für Ihre Bewertung.").waitFor();
  const change = section.getByRole("button", { name: "Bewertung ändern" });
  await change.waitFor();
  await noSeriousViolations(page, "ticket with the rating given");
  await fitsNarrowScreen(page, "ticket with the rating given");

  const rated = await apiGet(`/api/v1/tickets/${resolved.id}`, token);
  assert.equal(rated.rating?.score, 4);
  assert.equal(rated.rating?.comment, "Schnell gelöst, danke!");
  assert.ok(rated.rating?.rated_at);

  // Change: the form comes back with the given rating; a refusal shows the server's message.
  await change.click();
  assert.equal(await group.getByRole("radio", { name: "4 – gut" }).isChecked(), true);
  assert.equal(await section.getByLabel("Kommentar (freiwillig)").inputValue(), "Schnell gelöst, danke!");
  await page.route(`**/api/v1/tickets/${resolved.id}/rating`, (route) =>
    route.fulfill({
      status: 409,
      contentType: "application/problem+json",
      body: JSON.stringify({
        type: "about:blank",
        title: "Conflict",
        status: 409,
        code: "failed_precondition",
        detail: "the rating can no longer be changed",
      }),
    }),
  );
  await group.getByRole("radio", { name: "5 – ausgezeichnet" }).check();
  await section.getByRole("button", { name: "Bewertung speichern" }).click();
  await section.getByRole("alert").getByText("the rating can no longer be changed").waitFor();
  await page.unroute(`**/api/v1/tickets/${resolved.id}/rating`);

  // The real change goes through.
  await section.getByRole("button", { name: "Bewertung speichern" }).click();
  await section.getByText("Ihre Bewertung: 5 von 5 (ausgezeichnet)").waitFor();
  assert.equal((await apiGet(`/api/v1/tickets/${resolved.id}`, token)).rating?.score, 5);
  await context.close();
});
