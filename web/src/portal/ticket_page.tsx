// One of the customer's requests: its state, the conversation and the reply form, following
// the ticket live. A reply to a resolved request reopens it (the API's rule); a closed one
// takes no replies.
import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../api/client";
import { AttachmentPicker, uploadAll } from "../attachments";
import { live } from "../api/live";
import type { Entry, Me, Ticket } from "../api/types";
import { formatTime, t, type Key } from "../i18n";
import { announce } from "./announce";
import { pickerTexts } from "./attachment_texts";
import { Conversation } from "./conversation";
import { onPortalLink } from "./location";
import { PageHeading } from "./page_heading";
import { tickets } from "./ticket_api";
import { TicketRating, type RatedTicket } from "./ticket_rating";

export function TicketPage(props: { id: number; me: Me }) {
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [entries, setEntries] = useState<Entry[]>([]);
  const [error, setError] = useState<string | null>(null);

  const load = () =>
    Promise.all([tickets.one(props.id), tickets.entries(props.id)]).then(
      ([tk, es]) => {
        setTicket(tk);
        setEntries(es);
      },
      (e: ApiError) =>
        setError(e.status === 404 ? t("portal.ticket.notFound") : t("error.generic", { detail: e.message })),
    );

  useEffect(() => {
    load();
    return live.follow({ tickets: [props.id] }, (m) => {
      if (m.type === "resync" || (m.type !== "ticket_left" && m.ticket.id === props.id)) void load();
    });
  }, [props.id]);

  if (error) return <p class="error" role="alert">{error}</p>;
  if (!ticket) return null;

  return (
    <>
      <PageHeading>{ticket.subject}</PageHeading>
      <dl class="ticket-facts">
        <div>
          <dt>{t("ticket.number")}</dt>
          <dd>#{ticket.number}</dd>
        </div>
        <div>
          <dt>{t("ticket.status")}</dt>
          <dd>
            <span class={`status status-${ticket.status}`}>{t(`status.${ticket.status}` as Key)}</span>
          </dd>
        </div>
        <div>
          <dt>{t("portal.ticket.openedAt")}</dt>
          <dd>{formatTime(ticket.created_at)}</dd>
        </div>
        <div>
          <dt>{t("ticket.updated")}</dt>
          <dd>{formatTime(ticket.updated_at)}</dd>
        </div>
      </dl>
      <section aria-labelledby="conversation-title">
        <h2 id="conversation-title">{t("portal.ticket.conversation")}</h2>
        <Conversation entries={entries} me={props.me} />
      </section>
      {/* Each reply lists its files in the conversation; new ones are chosen in the reply form. */}
      <ReplyForm ticket={ticket} onSent={load} />
      {/* The satisfaction rating (issue 5: 1-5 and a comment), #ticket-rating: the form while
          the ticket is resolved or closed, the given rating also after a reopen. */}
      {(ticket.status === "resolved" || ticket.status === "closed" || (ticket as RatedTicket).rating) && (
        <TicketRating ticket={ticket as RatedTicket} onRated={load} />
      )}
    </>
  );
}

function ReplyForm(props: { ticket: Ticket; onSent: () => void }) {
  const [body, setBody] = useState("");
  const [files, setFiles] = useState<File[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { ticket } = props;

  if (ticket.status === "closed")
    return (
      <p class="hint">
        {t("portal.ticket.closed")}{" "}
        <a href="/portal/new" onClick={onPortalLink}>
          {t("portal.nav.new")}
        </a>
      </p>
    );

  async function send(e: Event) {
    e.preventDefault();
    if (busy) return;
    if (!body.trim() && files.length === 0) {
      setError(t("portal.new.required"));
      document.getElementById("reply-body")?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      // Uploaded when sent: an upload nobody uses is deleted by the server after a day.
      const ids = await uploadAll(files);
      await tickets.reply(ticket.id, body.trim(), ids);
      setBody("");
      setFiles([]);
      announce(ticket.status === "resolved" ? t("portal.ticket.reopened") : t("portal.ticket.sent"));
      props.onSent();
    } catch (err) {
      const api = err as ApiError;
      setError(api.field?.("body") ?? api.field?.("attachment_ids") ?? t("error.generic", { detail: api.message }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="reply-title">
      <h2 id="reply-title">{t("portal.ticket.reply")}</h2>
      <form class="reply-form" onSubmit={send} noValidate>
        {ticket.status === "resolved" && (
          <p id="reply-hint" class="hint">
            {t("portal.ticket.replyReopens")}
          </p>
        )}
        <label for="reply-body">{t("portal.ticket.yourReply")}</label>
        <textarea
          id="reply-body"
          rows={5}
          aria-invalid={error ? true : undefined}
          aria-describedby={[ticket.status === "resolved" && "reply-hint", error && "reply-error"].filter(Boolean).join(" ") || undefined}
          value={body}
          onInput={(e) => setBody(e.currentTarget.value)}
        />
        <AttachmentPicker id="reply-files" files={files} onChange={setFiles} texts={pickerTexts()} disabled={busy} />
        {error && (
          <p id="reply-error" class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t("portal.ticket.send")}
        </button>
      </form>
    </section>
  );
}
