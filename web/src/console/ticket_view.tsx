// One ticket as an agent works it: the header (line, team, priority, status, SLA clocks),
// the requester with their other open tickets, the timeline, the editor, status changes,
// moves, the vendor's case number at line 4, and a live chat with the requester when the
// chatbot handed one over (live_chats.tsx). It follows the ticket live.
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, get, patch, path, post } from "../api/client";
import { live } from "../api/live";
import type { Entry, EntryMail, Me, Page, Status, Ticket, TicketSla, TicketSummary } from "../api/types";
import { formatTime, t, type Key } from "../i18n";
import { onLink } from "../router";
import { useDirectory, userName, type Directory } from "./directory";
import { EntryEditor, type EntryKind } from "./entry_editor";
import { LiveChatBox } from "./live_chats";
import { allowedMoves, MoveDialog, type MoveKind } from "./move_dialog";
import { OPEN_STATUSES } from "./queue_query";
import { SlaClocks } from "./sla";
import { useShortcuts } from "./shortcuts";
import { Timeline } from "./timeline";
import { toast } from "./toasts";

// The status machine's moves (src/core/status_machine.cpp), so only possible ones are offered.
const NEXT: Record<Status, Status[]> = {
  new: ["open", "pending_customer", "pending_vendor", "resolved", "closed"],
  open: ["pending_customer", "pending_vendor", "resolved", "closed"],
  pending_customer: ["open", "pending_vendor", "resolved", "closed"],
  pending_vendor: ["open", "pending_customer", "resolved", "closed"],
  resolved: ["open", "closed"],
  closed: [],
};

async function change(ticket: Ticket, body: Record<string, unknown>, done: string): Promise<boolean> {
  try {
    await patch<Ticket>(`/api/v1/tickets/${ticket.id}`, body);
    toast(done);
    return true;
  } catch (e) {
    toast(t("error.generic", { detail: (e as Error).message }), true);
    return false;
  }
}

function StatusActions(props: { ticket: Ticket; onChanged: () => void }) {
  const { ticket } = props;
  const next = NEXT[ticket.status];
  if (next.length === 0) return null;
  return (
    <div class="status-actions" role="group" aria-label={t("status.actions")}>
      {next.map((s) => (
        <button
          key={s}
          type="button"
          class={s === "resolved" ? "primary" : "secondary"}
          onClick={async () => {
            if (await change(ticket, { status: s }, t("status.changed", { status: t(`cstatus.${s}` as Key) }))) props.onChanged();
          }}
        >
          {t(`status.to.${s}` as Key)}
        </button>
      ))}
    </div>
  );
}

function VendorReference(props: { ticket: Ticket; onChanged: () => void }) {
  const [value, setValue] = useState(props.ticket.vendor_reference);
  useEffect(() => setValue(props.ticket.vendor_reference), [props.ticket.vendor_reference]);
  return (
    <form
      class="vendor-ref"
      onSubmit={async (e) => {
        e.preventDefault();
        if (await change(props.ticket, { vendor_reference: value.trim() }, t("vendor.saved"))) props.onChanged();
      }}
    >
      <label for="vendor-ref">{t("vendor.reference")}</label>
      <span class="row">
        <input id="vendor-ref" value={value} onInput={(e) => setValue(e.currentTarget.value)} />
        <button type="submit" class="secondary">{t("common.save")}</button>
      </span>
    </form>
  );
}

function RequesterPanel(props: { ticket: Ticket; dir: Directory | null }) {
  const { ticket, dir } = props;
  const [others, setOthers] = useState<TicketSummary[] | null>(null);
  useEffect(() => {
    get<Page<TicketSummary>>(
      path("/api/v1/tickets", { requester: ticket.requester_id, status: OPEN_STATUSES.join(","), limit: 20 }),
    ).then((p) => setOthers(p.items.filter((x) => x.id !== ticket.id)), () => setOthers([]));
  }, [ticket.requester_id, ticket.id]);
  const user = dir?.users.get(ticket.requester_id);
  const org = ticket.organization_id ? dir?.organizations.get(ticket.organization_id) : undefined;
  return (
    <section class="panel requester" aria-labelledby="requester-title">
      <h2 id="requester-title">{t("requester.title")}</h2>
      <p>
        <strong>{user?.name ?? `#${ticket.requester_id}`}</strong>
        {user?.email && (
          <>
            <br />
            <a href={`mailto:${user.email}`}>{user.email}</a>
          </>
        )}
        {(org || ticket.organization_id) && (
          <>
            <br />
            {t("requester.organization")}: {org?.name ?? `#${ticket.organization_id}`}
          </>
        )}
      </p>
      <h3>{t("requester.others")}</h3>
      {others && others.length === 0 && <p class="empty">{t("requester.noOthers")}</p>}
      {others && others.length > 0 && (
        <ul class="others">
          {others.map((x) => (
            <li key={x.id}>
              <a href={`/console/tickets/${x.id}`} onClick={onLink}>
                #{x.number} {x.subject}
              </a>{" "}
              <span class="muted">({t(`cstatus.${x.status}` as Key)})</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function TicketFacts(props: { ticket: Ticket; dir: Directory | null }) {
  const { ticket, dir } = props;
  return (
    <dl class="facts">
      <div>
        <dt>{t("ticket.line")}</dt>
        <dd>{t(`line.${ticket.line}` as Key)}</dd>
      </div>
      <div>
        <dt>{t("ticket.team")}</dt>
        <dd>{ticket.team.name}</dd>
      </div>
      <div>
        <dt>{t("ticket.priority")}</dt>
        <dd>
          <span class={`prio ${ticket.priority}`}>{ticket.priority}</span>{" "}
          <span class="muted">{t("ticket.impactUrgency", { impact: ticket.impact, urgency: ticket.urgency })}</span>
        </dd>
      </div>
      <div>
        <dt>{t("ticket.status")}</dt>
        <dd data-status={ticket.status}>{t(`cstatus.${ticket.status}` as Key)}</dd>
      </div>
      <div>
        <dt>{t("ticket.assignee")}</dt>
        <dd>{userName(dir, ticket.assignee_id) || t("queue.assignee.none")}</dd>
      </div>
      <div>
        <dt>{t("ticket.channel")}</dt>
        <dd>{t(`channel.${ticket.channel}` as Key)}</dd>
      </div>
      {ticket.tags.length > 0 && (
        <div>
          <dt>{t("ticket.tags")}</dt>
          <dd>{ticket.tags.join(", ")}</dd>
        </div>
      )}
      {ticket.line === 4 && ticket.vendor_reference && (
        <div>
          <dt>{t("vendor.reference")}</dt>
          <dd>{ticket.vendor_reference}</dd>
        </div>
      )}
      <div>
        <dt>{t("ticket.created")}</dt>
        <dd>{formatTime(ticket.created_at)}</dd>
      </div>
    </dl>
  );
}

export function TicketPage(props: { me: Me; id: number }) {
  const { me, id } = props;
  const dir = useDirectory();
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [entries, setEntries] = useState<Entry[]>([]);
  const [sla, setSla] = useState<TicketSla | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [kind, setKind] = useState<EntryKind>("reply");
  const [moving, setMoving] = useState<MoveKind | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const kbInput = useRef<HTMLInputElement>(null);
  const reloadTimer = useRef<ReturnType<typeof setTimeout>>();

  async function load() {
    try {
      const [x, e] = await Promise.all([
        get<Ticket>(`/api/v1/tickets/${id}`),
        get<{ items: Entry[] }>(`/api/v1/tickets/${id}/entries`),
      ]);
      setTicket(x);
      setEntries(e.items);
      setError(null);
      get<TicketSla>(`/api/v1/tickets/${id}/sla`).then(setSla, () => setSla(null));
    } catch (e) {
      setError(e instanceof ApiError && e.status === 404 ? t("ticketView.notFound") : t("error.generic", { detail: (e as Error).message }));
    }
  }

  useEffect(() => {
    setTicket(null);
    load();
    const stop = live.follow({ tickets: [id] }, (m) => {
      const about = m.type === "resync" ? id : m.type === "ticket_left" ? m.ticket_id : m.ticket.id;
      if (about !== id) return;
      clearTimeout(reloadTimer.current);
      reloadTimer.current = setTimeout(load, 250);
    });
    return () => {
      clearTimeout(reloadTimer.current);
      stop();
    };
  }, [id]);

  // A reply's mail changes state without a ticket event: while one is on its way, look again
  // every few seconds (and stop once every mail is sent or given up).
  const mailPending = entries.some((e) => e.mail && (e.mail.status === "queued" || e.mail.status === "retrying"));
  useEffect(() => {
    if (!mailPending) return;
    const timer = setInterval(() => {
      get<{ items: Entry[] }>(`/api/v1/tickets/${id}/entries`).then((e) => setEntries(e.items), () => {});
    }, 3000);
    return () => clearInterval(timer);
  }, [mailPending, id]);

  // A mail that was given up goes again (same Message-ID); the timeline then follows it.
  async function resend(mail: EntryMail) {
    try {
      await post<EntryMail>(`/api/v1/tickets/${id}/mail/${mail.id}/resend`);
      toast(t("mail.resent"));
      load();
    } catch (e) {
      toast(t("error.generic", { detail: (e as Error).message }), true);
    }
  }

  const moves = ticket && dir ? allowedMoves(ticket, dir.teams) : [];
  function write(k: EntryKind) {
    setKind(k);
    area.current?.focus();
  }
  useShortcuts({
    r: () => write("reply"),
    n: () => write("note"),
    e: () => moves.includes("escalate") && setMoving("escalate"),
    t: () => moves.includes("transfer") && setMoving("transfer"),
    b: () => moves.includes("return") && setMoving("return"),
    "/": () => kbInput.current?.focus(),
  });

  if (error) return <p class="error" role="alert">{error}</p>;
  if (!ticket) return <p class="muted">{t("common.loading")}</p>;

  return (
    <article class="ticket-view" aria-labelledby="ticket-title">
      <p>
        <a href="/console" onClick={onLink}>
          ← {t("ticketView.back")}
        </a>
      </p>
      <header class="ticket-head">
        <h1 id="ticket-title">
          #{ticket.number} {ticket.subject}
        </h1>
        <TicketFacts ticket={ticket} dir={dir} />
        <SlaClocks sla={sla} />
      </header>
      <div class="ticket-body">
        <div class="ticket-main">
          <LiveChatBox me={me} ticketId={ticket.id} />
          <section aria-labelledby="timeline-title">
            <h2 id="timeline-title">{t("timeline.title")}</h2>
            <Timeline entries={entries} dir={dir} onResend={resend} />
          </section>
          {ticket.status !== "closed" && (
            <EntryEditor ticket={ticket} kind={kind} onKind={setKind} area={area} kbInput={kbInput} onSaved={load} />
          )}
        </div>
        <aside class="ticket-side" aria-label={t("ticketView.actions")}>
          <section class="panel" aria-labelledby="actions-title">
            <h2 id="actions-title">{t("ticketView.actions")}</h2>
            <StatusActions ticket={ticket} onChanged={load} />
            {ticket.assignee_id !== me.id && ticket.status !== "closed" && (
              <button
                type="button"
                class="secondary"
                onClick={async () => (await change(ticket, { assignee_id: me.id }, t("assign.done"))) && load()}
              >
                {t("assign.me")}
              </button>
            )}
            {moves.length > 0 && ticket.status !== "closed" && (
              <div class="move-actions" role="group" aria-label={t("move.kind")}>
                {moves.map((k) => (
                  <button key={k} type="button" class="secondary" onClick={() => setMoving(k)}>
                    {t(`move.open.${k}` as Key)}
                  </button>
                ))}
              </div>
            )}
            {ticket.line === 4 && <VendorReference ticket={ticket} onChanged={load} />}
          </section>
          <RequesterPanel ticket={ticket} dir={dir} />
        </aside>
      </div>
      {moving && dir && (
        <MoveDialog ticket={ticket} dir={dir} kind={moving} onClose={() => setMoving(null)} onMoved={load} />
      )}
    </article>
  );
}
