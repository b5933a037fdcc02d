// My tickets: the customer's requests with their status, kept up to date by the live feed
// ("mine" is, for a customer, the tickets they asked for).
import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../api/client";
import { live } from "../api/live";
import type { Me, TicketSummary } from "../api/types";
import { formatTime, t, type Key } from "../i18n";
import { onPortalLink } from "./location";
import { PageHeading } from "./page_heading";
import { tickets } from "./ticket_api";

export function MyTicketsPage(props: { me: Me }) {
  const [list, setList] = useState<TicketSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const load = () =>
      tickets.mine(props.me.id).then(setList, (e: ApiError) => setError(t("error.generic", { detail: e.message })));
    load();
    return live.follow({ queues: ["mine"] }, (m) => {
      if (m.type === "resync") return void load();
      if (m.type === "ticket_left") return;
      setList((l) => [m.ticket, ...(l ?? []).filter((x) => x.id !== m.ticket.id)]);
    });
  }, [props.me.id]);

  return (
    <>
      <PageHeading>{t("portal.title")}</PageHeading>
      <p>
        <a class="action" href="/portal/new" onClick={onPortalLink}>
          {t("portal.nav.new")}
        </a>
      </p>
      {error && <p class="error" role="alert">{error}</p>}
      {list && <RequestTable tickets={list} />}
    </>
  );
}

function RequestTable(props: { tickets: TicketSummary[] }) {
  if (props.tickets.length === 0) return <p class="empty">{t("portal.empty")}</p>;
  return (
    <table class="tickets requests">
      <caption class="visually-hidden">{t("portal.title")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("ticket.number")}</th>
          <th scope="col">{t("ticket.subject")}</th>
          <th scope="col">{t("ticket.status")}</th>
          <th scope="col">{t("ticket.updated")}</th>
        </tr>
      </thead>
      <tbody>
        {props.tickets.map((ticket) => (
          <tr key={ticket.id} data-ticket={ticket.number}>
            <td data-label={t("ticket.number")}>#{ticket.number}</td>
            <td data-label={t("ticket.subject")}>
              <a href={`/portal/tickets/${ticket.id}`} onClick={onPortalLink}>
                {ticket.subject}
              </a>
            </td>
            <td data-label={t("ticket.status")}>
              <span class={`status status-${ticket.status}`}>{t(`status.${ticket.status}` as Key)}</span>
            </td>
            <td data-label={t("ticket.updated")}>{formatTime(ticket.updated_at)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
