// The notifications panel in the header: the unread count on its button, the newest
// notifications in a panel, each opening its ticket (and marked read). It reloads when the
// live feed tells of a change on the user's own or their teams' tickets (notifications follow
// events a fraction of a second later) and, for the rest (SLA warnings, rules), every minute.
import { useState } from "preact/hooks";
import { get, post } from "../api/client";
import type { Queue } from "../api/live";
import type { Me, Notification, NotificationPage } from "../api/types";
import { formatTime, t } from "../i18n";
import { navigate } from "../router";
import { useHeaderPanel, useLiveReload } from "./header_panel";

const POLL_MS = 60_000;

export function NotificationsButton(props: { me: Me }) {
  const [page, setPage] = useState<NotificationPage | null>(null);
  const { open, setOpen, button, panel, close } = useHeaderPanel();

  const load = () => get<NotificationPage>("/api/v1/me/notifications?limit=20").then(setPage, () => {});

  const queues: Queue[] = ["mine", ...props.me.teams.map((x) => ({ team: x.id }))];
  useLiveReload(load, queues, (m) => m.type === "event" || m.type === "resync", 700, POLL_MS, props.me.id);

  async function read(ids: number[] | "all") {
    await post("/api/v1/me/notifications/read", ids === "all" ? { all: true } : { ids }).catch(() => {});
    load();
  }

  function openTicket(e: MouseEvent, n: Notification) {
    e.preventDefault();
    if (!n.read_at) read([n.id]);
    setOpen(false);
    navigate(`/console/tickets/${n.ticket_id}`);
  }

  const unread = page?.unread ?? 0;
  return (
    <div class="notifications" onKeyDown={(e) => e.key === "Escape" && open && close()}>
      <button
        ref={button}
        type="button"
        class="link"
        aria-expanded={open}
        aria-controls="notifications-panel"
        onClick={() => (open ? close() : setOpen(true))}
      >
        {t("notify.title")}
        {unread > 0 && (
          <span class="badge" aria-label={t("notify.unread", { count: unread })}>
            {unread}
          </span>
        )}
      </button>
      {open && (
        <div id="notifications-panel" class="notify-panel" ref={panel} role="region" aria-label={t("notify.title")}>
          {unread > 0 && (
            <button type="button" class="link" onClick={() => read("all")}>
              {t("notify.readAll")}
            </button>
          )}
          {page && page.items.length === 0 && <p class="empty">{t("notify.none")}</p>}
          <ul>
            {page?.items.map((n) => (
              <li key={n.id} class={n.read_at ? "read" : "unread"}>
                <a href={`/console/tickets/${n.ticket_id}`} onClick={(e) => openTicket(e, n)}>
                  {!n.read_at && <span class="visually-hidden">{t("notify.new")}: </span>}
                  {n.text}
                </a>
                <span class="muted"> · {formatTime(n.created_at)}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
