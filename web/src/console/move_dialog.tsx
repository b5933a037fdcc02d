// Moving a ticket between lines and teams: escalate (up, with a reason and a hand-off note
// saying what was tried), transfer (sideways, note optional) or return (down, with a note).
// The targets are the teams of the other lines, grouped by line.
import { useState } from "preact/hooks";
import { ApiError, post } from "../api/client";
import type { EscalationReason, MoveResult, Team, Ticket } from "../api/types";
import { t, type Key } from "../i18n";
import { Dialog } from "./dialog";
import { teamsByLine, type Directory } from "./directory";
import { toast } from "./toasts";

export type MoveKind = "escalate" | "transfer" | "return";

export const REASONS: EscalationReason[] = [
  "needs_expertise",
  "needs_access",
  "infrastructure",
  "vendor_required",
  "sla_risk",
  "customer_request",
];

// The teams a ticket at `line` held by `team` may go to by this kind of move.
export function moveTargets(kind: MoveKind, teams: Team[], line: number, team: number): [number, Team[]][] {
  const accept =
    kind === "escalate"
      ? (x: Team) => x.line > line
      : kind === "transfer"
        ? (x: Team) => x.line === line && x.id !== team
        : (x: Team) => x.line < line;
  return teamsByLine(teams, accept);
}

export function TeamChoice(props: { groups: [number, Team[]][]; value: number | null; onChange: (id: number) => void; name: string; error?: string }) {
  return (
    <div class="targets" role="group" aria-label={t("move.target")}>
      {props.groups.map(([line, teams]) => (
        <fieldset key={line}>
          <legend>{t(`line.${line}` as Key)}</legend>
          {teams.map((x) => (
            <label key={x.id} class="check">
              <input type="radio" name={props.name} value={String(x.id)} checked={props.value === x.id} onChange={() => props.onChange(x.id)} />
              {x.name}
              {x.kind !== "internal" && <span class="muted"> ({t(`teamKind.${x.kind}` as Key)})</span>}
            </label>
          ))}
        </fieldset>
      ))}
      {props.error && <p class="error">{props.error}</p>}
    </div>
  );
}

export function ReasonChoice(props: { value: EscalationReason; onChange: (r: EscalationReason) => void; id: string }) {
  return (
    <div class="field">
      <label for={props.id}>{t("move.reason")}</label>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value as EscalationReason)}>
        {REASONS.map((r) => (
          <option key={r} value={r}>
            {t(`reason.${r}` as Key)}
          </option>
        ))}
      </select>
    </div>
  );
}

export function escalate(ticketId: number, toTeam: Team, reason: EscalationReason, handoff: string): Promise<MoveResult> {
  return post<MoveResult>(`/api/v1/tickets/${ticketId}/escalations`, {
    to_line: toTeam.line,
    to_team: toTeam.id,
    reason,
    handoff_note: handoff,
  });
}

export function allowedMoves(ticket: Ticket, teams: Team[]): MoveKind[] {
  return (["escalate", "transfer", "return"] as const).filter(
    (k) => moveTargets(k, teams, ticket.line, ticket.team.id).length > 0,
  );
}

export function MoveDialog(props: { ticket: Ticket; dir: Directory; kind: MoveKind; onClose: () => void; onMoved: () => void }) {
  const { ticket, dir } = props;
  const kinds = allowedMoves(ticket, dir.teams);
  const [kind, setKind] = useState<MoveKind>(kinds.includes(props.kind) ? props.kind : kinds[0] ?? props.kind);
  const groups = moveTargets(kind, dir.teams, ticket.line, ticket.team.id);
  const preferred = kind === "return" ? dir.teams.find((x) => x.id === ticket.origin_team.id && x.line < ticket.line) : undefined;
  const [target, setTarget] = useState<number | null>(null);
  const chosen = target !== null && groups.some(([, ts]) => ts.some((x) => x.id === target)) ? target : (preferred?.id ?? groups[0]?.[1][0]?.id ?? null);
  const [reason, setReason] = useState<EscalationReason>("needs_expertise");
  const [note, setNote] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const noteRequired = kind !== "transfer";

  async function submit(e: Event) {
    e.preventDefault();
    const team = dir.teams.find((x) => x.id === chosen);
    const found: Record<string, string> = {};
    if (!team) found.to_team = t("move.chooseTeam");
    if (noteRequired && !note.trim()) found.note = kind === "escalate" ? t("move.handoffRequired") : t("move.noteRequired");
    setErrors(found);
    if (Object.keys(found).length > 0 || !team) return;
    setBusy(true);
    try {
      if (kind === "escalate") await escalate(ticket.id, team, reason, note);
      else if (kind === "transfer")
        await post<MoveResult>(`/api/v1/tickets/${ticket.id}/transfers`, { to_team: team.id, ...(note.trim() ? { note } : {}) });
      else await post<MoveResult>(`/api/v1/tickets/${ticket.id}/returns`, { to_line: team.line, to_team: team.id, note });
      toast(t(`move.done.${kind}` as Key, { team: team.name }));
      props.onMoved();
      props.onClose();
    } catch (err) {
      if (err instanceof ApiError) {
        setErrors({
          note: err.field("handoff_note") ?? err.field("note") ?? "",
          to_team: err.field("to_team") ?? err.field("to_line") ?? "",
          form: err.problem.errors?.length ? "" : err.message,
        });
      } else setErrors({ form: String(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title={t(`move.title.${kind}` as Key, { number: ticket.number })} onClose={props.onClose} wide>
      <form onSubmit={submit} class="move">
        {kinds.length > 1 && (
          <fieldset class="kind">
            <legend>{t("move.kind")}</legend>
            {kinds.map((k) => (
              <label key={k} class="check">
                <input type="radio" name="move-kind" checked={kind === k} onChange={() => setKind(k)} />
                {t(`move.kind.${k}` as Key)}
              </label>
            ))}
          </fieldset>
        )}
        <p class="muted">{t("move.from", { line: ticket.line, team: ticket.team.name })}</p>
        <TeamChoice groups={groups} value={chosen} onChange={setTarget} name="move-target" error={errors.to_team} />
        {kind === "escalate" && <ReasonChoice id="move-reason" value={reason} onChange={setReason} />}
        <div class="field">
          <label for="move-note">{kind === "escalate" ? t("move.handoff") : noteRequired ? t("move.note") : t("move.noteOptional")}</label>
          <textarea
            id="move-note"
            rows={5}
            aria-required={noteRequired}
            aria-invalid={errors.note ? true : undefined}
            aria-describedby={errors.note ? "move-note-error" : "move-note-hint"}
            value={note}
            onInput={(e) => setNote(e.currentTarget.value)}
          />
        </div>
        {errors.note ? (
          <p id="move-note-error" class="error">{errors.note}</p>
        ) : (
          <p id="move-note-hint" class="hint">{kind === "escalate" ? t("move.handoffHint") : t("move.noteHint")}</p>
        )}
        {errors.form && <p class="error" role="alert">{errors.form}</p>}
        <div class="buttons">
          <button type="submit" disabled={busy}>
            {t(`move.submit.${kind}` as Key)}
          </button>
          <button type="button" class="secondary" onClick={props.onClose}>
            {t("common.cancel")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
