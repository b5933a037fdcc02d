// The agent console: the queue (/console), a ticket (/console/tickets/{id}), the new-call
// screen (/console/call), ticket search (/console/search?q=) and, for supervisors and admins,
// the reports (/console/reports/{name}), with the console's navigation, its keyboard
// shortcuts and toasts.
import { useEffect, useState } from "preact/hooks";
import type { Me } from "../api/types";
import { t } from "../i18n";
import { navigate, onLink, usePath } from "../router";
import { seesEverything } from "./directory";
import { ShortcutHelp } from "./help";
import { NewCallPage } from "./new_call";
import { CallPop, onTakenCall } from "./phone";
import { QueuePage } from "./queue";
import { SearchPage, TicketSearchBox } from "./search";
import { useShortcuts } from "./shortcuts";
import { TicketPage } from "./ticket_view";
import { Toasts } from "./toasts";
import "./console.css";

export { LiveChatsButton } from "./live_chats";
export { NotificationsButton } from "./notifications";

// The reports load on demand, with their chart library: agents never download them (the API
// refuses them reports anyway).
type ReportsModule = typeof import("./reports");
let reportsModule: Promise<ReportsModule> | null = null;

function LazyReports(props: { path: string }) {
  const [mod, setMod] = useState<ReportsModule | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    reportsModule ??= import("./reports");
    reportsModule.then(setMod, () => {
      reportsModule = null;
      setFailed(true);
    });
  }, []);
  if (mod) return <mod.ReportsPage path={props.path} />;
  return failed ? (
    <p class="error" role="alert">
      {t("error.offline")}
    </p>
  ) : (
    <p class="muted">{t("common.loading")}</p>
  );
}

function ConsoleNav(props: { me: Me; path: string; onSearch: (q: string) => void }) {
  const current = (p: string) => (props.path === p ? "page" : undefined);
  return (
    <nav class="console-nav" aria-label={t("console.nav")}>
      <a href="/console" onClick={onLink} aria-current={current("/console")}>
        {t("console.queue")}
      </a>
      <a href="/console/call" onClick={onLink} aria-current={current("/console/call")}>
        {t("console.newCall")}
      </a>
      {seesEverything(props.me) && (
        <a href="/console/reports" onClick={onLink} aria-current={props.path.startsWith("/console/reports") ? "page" : undefined}>
          {t("console.reports")}
        </a>
      )}
      <TicketSearchBox onSearch={props.onSearch} />
      <span class="hint">{t("console.keysHint")}</span>
    </nav>
  );
}

export function ConsolePage(props: { me: Me }) {
  const path = usePath();
  const [help, setHelp] = useState(false);
  // A taken call opens a fresh new call screen, even over the one already open.
  const [callKey, setCallKey] = useState("");
  useEffect(() => onTakenCall((c) => c && setCallKey(c.call_id)), []);
  // The search text lives in the URL; a new search on the search page keeps the path, so the
  // box's submit re-renders through this state.
  const [, setSearched] = useState("");
  const q = new URLSearchParams(location.search).get("q") ?? "";
  useShortcuts({
    "g q": () => navigate("/console"),
    "g c": () => navigate("/console/call"),
    "?": () => setHelp(true),
  });
  const ticket = path.match(/^\/console\/tickets\/(\d+)$/);
  return (
    <div class="console">
      <ConsoleNav me={props.me} path={path} onSearch={setSearched} />
      <CallPop />
      {ticket ? (
        <TicketPage key={ticket[1]} me={props.me} id={Number(ticket[1])} />
      ) : path === "/console/call" ? (
        <NewCallPage key={callKey} me={props.me} />
      ) : (path === "/console/reports" || path.startsWith("/console/reports/")) && seesEverything(props.me) ? (
        <LazyReports path={path} />
      ) : path === "/console/search" ? (
        <SearchPage q={q} />
      ) : (
        <QueuePage me={props.me} />
      )}
      {help && <ShortcutHelp onClose={() => setHelp(false)} />}
      <Toasts />
    </div>
  );
}
