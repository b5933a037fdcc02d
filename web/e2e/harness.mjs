// End-to-end harness: a real `firstline` (demo data, a temporary folder, a free port) serving
// the built UI (web/dist), and Debian's Chromium driven by playwright-core. No downloads:
// the browser is /usr/bin/chromium (FIRSTLINE_CHROMIUM to override), the server the build
// tree's (FIRSTLINE_BIN to override).
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
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
