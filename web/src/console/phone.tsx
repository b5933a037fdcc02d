// The phone at the desk (docs/telephony.md): the caller card (GET /callers?number=, or with a
// CTI "call" message), the pop that a ringing or answered call opens for this agent - not
// modal, announced - and the hand-over to the new call screen ("Take call").
import { useEffect, useRef, useState } from "preact/hooks";
import { live, type CallMessage } from "../api/live";
import type { Ticket, User } from "../api/types";
import { t } from "../i18n";
import { navigate, onLink } from "../router";
import { useShortcuts } from "./shortcuts";

export interface CallerCard {
  number: string;
  user: User | null;
  users: User[];
  organization: { id: number; name: string } | null;
  open_tickets: Ticket[];
  organization_open_tickets: number;
}

export interface Call {
  call_id: string;
  event: "ringing" | "answered" | "ended";
  number: string | null;
  caller: CallerCard | null;
  duration_seconds: number | null;
}

// The call taken last ("Take call"): the new call screen starts from it. Its "ended" event
// fills in the duration; listeners hear about every change.
let taken: Call | null = null;
const takenListeners = new Set<(c: Call | null) => void>();

export function takenCall(): Call | null {
  return taken;
}

export function onTakenCall(l: (c: Call | null) => void): () => void {
  takenListeners.add(l);
  return () => void takenListeners.delete(l);
}

function setTaken(c: Call | null) {
  taken = c;
  for (const l of takenListeners) l(c);
}

// The new call screen is done with the taken call `id` (a newer one stays).
export function clearTakenCall(id: string) {
  if (taken?.call_id === id) setTaken(null);
}

function fromMessage(m: CallMessage, before?: Call | null): Call {
  return {
    call_id: m.call.call_id,
    event: m.call.event,
    number: m.call.caller ?? before?.number ?? null,
    caller: (m.caller as CallerCard | null) ?? before?.caller ?? null,
    duration_seconds: m.call.duration_seconds ?? null,
  };
}

export function duration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  return `${m}:${String(seconds % 60).padStart(2, "0")}`;
}

// Who the card is about, and what they have open.
export function CallerCardView(props: { card: CallerCard; headingLevel?: 2 | 3 }) {
  const { card } = props;
  const H = props.headingLevel === 3 ? "h3" : "h2";
  const others = card.users.filter((u) => u.id !== card.user?.id);
  return (
    <div class="caller-card">
      <H class="caller-name">
        {card.user ? card.user.name : t("phone.unknown")} <span class="muted">{card.number}</span>
      </H>
      {card.user && (
        <p>
          <span class="muted">{card.user.email}</span>
          {card.organization && <> · {card.organization.name}</>}
        </p>
      )}
      {!card.user && <p>{t("phone.noUser")}</p>}
      {others.length > 0 && (
        <p>
          {t("phone.also")}: {others.map((u) => u.name).join(", ")}
        </p>
      )}
      {card.user && (
        <>
          <p class="caller-tickets-title">{t("phone.openTickets")}</p>
          {card.open_tickets.length === 0 ? (
            <p class="muted">{t("phone.noOpenTickets")}</p>
          ) : (
            <ul class="caller-tickets" aria-label={t("phone.openTickets")}>
              {card.open_tickets.map((x) => (
                <li key={x.id}>
                  <a href={`/console/tickets/${x.id}`} onClick={onLink}>
                    #{x.number} {x.subject}
                  </a>{" "}
                  <span class="muted">({x.status})</span>
                </li>
              ))}
            </ul>
          )}
          {card.organization_open_tickets > 0 && (
            <p class="muted">{t("phone.orgTickets", { count: card.organization_open_tickets })}</p>
          )}
        </>
      )}
    </div>
  );
}

// The pops: one per call for this agent, newest first (a second line may ring while the first
// is still showing), each until taken or dismissed. Not a dialog (the agent may be typing
// elsewhere): labelled regions, announced through a live region. "a" takes the newest.
const MAX_POPS = 4;

export function CallPop() {
  const [calls, setCalls] = useState<Call[]>([]);
  const [announce, setAnnounce] = useState("");
  const current = useRef<Call[]>([]);
  current.current = calls;

  useEffect(() => {
    // Keeps the feed open on every console page; calls come whatever is followed.
    const stop = live.follow({ queues: ["mine"] }, () => {});
    const stopCalls = live.onCall((m) => {
      const t0 = taken;
      if (t0 && t0.call_id === m.call.call_id) setTaken(fromMessage(m, t0));
      const before = current.current.find((c) => c.call_id === m.call.call_id) ?? null;
      const replace = (next: Call) =>
        setCalls((list) => list.map((c) => (c.call_id === next.call_id ? next : c)));
      if (m.call.event === "ended") {
        if (before) replace(fromMessage(m, before));
        return;
      }
      if (t0 && t0.call_id === m.call.call_id) return; // already taken
      const next = fromMessage(m, before);
      if (before) return replace(next);
      setCalls((list) => [next, ...list].slice(0, MAX_POPS));
      const who = next.caller?.user?.name ?? next.number ?? t("phone.withheld");
      setAnnounce(t("phone.announce", { who }));
    });
    return () => {
      stopCalls();
      stop();
    };
  }, []);

  function take(call: Call) {
    setTaken(call);
    setCalls((list) => list.filter((c) => c.call_id !== call.call_id));
    navigate("/console/call");
  }

  function dismiss(call: Call) {
    setCalls((list) => list.filter((c) => c.call_id !== call.call_id));
    setAnnounce("");
  }

  useShortcuts({
    a: () => {
      const newest = current.current.find((c) => c.event !== "ended");
      if (newest) take(newest);
    },
  });

  return (
    <>
      <div class="visually-hidden" role="status" aria-live="assertive">
        {announce}
      </div>
      {calls.length > 0 && (
        <div class="call-pops">
          {calls.map((call, i) => (
            <section key={call.call_id} class="call-pop" role="region" aria-labelledby={`call-pop-${i}`}>
              <p id={`call-pop-${i}`} class="call-pop-title">
                <strong>{t("phone.pop")}</strong>{" "}
                <span class="muted">
                  {call.event === "ended"
                    ? t("phone.ended", { duration: duration(call.duration_seconds ?? 0) })
                    : t(`phone.${call.event}` as "phone.ringing")}
                </span>
              </p>
              {call.caller ? (
                <CallerCardView card={call.caller} />
              ) : (
                <h2 class="caller-name">{call.number ?? t("phone.withheld")}</h2>
              )}
              <div class="row">
                <button type="button" class="primary" onClick={() => take(call)}
                  aria-keyshortcuts={i === 0 && call.event !== "ended" ? "a" : undefined}>
                  {t("phone.take")}
                </button>
                <button type="button" class="secondary" onClick={() => dismiss(call)}>
                  {t("phone.dismiss")}
                </button>
              </div>
            </section>
          ))}
        </div>
      )}
    </>
  );
}
