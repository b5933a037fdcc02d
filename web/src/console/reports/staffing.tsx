// The Staffing tab (docs/staffing.md, "Measured staffing and what-if over the API"): the
// `staffing` report of one desk (GET /api/v1/reports/staffing, `line` chooses the desk) as
// figure tiles and a week heat map of needed against planned agents (heatmap.tsx), the desks
// side by side, and a what-if form (POST /api/v1/staffing/what-if) whose answer compares each
// desk now and in the scenario; the plan itself is edited below it (plan.tsx). The period and
// the ticket filters are the page's; the line filter and "compare" do not apply here (the desk
// selector takes the line's place).
import type { ComponentChild } from "preact";
import { useState } from "preact/hooks";
import { ApiError, post } from "../../api/client";
import { CsvDownload } from "./csv_link";
import { useReport } from "./use_report";
import { WeekHeatMap } from "./heatmap";
import { apiParams, dayText, lastDay, nameOf, numberText, rt, valueText, type Query, type Report, type ReportValue } from "./kit";
import { PlanEditor } from "./plan";
import "./staffing.css";

type Period = { from: string; to: string };

// The desks as the API names them, in the order of the lines.
export const DESKS = ["line1", "partner", "line2", "line3", "line4"];

// The ticket filters the staffing calls take (the line is the desk).
function dimensions(query: Query): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of ["team", "organization", "category", "channel"] as const) if (query.filters[f]) out[f] = query.filters[f]!;
  return out;
}

const figureOf = (report: Report, name: string): ReportValue | undefined => report.figures.find((f) => f.name === name)?.value;

function figureText(name: string, value: ReportValue): string {
  if (name === "aht_source" && typeof value === "string") return nameOf(`aht_${value}`);
  if (name === "weeks" && typeof value === "number") return numberText(value, 1);
  return valueText(name, value);
}

// The figures that say what the map rests on and what it asks for; the shares feed the
// what-if's defaults and are shown there.
const SHOWN = [
  "tickets",
  "weeks",
  "arrivals_per_week",
  "aht_seconds",
  "aht_source",
  "peak_needed",
  "agent_hours_needed",
  "planned_agents",
  "agent_hours_planned",
  "hours_short",
  "service_level_target",
  "answer_seconds",
];

function Figures(props: { report: Report }) {
  const shown = SHOWN.filter((name) => figureOf(props.report, name) !== undefined);
  return (
    <ul class="report-figures">
      {shown.map((name) => {
        const value = figureOf(props.report, name)!;
        return (
          <li key={name} class="figure-tile" data-figure={name}>
            <span class="figure-name">{nameOf(name)}</span>
            <span class="figure-value">{figureText(name, value)}</span>
            {value === null && <span class="visually-hidden">{rt("reports.noData")}</span>}
          </li>
        );
      })}
    </ul>
  );
}

// Every desk's week next to each other (the report's by_line table).
function Desks(props: { report: Report }) {
  const table = props.report.tables.find((t) => t.name === "by_line");
  if (!table || table.rows.length === 0) return null;
  const columns = ["arrivals_per_week", "aht_seconds", "peak_needed", "agent_hours_needed", "agent_hours_planned"].filter((c) =>
    table.columns.includes(c),
  );
  const desk = table.columns.indexOf("desk");
  return (
    <section class="report-table" aria-labelledby="staffing-desks">
      <h3 id="staffing-desks">{rt("staffing.desks")}</h3>
      <div class="table-scroll">
        <table class="tickets">
          <thead>
            <tr>
              <th scope="col">{rt("staffing.desk")}</th>
              {columns.map((c) => (
                <th key={c} scope="col" class="num">
                  {nameOf(c)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row) => (
              <tr key={String(row[desk])}>
                <th scope="row">{nameOf(String(row[desk]))}</th>
                {columns.map((c) => (
                  <td key={c} class="num">
                    {valueText(c, row[table.columns.indexOf(c)])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function WeekCsv(props: { params: string; period: Period; desk: string }) {
  const url = `/api/v1/reports/staffing?${props.params}&format=csv&table=week`;
  const filename = `staffing-${props.desk}-week-${props.period.from}-${lastDay(props.period.to)}.csv`;
  return <CsvDownload url={url} filename={filename} label={rt("staffing.csvWeek")} block />;
}

// --- the what-if

interface DeskOutlook {
  in_use: boolean;
  needed_peak: number;
  needed_agent_hours: number;
  roster: string;
  rostered_agent_hours: number;
  hours_short: number;
  arrivals: number;
  mean_wait_seconds: number;
  service_level: number;
  utilisation: number;
  backlog_at_end: number;
  sla_risk: "none" | "low" | "medium" | "high";
}

interface ScenarioOutlook {
  arrivals_per_week: number;
  deflection_rate: number;
  first_line_resolution: number;
  outsourced_share: number;
}

interface WhatIfAnswer {
  target: { service_level: number; answer_seconds: number };
  seed: number;
  simulated_weeks: number;
  opened_above_line1_per_week: number;
  base: ScenarioOutlook;
  what_if: ScenarioOutlook;
  desks: { desk: string; line: number; base: DeskOutlook; what_if: DeskOutlook }[];
}

// The levers as the form shows them: shares in percent, the factor as is. `max` is what the
// server accepts (a deflection of 100 % would leave nothing to staff).
const LEVERS = [
  { name: "deflection_rate", percent: true, min: 0, max: 99.9, step: 0.1, fallback: 0 },
  { name: "first_line_resolution", percent: true, min: 0, max: 100, step: 0.1, fallback: 1 },
  { name: "outsourced_share", percent: true, min: 0, max: 100, step: 0.1, fallback: 0 },
  { name: "arrival_factor", percent: false, min: 0, max: 100, step: 0.05, fallback: 1 },
] as const;
type Lever = (typeof LEVERS)[number]["name"];

// A lever's field text from a share or factor: "33.3", "1".
function leverText(lever: (typeof LEVERS)[number], value: number): string {
  return String(Math.round((lever.percent ? value * 100 : value) * 1000) / 1000);
}

interface Failure {
  fields: Partial<Record<Lever, string>>;
  message: string;
}

function failureOf(err: unknown): Failure {
  if (!(err instanceof ApiError)) return { fields: {}, message: String(err) };
  const fields: Failure["fields"] = {};
  const rest: string[] = [];
  for (const e of err.problem.errors ?? []) {
    const lever = e.field.replace(/^overrides\./, "");
    if (LEVERS.some((l) => l.name === lever)) fields[lever as Lever] = e.message;
    else rest.push(`${e.field}: ${e.message}`);
  }
  const detail = rest.length ? rest.join("; ") : err.problem.detail ?? err.problem.title;
  return { fields, message: Object.keys(fields).length && !rest.length ? rt("staffing.fixFields") : rt("staffing.failed", { detail }) };
}

const pct = (v: number) => valueText("rate", v);
const riskText = (risk: string) => (["none", "low", "medium", "high"].includes(risk) ? rt(`staffing.risk.${risk as DeskOutlook["sla_risk"]}`) : risk);

function Risk(props: { risk: string }) {
  return <span class={`risk risk-${props.risk}`}>{riskText(props.risk)}</span>;
}

function WhatIfResult(props: { answer: WhatIfAnswer; busy: boolean }) {
  const { answer } = props;
  const measures: { name: string; head: string; cell: (d: DeskOutlook) => ComponentChild }[] = [
    { name: "needed_peak", head: rt("staffing.neededPeak"), cell: (d) => numberText(d.needed_peak, 0) },
    { name: "needed_agent_hours", head: rt("staffing.neededHours"), cell: (d) => numberText(d.needed_agent_hours, 1) },
    { name: "mean_wait", head: rt("staffing.wait"), cell: (d) => valueText("wait_seconds", d.mean_wait_seconds) },
    {
      name: "service_level",
      head: rt("staffing.answered", { seconds: valueText("answer_seconds", answer.target.answer_seconds) }),
      cell: (d) => pct(d.service_level),
    },
    { name: "sla_risk", head: rt("staffing.risk"), cell: (d) => <Risk risk={d.sla_risk} /> },
  ];
  const scenario: { head: string; cell: (s: ScenarioOutlook) => string }[] = [
    { head: rt("staffing.demand"), cell: (s) => numberText(s.arrivals_per_week, 1) },
    { head: nameOf("deflection_rate"), cell: (s) => pct(s.deflection_rate) },
    { head: nameOf("first_line_resolution"), cell: (s) => pct(s.first_line_resolution) },
    { head: nameOf("outsourced_share"), cell: (s) => pct(s.outsourced_share) },
  ];
  return (
    <div class="what-if-result" aria-busy={props.busy ? "true" : undefined}>
      <h4 id="what-if-scenario">{rt("staffing.scenarioHead")}</h4>
      <div class="table-scroll">
        <table class="tickets" aria-labelledby="what-if-scenario">
          <thead>
            <tr>
              <td />
              <th scope="col" class="num">
                {rt("staffing.base")}
              </th>
              <th scope="col" class="num">
                {rt("staffing.scenario")}
              </th>
            </tr>
          </thead>
          <tbody>
            {scenario.map((s) => (
              <tr key={s.head}>
                <th scope="row">{s.head}</th>
                <td class="num">{s.cell(answer.base)}</td>
                <td class="num">{s.cell(answer.what_if)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h4 id="what-if-desks">{rt("staffing.byDesk")}</h4>
      <div class="table-scroll">
        <table class="tickets what-if-desks" aria-labelledby="what-if-desks">
          <thead>
            <tr>
              <td />
              {measures.map((m) => (
                <th key={m.name} scope="colgroup" colSpan={2} class="group">
                  {m.head}
                </th>
              ))}
            </tr>
            <tr>
              <th scope="col">{rt("staffing.desk")}</th>
              {measures.map((m) => [
                <th key={`${m.name}-base`} scope="col" class="num">
                  {rt("staffing.base")}
                </th>,
                <th key={`${m.name}-what-if`} scope="col" class="num">
                  {rt("staffing.scenario")}
                </th>,
              ])}
            </tr>
          </thead>
          <tbody>
            {answer.desks.map((d) => (
              <tr key={d.desk} data-desk={d.desk}>
                <th scope="row">{nameOf(d.desk)}</th>
                {measures.map((m) => [
                  <td key={`${m.name}-base`} class="num" data-measure={m.name} data-side="base">
                    {m.cell(d.base)}
                  </td>,
                  <td key={`${m.name}-what-if`} class="num" data-measure={m.name} data-side="what_if">
                    {m.cell(d.what_if)}
                  </td>,
                ])}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="hint">
        {rt("staffing.simulated", { weeks: numberText(answer.simulated_weeks, 1), seed: answer.seed })}{" "}
        {answer.desks
          .map((d) => `${nameOf(d.desk)}: ${nameOf(`roster_${d.base.roster}`)}`)
          .join("; ")}
        {answer.opened_above_line1_per_week > 0 &&
          " " + rt("staffing.notSimulated", { count: numberText(answer.opened_above_line1_per_week, 1) })}
      </p>
    </div>
  );
}

function WhatIf(props: { report: Report; period: Period; query: Query; desk: string }) {
  // The measured shares as defaults; a share not measured gets the fallback the server uses.
  const measured = (lever: (typeof LEVERS)[number]): number | null => {
    const v = lever.name === "arrival_factor" ? 1 : figureOf(props.report, lever.name);
    return typeof v === "number" ? v : null;
  };
  const defaults = () =>
    Object.fromEntries(LEVERS.map((l) => [l.name, leverText(l, measured(l) ?? l.fallback)])) as Record<Lever, string>;
  const [values, setValues] = useState<Record<Lever, string>>(defaults);
  const [failure, setFailure] = useState<Failure>({ fields: {}, message: "" });
  const [answer, setAnswer] = useState<WhatIfAnswer | null>(null);
  const [busy, setBusy] = useState(false);

  async function run() {
    const overrides: Record<string, number> = {};
    const measuredText = defaults();
    for (const l of LEVERS) {
      const text = values[l.name].trim();
      // Empty or as measured: not sent, so the scenario keeps the unrounded measure.
      if (text === "" || text === measuredText[l.name]) continue;
      const n = Number(text.replace(",", "."));
      overrides[l.name] = l.percent ? n / 100 : n;
    }
    setBusy(true);
    setFailure({ fields: {}, message: "" });
    try {
      const body = { from: props.period.from, to: props.period.to, line: props.desk, ...dimensions(props.query), overrides };
      setAnswer(await post<WhatIfAnswer>("/api/v1/staffing/what-if", body));
    } catch (err) {
      setFailure(failureOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="what-if" aria-labelledby="what-if-head">
      <h2 id="what-if-head">{rt("staffing.whatIf")}</h2>
      <p class="hint">{rt("staffing.whatIfIntro")}</p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <div class="row what-if-levers">
          {LEVERS.map((l) => {
            const id = `lever-${l.name}`;
            const error = failure.fields[l.name];
            const m = measured(l);
            const hint =
              l.name === "arrival_factor"
                ? rt("staffing.factorHint")
                : m === null
                  ? rt("staffing.notMeasured", { value: pct(l.fallback) })
                  : rt("staffing.measured", { value: pct(m) });
            return (
              <div class="field" key={l.name}>
                <label for={id}>{rt(`staffing.lever.${l.name}`)}</label>
                <input
                  id={id}
                  type="number"
                  inputMode="decimal"
                  min={l.min}
                  max={l.max}
                  step={l.step}
                  value={values[l.name]}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={`${id}-hint${error ? ` ${id}-err` : ""}`}
                  onInput={(e) => setValues({ ...values, [l.name]: e.currentTarget.value })}
                />
                <span id={`${id}-hint`} class="hint">
                  {hint}
                </span>
                {error && (
                  <span id={`${id}-err`} class="error field-error">
                    {error}
                  </span>
                )}
              </div>
            );
          })}
        </div>
        {failure.message && (
          <p class="error" role="alert">
            {failure.message}
          </p>
        )}
        <div class="row">
          <button type="submit" class="primary" disabled={busy}>
            {rt("staffing.run")}
          </button>
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setValues(defaults());
              setFailure({ fields: {}, message: "" });
            }}
          >
            {rt("staffing.resetLevers")}
          </button>
          <span role="status" class="muted">
            {busy ? rt("staffing.running") : answer ? rt("staffing.done") : ""}
          </span>
        </div>
      </form>
      {answer && <WhatIfResult answer={answer} busy={busy} />}
    </section>
  );
}

// --- the tab

export function StaffingView(props: { query: Query; period: Period }) {
  const { query, period } = props;
  const [desk, setDesk] = useState("line1");
  const [planVersion, setPlanVersion] = useState(0); // a saved plan reloads the report
  const params = apiParams(period, { ...query, filters: dimensions(query) }, { line: desk });
  const { shown, error } = useReport(params, `/api/v1/reports/staffing?${params}`, planVersion);
  if (error)
    return (
      <p class="error" role="alert">
        {error}
      </p>
    );
  if (!shown)
    return (
      <p class="muted" role="status">
        {rt("reports.loading")}
      </p>
    );
  const report = shown.report;
  // The desk of the week shown (the API echoes it as `line`): while another loads, the old
  // week keeps its own name.
  const shownDesk = typeof report.filters.line === "string" ? report.filters.line : desk;
  const week = report.tables.find((t) => t.name === "week");
  const byLine = report.tables.find((t) => t.name === "by_line");
  const desks = byLine ? byLine.rows.map((r) => String(r[byLine.columns.indexOf("desk")])) : [];
  if (!desks.includes(desk)) desks.push(desk);
  desks.sort((a, b) => DESKS.indexOf(a) - DESKS.indexOf(b));
  // The what-if's defaults (the measured shares) follow the shown report's period and filters,
  // not its desk: a new period starts the form afresh.
  const whatIfKey = new URLSearchParams(shown.key);
  whatIfKey.delete("line");
  return (
    <div class="report staffing" aria-busy={shown.key !== params ? "true" : undefined}>
      <p class="report-period">{rt("reports.shown", { from: dayText(report.from), until: dayText(lastDay(report.to)) })}</p>
      <div class="row">
        <label class="field">
          {rt("staffing.desk")}
          <select value={desk} onChange={(e) => setDesk(e.currentTarget.value)}>
            {desks.map((d) => (
              <option key={d} value={d}>
                {nameOf(d)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <section aria-labelledby="staffing-figures">
        <h2 id="staffing-figures">{rt("reports.figures")}</h2>
        <Figures report={report} />
      </section>
      <section class="report-table" aria-labelledby="staffing-week">
        <h2 id="staffing-week">{rt("staffing.week", { desk: nameOf(shownDesk) })}</h2>
        <p class="hint">{rt("staffing.weekIntro")}</p>
        {week ? (
          <WeekHeatMap table={week} caption={rt("staffing.caption", { desk: nameOf(shownDesk) })} />
        ) : (
          <p class="empty">{rt("reports.emptyTable")}</p>
        )}
        <WeekCsv params={shown.key} period={period} desk={shownDesk} />
      </section>
      <Desks report={report} />
      <WhatIf key={whatIfKey.toString()} report={report} period={period} query={query} desk={desk} />
      <PlanEditor desks={DESKS} onSaved={() => setPlanVersion((v) => v + 1)} />
    </div>
  );
}
