// What the reports page shares: the report as the API answers it (docs/reports.md, "The
// reports"), its texts (loaded with this chunk), the period and filters a report is asked for
// and their query string, and how a value reads by its name's unit (rates as %, `_seconds`,
// `_minutes`, `_hours` as durations).
import { language } from "../../i18n";
import { reportNamesDe, reportsDe } from "./texts.de";
import { reportNamesEn, reportsEn, type ReportsKey } from "./texts.en";

// --- the API's report
export type ReportValue = number | string | null;

export interface ReportFigure {
  name: string;
  value: ReportValue;
  drill: string;
}

export interface ReportTable {
  name: string;
  columns: string[];
  rows: ReportValue[][];
  chart: "" | "bar" | "line" | "heat";
  drill_by: string;
  drill_figure: string;
}

export interface ReportBody {
  from: string;
  to: string;
  figures: ReportFigure[];
  tables: ReportTable[];
}

export interface Report extends ReportBody {
  report: string;
  filters: Record<string, string | number>;
  previous?: ReportBody;
}

// A ticket behind a figure (GET /api/v1/reports/{name}/tickets: {items: [...]}).
export interface DrillTicket {
  id: number;
  number: number;
  subject: string;
  status: string;
  line: number;
  team_id: number;
}

// --- texts
const texts = { en: reportsEn as Record<ReportsKey, string>, de: reportsDe };
const names: Record<"en" | "de", Record<string, string>> = { en: reportNamesEn, de: reportNamesDe };

export function rt(key: ReportsKey, values: Record<string, string | number> = {}): string {
  return texts[language()][key].replace(/\{(\w+)\}/g, (_, name: string) =>
    name in values ? String(values[name]) : `{${name}}`,
  );
}

// A report's, figure's, table's or column's name for people; the API's own name when this
// page does not know it yet, so a new figure still shows.
export function nameOf(raw: string): string {
  return Object.hasOwn(names[language()], raw) ? names[language()][raw] : raw;
}

// --- period and filters
export type Preset = "7" | "30" | "90" | "custom";
export const FILTERS = ["team", "line", "category", "channel", "organization"] as const;
export type FilterName = (typeof FILTERS)[number];

export interface Query {
  preset: Preset;
  from: string; // custom: first day, YYYY-MM-DD
  until: string; // custom: last day (inclusive)
  compare: boolean;
  filters: Partial<Record<FilterName, string>>;
}

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

// [from, to) as days: the last N days end with today (UTC); a custom period ends after `until`.
export function periodOf(q: Query, now = Date.now()): { from: string; to: string } | null {
  if (q.preset !== "custom") {
    const tomorrow = Math.floor(now / DAY) * DAY + DAY;
    return { from: isoDay(tomorrow - Number(q.preset) * DAY), to: isoDay(tomorrow) };
  }
  const from = Date.parse(q.from);
  const until = Date.parse(q.until);
  if (Number.isNaN(from) || Number.isNaN(until) || until < from || until - from >= 400 * DAY) return null;
  return { from: isoDay(from), to: isoDay(until + DAY) };
}

// The last day of a period [from, to) whose end is a midnight.
export function lastDay(to: string): string {
  return isoDay(Date.parse(to) - 1);
}

// A day of a period (they are UTC days) in the reader's language: "29.10.2026", "29 Oct 2026".
export function dayText(iso: string): string {
  return new Intl.DateTimeFormat(language() === "de" ? "de-DE" : "en-GB", { dateStyle: "medium", timeZone: "UTC" }).format(
    new Date(iso),
  );
}

// The query as the page's own URL keeps it (so a report can be linked and reloaded).
export function toSearch(q: Query): string {
  const p = new URLSearchParams();
  if (q.preset !== "30") p.set("period", q.preset);
  if (q.preset === "custom") {
    p.set("from", q.from);
    p.set("until", q.until);
  }
  if (q.compare) p.set("compare", "previous");
  for (const f of FILTERS) if (q.filters[f]) p.set(f, q.filters[f]!);
  const s = p.toString();
  return s ? `?${s}` : "";
}

export function fromSearch(search: string, now = Date.now()): Query {
  const p = new URLSearchParams(search);
  const period = p.get("period");
  const preset: Preset = period === "7" || period === "90" || period === "custom" ? period : "30";
  const filters: Query["filters"] = {};
  for (const f of FILTERS) {
    const v = p.get(f);
    if (v) filters[f] = v;
  }
  const today = isoDay(now);
  return {
    preset,
    from: p.get("from") ?? isoDay(now - 29 * DAY),
    until: p.get("until") ?? today,
    compare: p.get("compare") === "previous",
    filters,
  };
}

// The API's parameters for a report, its CSV or its drill-down (extra: figure, table, format).
export function apiParams(
  period: { from: string; to: string },
  q: Query,
  extra: Record<string, string> = {},
): string {
  const p = new URLSearchParams({ from: period.from, to: period.to });
  for (const f of FILTERS) if (q.filters[f]) p.set(f, q.filters[f]!);
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  return p.toString();
}

// --- values
export type Unit = "rate" | "seconds" | "minutes" | "hours" | "days" | "count";

// Shares named without a `_rate` suffix (the staffing report's among them).
const RATES = new Set([
  "rate",
  "share",
  "compliance",
  "first_line_resolution",
  "partner_first_line_resolution",
  "self_service_deflection",
  "service_level",
  "service_level_target",
  "wait_probability",
  "utilisation",
  "escalation_rate_line1",
  "escalation_rate_line2",
  "escalation_rate_line3",
]);

// A name's unit: a share, or a time by the unit word anywhere in it ("aht_seconds",
// "avg_hours_at_line"); days only in an average ("avg_open_age_days": "agent_days" and
// "open_over_7_days" are counts).
export function unitOf(name: string): Unit {
  if (/(_rate|_share)$/.test(name) || RATES.has(name)) return "rate";
  const words = name.split("_");
  for (const unit of ["seconds", "minutes", "hours"] as const) if (words.includes(unit)) return unit;
  if (words[0] === "avg" && words.includes("days")) return "days";
  return "count";
}

export const TO_SECONDS: Record<Unit, number> = { rate: 1, count: 1, seconds: 1, minutes: 60, hours: 3600, days: 86_400 };

export function numberText(n: number, digits: number): string {
  return new Intl.NumberFormat(language() === "de" ? "de-DE" : "en-GB", { maximumFractionDigits: digits }).format(n);
}

// "45 s", "4 min 5 s", "3 h 20 min", "2 d 4 h"; a whole "4 h" without "0 min".
export function durationText(totalSeconds: number): string {
  const sign = totalSeconds < 0 ? "−" : "";
  const s = Math.round(Math.abs(totalSeconds));
  if (s < 60) return sign + rt("reports.seconds", { s });
  if (s < 3600) {
    const m = Math.floor(s / 60);
    return sign + (s % 60 === 0 ? rt("reports.min", { m }) : rt("reports.minSec", { m, s: s % 60 }));
  }
  const minutes = Math.round(s / 60);
  if (minutes < 1440) {
    const h = Math.floor(minutes / 60);
    return sign + (minutes % 60 === 0 ? rt("reports.hour", { h }) : rt("reports.hourMin", { h, m: minutes % 60 }));
  }
  const hours = Math.round(s / 3600);
  const d = Math.floor(hours / 24);
  return sign + (hours % 24 === 0 ? rt("reports.day", { d }) : rt("reports.dayHour", { d, h: hours % 24 }));
}

// A value as people read it, by the unit its name carries.
export function valueText(name: string, value: ReportValue): string {
  if (value === null) return "–";
  if (typeof value === "string") return value;
  const unit = unitOf(name);
  if (unit === "rate") return `${numberText(value * 100, 1)} %`;
  if (unit === "count") return numberText(value, 2);
  return durationText(value * TO_SECONDS[unit]);
}

// The change from `previous` to `value`: rates in percentage points, times as durations,
// counts with their relative change. Empty when either is not a number.
export function changeText(name: string, value: ReportValue, previous: ReportValue): string {
  if (typeof value !== "number" || typeof previous !== "number") return "";
  const d = value - previous;
  const sign = d > 0 ? "+" : d < 0 ? "−" : "±";
  const unit = unitOf(name);
  if (unit === "rate") return rt("reports.points", { value: sign + numberText(Math.abs(d) * 100, 1) });
  if (unit !== "count") return (d > 0 ? "+" : d === 0 ? "±" : "") + durationText(d * TO_SECONDS[unit]);
  const relative = previous !== 0 ? ` (${sign}${numberText(Math.abs(d / previous) * 100, 0)} %)` : "";
  return sign + numberText(Math.abs(d), 2) + relative;
}

// The column whose cells name a row: the first, or the second when the first is an id and the
// second its name (agent_id, agent; team, team_name; article_id, title). Drill-downs still
// filter by the first cell.
export function labelColumn(table: ReportTable): number {
  const [first, second] = table.columns;
  if (second === undefined) return 0;
  const names = table.rows.every((r) => r[1] === null || typeof r[1] === "string");
  if (first === "ticket_id") return second === "number" ? 1 : 0;
  return second === `${first}_name` || (first.endsWith("_id") && names) ? 1 : 0;
}

// A number in a chart: rates as %, times in their own unit.
export function chartValue(name: string, value: ReportValue): number | null {
  if (typeof value !== "number") return null;
  return unitOf(name) === "rate" ? value * 100 : value;
}
