// The ticket's timeline, oldest first: public replies, internal notes, logged calls and the
// system's events (creation, status changes, moves with their hand-off notes, live chats, SLA).
import type { Entry, EntryMail } from "../api/types";
import { AttachmentList } from "../attachments";
import { formatTime, t, type Key } from "../i18n";
import { userName, type Directory } from "./directory";
import { listTexts } from "./entry_editor";
import { duration } from "./sla";

type Payload = Record<string, unknown>;

function teamName(dir: Directory | null, id: unknown): string {
  return dir?.teams.find((x) => x.id === id)?.name ?? `#${String(id)}`;
}

function eventText(type: string, p: Payload, dir: Directory | null): string {
  switch (type) {
    case "ticket.created":
      return t("event.created", { channel: t(`channel.${String(p.channel)}` as Key) });
    case "ticket.status_changed":
      return t("event.status", {
        from: t(`cstatus.${String(p.from)}` as Key),
        to: t(`cstatus.${String(p.to)}` as Key),
      });
    case "ticket.escalated":
      return t("event.escalated", {
        from: String(p.from_line),
        to: String(p.to_line),
        team: teamName(dir, p.to_team),
        reason: p.reason ? t(`reason.${String(p.reason)}` as Key) : "—",
      });
    case "ticket.transferred":
      return t("event.transferred", { team: teamName(dir, p.to_team) });
    case "ticket.returned":
      return t("event.returned", { line: String(p.to_line), team: teamName(dir, p.to_team) });
    case "ticket.updated":
    {
      // The server names the changed fields under "changes" ({field: {from, to}}).
      const changed = p.changes && typeof p.changes === "object" ? (p.changes as Payload) : p;
      return t("event.updated", { fields: Object.keys(changed).filter((k) => k !== "by").join(", ") });
    }
    case "ticket.live_chat": {
      const state = String(p.state);
      if (state === "waiting") return t("event.liveChat.waiting");
      if (state === "active") return t("event.liveChat.active");
      const by = String(p.ended_by ?? "");
      return ["customer", "agent", "timeout", "idle"].includes(by)
        ? t("event.liveChat.endedBy", { by: t(`event.liveChat.by.${by}` as Key) })
        : t("event.liveChat.ended");
    }
    case "sla.policy_applied":
      return t("event.policy", { name: String(p.name ?? "") });
    case "sla.breached":
      return t("event.breached", { metric: t(`sla.metric.${String(p.metric)}` as Key) });
    case "sla.step_fired":
      return t("event.step", { metric: t(`sla.metric.${String(p.metric)}` as Key), percent: String(p.percent ?? "") });
    default:
      return type;
  }
}

function moveNote(type: string, p: Payload): string | null {
  if (type !== "ticket.escalated" && type !== "ticket.transferred" && type !== "ticket.returned") return null;
  const note = p.note ?? p.handoff_note;
  return typeof note === "string" && note.trim() ? note : null;
}

function EventItem(props: { entry: Entry; dir: Directory | null }) {
  const { entry, dir } = props;
  const type = entry.event?.type ?? "";
  const p = entry.event?.payload ?? {};
  const note = moveNote(type, p);
  return (
    <li class={`entry event ${type.replace(/\./g, "-")}`}>
      <p class="entry-head">
        <span>{eventText(type, p, dir)}</span>
        {entry.author_id !== null && <span class="muted"> · {userName(dir, entry.author_id)}</span>}
        <span class="muted"> · {formatTime(entry.created_at)}</span>
      </p>
      {note && (
        <blockquote class="handoff">
          <strong>{type === "ticket.escalated" ? t("event.handoff") : t("event.note")}:</strong> {note}
        </blockquote>
      )}
    </li>
  );
}

// How the reply's e-mail to the requester went: sent, waiting, retrying or given up (red,
// with a button to send it again).
function MailState(props: { mail: EntryMail; onResend?: (mail: EntryMail) => void }) {
  const { mail } = props;
  const text =
    mail.status === "sent"
      ? t("mail.sent", { at: formatTime(mail.sent_at ?? "") })
      : mail.status === "failed"
        ? t("mail.failed", { error: mail.last_error ?? "" })
        : mail.status === "retrying"
          ? t("mail.retrying", { attempts: mail.attempts, error: mail.last_error ?? "" })
          : t("mail.queued");
  return (
    <p class={`entry-mail ${mail.status}`} data-mail={mail.status}>
      {text}
      {mail.status === "failed" && props.onResend && (
        <button type="button" class="secondary" onClick={() => props.onResend?.(mail)}>
          {t("mail.resend")}
        </button>
      )}
    </p>
  );
}

function kindLabel(entry: Entry): string {
  if (entry.kind !== "call" || !entry.call) return t(`entry.${entry.kind}` as Key);
  const c = entry.call;
  const parts = [t(`call.${c.direction}` as Key)];
  if (c.caller) parts.push(c.caller);
  if (c.duration_seconds) parts.push(duration(c.duration_seconds * 1000));
  return parts.join(" · ");
}

export function Timeline(props: { entries: Entry[]; dir: Directory | null; onResend?: (mail: EntryMail) => void }) {
  if (props.entries.length === 0) return <p class="empty">{t("timeline.empty")}</p>;
  return (
    <ol class="timeline">
      {props.entries.map((entry) =>
        entry.kind === "event" ? (
          <EventItem key={`e${entry.id}`} entry={entry} dir={props.dir} />
        ) : (
          <li key={`${entry.kind}${entry.id}`} class={`entry ${entry.kind}`}>
            <p class="entry-head">
              <strong>{kindLabel(entry)}</strong>
              <span class="muted"> · {userName(props.dir, entry.author_id)}</span>
              <span class="muted"> · {formatTime(entry.created_at)}</span>
              {!!entry.time_spent_minutes && (
                <span class="muted"> · {t("entry.timeSpent", { minutes: entry.time_spent_minutes })}</span>
              )}
            </p>
            {entry.body && <div class="entry-body">{entry.body}</div>}
            <AttachmentList files={entry.attachments} texts={listTexts()} />
            {entry.mail && <MailState mail={entry.mail} onResend={props.onResend} />}
          </li>
        ),
      )}
    </ol>
  );
}
