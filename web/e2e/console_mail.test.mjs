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
import { apiGet, apiToken, noSeriousViolations, signedInEnglish, withServerAndBrowser } from "./harness.mjs";

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
