// The agent console: the queue (/console), a ticket (/console/tickets/{id}) and the new-call
// screen (/console/call), with the console's navigation, its keyboard shortcuts and toasts.
import { useEffect, useState } from "preact/hooks";
import type { Me } from "../api/types";
import { t } from "../i18n";
import { navigate, onLink, usePath } from "../router";
import { ShortcutHelp } from "./help";
import { NewCallPage } from "./new_call";
import { CallPop, onTakenCall } from "./phone";
import { QueuePage } from "./queue";
import { useShortcuts } from "./shortcuts";
import { TicketPage } from "./ticket_view";
import { Toasts } from "./toasts";
import "./console.css";

export { NotificationsButton } from "./notifications";

function ConsoleNav(props: { path: string }) {
  const current = (p: string) => (props.path === p ? "page" : undefined);
  return (
    <nav class="console-nav" aria-label={t("console.nav")}>
      <a href="/console" onClick={onLink} aria-current={current("/console")}>
        {t("console.queue")}
      </a>
      <a href="/console/call" onClick={onLink} aria-current={current("/console/call")}>
        {t("console.newCall")}
      </a>
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
  useShortcuts({
    "g q": () => navigate("/console"),
    "g c": () => navigate("/console/call"),
    "?": () => setHelp(true),
  });
  const ticket = path.match(/^\/console\/tickets\/(\d+)$/);
  return (
    <div class="console">
      <ConsoleNav path={path} />
      <CallPop />
      {ticket ? (
        <TicketPage key={ticket[1]} me={props.me} id={Number(ticket[1])} />
      ) : path === "/console/call" ? (
        <NewCallPage key={callKey} me={props.me} />
      ) : (
        <QueuePage me={props.me} />
      )}
      {help && <ShortcutHelp onClose={() => setHelp(false)} />}
      <Toasts />
    </div>
  );
}
