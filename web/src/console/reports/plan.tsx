// The staffing plan (GET|PUT /api/v1/staffing/plan): shifts per desk as rostered agents, on
// days of the week and hours [from, to) in the reports' time zone. A desk without shifts ticked
// "planned" is left out of the plan (the report then shows its need only). Saved with the
// version read, so a plan saved meanwhile is a conflict (409) rather than overwritten; the
// server's field errors ("desks.line1.shifts[0].to") are shown at that shift's field.
import { useEffect, useState } from "preact/hooks";
import { ApiError, get, put } from "../../api/client";
import { DAYS, dayName } from "./heatmap";
import { nameOf, rt } from "./kit";

interface Shift {
  days: string[];
  from: number;
  to: number;
  agents: number;
}

interface PlanBody {
  version: number;
  updated_at: string | null;
  desks: Record<string, { shifts: Shift[] }>;
}

// A shift as the form holds it: numbers as typed.
interface ShiftDraft {
  days: string[];
  from: string;
  to: string;
  agents: string;
}

type Draft = Record<string, ShiftDraft[] | null>; // null: the desk is not planned

function draftOf(plan: PlanBody, desks: string[]): Draft {
  const out: Draft = {};
  for (const d of desks)
    out[d] = plan.desks[d]
      ? plan.desks[d].shifts.map((s) => ({ days: s.days, from: String(s.from), to: String(s.to), agents: String(s.agents) }))
      : null;
  return out;
}

// An empty field goes as null, so the server names it rather than taking a zero.
const numberOrNull = (text: string) => (text.trim() === "" ? null : Number(text));

function bodyOf(draft: Draft, version: number) {
  const desks: Record<string, { shifts: unknown[] }> = {};
  for (const [d, shifts] of Object.entries(draft))
    if (shifts)
      desks[d] = {
        shifts: shifts.map((s) => ({ days: s.days, from: numberOrNull(s.from), to: numberOrNull(s.to), agents: numberOrNull(s.agents) })),
      };
  return { version, desks };
}

const NEW_SHIFT: ShiftDraft = { days: ["mon", "tue", "wed", "thu", "fri"], from: "8", to: "17", agents: "1" };

export function PlanEditor(props: { desks: string[]; onSaved: () => void }) {
  const [plan, setPlan] = useState<PlanBody | null>(null);
  const [draft, setDraft] = useState<Draft>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState("");
  const [status, setStatus] = useState("");
  const [busy, setBusy] = useState(false);

  const load = () =>
    get<PlanBody>("/api/v1/staffing/plan").then(
      (p) => {
        setPlan(p);
        setDraft(draftOf(p, props.desks));
      },
      (err: unknown) => setMessage(rt("staffing.plan.loadFailed", { detail: err instanceof Error ? err.message : String(err) })),
    );
  useEffect(() => void load(), []);

  const setShifts = (desk: string, shifts: ShiftDraft[] | null) => setDraft({ ...draft, [desk]: shifts });
  const setShift = (desk: string, i: number, patch: Partial<ShiftDraft>) =>
    setShifts(desk, draft[desk]!.map((s, k) => (k === i ? { ...s, ...patch } : s)));

  async function save() {
    if (!plan) return;
    setBusy(true);
    setErrors({});
    setMessage("");
    setStatus("");
    try {
      const saved = await put<PlanBody>("/api/v1/staffing/plan", bodyOf(draft, plan.version));
      setPlan(saved);
      setDraft(draftOf(saved, props.desks));
      setStatus(rt("staffing.plan.saved", { version: saved.version }));
      props.onSaved();
    } catch (err) {
      if (err instanceof ApiError) {
        const fields: Record<string, string> = {};
        for (const e of err.problem.errors ?? []) fields[e.field] = e.message;
        setErrors(fields);
        setMessage(
          err.status === 409
            ? rt("staffing.plan.conflict")
            : Object.keys(fields).length
              ? rt("staffing.fixFields")
              : rt("staffing.plan.failed", { detail: err.message }),
        );
      } else setMessage(rt("staffing.plan.failed", { detail: String(err) }));
    } finally {
      setBusy(false);
    }
  }

  // The messages at `path` and under it, and those the fields below do not show.
  const errorAt = (path: string) =>
    Object.entries(errors)
      .filter(([f]) => f === path || f.startsWith(path + ".") || f.startsWith(path + "["))
      .map(([f, m]) => (f === path ? m : `${f.slice(path.length).replace(/^\./, "")}: ${m}`))
      .join("; ") || undefined;
  const placed = (f: string) => props.desks.some((d) => f === `desks.${d}` || f.startsWith(`desks.${d}.`));
  const elsewhere = Object.entries(errors).filter(([f]) => !placed(f));

  return (
    <section class="staffing-plan" aria-labelledby="staffing-plan-head">
      <h2 id="staffing-plan-head">{rt("staffing.plan.title")}</h2>
      <p class="hint">{rt("staffing.plan.intro")}</p>
      <details>
        <summary>{rt("staffing.plan.edit")}</summary>
        {!plan ? (
          message ? (
            <p class="error" role="alert">
              {message}
            </p>
          ) : (
            <p class="muted">{rt("reports.loading")}</p>
          )
        ) : (
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void save();
            }}
          >
            {props.desks.map((desk) => {
              const shifts = draft[desk] ?? null;
              const deskError = errors[`desks.${desk}`] ?? errors[`desks.${desk}.shifts`];
              return (
                <fieldset key={desk} class="plan-desk">
                  <legend>{nameOf(desk)}</legend>
                  <label class="check">
                    <input
                      type="checkbox"
                      checked={shifts !== null}
                      onChange={(e) => setShifts(desk, e.currentTarget.checked ? [{ ...NEW_SHIFT }] : null)}
                    />
                    {rt("staffing.plan.planned")}
                  </label>
                  {deskError && <p class="error field-error">{deskError}</p>}
                  {shifts?.map((s, i) => {
                    const path = `desks.${desk}.shifts[${i}]`;
                    const id = `plan-${desk}-${i}`;
                    const err = (f: string) => errorAt(`${path}.${f}`);
                    const number = (f: "from" | "to" | "agents", min: number, max?: number) => (
                      <div class="field">
                        <label for={`${id}-${f}`}>{rt(`staffing.plan.${f}`)}</label>
                        <input
                          id={`${id}-${f}`}
                          type="number"
                          min={min}
                          max={max}
                          step={1}
                          value={s[f]}
                          aria-invalid={err(f) ? true : undefined}
                          aria-describedby={err(f) ? `${id}-${f}-err` : undefined}
                          onInput={(e) => setShift(desk, i, { [f]: e.currentTarget.value })}
                        />
                        {err(f) && (
                          <span id={`${id}-${f}-err`} class="error field-error">
                            {err(f)}
                          </span>
                        )}
                      </div>
                    );
                    return (
                      <fieldset key={i} class="plan-shift">
                        <legend>{rt("staffing.plan.shift", { n: i + 1 })}</legend>
                        <fieldset class="plan-days" aria-describedby={err("days") ? `${id}-days-err` : undefined}>
                          <legend>{rt("staffing.plan.days")}</legend>
                          {DAYS.map((day) => (
                            <label key={day} class="check">
                              <input
                                type="checkbox"
                                checked={s.days.includes(day)}
                                onChange={(e) =>
                                  setShift(desk, i, {
                                    days: e.currentTarget.checked ? DAYS.filter((d) => d === day || s.days.includes(d)) : s.days.filter((d) => d !== day),
                                  })
                                }
                              />
                              {dayName(day)}
                            </label>
                          ))}
                          {err("days") && (
                            <span id={`${id}-days-err`} class="error field-error">
                              {err("days")}
                            </span>
                          )}
                        </fieldset>
                        <div class="row">
                          {number("from", 0, 23)}
                          {number("to", 1, 24)}
                          {number("agents", 0)}
                          <button
                            type="button"
                            class="secondary"
                            onClick={() => setShifts(desk, shifts.filter((_, k) => k !== i))}
                          >
                            {rt("staffing.plan.remove", { n: i + 1 })}
                          </button>
                        </div>
                      </fieldset>
                    );
                  })}
                  {shifts !== null && (
                    <button type="button" class="secondary" onClick={() => setShifts(desk, [...shifts, { ...NEW_SHIFT }])}>
                      {rt("staffing.plan.add", { desk: nameOf(desk) })}
                    </button>
                  )}
                </fieldset>
              );
            })}
            {message && (
              <div class="error" role="alert">
                <p>{message}</p>
                {elsewhere.length > 0 && (
                  <ul>
                    {elsewhere.map(([f, m]) => (
                      <li key={f}>
                        <code>{f}</code>: {m}
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            )}
            <div class="row">
              <button type="submit" class="primary" disabled={busy}>
                {rt("staffing.plan.save")}
              </button>
              <button
                type="button"
                class="secondary"
                onClick={() => {
                  setErrors({});
                  setMessage("");
                  setStatus("");
                  void load();
                }}
              >
                {rt("staffing.plan.reload")}
              </button>
              <span role="status" class="muted">
                {status}
              </span>
            </div>
          </form>
        )}
      </details>
    </section>
  );
}
