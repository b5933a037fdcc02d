// The live hand-over from the chatbot to a line-1 agent (docs/bot.md) in two real browsers: a
// guest in the portal's widget describes a problem, asks for a person, gives name and e-mail,
// gets the ticket and asks to chat with an agent now; l1.agent, online in the console, sees the
// waiting chat in the header's "Live-Chats", accepts it, lands in the ticket and writes; the
// guest sees who joined and the line; the guest answers and the agent sees it; after a reload
// the guest's widget picks the chat up again; the agent ends the chat and the guest sees the
// end. axe-core on both sides while the chat runs.
import assert from "node:assert/strict";
import { test } from "node:test";
import { apiToken, noSeriousViolations, signedIn, withServerAndBrowser } from "./harness.mjs";

// Live chat on, always within service hours (an empty calendar).
const e2e = withServerAndBrowser({ FIRSTLINE_BOT_LIVE_CHAT: "true", FIRSTLINE_BOT_LIVE_CHAT_CALENDAR: "" });

async function api(method, path, token, body) {
  const r = await fetch(e2e.url + path, {
    method,
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : undefined };
}

test("a guest chats live with a line-1 agent after the bot's hand-off", async () => {
  // The agent first: available, and online with the console open (its live feed connected).
  const token = await apiToken(e2e.url, "l1.agent");
  const availability = await api("PUT", "/api/v1/me/availability", token, { availability: "available" });
  assert.equal(availability.status, 200, JSON.stringify(availability.body));
  const me = (await api("GET", "/api/v1/me", token)).body;
  const agent = await signedIn(e2e.browser, e2e.url, "l1.agent", "de");
  await agent.page.getByRole("heading", { name: /Warteschlange/ }).waitFor();
  await agent.page.getByText("Live", { exact: true }).waitFor();

  // The guest: a problem, a person, name and e-mail, the ticket.
  const guestContext = await e2e.browser.newContext({ locale: "de-DE" });
  const guest = await guestContext.newPage();
  await guest.goto(e2e.url + "/portal/kb");
  await guest.getByRole("button", { name: "Hilfe-Assistenten fragen" }).click();
  const log = guest.getByRole("log", { name: "Gespräch mit dem Hilfe-Assistenten" });
  await log.getByRole("listitem").first().waitFor();
  const input = guest.getByLabel(/^Ihre Nachricht/);
  // Types `text` and waits until the bot has answered (a new line from the bot after it).
  const type = async (text) => {
    const before = await log.getByRole("listitem").count();
    await input.fill(text);
    await input.press("Enter");
    await guest.waitForFunction(
      ([n]) => {
        const items = document.querySelectorAll(".chat-log li:not(.chat-typing)");
        return items.length > n + 1 && items[items.length - 1].classList.contains("chat-bot");
      },
      [before],
    );
  };
  await type("Mein Laptop startet nach dem Update nicht mehr richtig");
  await type("Mitarbeiter");
  await type("Erika Muster");
  await type("erika.muster@example.org");
  const ticketLink = guest.getByRole("link", { name: /Ticket #\d+ öffnen/ });
  await ticketLink.waitFor();
  const number = Number((await ticketLink.textContent()).match(/#(\d+)/)[1]);
  const ticketId = Number((await ticketLink.getAttribute("href")).match(/(\d+)$/)[1]);

  // The offer, then waiting for an agent.
  await guest.getByRole("button", { name: "Jetzt mit einem Mitarbeiter chatten" }).click();
  await guest.getByText("Einen Moment, ein Mitarbeiter wird verbunden…").first().waitFor();
  await noSeriousViolations(guest, "the widget waiting for an agent");

  // The agent sees it waiting in the header and accepts; the ticket opens with the chat box.
  const liveChats = agent.page.getByRole("button", { name: /Live-Chats/ });
  await agent.page.locator(".live-badge").waitFor({ timeout: 15_000 });
  assert.equal(await agent.page.locator(".live-badge").textContent(), "1");
  await liveChats.click();
  const panel = agent.page.getByRole("region", { name: "Live-Chats" });
  await panel.getByText("Erika Muster").waitFor();
  await panel.getByText(new RegExp(`#${number}`)).waitFor();
  await panel.getByText(/wartet seit/).waitFor();
  await noSeriousViolations(agent.page, "the live chats panel");
  await panel.getByRole("button", { name: "Chat mit Erika Muster annehmen" }).click();
  await agent.page.getByRole("heading", { level: 1, name: new RegExp(`#${number}`) }).waitFor();
  assert.match(agent.page.url(), new RegExp(`/console/tickets/${ticketId}$`));
  const box = agent.page.getByRole("region", { name: "Live-Chat mit Erika Muster" });
  await box.waitFor();
  const agentSays = "Guten Tag, hier ist der Service Desk. Ich schaue mir Ihren Laptop an.";
  await box.getByLabel("Nachricht an Erika Muster").fill(agentSays);
  await box.getByRole("button", { name: "Senden" }).click();
  await box.getByRole("log").getByText(agentSays).waitFor();
  await noSeriousViolations(agent.page, "the ticket with the live chat");

  // The guest: who joined, the agent's line; the answer goes back.
  await guest.getByText(`Sie chatten mit ${me.name}.`).waitFor();
  await log.getByText(agentSays).waitFor();
  const guestSays = "Danke! Es kommt nur ein schwarzer Bildschirm.";
  await input.fill(guestSays);
  await input.press("Enter");
  await log.getByText(guestSays).waitFor();
  await box.getByRole("log").getByText(guestSays).waitFor({ timeout: 15_000 });
  await noSeriousViolations(guest, "the widget in a live chat");
  // The chat lines are public replies on the ticket: the timeline shows them too.
  await agent.page.locator("ol.timeline").getByText(guestSays).first().waitFor({ timeout: 15_000 });

  // A reload in the middle of the chat: the transcript shows it, the socket is resumed and
  // the agent's next line arrives.
  await guest.reload();
  await guest.getByRole("button", { name: "Hilfe-Assistenten fragen" }).click();
  await log.getByText(agentSays).waitFor();
  await guest.getByText(`Sie chatten mit ${me.name}.`).waitFor();
  const agentAgain = "Bitte halten Sie den Einschaltknopf 10 Sekunden gedrückt.";
  await box.getByLabel("Nachricht an Erika Muster").fill(agentAgain);
  await box.getByRole("button", { name: "Senden" }).click();
  await log.getByText(agentAgain).waitFor();
  assert.equal(await log.getByText(guestSays).count(), 1, "the guest's line once after the reload");

  // The agent ends it; the guest sees the end and the conversation is over.
  await box.getByRole("button", { name: "Chat beenden" }).click();
  await box.waitFor({ state: "detached" });
  await log.getByText("Der Chat mit dem Service Desk wurde beendet.").first().waitFor({ timeout: 15_000 });
  await guest.getByText("Dieses Gespräch ist beendet.").waitFor();
  await noSeriousViolations(guest, "the widget after the live chat");

  // A reload shows the live part again.
  await guest.reload();
  await guest.getByRole("button", { name: "Hilfe-Assistenten fragen" }).click();
  await log.getByText(agentSays).waitFor();
  await log.getByText(guestSays).waitFor();

  // The agent's list is empty again.
  const chats = await api("GET", "/api/v1/live-chats", token);
  assert.equal(chats.status, 200);
  assert.deepEqual(chats.body.items.filter((c) => c.ticket_id === ticketId), []);
  await guestContext.close();
  await agent.context.close();
});
