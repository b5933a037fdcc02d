// The page frame (skip link, header with navigation, language switch and sign-out, main
// landmark) and the choice of screen by path and role.
import { useEffect, useState } from "preact/hooks";
import { live, type LiveState } from "./api/live";
import type { AdminPage } from "./admin";
import type { Me } from "./api/types";
import { ConsolePage, LiveChatsButton, NotificationsButton } from "./console";
import { language, setLanguage, t, useLanguage, type Language } from "./i18n";
import { LoginPage } from "./pages/login";
import { PortalPage } from "./portal";
import { navigate, onLink, usePath } from "./router";
import { isStaff, signOut, useMe } from "./session";

function LiveBadge() {
  const [state, setState] = useState<LiveState>(live.state);
  useEffect(() => live.onState(setState), []);
  if (state === "live") return <span class="live on">{t("live.connected")}</span>;
  if (state === "offline") return null;
  return <span class="live">{t("live.offline")}</span>;
}

// The admin area loads on demand: agents and customers never download it.
type AdminModule = { AdminPage: typeof AdminPage };
let adminModule: Promise<AdminModule> | null = null;

function LazyAdmin(props: { me: Me }) {
  const [mod, setMod] = useState<AdminModule | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    adminModule ??= import("./admin");
    adminModule.then(setMod, () => {
      adminModule = null;
      setFailed(true);
    });
  }, []);
  if (mod) return <mod.AdminPage me={props.me} />;
  return failed ? <p class="error" role="alert">{t("error.offline")}</p> : <p class="muted">{t("admin.loading")}</p>;
}

const managesSetup = (me: Me) => me.role === "admin" || me.role === "supervisor";

function Header(props: { me: Me | null }) {
  const me = props.me;
  return (
    <header class="top">
      <a class="brand" href="/" onClick={onLink}>
        {t("app.name")}
      </a>
      {me && (
        <nav aria-label="main">
          {isStaff(me) && (
            <a href="/console" onClick={onLink}>
              {t("nav.console")}
            </a>
          )}
          <a href="/portal" onClick={onLink}>
            {t("nav.portal")}
          </a>
          {managesSetup(me) && (
            <a href="/admin" onClick={onLink}>
              {t("nav.admin")}
            </a>
          )}
        </nav>
      )}
      <span class="spacer" />
      {me && <LiveBadge />}
      {me && isStaff(me) && <LiveChatsButton me={me} />}
      {me && isStaff(me) && <NotificationsButton me={me} />}
      <label class="language">
        {t("app.language")}
        <select
          value={language()}
          onChange={(e) => setLanguage(e.currentTarget.value as Language)}
        >
          <option value="de">Deutsch</option>
          <option value="en">English</option>
        </select>
      </label>
      {me && (
        <button type="button" class="link" onClick={() => signOut().then(() => navigate("/login"))}>
          {t("nav.logout")} ({me.login})
        </button>
      )}
    </header>
  );
}

function Screen(props: { me: Me | null; path: string }) {
  const { me, path } = props;
  // The knowledge base is line 0, for everyone: guests read it without signing in.
  if (!me) return path.startsWith("/portal/kb") ? <PortalPage me={null} /> : <LoginPage />;
  if (path.startsWith("/console") && isStaff(me)) return <ConsolePage me={me} />;
  if (path === "/admin" || path.startsWith("/admin/")) return <LazyAdmin me={me} />;
  if (path.startsWith("/portal")) return <PortalPage me={me} />;
  return isStaff(me) ? <ConsolePage me={me} /> : <PortalPage me={me} />;
}

export function App() {
  useLanguage();
  const me = useMe();
  const path = usePath();
  if (me === undefined) return null;  // reading the session
  return (
    <>
      <a class="skip" href="#main">
        {t("app.skip")}
      </a>
      <Header me={me} />
      <main id="main" tabIndex={-1}>
        <Screen me={me} path={path} />
      </main>
    </>
  );
}
