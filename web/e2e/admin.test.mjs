// The admin area in a real browser: an admin creates a team at line 2 and a user in it, who
// then signs in and sees the console; an admin sets up an SLA calendar, an SLA policy and a
// rule through the forms (the server keeps those to admins); a supervisor creates a macro and
// a knowledge-base category (German UI) and reads SLA settings without being offered changes;
// an agent has no admin navigation and gets "not allowed" at /admin. Server validation
// messages appear next to the fields; axe-core on every admin page.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  DEMO_PASSWORD,
  apiGet,
  apiToken,
  fitsNarrowScreen,
  noSeriousViolations,
  signedIn,
  withServerAndBrowser,
} from "./harness.mjs";

const e2e = withServerAndBrowser();

const stamp = Date.now().toString(36);

async function openAdmin(page, linkName) {
  await page.getByRole("navigation", { name: "main" }).getByRole("link", { name: linkName }).click();
  await page.getByRole("heading", { level: 1, name: linkName }).waitFor();
}

async function section(page, navName, heading = navName) {
  await page.getByRole("navigation", { name: /Administration|Verwaltung/ }).getByRole("link", { name: navName }).click();
  await page.getByRole("heading", { level: 1, name: heading }).waitFor();
}

test("an admin creates a team at line 2 and a user in it; the user signs in and sees the console", async () => {
  const { context, page } = await signedIn(e2e.browser, e2e.url, "admin", "en");
  await page.waitForURL(/\/console/);
  await openAdmin(page, "Administration");
  await noSeriousViolations(page, "the admin overview");
  await fitsNarrowScreen(page, "the admin overview");

  // Every admin page passes axe, with its create form open where it has one.
  for (const [nav, button] of [
    ["Users", "New user"],
    ["Teams and lines", "New team"],
    ["Organisations", "New organisation"],
    ["SLA calendars", "New calendar"],
    ["SLA policies", "New policy"],
    ["Rules", "New rule"],
    ["Macros", "New macro"],
    ["Knowledge-base categories", "New category"],
  ]) {
    await section(page, nav);
    await page.locator("table, .cat-tree").first().waitFor();
    await noSeriousViolations(page, `admin: ${nav}`);
    await page.getByRole("button", { name: button }).click();
    await page.getByRole("heading", { level: 2, name: /^New/ }).waitFor();
    await noSeriousViolations(page, `admin: ${nav}, new`);
  }

  // An organisation by keyboard only: the form's heading takes the focus, Tab walks the fields,
  // the focus returns to the opening button after saving; Escape closes a form.
  const orgName = `Initech ${stamp}`;
  await section(page, "Organisations");
  await page.getByRole("button", { name: "New organisation" }).focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.activeElement?.textContent === "New organisation" && document.activeElement.tagName === "H2");
  const focused = () =>
    page.evaluate(() => {
      const el = document.activeElement;
      return (el?.labels?.[0]?.textContent ?? el?.textContent ?? "").trim();
    });
  await page.keyboard.press("Tab");
  assert.equal(await focused(), "Name");
  await page.keyboard.type(orgName);
  await page.keyboard.press("Tab");
  assert.equal(await focused(), "Mail domain");
  await page.keyboard.type(`initech-${stamp}.example`);
  await page.keyboard.press("Tab");
  assert.match(await focused(), /^Its customers see all/);
  await page.keyboard.press("Space");
  await page.keyboard.press("Tab");
  assert.equal(await focused(), "Save");
  await page.keyboard.press("Enter");
  await page.getByRole("status").getByText(`Organisation ${orgName} created.`).waitFor();
  await page.waitForFunction(() => document.activeElement?.textContent === "New organisation");
  const admin = await apiToken(e2e.url, "admin");
  const org = (await apiGet(e2e.url, "/api/v1/organizations", admin)).items.find((o) => o.name === orgName);
  assert.equal(org.domain, `initech-${stamp}.example`);
  assert.equal(org.customers_see_all_tickets, true);
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.activeElement?.textContent === "New organisation" && document.activeElement.tagName === "H2");
  await page.keyboard.press("Escape");
  await page.getByRole("heading", { level: 2, name: "New organisation" }).waitFor({ state: "detached" });
  await page.waitForFunction(() => document.activeElement?.textContent === "New organisation");

  // A team at line 2, by keyboard where it matters.
  const teamName = `Field Service ${stamp}`;
  await section(page, "Teams and lines");
  await page.getByRole("button", { name: "New team" }).click();
  const teamForm = page.getByRole("region", { name: "New team" });
  await teamForm.getByLabel("Name").fill(teamName);
  await teamForm.getByLabel("Line", { exact: true }).selectOption({ label: "Line 2 · Desktop support" });
  await teamForm.getByLabel("Assignment of new tickets").selectOption("round_robin");
  await teamForm.getByLabel("Name").press("Enter");
  await page.getByRole("status").getByText(`Team ${teamName} created.`).waitFor();
  await page.getByRole("cell", { name: teamName, exact: true }).waitFor();
  const team = (await apiGet(e2e.url, "/api/v1/teams", admin)).items.find((t) => t.name === teamName);
  assert.equal(team.line, 2);
  assert.equal(team.assignment, "round_robin");

  // A user in it: first with a password that is too short (the server's message next to it).
  const login = `field.${stamp}`;
  await section(page, "Users");
  await page.getByRole("button", { name: "New user" }).click();
  const userForm = page.getByRole("region", { name: "New user" });
  await userForm.getByLabel("Login").fill(login);
  await userForm.getByLabel("Name").fill("Fiona Field");
  await userForm.getByLabel("E-mail").fill(`${login}@acme.example`);
  await userForm.getByLabel("Role").selectOption("agent");
  await userForm.getByLabel("Language").selectOption("en");
  await userForm.getByLabel("Extension").fill("299");
  await userForm.getByLabel(`${teamName} (L2)`).check();
  await userForm.getByLabel("Initial password").fill("short");
  await userForm.getByRole("button", { name: "Save" }).click();
  await userForm.locator(".field-error", { hasText: "at least 8 characters" }).waitFor();
  assert.equal(await userForm.getByLabel("Initial password").getAttribute("aria-invalid"), "true");
  await noSeriousViolations(page, "the user form with a server error");
  await userForm.getByLabel("Initial password").fill(DEMO_PASSWORD);
  await userForm.getByRole("button", { name: "Save" }).click();
  await page.getByRole("status").getByText(`User ${login} created.`).waitFor();
  const user = (await apiGet(e2e.url, "/api/v1/users", admin)).items.find((u) => u.login === login);
  // The edit form offers a new password (PUT /users/{id} with `password`; not exercised here,
  // the server under test may not have it yet).
  await page.getByRole("button", { name: `Edit ${login}` }).click();
  await page.getByRole("region", { name: "Set a new password" }).getByLabel("New password", { exact: true }).waitFor();
  await page.getByRole("button", { name: "Cancel" }).click();
  assert.deepEqual(user.team_ids, [team.id]);
  assert.equal(user.extension, "299");

  // Deactivate and reactivate from the list.
  await page.getByRole("button", { name: `Deactivate ${login}` }).click();
  await page.getByRole("status").getByText("Fiona Field deactivated.").waitFor();
  assert.equal((await apiGet(e2e.url, "/api/v1/users", admin)).items.find((u) => u.login === login).active, false);
  await page.getByLabel("State").selectOption("inactive");
  await page.getByRole("button", { name: `Reactivate ${login}` }).click();
  await page.getByRole("status").getByText("Fiona Field reactivated.").waitFor();
  assert.equal((await apiGet(e2e.url, "/api/v1/users", admin)).items.find((u) => u.login === login).active, true);
  await page.getByLabel("State").selectOption("active");

  // The filter by team shows just them.
  await page.getByRole("search").getByLabel("Team").selectOption({ label: teamName });
  await page.getByText("1 users").waitFor();
  await page.getByRole("cell", { name: login, exact: true }).waitFor();
  await context.close();

  const newcomer = await signedIn(e2e.browser, e2e.url, login, "en");
  await newcomer.page.getByRole("heading", { name: `Queue: ${teamName}` }).waitFor();
  assert.equal(await newcomer.page.getByRole("link", { name: "Administration" }).count(), 0);
  await newcomer.context.close();
});

test("an admin sets up an SLA calendar, an SLA policy and a rule through the forms", async () => {
  const { context, page } = await signedIn(e2e.browser, e2e.url, "admin", "en");
  await page.waitForURL(/\/console/);
  await openAdmin(page, "Administration");
  const admin = await apiToken(e2e.url, "admin");

  // Calendar: a wrong time zone first (the server's message next to the field), then a good one.
  const calName = `Hamburg ${stamp}`;
  await section(page, "SLA calendars");
  await page.getByRole("button", { name: "New calendar" }).click();
  const cal = page.getByRole("region", { name: "New calendar" });
  await cal.getByLabel("Name", { exact: true }).fill(calName);
  await cal.getByLabel("Time zone").fill("Mars/Olympus");
  await cal.getByRole("button", { name: "Save" }).click();
  await cal.locator(".field-error").first().waitFor();
  assert.equal(await cal.getByLabel("Time zone").getAttribute("aria-invalid"), "true");
  await cal.getByLabel("Time zone").fill("Europe/Berlin");
  await cal.getByRole("button", { name: "Add hours on Saturday" }).click();
  await cal.getByLabel("Saturday 1: from").fill("09:00");
  await cal.getByLabel("Saturday 1: to").fill("13:00");
  await cal.getByLabel("Friday 1: to").fill("15:00");
  await cal.getByRole("button", { name: "Add a holiday" }).click();
  await cal.getByLabel("Holiday 1: day (MM-DD)").fill("12-24");
  await cal.getByLabel("Holiday 1: name").fill("Christmas Eve");
  await cal.getByRole("button", { name: "Add a holiday" }).click();
  await cal.getByLabel("Holiday 2: repeats").selectOption("once");
  await cal.getByLabel("Holiday 2: date").fill("2027-05-27");
  await cal.getByLabel("Holiday 2: name").fill("Corpus Christi");
  await noSeriousViolations(page, "the calendar editor");
  await cal.getByRole("button", { name: "Save" }).click();
  await page.getByRole("status").getByText(`Calendar ${calName} created.`).waitFor();
  const calendar = (await apiGet(e2e.url, "/api/v1/sla/calendars", admin)).items.find((c) => c.name === calName);
  assert.equal(calendar.time_zone, "Europe/Berlin");
  assert.deepEqual(calendar.week.sat, [["09:00", "13:00"]]);
  assert.deepEqual(calendar.week.fri, [["08:00", "15:00"]]);
  assert.deepEqual(calendar.week.sun, []);
  assert.deepEqual(calendar.holidays, [
    { date: "12-24", name: "Christmas Eve" },
    { date: "2027-05-27", name: "Corpus Christi" },
  ]);

  // Policy on that calendar: P1 in 30 min / 4 h, P2 resolution 1 h 30, a ladder step.
  const polName = `Hamburg standard ${stamp}`;
  await section(page, "SLA policies");
  await page.getByRole("button", { name: "New policy" }).click();
  const pol = page.getByRole("region", { name: "New SLA policy" });
  await pol.getByLabel("Name", { exact: true }).fill(polName);
  await pol.getByLabel("Rank").fill("50");
  await pol.getByLabel("Calendar", { exact: true }).selectOption({ label: calName });
  await pol.getByLabel("P1 First response: minutes").fill("30");
  await pol.getByLabel("P1 Resolution: hours").fill("4");
  await pol.getByLabel("P2 Resolution: hours").fill("1");
  await pol.getByLabel("P2 Resolution: minutes").fill("30");
  await pol.getByLabel("Calendar for P1").selectOption({ label: "24/7" });
  await pol.getByRole("group", { name: "Priorities" }).getByLabel("P1").check();
  await pol.getByRole("group", { name: "Priorities" }).getByLabel("P2").check();
  await pol.getByRole("button", { name: "Add a step" }).click();
  await pol.getByLabel("Notify the team's supervisors").check();
  await pol.getByRole("button", { name: "Add a line target" }).click();
  const lineTarget = pol.getByRole("group", { name: "Line target 1", exact: true });
  await lineTarget.getByLabel("Line", { exact: true }).selectOption({ label: "Line 4 · Vendors" });
  await lineTarget.getByLabel("Team", { exact: true }).selectOption({ label: "Vendor Support" });
  await lineTarget.getByLabel("Line target 1: respond within: hours").fill("2");
  await lineTarget.getByLabel("Line target 1: respond within: minutes").fill("");
  await lineTarget.getByLabel("Line target 1: resolve within: hours").fill("24");
  await noSeriousViolations(page, "the policy editor");
  await pol.getByRole("button", { name: "Save" }).click();
  await page.getByRole("status").getByText(`SLA policy ${polName} created.`).waitFor();
  const policy = (await apiGet(e2e.url, "/api/v1/sla/policies", admin)).items.find((p) => p.name === polName);
  assert.equal(policy.rank, 50);
  assert.equal(policy.calendar_id, calendar.id);
  assert.equal(policy.targets.P1.first_response_minutes, 30);
  assert.equal(policy.targets.P1.resolution_minutes, 240);
  assert.equal(policy.targets.P1.calendar_id, 2);
  assert.equal(policy.targets.P2.resolution_minutes, 90);
  assert.equal(policy.targets.P3.first_response_minutes, null);
  assert.deepEqual(policy.applies_to.priorities, ["P1", "P2"]);
  assert.equal(policy.ladder.length, 1);
  assert.equal(policy.ladder[0].notify_supervisor, true);
  assert.deepEqual(policy.line_targets, [{ line: 4, team_id: 5, respond_minutes: 120, resolve_minutes: 1440 }]);

  // A rule: on creation, when the priority is P1 and the subject mentions "server", tag it and
  // notify the supervisors.
  const ruleName = `Server down ${stamp}`;
  await section(page, "Rules");
  await page.getByRole("button", { name: "New rule" }).click();
  const rule = page.getByRole("region", { name: "New rule" });
  await rule.getByLabel("Name", { exact: true }).fill(ruleName);
  await rule.getByRole("group", { name: "Events" }).getByLabel("Updated").check();
  await rule.getByRole("button", { name: "Add a condition" }).click();
  await rule.getByRole("button", { name: "Add a condition" }).click();
  await rule.getByRole("group", { name: "Condition 1" }).getByRole("group", { name: "Values" }).getByLabel("P2").check();
  const second = rule.getByRole("group", { name: "Condition 2" });
  await second.getByLabel("Field").selectOption("subject");
  await second.getByLabel("Test").selectOption("contains");
  await second.getByLabel("Values").fill("server");
  await rule.getByRole("group", { name: "Action 1" }).getByLabel("Tag").fill("server-down");
  await rule.getByRole("button", { name: "Add an action" }).click();
  const notify = rule.getByRole("group", { name: "Action 2" });
  await notify.getByLabel("Do").selectOption("notify");
  await notify.getByLabel("The assignee").uncheck();
  await notify.getByLabel("The supervisors").check();
  await notify.getByLabel("Text (English)").fill("Server down: #{{ticket.number}}");
  await notify.getByLabel("Text (German)").fill("Server ausgefallen: #{{ticket.number}}");
  await noSeriousViolations(page, "the rule editor");
  await rule.getByRole("button", { name: "Save" }).click();
  await page.getByRole("status").getByText(`Rule ${ruleName} created.`).waitFor();
  const saved = (await apiGet(e2e.url, "/api/v1/rules", admin)).items.find((r) => r.name === ruleName);
  assert.deepEqual(saved.on, ["created", "updated"]);
  assert.deepEqual(saved.conditions, [
    { field: "priority", op: "is", values: ["P1", "P2"] },
    { field: "subject", op: "contains", values: ["server"] },
  ]);
  assert.deepEqual(saved.actions[0], { type: "add_tag", tag: "server-down" });
  assert.equal(saved.actions[1].type, "notify");
  assert.deepEqual(saved.actions[1].recipients, ["supervisors"]);

  // The JSON fallback: switch, break it, see the message, fix it.
  await page.getByRole("button", { name: `Edit ${ruleName}` }).click();
  const edit = page.getByRole("region", { name: `Rule ${ruleName}` });
  await edit.getByLabel("Edit conditions and actions as JSON").check();
  const json = edit.getByLabel("Conditions and actions (JSON)");
  const text = await json.inputValue();
  await json.fill(text.replace('"server-down"', '"server-down",'));
  await edit.getByText(/Not valid JSON/).waitFor();
  await json.fill(text.replace('"server-down"', '"server-outage"'));
  await edit.getByRole("button", { name: "Save" }).click();
  await page.getByRole("status").getByText(`Rule ${ruleName} saved.`).waitFor();
  const changed = (await apiGet(e2e.url, "/api/v1/rules", admin)).items.find((r) => r.name === ruleName);
  assert.equal(changed.version, 2);
  assert.deepEqual(changed.actions[0], { type: "add_tag", tag: "server-outage" });

  // Switched to German, the same screen speaks German.
  await section(page, "Users");
  await page.locator("header").getByLabel("Language").selectOption("de");
  await page.getByRole("heading", { level: 1, name: "Benutzer" }).waitFor();
  await page.getByRole("search").getByLabel("Rolle").waitFor();
  await page.getByRole("button", { name: "Neuer Benutzer" }).click();
  const neu = page.getByRole("region", { name: "Neuer Benutzer" });
  for (const label of ["Benutzername", "E-Mail", "Sprache", "Organisation", "Telefon", "Durchwahl", "Erstes Passwort"])
    await neu.getByLabel(label, { exact: true }).waitFor();
  await page.getByRole("navigation", { name: "Verwaltung" }).getByRole("link", { name: "SLA-Kalender" }).waitFor();
  await noSeriousViolations(page, "the user form in German");
  await context.close();
});

test("a supervisor creates a macro and a KB category in German and reads the SLA settings", async () => {
  const { context, page } = await signedIn(e2e.browser, e2e.url, "supervisor", "de");
  await page.waitForURL(/\/console/);
  await openAdmin(page, "Verwaltung");
  const supervisor = await apiToken(e2e.url, "supervisor");

  // German labels on the macro screen.
  const macroName = `Drucker neu gestartet ${stamp}`;
  await section(page, "Makros");
  await page.getByRole("button", { name: "Neues Makro" }).click();
  const macro = page.getByRole("region", { name: "Neues Makro" });
  await macro.getByLabel("Name", { exact: true }).fill(macroName);
  await macro.getByLabel("Sichtbar für").selectOption({ label: "Service Desk" });
  await macro.getByLabel("Eine interne Notiz").check();
  await macro.getByLabel("Text", { exact: true }).fill("Drucker für ");
  await macro.getByRole("button", { name: "{{requester.name}}" }).click();
  await macro.getByLabel("Status", { exact: true }).selectOption({ label: "Wartet auf Kunden" });
  await macro.getByLabel("Schlagwörter hinzufügen").fill("drucker, neustart");
  await macro.getByLabel("Dringlichkeit").selectOption("2");
  await noSeriousViolations(page, "the macro editor (German)");
  await macro.getByRole("button", { name: "Speichern" }).click();
  await page.getByRole("status").getByText(`Makro ${macroName} angelegt.`).waitFor();
  const saved = (await apiGet(e2e.url, "/api/v1/macros?all=true", supervisor)).items.find((m) => m.name === macroName);
  assert.equal(saved.team_id, 1);
  assert.equal(saved.entry_kind, "note");
  assert.equal(saved.text, "Drucker für {{requester.name}}");
  assert.equal(saved.status, "pending_customer");
  assert.deepEqual(saved.add_tags, ["drucker", "neustart"]);
  assert.equal(saved.urgency, 2);

  // A category under "Drucken"; an empty name is refused by the server, next to the field.
  const catName = `Etikettendrucker ${stamp}`;
  await section(page, "Kategorien der Wissensdatenbank");
  await page.getByRole("button", { name: "Neue Kategorie" }).click();
  const cat = page.getByRole("region", { name: "Neue Kategorie" });
  await cat.getByRole("button", { name: "Speichern" }).click();
  await cat.locator(".field-error").first().waitFor();
  await cat.getByLabel("Name", { exact: true }).fill(catName);
  await cat.getByLabel("Übergeordnete Kategorie").selectOption({ label: "Drucken" });
  await cat.getByRole("button", { name: "Speichern" }).click();
  await page.getByRole("status").getByText(`Kategorie ${catName} angelegt.`).waitFor();
  await page.locator(".cat-tree li", { hasText: "Drucken" }).getByText(catName).waitFor();
  const created = (await apiGet(e2e.url, "/api/v1/kb/categories", supervisor)).items.find((c) => c.name === catName);
  assert.equal(created.parent_id, 2);
  await noSeriousViolations(page, "KB categories (German)");

  // An agent's skills and a team's routing: supervisors set them; the rest is read-only.
  await section(page, "Benutzer");
  await page.getByRole("button", { name: "l1.agent ansehen" }).click();
  await page.getByText("Sie können dies lesen, aber nicht ändern.").waitFor();
  await page.getByLabel("Fähigkeiten (Kategorien und Sprachen)").fill("printer, email, lang:de, VPN");
  await page.getByRole("button", { name: "Fähigkeiten speichern" }).click();
  await page.getByRole("status").getByText("Fähigkeiten von l1.agent gespeichert.").waitFor();
  const lena = (await apiGet(e2e.url, "/api/v1/users", supervisor)).items.find((u) => u.login === "l1.agent");
  assert.deepEqual(lena.skills, ["email", "lang:de", "printer", "vpn"]);
  await noSeriousViolations(page, "a user, read-only with skills (German)");
  await section(page, "Teams und Linien");
  await page.getByRole("button", { name: "Zuweisung von Desktop Support" }).click();
  const routing = page.getByRole("region", { name: "Team Desktop Support" });
  assert.equal(await routing.getByLabel("Name", { exact: true }).isDisabled(), true);
  await routing.getByLabel("Zuweisung neuer Tickets").selectOption("least_open");
  await routing.getByRole("button", { name: "Speichern" }).click();
  await page.getByRole("status").getByText("Team Desktop Support gespeichert.").waitFor();
  const desktop = (await apiGet(e2e.url, "/api/v1/teams", supervisor)).items.find((t) => t.name === "Desktop Support");
  assert.equal(desktop.assignment, "least_open");

  // SLA settings and rules: readable, not offered for change.
  await section(page, "SLA-Richtlinien");
  await page.getByText("Nur Administratoren ändern SLA-Einstellungen").waitFor();
  assert.equal(await page.getByRole("button", { name: "Neue Richtlinie" }).count(), 0);
  await page.getByRole("button", { name: "Standard ansehen" }).click();
  await page.getByText("Sie können dies lesen, aber nicht ändern.").waitFor();
  assert.equal(await page.getByRole("region", { name: /SLA-Richtlinie Standard/ }).getByRole("button", { name: "Speichern" }).count(), 0);
  await noSeriousViolations(page, "a policy, read-only (German)");
  await section(page, "Regeln");
  assert.equal(await page.getByRole("button", { name: "Neue Regel" }).count(), 0);
  // No organisations for supervisors (admins' business).
  assert.equal(await page.getByRole("navigation", { name: "Verwaltung" }).getByRole("link", { name: "Organisationen" }).count(), 0);
  await context.close();
});

test("an agent has no admin navigation and is not allowed at /admin", async () => {
  const { context, page } = await signedIn(e2e.browser, e2e.url, "l1.agent", "de");
  await page.getByRole("heading", { name: /Warteschlange/ }).waitFor();
  assert.equal(await page.getByRole("link", { name: "Verwaltung" }).count(), 0);
  await page.getByLabel("Sprache").selectOption("en");
  await page.goto(e2e.url + "/admin/users");
  await page.getByRole("heading", { level: 1, name: "Not allowed" }).waitFor();
  await page.getByText("The administration is for supervisors and administrators.").waitFor();
  assert.equal(await page.getByRole("table").count(), 0);
  await noSeriousViolations(page, "not allowed");
  await fitsNarrowScreen(page, "not allowed");
  await context.close();
});

// The two server additions (PUT /kb/categories/{id}, `password` on PUT /users/{id}) came in
// one change; a server from before it answers 404 here, and the test is skipped.
async function serverHasCategoryChanges(token) {
  const r = await fetch(e2e.url + "/api/v1/kb/categories/1", {
    method: "PUT",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: "{}",
  });
  return r.status === 200;
}

test("an admin sets a user's password and renames and moves a KB category (servers that have both)", async (t) => {
  const admin = await apiToken(e2e.url, "admin");
  if (!(await serverHasCategoryChanges(admin))) return t.skip("the server has no PUT /kb/categories/{id} yet");
  const { context, page } = await signedIn(e2e.browser, e2e.url, "admin", "en");
  await page.waitForURL(/\/console/);
  await openAdmin(page, "Administration");

  await section(page, "Users");
  await page.getByRole("button", { name: "Edit l3.agent" }).click();
  const reset = page.getByRole("region", { name: "Set a new password" });
  await reset.getByLabel("New password", { exact: true }).fill("short");
  await reset.getByLabel("Repeat the new password").fill("shorter");
  await reset.getByRole("button", { name: "Set a new password" }).click();
  await reset.locator(".field-error", { hasText: "The two passwords differ." }).waitFor();
  await reset.getByLabel("Repeat the new password").fill("short");
  await reset.getByRole("button", { name: "Set a new password" }).click();
  await reset.locator(".field-error", { hasText: "at least 8 characters" }).waitFor();
  const fresh = `fresh-${stamp}-password`;
  await reset.getByLabel("New password", { exact: true }).fill(fresh);
  await reset.getByLabel("Repeat the new password").fill(fresh);
  await reset.getByRole("button", { name: "Set a new password" }).click();
  await page.getByRole("status").getByText("New password set for l3.agent.").waitFor();
  const login = await fetch(e2e.url + "/api/v1/sessions", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ login: "l3.agent", password: fresh }),
  });
  assert.equal(login.status, 201);

  await section(page, "Knowledge-base categories");
  await page.getByRole("button", { name: "Rename or move VPN" }).click();
  const move = page.getByRole("region", { name: "Rename or move VPN" });
  // A category cannot be put under itself: the form does not offer it.
  assert.equal(await move.getByLabel("Parent category").locator("option", { hasText: /› VPN$/ }).count(), 0);
  await move.getByLabel("Name", { exact: true }).fill("VPN und Fernzugriff");
  await move.getByLabel("Parent category").selectOption({ label: "(top level)" });
  await move.getByRole("button", { name: "Save" }).click();
  await page.getByRole("status").getByText("Category VPN und Fernzugriff saved.").waitFor();
  const vpn = (await apiGet(e2e.url, "/api/v1/kb/categories", admin)).items.find((c) => c.id === 5);
  assert.deepEqual(vpn, { id: 5, name: "VPN und Fernzugriff", parent_id: null });
  await context.close();
});
