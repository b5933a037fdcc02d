// End-to-end harness: a real `firstline` (demo data, a temporary folder, a free port) serving
// the built UI (web/dist), and Debian's Chromium driven by playwright-core. No downloads:
// the browser is /usr/bin/chromium (FIRSTLINE_CHROMIUM to override), the server the build
// tree's (FIRSTLINE_BIN to override).
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, before } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const web = resolve(here, "..");
export const DEMO_PASSWORD = "e2e-demo-password-1";

function binary() {
  const found = process.env.FIRSTLINE_BIN ?? resolve(web, "../build/release/src/server/firstline");
  if (!existsSync(found)) throw new Error(`no firstline binary at ${found}: build first (make build)`);
  return found;
}

function env() {
  const out = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("FIRSTLINE_")) out[k] = v;
  out.FIRSTLINE_SECURITY_PASSWORD_COST = "min";
  out.FIRSTLINE_SERVER_STATIC_DIR = join(web, "dist");
  return out;
}

// Starts a server on demo data; resolves to {url, stop()}. `extraEnv` (optional) is added to
// the server's environment, e.g. {FIRSTLINE_CTI_TOKEN: "..."}.
export async function startServer(extraEnv = {}) {
  if (!existsSync(join(web, "dist", "index.html")))
    throw new Error("web/dist is missing: run `npm run build` in web/ first");
  const tmp = mkdtempSync(join(tmpdir(), "firstline-e2e-"));
  const data = join(tmp, "data");
  const bin = binary();
  const init = spawnSync(bin, ["init", "--data", data, "--demo", "--demo-password", DEMO_PASSWORD], {
    env: env(),
    encoding: "utf8",
  });
  if (init.status !== 0) throw new Error(`firstline init failed: ${init.stdout}${init.stderr}`);
  const proc = spawn(bin, ["serve", "--data", data, "--listen", "127.0.0.1:0"], {
    env: { ...env(), ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  proc.stderr.on("data", (d) => (log += d));
  const url = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start:\n${log}`)), 20_000);
    let out = "";
    proc.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[0-9.]+:\d+)/);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    });
    proc.on("exit", (code) => fail(new Error(`server exited (${code}):\n${log}`)));
  });
  return {
    url,
    log: () => log,
    async stop() {
      proc.kill("SIGTERM");
      await new Promise((ok) => (proc.exitCode !== null ? ok() : proc.on("exit", ok)));
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

// Debian's Chromium, headless. As root it needs --no-sandbox; the networking flags keep it
// from reaching out (this machine's network is closed).
export async function startBrowser() {
  return chromium.launch({
    executablePath: process.env.FIRSTLINE_CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

// A server (startServer) and a browser (startBrowser) for the whole test file: registers the
// node:test `before` that starts both and the `after` that stops them. The returned object's
// `url`, `server` (with `log()`, the server's stderr) and `browser` are set once `before` has
// run, so read them inside tests, not at the top of the file. `extraEnv` is an object, or a
// function (may be async) that returns one, called in that `before` for values known only then
// (a free port). A file's top-level `before` hooks may run at the same time (Node 20), so what
// the server needs must not come from another `before`.
export function withServerAndBrowser(extraEnv = {}) {
  const running = { url: "", server: null, browser: null };
  before(async () => {
    running.server = await startServer(typeof extraEnv === "function" ? await extraEnv() : extraEnv);
    running.url = running.server.url;
    running.browser = await startBrowser();
  });
  after(async () => {
    await running.browser?.close();
    await running.server?.stop();
  });
  return running;
}

// A new browser context (its own storage) in `language`, signed in as `login`.
export async function signedIn(browser, url, login, language = "en") {
  const context = await browser.newContext({ locale: language === "de" ? "de-DE" : "en-US" });
  const page = await context.newPage();
  await page.goto(url + "/");
  await page.getByLabel(language === "de" ? "Benutzername" : "Login").fill(login);
  await page.getByLabel(language === "de" ? "Passwort" : "Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: language === "de" ? "Anmelden" : "Sign in" }).click();
  return { context, page };
}

// Runs axe-core on the page; returns the serious and critical violations.
export async function seriousViolations(page) {
  const axe = await import("axe-core");
  await page.addScriptTag({ content: axe.default.source });
  const result = await page.evaluate(async () => await globalThis.axe.run(document));
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

// A session token for `login` (demo password), through the API.
export async function apiToken(url, login) {
  const r = await fetch(url + "/api/v1/sessions", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ login, password: DEMO_PASSWORD }),
  });
  assert.equal(r.status, 201);
  return (await r.json()).token;
}

// GET `path` as the token's user (none: a guest); must answer 200.
export async function apiGet(url, path, token) {
  const r = await fetch(url + path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  assert.equal(r.status, 200, `${path}: ${r.status}`);
  return r.json();
}

// Fails with the rules and elements when axe-core finds serious or critical violations.
export async function noSeriousViolations(page, what) {
  const found = await seriousViolations(page);
  assert.deepEqual(
    found.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    [],
    `axe on ${what}`,
  );
}

// Fails when anything in <main> sticks out of a 320 px wide screen.
export async function fitsNarrowScreen(page, where) {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 640 });
  const wide = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll("main *")]
      .filter((el) => el.getBoundingClientRect().right > width + 1)
      .map((el) => el.tagName.toLowerCase() + (el.id ? `#${el.id}` : "") + (el.className ? `.${el.className}` : ""));
  });
  assert.deepEqual(wide, [], `wider than 320 px on ${where}`);
  await page.setViewportSize(size);
}

// Signed in as a demo member of staff (who reads German) and switched to English.
export async function signedInEnglish(browser, url, login) {
  const session = await signedIn(browser, url, login, "en");
  await session.page.getByRole("heading", { name: /Warteschlange/ }).waitFor();
  await session.page.getByLabel("Sprache").selectOption("en");
  return session;
}
