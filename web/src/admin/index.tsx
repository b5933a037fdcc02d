// The admin area (/admin/...): a new install is configured here, in the browser, not in SQL.
// Loaded on demand (app.tsx imports this module dynamically), so agents never download it.
// Admins manage users, teams and organisations; supervisors and admins manage macros and
// knowledge-base categories, team routing and agents' skills; SLA calendars, SLA policies and
// rules and the chatbot's flows are admins' (the server refuses supervisors), supervisors read
// them. Anyone else gets
// a "not allowed" page.
import type { Me } from "../api/types";
import { useLanguage } from "../i18n";
import { onLink, usePath } from "../router";
import { BotFlowsScreen } from "./bot_flows";
import { CategoriesScreen } from "./categories";
import { at, rightsOf, ScreenHeading, StatusLine, type Rights } from "./kit";
import { MacrosScreen } from "./macros";
import { OrganizationsScreen } from "./organizations";
import { RulesScreen } from "./rules";
import { CalendarsScreen } from "./sla_calendars";
import { PoliciesScreen } from "./sla_policies";
import { TeamsScreen } from "./teams";
import { UsersScreen } from "./users";
import type { AdminKey } from "./texts.en";
import "./admin.css";

interface Section {
  path: string;
  title: AdminKey;
  about: AdminKey;
  screen: (props: { me: Me; rights: Rights }) => preact.JSX.Element;
  adminOnly?: boolean;
}

const SECTIONS: Section[] = [
  { path: "users", title: "users.title", about: "users.about", screen: UsersScreen },
  { path: "teams", title: "teams.title", about: "teams.about", screen: TeamsScreen },
  { path: "organizations", title: "orgs.title", about: "orgs.about", screen: OrganizationsScreen, adminOnly: true },
  { path: "sla/calendars", title: "calendars.title", about: "calendars.about", screen: CalendarsScreen },
  { path: "sla/policies", title: "policies.title", about: "policies.about", screen: PoliciesScreen },
  { path: "rules", title: "rules.title", about: "rules.about", screen: RulesScreen },
  { path: "macros", title: "macros.title", about: "macros.about", screen: MacrosScreen },
  { path: "kb/categories", title: "categories.title", about: "categories.about", screen: CategoriesScreen },
  { path: "bot/flows", title: "flows.title", about: "flows.about", screen: BotFlowsScreen },
];

function NotAllowed() {
  return (
    <section class="admin-denied">
      <ScreenHeading>{at("denied.title")}</ScreenHeading>
      <p>{at("denied.text")}</p>
      <p>
        <a href="/" onClick={onLink}>
          {at("denied.back")}
        </a>
      </p>
    </section>
  );
}

function Overview(props: { sections: Section[] }) {
  return (
    <section>
      <ScreenHeading>{at("admin.title")}</ScreenHeading>
      <p>{at("admin.intro")}</p>
      <ul class="admin-overview">
        {props.sections.map((s) => (
          <li key={s.path}>
            <a href={`/admin/${s.path}`} onClick={onLink}>
              {at(s.title)}
            </a>
            <span class="muted"> — {at(s.about)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function AdminPage(props: { me: Me }) {
  useLanguage();
  const path = usePath();
  const rights = rightsOf(props.me);
  if (!rights) return <NotAllowed />;
  const sections = SECTIONS.filter((s) => !s.adminOnly || rights.directory);
  const rest = path.replace(/^\/admin\/?/, "").replace(/\/$/, "");
  const current = sections.find((s) => s.path === rest);
  const Screen = current?.screen;
  return (
    <div class="admin">
      <nav class="admin-nav" aria-label={at("admin.nav")}>
        <a href="/admin" onClick={onLink} aria-current={rest === "" ? "page" : undefined}>
          {at("admin.overview")}
        </a>
        {sections.map((s) => (
          <a key={s.path} href={`/admin/${s.path}`} onClick={onLink} aria-current={s === current ? "page" : undefined}>
            {at(s.title)}
          </a>
        ))}
      </nav>
      <StatusLine />
      {Screen ? (
        <Screen key={rest} me={props.me} rights={rights} />
      ) : rest === "" ? (
        <Overview sections={sections} />
      ) : (
        <section>
          <ScreenHeading>{at("admin.notFound")}</ScreenHeading>
        </section>
      )}
    </div>
  );
}
