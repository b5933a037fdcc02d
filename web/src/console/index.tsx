// The agent console: the queue of the agent's first team, kept up to date by the live feed.
import { useEffect, useState } from "preact/hooks";
import { ApiError, get, path } from "../api/client";
import { live, type LiveMessage } from "../api/live";
import type { Me, Page, TicketSummary } from "../api/types";
import { t } from "../i18n";
import { TicketTable } from "../ticket_table";

const OPEN = "new,open,pending_customer,pending_vendor";

export function ConsolePage(props: { me: Me }) {
  const team = props.me.teams[0];
  const [tickets, setTickets] = useState<TicketSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const query = team ? { team: team.id, status: OPEN, limit: 100 } : { status: OPEN, limit: 100 };
    const load = () =>
      get<Page<TicketSummary>>(path("/api/v1/tickets", query)).then(
        (page) => setTickets(page.items),
        (e: ApiError) => setError(t("error.generic", { detail: e.message })),
      );
    load();
    const open = new Set(OPEN.split(","));
    return live.follow({ queues: [team ? { team: team.id } : "all"] }, (m: LiveMessage) => {
      if (m.type === "resync") return void load();
      if (m.type === "ticket_left")
        return setTickets((list) => list && list.filter((x) => x.id !== m.ticket_id));
      setTickets((list) => {
        const rest = (list ?? []).filter((x) => x.id !== m.ticket.id);
        return open.has(m.ticket.status) ? [m.ticket, ...rest] : rest;
      });
    });
  }, [team?.id]);

  return (
    <section aria-labelledby="queue-title">
      <h1 id="queue-title">
        {t("console.title")}
        {team ? `: ${team.name}` : ""}
      </h1>
      {error && <p class="error" role="alert">{error}</p>}
      {tickets && <TicketTable tickets={tickets} empty={t("console.empty")} showLine />}
    </section>
  );
}
