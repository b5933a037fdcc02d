// A reply's e-mail in the console, with a real SMTP server (tests/integration/smtp_sink.py,
// Debian's aiosmtpd): while the server is down the timeline says the mail is being retried and
// why; once it is up, that it was sent - without a reload (the ticket view follows live).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { after, test } from "node:test";
import { apiGet, apiToken, noSeriousViolations, signedIn, signedInEnglish, startServer, withServerAndBrowser } from "./harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const SINK = resolve(here, "../../tests/integration/smtp_sink.py");

async function freePort() {
  return new Promise((ok) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

// The SMTP port is found as the server is started, in the same hook: a file's top-level `before`
// hooks may run at the same time (Node 20). The sink on that port is started by the test.
let port, sink, folder;
const e2e = withServerAndBrowser(async () => {
  port = await freePort();
  folder = mkdtempSync(join(tmpdir(), "firstline-e2e-smtp-"));
  return {
    FIRSTLINE_MAIL_SMTP_URL: `smtp://127.0.0.1:${port}`,
    FIRSTLINE_MAIL_ADDRESS: "desk@firstline.example",
    FIRSTLINE_MAIL_FIRST_RETRY_SECONDS: "1",
    FIRSTLINE_MAIL_MAX_ATTEMPTS: "8",
  };
});
after(() => {
  sink?.kill("SIGTERM");
  if (folder) rmSync(folder, { recursive: true, force: true });
});

function startSink() {
  return new Promise((ok, fail) => {
    const proc = spawn("/usr/bin/python3", [SINK, "--port", String(port), "--dir", folder]);
    proc.stdout.on("data", (d) => String(d).includes("ready") && ok(proc));
    proc.on("exit", (code) => fail(new Error(`smtp sink exited (${code})`)));
  });
}

test("a reply's mail: retrying while the SMTP server is down, then sent", async () => {
  const token = await apiToken(e2e.url, "customer1");
  const r = await fetch(e2e.url + "/api/v1/tickets", {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify({ subject: `Mail state ${Date.now()}`, description: "Der Drucker streikt." }),
  });
  assert.equal(r.status, 201);
  const ticket = await r.json();

  const { context, page } = await signedInEnglish(e2e.browser, e2e.url, "l1.agent");
  await page.goto(`${e2e.url}/console/tickets/${ticket.id}`);
  await page.getByRole("heading", { level: 1, name: new RegExp(`#${ticket.number}`) }).waitFor();
  await page.getByLabel("Reply to requester").check();
  await page.locator("textarea").first().fill("Please restart the printer once.");
  await page.getByRole("button", { name: "Send reply" }).click();

  const state = page.locator(".entry.reply [data-mail]").last();
  await page.waitForFunction(() => {
    const all = document.querySelectorAll(".entry.reply [data-mail]");
    return all.length > 0 && all[all.length - 1].dataset.mail === "retrying";
  }, null, { timeout: 15_000 });
  assert.match(await state.textContent(), /Mail not delivered yet \(\d+ attempts?; .+\); trying again/);
  await noSeriousViolations(page, "a reply whose mail is being retried");

  sink = await startSink();
  await page.waitForFunction(() => {
    const all = document.querySelectorAll(".entry.reply [data-mail]");
    return all.length > 0 && all[all.length - 1].dataset.mail === "sent";
  }, null, { timeout: 75_000 }); // the next attempt: backoff 1 s, then x4
  assert.match(await state.textContent(), /Mailed to the requester/);
  const mails = readdirSync(folder).filter((f) => f.endsWith(".eml")).map((f) => readFileSync(join(folder, f), "utf8"));
  assert.ok(mails.some((m) => m.includes("Please restart the printer once.")), "the reply reached the SMTP server");
  const entries = await apiGet(e2e.url, `/api/v1/tickets/${ticket.id}/entries`, await apiToken(e2e.url, "l1.agent"));
  assert.equal(entries.items.filter((e) => e.mail?.status === "sent").length, 1);
  await context.close();
});

// A mail given up (one attempt allowed, the SMTP server down) shows "Erneut senden"; the button
// sends it again, and it arrives once. Its own server and SMTP sink, so the shared ones above
// keep their settings.
test("a given-up mail: Erneut senden, then it arrives once", async () => {
  const sinkPort = await freePort();
  const sinkDir = mkdtempSync(join(tmpdir(), "firstline-e2e-smtp-"));
  const own = await startServer({
    FIRSTLINE_MAIL_SMTP_URL: `smtp://127.0.0.1:${sinkPort}`,
    FIRSTLINE_MAIL_ADDRESS: "desk@firstline.example",
    FIRSTLINE_MAIL_MAX_ATTEMPTS: "1",
  });
  let ownSink;
  try {
    const customer = await apiToken(own.url, "customer1");
    const agent = await apiToken(own.url, "l1.agent");
    const call = async (path, token, body) => {
      const r = await fetch(own.url + path, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
        body: JSON.stringify(body ?? {}),
      });
      return { status: r.status, json: await r.json() };
    };
    const created = await call("/api/v1/tickets", customer, { subject: `Resend ${Date.now()}`, description: "Kein Netz." });
    assert.equal(created.status, 201);
    const ticket = created.json;
    const reply = await call(`/api/v1/tickets/${ticket.id}/entries`, agent, { kind: "reply", body: "Bitte den Router neu starten." });
    assert.equal(reply.status, 201);

    const { context, page } = await signedIn(e2e.browser, own.url, "l1.agent", "de");
    await page.getByRole("heading", { name: /Warteschlange/ }).waitFor();
    await page.goto(`${own.url}/console/tickets/${ticket.id}`);
    await page.getByRole("heading", { level: 1, name: new RegExp(`#${ticket.number}`) }).waitFor();
    const state = page.locator(".entry.reply [data-mail]").last();
    const button = page.getByRole("button", { name: "Erneut senden" });
    // Given up at the first failure; the view polls only while a mail is on its way, so reload.
    for (let i = 0; i < 30 && (await state.getAttribute("data-mail")) !== "failed"; ++i) {
      await page.waitForTimeout(500);
      await page.reload();
      await state.waitFor();
    }
    assert.equal(await state.getAttribute("data-mail"), "failed");
    assert.match(await state.textContent(), /E-Mail an den Anfragenden fehlgeschlagen: .+/);
    await button.waitFor();
    await noSeriousViolations(page, "a reply whose mail was given up");

    ownSink = await new Promise((ok, fail) => {
      const proc = spawn("/usr/bin/python3", [SINK, "--port", String(sinkPort), "--dir", sinkDir]);
      proc.stdout.on("data", (d) => String(d).includes("ready") && ok(proc));
      proc.on("exit", (code) => fail(new Error(`smtp sink exited (${code})`)));
    });
    await button.click();
    await page.waitForFunction(() => {
      const all = document.querySelectorAll(".entry.reply [data-mail]");
      return all.length > 0 && all[all.length - 1].dataset.mail === "sent";
    }, null, { timeout: 20_000 });
    assert.match(await state.textContent(), /Per E-Mail an den Anfragenden gesendet/);
    assert.equal(await button.count(), 0, "no button once it is sent");
    await page.waitForTimeout(1000);
    const mails = readdirSync(sinkDir).filter((f) => f.endsWith(".eml")).map((f) => readFileSync(join(sinkDir, f), "utf8"));
    assert.equal(mails.filter((m) => m.includes("Bitte den Router neu starten.")).length, 1, "sent once");
    const entries = await apiGet(own.url, `/api/v1/tickets/${ticket.id}/entries`, agent);
    const mail = entries.items.find((e) => e.id === reply.json.id).mail;
    assert.equal(mail.status, "sent");
    assert.equal(mail.attempts, 2);
    await context.close();
  } finally {
    ownSink?.kill("SIGTERM");
    await own.stop();
    rmSync(sinkDir, { recursive: true, force: true });
  }
});
