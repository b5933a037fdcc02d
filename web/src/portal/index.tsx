// The self-service portal: the customer's own tickets, kept up to date by the live feed.
import { useEffect, useState } from "preact/hooks";
import { ApiError, get, path } from "../api/client";
import { live } from "../api/live";
import type { Me, Page, TicketSummary } from "../api/types";
import { t } from "../i18n";
import { TicketTable } from "../ticket_table";

export function PortalPage(props: { me: Me }) {
  const [tickets, setTickets] = useState<TicketSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const load = () =>
      get<Page<TicketSummary>>(path("/api/v1/tickets", { requester: props.me.id, limit: 100 })).then(
        (page) => setTickets(page.items),
        (e: ApiError) => setError(t("error.generic", { detail: e.message })),
      );
    load();
    return live.follow({ queues: ["mine"] }, (m) => {
      if (m.type === "resync") return void load();
      if (m.type === "ticket_left") return;
      setTickets((list) => [m.ticket, ...(list ?? []).filter((x) => x.id !== m.ticket.id)]);
    });
  }, [props.me.id]);

  return (
    <section aria-labelledby="portal-title">
      <h1 id="portal-title">{t("portal.title")}</h1>
      {error && <p class="error" role="alert">{error}</p>}
      {tickets && <TicketTable tickets={tickets} empty={t("portal.empty")} />}
    </section>
  );
}
