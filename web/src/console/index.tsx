// The agent console: the queue (/console), a ticket (/console/tickets/{id}), the new-call
// screen (/console/call) and ticket search (/console/search?q=), with the console's
// navigation, its keyboard shortcuts and toasts.
import { useEffect, useState } from "preact/hooks";
import type { Me } from "../api/types";
import { t } from "../i18n";
import { navigate, onLink, usePath } from "../router";
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

function ConsoleNav(props: { path: string; onSearch: (q: string) => void }) {
  const current = (p: string) => (props.path === p ? "page" : undefined);
  return (
    <nav class="console-nav" aria-label={t("console.nav")}>
      <a href="/console" onClick={onLink} aria-current={current("/console")}>
        {t("console.queue")}
      </a>
      <a href="/console/call" onClick={onLink} aria-current={current("/console/call")}>
        {t("console.newCall")}
      </a>
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
      <ConsoleNav path={path} onSearch={setSearched} />
      <CallPop />
      {ticket ? (
        <TicketPage key={ticket[1]} me={props.me} id={Number(ticket[1])} />
      ) : path === "/console/call" ? (
        <NewCallPage key={callKey} me={props.me} />
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
