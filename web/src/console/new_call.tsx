// Phone first: the line-1 agent takes a call. Find the caller, take notes while talking (the
// call's duration counts from when the screen opened), then resolve on the spot (first-contact
// resolution), create and escalate in one step, or just create. The calling number is looked up
// as a caller card (GET /callers); a call taken from the CTI pop (phone.tsx) arrives prefilled,
// and its "ended" event sets the duration.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { ApiError, get, patch, post } from "../api/client";
import type { EscalationReason, Me, Ticket, User } from "../api/types";
import { t } from "../i18n";
import { navigate } from "../router";
import { useDirectory } from "./directory";
import { escalate, moveTargets, ReasonChoice, TeamChoice } from "./move_dialog";
import { type CallerCard, CallerCardView, clearTakenCall, onTakenCall, takenCall } from "./phone";
import { toast } from "./toasts";

type Outcome = "resolve" | "escalate" | "create";

function useCallClock(): number {
  const [started] = useState(Date.now());
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return Math.round((now - started) / 1000);
}

function clock(seconds: number): string {
  const m = Math.floor(seconds / 60);
  return `${m}:${String(seconds % 60).padStart(2, "0")}`;
}

// Customers matching what the agent typed (name, login, e-mail), from GET /users?role=customer.
function CallerSearch(props: { value: User | null; onChange: (u: User | null) => void; error?: string; autofocus?: boolean }) {
  const [customers, setCustomers] = useState<User[]>([]);
  const [q, setQ] = useState("");
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    get<{ items: User[] }>("/api/v1/users?role=customer").then((r) => setCustomers(r.items.filter((u) => u.active)), () => setCustomers([]));
    if (props.autofocus !== false) input.current?.focus();
  }, []);
  const found = useMemo(() => {
    const needle = q.trim().toLowerCase();
    if (!needle) return [];
    return customers
      .filter((u) => [u.name, u.login, u.email].some((s) => s.toLowerCase().includes(needle)))
      .slice(0, 8);
  }, [q, customers]);
  if (props.value)
    return (
      <div class="caller chosen">
        <p>
          {t("call.caller")}: <strong>{props.value.name}</strong> <span class="muted">{props.value.email}</span>
        </p>
        <button type="button" class="secondary" onClick={() => props.onChange(null)}>
          {t("call.otherCaller")}
        </button>
      </div>
    );
  return (
    <div class="caller">
      <label for="caller-q">{t("call.findCaller")}</label>
      <input
        id="caller-q"
        ref={input}
        value={q}
        autocomplete="off"
        aria-describedby="caller-hint"
        aria-invalid={props.error ? true : undefined}
        onInput={(e) => setQ(e.currentTarget.value)}
      />
      <p id="caller-hint" class="hint">{t("call.findHint")}</p>
      {props.error && <p class="error">{props.error}</p>}
      {q.trim() && (
        <ul class="caller-hits" aria-label={t("call.hits")} aria-live="polite">
          {found.length === 0 && <li class="empty">{t("call.noHits")}</li>}
          {found.map((u) => (
            <li key={u.id}>
              <button type="button" class="link" onClick={() => props.onChange(u)}>
                {u.name} <span class="muted">({u.email})</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

// The calling number, typed or from a taken call, looked up as a caller card
// (GET /callers?number=): its likely caller is chosen as the requester.
function NumberLookup(props: {
  number: string;
  onNumber: (n: string) => void;
  card: CallerCard | null;
  onCard: (c: CallerCard | null) => void;
}) {
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  async function lookup() {
    const n = props.number.trim();
    if (!n) return;
    setBusy(true);
    setError("");
    try {
      props.onCard(await get<CallerCard>(`/api/v1/callers?number=${encodeURIComponent(n)}`));
    } catch (err) {
      setError(t("phone.lookupFailed", { detail: err instanceof ApiError ? err.message : String(err) }));
      props.onCard(null);
    } finally {
      setBusy(false);
    }
  }
  return (
    <div class="number-lookup">
      <div class="field">
        <label for="call-number">{t("call.number")}</label>
        <div class="row">
          <input
            id="call-number"
            type="tel"
            value={props.number}
            onInput={(e) => props.onNumber(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                void lookup();
              }
            }}
          />
          <button type="button" class="secondary" disabled={busy || !props.number.trim()} onClick={() => void lookup()}>
            {t("phone.lookup")}
          </button>
        </div>
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      {props.card && (
        <section class="caller-card-box" aria-label={t("phone.card")} aria-live="polite">
          <CallerCardView card={props.card} headingLevel={2} />
        </section>
      )}
    </div>
  );
}

export function NewCallPage(props: { me: Me }) {
  const dir = useDirectory();
  const seconds = useCallClock();
  const firstLine = props.me.teams.find((x) => x.line === 1);
  // A taken call (the CTI pop's "Take call") prefills the number, the caller and their card.
  const [fromCti] = useState(() => takenCall());
  const [card, setCard] = useState<CallerCard | null>(fromCti?.caller ?? null);
  const [caller, setCaller] = useState<User | null>(fromCti?.caller?.user ?? null);
  const [number, setNumber] = useState(fromCti?.caller?.number ?? fromCti?.number ?? "");
  const [ended, setEnded] = useState<number | null>(fromCti?.duration_seconds ?? null);
  const [subject, setSubject] = useState("");
  const [notes, setNotes] = useState("");
  const [impact, setImpact] = useState(3);
  const [urgency, setUrgency] = useState(3);
  const [outcome, setOutcome] = useState<Outcome>("resolve");
  const [target, setTarget] = useState<number | null>(null);
  const [reason, setReason] = useState<EscalationReason>("needs_expertise");
  const [handoff, setHandoff] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const subjectInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!fromCti) return;
    const stop = onTakenCall((c) => {
      if (c && c.call_id === fromCti.call_id && c.event === "ended" && c.duration_seconds !== null)
        setEnded(c.duration_seconds);
    });
    if (fromCti.caller?.user) setTimeout(() => subjectInput.current?.focus(), 0);
    return () => {
      stop();
      clearTakenCall(fromCti.call_id);
    };
  }, []);
  const callSeconds = ended ?? seconds;

  function chooseCard(c: CallerCard | null) {
    setCard(c);
    if (c?.user) pick(c.user);
  }

  const groups = dir ? moveTargets("escalate", dir.teams, 1, firstLine?.id ?? 0) : [];
  const chosen = target ?? groups[0]?.[1][0]?.id ?? null;

  function pick(u: User | null) {
    setCaller(u);
    if (u) setTimeout(() => subjectInput.current?.focus(), 0);
  }

  async function submit(e: Event) {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!caller) found.caller = t("call.callerRequired");
    if (!subject.trim()) found.subject = t("call.subjectRequired");
    if (outcome === "resolve" && !notes.trim()) found.notes = t("call.notesRequired");
    const team = dir?.teams.find((x) => x.id === chosen);
    if (outcome === "escalate" && !team) found.to_team = t("move.chooseTeam");
    if (outcome === "escalate" && !handoff.trim()) found.handoff = t("move.handoffRequired");
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    let created: Ticket | null = null;
    try {
      created = await post<Ticket>("/api/v1/tickets", {
        subject: subject.trim(),
        requester_id: caller!.id,
        channel: "phone",
        impact,
        urgency,
        ...(notes.trim() ? { description: notes } : {}),
        ...(firstLine ? { team_id: firstLine.id } : {}),
        call: { direction: "inbound", duration_seconds: callSeconds, ...(number.trim() ? { caller: number.trim() } : {}) },
      });
      if (outcome === "resolve") {
        await patch<Ticket>(`/api/v1/tickets/${created.id}`, { status: "resolved" });
        toast(t("call.resolved", { number: created.number }));
      } else if (outcome === "escalate") {
        await escalate(created.id, team!, reason, handoff);
        toast(t("call.escalated", { number: created.number, team: team!.name }));
      } else toast(t("call.created", { number: created.number }));
      navigate(`/console/tickets/${created.id}`);
    } catch (err) {
      const detail = err instanceof ApiError ? err.message : String(err);
      if (created) {
        // The ticket exists; what failed after it is finished on the ticket itself.
        toast(t("call.partly", { number: created.number, detail }), true);
        navigate(`/console/tickets/${created.id}`);
      } else {
        setErrors({
          subject: (err instanceof ApiError && err.field("subject")) || "",
          form: detail,
        });
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="new-call" aria-labelledby="call-title">
      <h1 id="call-title">
        {t("call.title")}{" "}
        <span class="call-clock" role="timer" aria-label={t("call.duration")}>
          {clock(callSeconds)}
        </span>
      </h1>
      <form onSubmit={submit} noValidate>
        <NumberLookup number={number} onNumber={setNumber} card={card} onCard={chooseCard} />
        <CallerSearch value={caller} onChange={pick} error={errors.caller} autofocus={!fromCti} />
        <div class="field">
          <label for="call-subject">{t("call.subject")}</label>
          <input
            id="call-subject"
            ref={subjectInput}
            value={subject}
            aria-invalid={errors.subject ? true : undefined}
            onInput={(e) => setSubject(e.currentTarget.value)}
          />
        </div>
        {errors.subject && <p class="error">{errors.subject}</p>}
        <div class="field">
          <label for="call-notes">{t("call.notes")}</label>
          <textarea
            id="call-notes"
            rows={8}
            value={notes}
            aria-describedby="call-notes-hint"
            aria-invalid={errors.notes ? true : undefined}
            onInput={(e) => setNotes(e.currentTarget.value)}
          />
        </div>
        <p id="call-notes-hint" class="hint">{t("call.notesHint")}</p>
        {errors.notes && <p class="error">{errors.notes}</p>}
        <div class="row levels">
          <div class="field">
            <label for="call-impact">{t("call.impact")}</label>
            <select id="call-impact" value={String(impact)} onChange={(e) => setImpact(Number(e.currentTarget.value))}>
              {[1, 2, 3].map((n) => <option key={n} value={String(n)}>{t(`level.${n}` as "level.1")}</option>)}
            </select>
          </div>
          <div class="field">
            <label for="call-urgency">{t("call.urgency")}</label>
            <select id="call-urgency" value={String(urgency)} onChange={(e) => setUrgency(Number(e.currentTarget.value))}>
              {[1, 2, 3].map((n) => <option key={n} value={String(n)}>{t(`level.${n}` as "level.1")}</option>)}
            </select>
          </div>
        </div>
        <fieldset class="outcome">
          <legend>{t("call.outcome")}</legend>
          {(["resolve", "escalate", "create"] as const).map((o) => (
            <label key={o} class="check">
              <input type="radio" name="call-outcome" value={o} checked={outcome === o} onChange={() => setOutcome(o)} />
              {t(`call.outcome.${o}` as "call.outcome.resolve")}
            </label>
          ))}
        </fieldset>
        {outcome === "escalate" && (
          <fieldset class="escalation">
            <legend>{t("call.escalation")}</legend>
            <TeamChoice groups={groups} value={chosen} onChange={setTarget} name="call-target" error={errors.to_team} />
            <ReasonChoice id="call-reason" value={reason} onChange={setReason} />
            <div class="field">
              <label for="call-handoff">{t("move.handoff")}</label>
              <textarea
                id="call-handoff"
                rows={4}
                aria-required="true"
                aria-describedby="call-handoff-hint"
                aria-invalid={errors.handoff ? true : undefined}
                value={handoff}
                onInput={(e) => setHandoff(e.currentTarget.value)}
              />
            </div>
            <p id="call-handoff-hint" class="hint">{t("move.handoffHint")}</p>
            {errors.handoff && <p class="error">{errors.handoff}</p>}
          </fieldset>
        )}
        {errors.form && <p class="error" role="alert">{errors.form}</p>}
        <button type="submit" disabled={busy}>
          {t(`call.submit.${outcome}` as "call.submit.resolve")}
        </button>
      </form>
    </section>
  );
}
