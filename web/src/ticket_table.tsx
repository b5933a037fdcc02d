// A list of tickets as a table: number, subject, status, priority, line, last change.
import type { TicketSummary } from "./api/types";
import { formatTime, t, type Key } from "./i18n";

export function TicketTable(props: { tickets: TicketSummary[]; empty: string; showLine?: boolean }) {
  if (props.tickets.length === 0) return <p class="empty">{props.empty}</p>;
  return (
    <table class="tickets">
      <thead>
        <tr>
          <th scope="col">{t("ticket.number")}</th>
          <th scope="col">{t("ticket.subject")}</th>
          <th scope="col">{t("ticket.status")}</th>
          <th scope="col">{t("ticket.priority")}</th>
          {props.showLine && <th scope="col">{t("ticket.line")}</th>}
          <th scope="col">{t("ticket.updated")}</th>
        </tr>
      </thead>
      <tbody>
        {props.tickets.map((ticket) => (
          <tr key={ticket.id} data-ticket={ticket.number}>
            <td>#{ticket.number}</td>
            <td>{ticket.subject}</td>
            <td>{t(`status.${ticket.status}` as Key)}</td>
            <td>{ticket.priority}</td>
            {props.showLine && <td>{ticket.line}</td>}
            <td>{formatTime(ticket.updated_at)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
