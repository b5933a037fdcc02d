// A ticket's conversation as the customer sees it: the API gives a customer the replies and
// the public events only. Replies show who wrote them (the customer or the service desk);
// of the events, the opening and the status changes are told in words.
import type { Entry, Me, Status } from "../api/types";
import { AttachmentList } from "../attachments";
import { formatTime, t, type Key } from "../i18n";
import { listTexts } from "./attachment_texts";

export function Conversation(props: { entries: Entry[]; me: Me }) {
  const shown = props.entries.filter((e) => e.kind === "reply" || eventText(e) !== null);
  if (shown.length === 0) return <p class="empty">{t("portal.ticket.noEntries")}</p>;
  return (
    <ol class="conversation">
      {shown.map((entry) =>
        entry.kind === "reply" ? (
          <li key={`r${entry.id}`} class={entry.author_id === props.me.id ? "reply from-me" : "reply from-desk"}>
            <p class="who">
              <strong>{entry.author_id === props.me.id ? t("portal.ticket.you") : t("portal.ticket.desk")}</strong>{" "}
              <time dateTime={entry.created_at}>{formatTime(entry.created_at)}</time>
            </p>
            {entry.body && <p class="body">{entry.body}</p>}
            <AttachmentList files={entry.attachments} texts={listTexts()} />
          </li>
        ) : (
          <li key={`e${entry.id}`} class="event">
            {eventText(entry)} <time dateTime={entry.created_at}>{formatTime(entry.created_at)}</time>
          </li>
        ),
      )}
    </ol>
  );
}

function eventText(entry: Entry): string | null {
  if (entry.kind !== "event" || !entry.event) return null;
  if (entry.event.type === "ticket.created") return t("portal.ticket.opened");
  if (entry.event.type === "ticket.status_changed") {
    const to = entry.event.payload.to as Status | undefined;
    return to ? t("portal.ticket.statusChanged", { status: t(`status.${to}` as Key) }) : null;
  }
  return null;
}
