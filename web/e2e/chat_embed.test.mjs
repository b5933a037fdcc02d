// The chat widget on another site (an intranet page on another origin) through /embed.js: the
// launcher opens the desk's chat.html in a frame and the conversation runs there. A site not in
// server.embed_origins gets no frame (frame-ancestors), and the console itself may not be framed.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, test } from "node:test";
import { withServerAndBrowser } from "./harness.mjs";

// Two "intranet" sites on loopback: another port is another origin.
function intranet(deskUrl, path) {
  return new Promise((ok) => {
    const server = createServer((req, res) => {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      res.end(`<!doctype html><html lang="de"><title>Intranet</title><h1>Intranet</h1>
        <iframe id="console" title="console" src="${deskUrl()}/console"></iframe>
        <script src="${deskUrl()}${path}" data-lang="de" async></script>`);
    });
    server.listen(0, "127.0.0.1", () => ok(server));
  });
}

let allowed;
let other;
const e2e = withServerAndBrowser(async () => {
  allowed = await intranet(() => e2e.url, "/embed.js");
  other = await intranet(() => e2e.url, "/embed.js");
  return { FIRSTLINE_SERVER_EMBED_ORIGINS: `http://127.0.0.1:${allowed.address().port}` };
});
after(() => {
  allowed?.close();
  other?.close();
});

test("an intranet page shows the chat through /embed.js; other sites and the console stay unframed", async () => {
  const context = await e2e.browser.newContext({ locale: "de-DE" });
  const page = await context.newPage();
  const refusals = [];
  page.on("console", (m) => /frame-ancestors|Refused to frame/i.test(m.text()) && refusals.push(m.text()));
  await page.goto(`http://127.0.0.1:${allowed.address().port}/`);
  await page.getByRole("button", { name: "Hilfe-Assistenten fragen" }).click();
  const frame = page.frameLocator('iframe[src*="/chat.html"]');
  const log = frame.getByRole("log", { name: "Gespräch mit dem Hilfe-Assistenten" });
  await log.getByRole("listitem").first().waitFor();
  await frame.getByLabel("Ihre Nachricht").fill("Hallo");
  await frame.getByLabel("Ihre Nachricht").press("Enter");
  await log.getByText("Hallo", { exact: true }).waitFor();
  // The console in a frame of another site: refused (frame-ancestors 'self'); the chat was not.
  assert.equal(refusals.length, 1, refusals.join("\n"));
  assert.match(refusals[0], /"frame-ancestors 'self'"/, "the console's policy, not chat.html's");
  await context.close();

  // A site that is not listed: the chat frame stays empty.
  const stranger = await e2e.browser.newContext({ locale: "de-DE" });
  const strangerPage = await stranger.newPage();
  const refused = new Promise((ok) =>
    strangerPage.on("console", (m) => /frame-ancestors|Refused to frame/i.test(m.text()) && ok(true)));
  await strangerPage.goto(`http://127.0.0.1:${other.address().port}/`);
  await strangerPage.getByRole("button", { name: "Hilfe-Assistenten fragen" }).click();
  assert.equal(await Promise.race([refused, new Promise((ok) => setTimeout(() => ok(false), 10_000))]), true,
    "the browser refuses to frame chat.html for a site not in server.embed_origins");
  await stranger.close();
});
