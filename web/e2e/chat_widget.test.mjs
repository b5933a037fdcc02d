// The chat widget in a real browser against the real server (issue 7): a guest on the portal
// describes a printer problem, is walked through the printer flow (typed answers and buttons),
// nothing helps, gives name and e-mail, and gets a ticket number; an agent then opens that
// ticket in the console and reads the facts and the transcript. axe-core on the open widget.
import assert from "node:assert/strict";
import { test } from "node:test";
import { noSeriousViolations, signedIn, withServerAndBrowser } from "./harness.mjs";

const e2e = withServerAndBrowser();

test("a guest's printer problem goes from the chat widget to a ticket in the console", async () => {
  const context = await e2e.browser.newContext({ locale: "de-DE" });
  const page = await context.newPage();
  await page.goto(e2e.url + "/portal/kb");
  await page.getByRole("button", { name: "Hilfe-Assistenten fragen" }).click();
  const log = page.getByRole("log", { name: "Gespräch mit dem Hilfe-Assistenten" });
  await log.getByRole("listitem").first().waitFor();
  await noSeriousViolations(page, "the open chat widget");

  const input = page.getByLabel("Ihre Nachricht");
  const lines = () => log.getByRole("listitem");
  // Types `text` and waits until the bot has answered (a new line from the bot after it).
  const type = async (text) => {
    const before = await lines().count();
    await input.fill(text);
    await input.press("Enter");
    await page.waitForFunction(
      ([n]) => {
        const items = document.querySelectorAll(".chat-log li:not(.chat-typing)");
        return items.length > n + 1 && items[items.length - 1].classList.contains("chat-bot");
      },
      [before],
    );
  };
  const press = async (label) => {
    const before = await lines().count();
    await page.getByRole("group", { name: "Antworten zur Auswahl" }).getByRole("button", { name: label }).click();
    await page.waitForFunction(
      ([n]) => {
        const items = document.querySelectorAll(".chat-log li:not(.chat-typing)");
        return items.length > n + 1 && items[items.length - 1].classList.contains("chat-bot");
      },
      [before],
    );
  };

  await type("Der Drucker druckt nicht mehr");
  await log.getByText(/Um welchen Drucker geht es/).waitFor();
  await type("Kyocera 2. OG Flur");
  await type("Windows 11");
  await press("Es kommt gar nichts heraus");
  await press("Nein, leider nicht");  // printer switched on and ready: did not help
  await press("Nein, leider nicht");  // the Windows print queue: did not help
  await press("Nur ich");
  await type("Fehler 0x0000011b");
  await type("seit heute Morgen");
  // A guest: the bot asks who they are before it files the ticket.
  await type("Erika Muster");
  await type("erika.muster@example.org");

  const ticketLink = page.getByRole("link", { name: /Ticket #\d+ öffnen/ });
  await ticketLink.waitFor();
  const number = Number((await ticketLink.textContent()).match(/#(\d+)/)[1]);
  const id = Number((await ticketLink.getAttribute("href")).match(/(\d+)$/)[1]);
  await page.getByText("Dieses Gespräch ist beendet.").waitFor();
  await noSeriousViolations(page, "the chat widget after the hand-off");

  // A reload continues the same conversation.
  await page.reload();
  await page.getByRole("button", { name: "Hilfe-Assistenten fragen" }).click();
  await log.getByText("Kyocera 2. OG Flur", { exact: true }).waitFor();
  await context.close();

  // The first line sees it: on the bot channel, with the facts and the transcript.
  const agent = await signedIn(e2e.browser, e2e.url, "l1.agent", "de");
  await agent.page.getByRole("heading", { name: /Warteschlange/ }).waitFor();
  await agent.page.goto(`${e2e.url}/console/tickets/${id}`);
  await agent.page.getByRole("heading", { level: 1, name: new RegExp(`#${number}`) }).waitFor();
  const body = await agent.page.locator("main").textContent();
  assert.match(body, /Kyocera 2\. OG Flur/);
  assert.match(body, /Windows 11/);
  assert.match(body, /0x0000011b/);
  assert.match(body, /Der Drucker druckt nicht mehr/);
  await agent.context.close();
});
