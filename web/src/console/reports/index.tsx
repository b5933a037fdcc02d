// The supervisors' dashboard (/console/reports/{name}): one tab per report, a period (the
// last 7, 30 or 90 days, or from–until), filters, and "compare with the previous period";
// the report's figures as tiles and its tables as tables, with a chart where the table asks
// for one; a figure with tickets behind it, and a table row that drills, open the tickets
// (GET /api/v1/reports/{name}/tickets); CSV downloads of the figures and of each table.
// The console loads this module on demand (index.tsx's LazyReports), so agents, who may not
// read reports, never download it or the chart library.
import { useEffect, useState } from "preact/hooks";
import type { JSX } from "preact";
import { ApiError, get } from "../../api/client";
import { formatTime, t, useLanguage, type Key } from "../../i18n";
import { navigate, onLink } from "../../router";
import { Dialog } from "../dialog";
import { useDirectory, type Directory } from "../directory";
import { chartable, ReportChart } from "./chart";
import { CsvDownload } from "./csv_link";
import { useReport } from "./use_report";
import { StaffingView } from "./staffing";
import {
  apiParams,
  changeText,
  dayText,
  fromSearch,
  labelColumn,
  lastDay,
  nameOf,
  periodOf,
  rt,
  toSearch,
  valueText,
  type DrillTicket,
  type FilterName,
  type Query,
  type Report,
  type ReportFigure,
  type ReportTable,
  type ReportValue,
} from "./kit";
import "./reports.css";

type Period = { from: string; to: string };

// The tabs, in order. A tab draws the generic report (figures and tables) unless it brings
// its own view: one more report, or a page of another kind (staffing), is one more entry.
// `omits`: controls that mean nothing to the tab's view, hidden while it shows (the query
// keeps their values for the other tabs).
export interface ReportTab {
  name: string;
  view?: (props: { query: Query; period: Period }) => JSX.Element;
  omits?: ("compare" | "line")[];
}

export const TABS: ReportTab[] = [
  { name: "line0" },
  { name: "line1" },
  { name: "escalation" },
  { name: "sla" },
  { name: "backlog" },
  { name: "csat" },
  // The desk selector of the staffing view takes the line filter's place.
  { name: "staffing", view: StaffingView, omits: ["compare", "line"] },
];

const DEFAULT_TAB = "line1";

// What a drill-down opens: a figure's tickets, maybe narrowed by a table row's filter.
interface Drill {
  figure: string;
  title: string;
  filter?: { name: FilterName; value: string };
}

const CHANNELS = ["phone", "email", "web", "chat", "bot", "api"];
const REASONS = ["needs_expertise", "needs_access", "infrastructure", "vendor_required", "sla_risk", "customer_request"];
const STATUSES = ["new", "open", "pending_customer", "pending_vendor", "resolved", "closed"];

function Tabs(props: { current: string; search: string }) {
  return (
    <nav class="report-tabs" aria-label={rt("reports.tabs")}>
      {TABS.map((tab) => (
        <a
          key={tab.name}
          href={`/console/reports/${tab.name}${props.search}`}
          onClick={onLink}
          aria-current={tab.name === props.current ? "page" : undefined}
        >
          {nameOf(tab.name)}
        </a>
      ))}
    </nav>
  );
}

function Controls(props: { query: Query; dir: Directory | null; omits: ReportTab["omits"]; onChange: (q: Query) => void }) {
  const { query: q, dir } = props;
  const shows = (control: "compare" | "line") => !props.omits?.includes(control);
  const set = (patch: Partial<Query>) => props.onChange({ ...q, ...patch });
  const filter = (name: FilterName, value: string) => set({ filters: { ...q.filters, [name]: value || undefined } });
  const [category, setCategory] = useState(q.filters.category ?? "");
  const lines = [...new Set((dir?.teams ?? []).map((team) => team.line))].sort((a, b) => a - b);
  const badPeriod = q.preset === "custom" && periodOf(q) === null;
  return (
    <form class="report-controls" onSubmit={(e) => e.preventDefault()}>
      <fieldset>
        <legend>{rt("reports.period")}</legend>
        <div class="row">
          <label class="field">
            {rt("reports.range")}
            <select value={q.preset} onChange={(e) => set({ preset: e.currentTarget.value as Query["preset"] })}>
              {(["7", "30", "90"] as const).map((d) => (
                <option key={d} value={d}>
                  {rt("reports.last", { days: d })}
                </option>
              ))}
              <option value="custom">{rt("reports.custom")}</option>
            </select>
          </label>
          {q.preset === "custom" && (
            <>
              <label class="field">
                {rt("reports.from")}
                <input type="date" value={q.from} required onChange={(e) => set({ from: e.currentTarget.value })} />
              </label>
              <label class="field">
                {rt("reports.until")}
                <input type="date" value={q.until} required onChange={(e) => set({ until: e.currentTarget.value })} />
              </label>
            </>
          )}
          {shows("compare") && (
            <label class="check">
              <input type="checkbox" checked={q.compare} onChange={(e) => set({ compare: e.currentTarget.checked })} />
              {rt("reports.compare")}
            </label>
          )}
        </div>
        {badPeriod && (
          <p class="error" role="alert">
            {rt("reports.badPeriod")}
          </p>
        )}
      </fieldset>
      <fieldset>
        <legend>{rt("reports.filters")}</legend>
        <div class="row">
          <label class="field">
            {rt("reports.team")}
            <select value={q.filters.team ?? ""} onChange={(e) => filter("team", e.currentTarget.value)}>
              <option value="">{rt("reports.all")}</option>
              {(dir?.teams ?? []).map((team) => (
                <option key={team.id} value={String(team.id)}>
                  {team.name}
                </option>
              ))}
            </select>
          </label>
          {shows("line") && (
            <label class="field">
              {rt("reports.line")}
              <select value={q.filters.line ?? ""} onChange={(e) => filter("line", e.currentTarget.value)}>
                <option value="">{rt("reports.all")}</option>
                {lines.map((line) => (
                  <option key={line} value={String(line)}>
                    {rt("reports.lineN", { line })}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label class="field">
            {rt("reports.category")}
            <input
              type="text"
              value={category}
              onInput={(e) => setCategory(e.currentTarget.value)}
              onChange={(e) => filter("category", e.currentTarget.value.trim())}
            />
          </label>
          <label class="field">
            {rt("reports.channel")}
            <select value={q.filters.channel ?? ""} onChange={(e) => filter("channel", e.currentTarget.value)}>
              <option value="">{rt("reports.all")}</option>
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {t(`channel.${c}` as Key)}
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            {rt("reports.organization")}
            <select value={q.filters.organization ?? ""} onChange={(e) => filter("organization", e.currentTarget.value)}>
              <option value="">{rt("reports.all")}</option>
              {[...(dir?.organizations.values() ?? [])].map((o) => (
                <option key={o.id} value={String(o.id)}>
                  {o.name}
                </option>
              ))}
            </select>
          </label>
          {Object.entries(q.filters).some(([name, value]) => value && (name !== "line" || shows("line"))) && (
            <button
              type="button"
              class="secondary"
              onClick={() => {
                setCategory("");
                // A filter the tab hides (the line, on Staffing) is neither shown nor cleared.
                set({ filters: shows("line") ? {} : { line: q.filters.line } });
              }}
            >
              {rt("reports.reset")}
            </button>
          )}
        </div>
      </fieldset>
    </form>
  );
}

function CsvLink(props: { report: string; period: Period; query: Query; table?: string; label: string }) {
  const extra: Record<string, string> = { format: "csv" };
  if (props.table) extra.table = props.table;
  if (props.query.compare && !props.table) extra.compare = "previous";
  const url = `/api/v1/reports/${props.report}?${apiParams(props.period, props.query, extra)}`;
  const filename = `${props.report}${props.table ? "-" + props.table : ""}-${props.period.from}-${lastDay(props.period.to)}.csv`;
  return <CsvDownload url={url} filename={filename} label={props.label} />;
}

function Figures(props: { report: Report; onDrill: (d: Drill) => void }) {
  const { figures, previous } = props.report;
  if (figures.length === 0) return <p class="empty">{rt("reports.noFigures")}</p>;
  const before = new Map((previous?.figures ?? []).map((f) => [f.name, f.value]));
  return (
    <ul class="report-figures">
      {figures.map((f: ReportFigure) => {
        const value = valueText(f.name, f.value);
        const shown = f.value === null ? <span title={rt("reports.noData")}>{value}</span> : value;
        const old = before.get(f.name);
        const change = previous && old !== undefined ? changeText(f.name, f.value, old) : "";
        return (
          <li key={f.name} class="figure-tile" data-figure={f.name}>
            <span class="figure-name">{nameOf(f.name)}</span>
            {f.drill && f.value !== 0 && f.value !== null ? (
              <button
                type="button"
                class="figure-value link"
                onClick={() => props.onDrill({ figure: f.drill, title: nameOf(f.name) })}
              >
                {shown}
                <span class="visually-hidden"> {rt("reports.drillFigure", { figure: nameOf(f.name) })}</span>
              </button>
            ) : (
              <span class="figure-value">{shown}</span>
            )}
            {f.value === null && <span class="visually-hidden">{rt("reports.noData")}</span>}
            {previous && old !== undefined && (
              <span class="figure-previous">
                {rt("reports.prevValue", { value: valueText(f.name, old) })}
                {change && (
                  <>
                    <br />
                    {rt("reports.change", { value: change })}
                  </>
                )}
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}

// A cell as people read it: lines, channels, statuses, SLA targets and teams by their names,
// times in the reader's format, numbers by their column's unit.
function cellText(column: string, value: ReportValue, dir: Directory | null): string {
  if (value === null || value === "") return valueText(column, null);
  if (column === "line" && typeof value === "number") return rt("reports.lineN", { line: value });
  if (column === "channel" && typeof value === "string" && CHANNELS.includes(value)) return t(`channel.${value}` as Key);
  if (column === "status" && typeof value === "string" && STATUSES.includes(value)) return t(`cstatus.${value}` as Key);
  if (column === "metric" && typeof value === "string") return nameOf(value);
  if (column === "reason" && typeof value === "string" && REASONS.includes(value)) return t(`reason.${value}` as Key);
  if (column === "team" && typeof value === "number") return dir?.teams.find((x) => x.id === value)?.name ?? `#${value}`;
  if (column.endsWith("_at") && (typeof value === "number" || !Number.isNaN(Date.parse(value))))
    return formatTime(new Date(value).toISOString());
  return valueText(column, value);
}

function Table(props: {
  report: Report;
  table: ReportTable;
  period: Period;
  query: Query;
  dir: Directory | null;
  onDrill: (d: Drill) => void;
}) {
  const { table, dir } = props;
  const id = `table-${table.name}`;
  const drills = table.drill_by !== "" && table.drill_figure !== "";
  // The row's name: its label column (an id's name), or the ticket it is about.
  const label = labelColumn(table);
  const shown = table.columns.slice(label);
  const tickets = table.columns[0] === "ticket_id";
  const byNumber = tickets && table.columns[1] === "number";
  const names = table.rows.map((row) => {
    if (byNumber) return `#${row[1]}`;
    if (label === 1 && row[1] === "") return `#${row[0]}`;
    return cellText(table.columns[label], row[label], dir);
  });
  const columnClass = (c: number) =>
    c > label && table.rows.some((r) => typeof r[c] === "number") && !["line", "team", "cycle", "number"].includes(table.columns[c])
      ? "num"
      : undefined;
  return (
    <section class="report-table" aria-labelledby={id}>
      <h3 id={id}>{nameOf(table.name)}</h3>
      {table.rows.length === 0 ? (
        <p class="empty">{rt("reports.emptyTable")}</p>
      ) : (
        <>
          {chartable(table) && <ReportChart table={table} labels={names} />}
          <div class="table-scroll">
            <table class="tickets">
              <thead>
                <tr>
                  {shown.map((c, i) => (
                    <th key={c} scope="col" class={columnClass(i + label)}>
                      {nameOf(c)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {table.rows.map((row, i) => (
                  <tr key={i}>
                    <th scope="row">
                      {tickets && row[0] !== null ? (
                        <a href={`/console/tickets/${row[0]}`} onClick={onLink}>
                          {names[i]}
                        </a>
                      ) : drills && row[0] !== null ? (
                        <button
                          type="button"
                          class="link"
                          onClick={() =>
                            props.onDrill({
                              figure: table.drill_figure,
                              title: `${nameOf(table.drill_figure)}: ${names[i]}`,
                              filter: { name: table.drill_by as FilterName, value: String(row[0]) },
                            })
                          }
                        >
                          {names[i]}
                          <span class="visually-hidden"> {rt("reports.drillRow", { row: names[i] })}</span>
                        </button>
                      ) : (
                        names[i]
                      )}
                    </th>
                    {row.slice(label + 1).map((cell, c) => (
                      <td key={c} class={columnClass(c + label + 1)}>
                        {cellText(table.columns[c + label + 1], cell, dir)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {table.rows.length > 0 && (
        <p>
          <CsvLink
            report={props.report.report}
            period={props.period}
            query={props.query}
            table={table.name}
            label={rt("reports.csvTable", { table: nameOf(table.name) })}
          />
        </p>
      )}
    </section>
  );
}

function DrillDialog(props: {
  report: string;
  period: Period;
  query: Query;
  dir: Directory | null;
  drill: Drill;
  onClose: () => void;
}) {
  const { drill } = props;
  const [tickets, setTickets] = useState<DrillTicket[] | null>(null);
  const [error, setError] = useState("");
  useEffect(() => {
    const q = drill.filter ? { ...props.query, filters: { ...props.query.filters, [drill.filter.name]: drill.filter.value } } : props.query;
    get<{ items: DrillTicket[] }>(
      `/api/v1/reports/${props.report}/tickets?${apiParams(props.period, q, { figure: drill.figure })}`,
    ).then(
      (r) => setTickets(r.items),
      (err: unknown) => setError(err instanceof ApiError ? err.message : String(err)),
    );
  }, []);
  return (
    <Dialog title={rt("reports.drillTitle", { figure: drill.title })} onClose={props.onClose} wide>
      {error ? (
        <p class="error" role="alert">
          {rt("reports.failed", { detail: error })}
        </p>
      ) : tickets === null ? (
        <p class="muted" role="status">
          {rt("reports.drillLoading")}
        </p>
      ) : tickets.length === 0 ? (
        <p class="empty">{rt("reports.drillEmpty")}</p>
      ) : (
        <>
          <p role="status">{rt("reports.drillCount", { count: tickets.length })}</p>
          <div class="drill-list">
            <table class="tickets">
              <thead>
                <tr>
                  <th scope="col">{rt("reports.number")}</th>
                  <th scope="col">{rt("reports.subject")}</th>
                  <th scope="col">{rt("reports.status")}</th>
                  <th scope="col">{rt("reports.lineCol")}</th>
                  <th scope="col">{rt("reports.teamCol")}</th>
                </tr>
              </thead>
              <tbody>
                {tickets.map((ticket) => (
                  <tr key={ticket.id}>
                    <td>
                      <a href={`/console/tickets/${ticket.id}`} onClick={onLink}>
                        #{ticket.number}
                      </a>
                    </td>
                    <td>{ticket.subject}</td>
                    <td>{STATUSES.includes(ticket.status) ? t(`cstatus.${ticket.status}` as Key) : ticket.status}</td>
                    <td>{cellText("line", ticket.line, props.dir)}</td>
                    <td>{cellText("team", ticket.team_id, props.dir)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <div class="buttons">
        <button type="button" class="secondary" onClick={props.onClose}>
          {rt("reports.close")}
        </button>
      </div>
    </Dialog>
  );
}

function ReportView(props: { name: string; query: Query; period: Period; dir: Directory | null }) {
  const { name, query, period, dir } = props;
  // The report shown, and the request it answers: while another loads, the old one stays,
  // marked busy, so the page does not jump.
  const [drill, setDrill] = useState<Drill | null>(null);
  const params = apiParams(period, query, query.compare ? { compare: "previous" } : {});
  const key = `${name}?${params}`;
  const { shown, error } = useReport(key, `/api/v1/reports/${key}`);
  if (error)
    return (
      <p class="error" role="alert">
        {error}
      </p>
    );
  if (!shown || shown.report.report !== name)
    return (
      <p class="muted" role="status">
        {rt("reports.loading")}
      </p>
    );
  const report = shown.report;
  return (
    <div class="report" aria-busy={shown.key !== key ? "true" : undefined}>
      <p class="report-period">
        {rt("reports.shown", { from: dayText(report.from), until: dayText(lastDay(report.to)) })}
        {report.previous && (
          <>
            {" "}
            ({rt("reports.previous", { from: dayText(report.previous.from), until: dayText(lastDay(report.previous.to)) })})
          </>
        )}
      </p>
      <section aria-labelledby="report-figures">
        <div class="section-head">
          <h2 id="report-figures">{rt("reports.figures")}</h2>
          <CsvLink report={name} period={period} query={query} label={rt("reports.csvFigures")} />
        </div>
        <Figures report={report} onDrill={setDrill} />
      </section>
      {report.tables.map((table) => (
        <Table key={table.name} report={report} table={table} period={period} query={query} dir={dir} onDrill={setDrill} />
      ))}
      {drill && <DrillDialog report={name} period={period} query={query} dir={dir} drill={drill} onClose={() => setDrill(null)} />}
    </div>
  );
}

export function ReportsPage(props: { path: string }) {
  useLanguage();
  const dir = useDirectory();
  const [query, setQuery] = useState<Query>(() => fromSearch(location.search));
  const asked = props.path.match(/^\/console\/reports\/(\w+)$/)?.[1];
  const tab = TABS.find((x) => x.name === asked) ?? TABS.find((x) => x.name === DEFAULT_TAB)!;
  const search = toSearch(query);
  useEffect(() => {
    // The URL keeps the report and its query: a reload or a shared link shows the same.
    const want = `/console/reports/${tab.name}${search}`;
    if (location.pathname + location.search !== want) navigate(want, true);
  }, [tab.name, search]);
  const period = periodOf(query);
  const View = tab.view;
  return (
    <div class="reports">
      <h1>{rt("reports.title")}</h1>
      <Tabs current={tab.name} search={search} />
      <Controls query={query} dir={dir} omits={tab.omits} onChange={setQuery} />
      {period && (View ? <View query={query} period={period} /> : <ReportView name={tab.name} query={query} period={period} dir={dir} />)}
    </div>
  );
}
