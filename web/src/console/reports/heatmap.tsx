// The staffing report's `week` table (chart "heat", 168 rows, Monday 00:00 first) as a heat
// map: a table of 7 days by 24 hours, each cell the agents needed (rostered) shaded in four
// steps of the week's peak, with the planned agents under it. An hour planned below its need is
// framed and carries a "!" and, for screen readers, its shortfall in words: colour is never
// the only cue. Being a table, it reads by day and hour with a screen reader's table keys.
import { nameOf, numberText, rt, valueText, type ReportTable, type ReportValue } from "./kit";

export const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

export interface WeekCell {
  day: string;
  hour: number;
  arrivals: number;
  needed: number;
  planned: number | null; // null: the desk has no plan
  waitProbability: number | null;
  asaSeconds: number | null;
}

const num = (v: ReportValue | undefined): number | null => (typeof v === "number" ? v : null);

// The rows by their column names, so a column added to the report does not shift them.
export function weekCells(table: ReportTable): WeekCell[] {
  const at = (name: string) => table.columns.indexOf(name);
  const [day, hour, arrivals, needed, planned, wait, asa] = [
    at("day"),
    at("hour"),
    at("arrivals_per_hour"),
    at("needed"),
    at("planned"),
    at("wait_probability"),
    at("asa_seconds"),
  ];
  return table.rows.map((row) => ({
    day: String(row[day]),
    hour: num(row[hour]) ?? 0,
    arrivals: num(row[arrivals]) ?? 0,
    needed: num(row[needed]) ?? 0,
    planned: planned < 0 ? null : num(row[planned]),
    waitProbability: wait < 0 ? null : num(row[wait]),
    asaSeconds: asa < 0 ? null : num(row[asa]),
  }));
}

export const isShort = (c: WeekCell) => c.planned !== null && c.planned < c.needed;

// Shade 0 (nothing needed) to 4: the quarter of the peak the need falls in.
export function shadeOf(needed: number, peak: number): number {
  if (needed <= 0 || peak <= 0) return 0;
  return Math.min(4, Math.max(1, Math.ceil((needed * 4) / peak)));
}

// The needs each shade stands for: whole agents in (peak·(k−1)/4, peak·k/4]; empty shades
// (a small peak) are left out.
function shadeRanges(peak: number): { shade: number; from: number; to: number }[] {
  const out = [];
  for (let k = 1; k <= 4; k++) {
    const from = Math.floor((peak * (k - 1)) / 4) + 1;
    const to = Math.floor((peak * k) / 4);
    if (from <= to) out.push({ shade: k, from, to });
  }
  return out;
}

export const dayName = (day: string) =>
  (DAYS as readonly string[]).includes(day) ? rt(`staffing.day.${day as (typeof DAYS)[number]}`) : day;
const hourText = (hour: number) => `${String(hour).padStart(2, "0")}:00`;

function cellWords(c: WeekCell): string {
  const at = { day: dayName(c.day), hour: hourText(c.hour), needed: c.needed };
  if (c.planned === null) return rt("staffing.cell", at);
  if (isShort(c)) return rt("staffing.cellShort", { ...at, planned: c.planned, short: c.needed - c.planned });
  return rt("staffing.cellPlanned", { ...at, planned: c.planned });
}

// A tooltip with what the row adds: arrivals, the chance to wait, the mean wait.
function cellTitle(c: WeekCell): string {
  const parts = [
    `${nameOf("arrivals_per_hour")}: ${numberText(c.arrivals, 2)}`,
    `${nameOf("wait_probability")}: ${valueText("wait_probability", c.waitProbability)}`,
    `${nameOf("asa_seconds")}: ${valueText("asa_seconds", c.asaSeconds)}`,
  ];
  return parts.join("\n");
}

export function WeekHeatMap(props: { table: ReportTable; caption: string }) {
  const cells = weekCells(props.table);
  const peak = cells.reduce((m, c) => Math.max(m, c.needed), 0);
  const planned = cells.some((c) => c.planned !== null);
  const short = cells.filter(isShort).length;
  const byDay = DAYS.map((day) => cells.filter((c) => c.day === day).sort((a, b) => a.hour - b.hour));
  return (
    <div class="heat">
      <div class="table-scroll">
        <table class="heat-map">
          <caption>{props.caption}</caption>
          <thead>
            <tr>
              <th scope="col">
                <span class="visually-hidden">{rt("staffing.dayCol")}</span>
              </th>
              {Array.from({ length: 24 }, (_, h) => (
                <th key={h} scope="col" class="heat-hour">
                  <span aria-hidden="true">{String(h).padStart(2, "0")}</span>
                  <span class="visually-hidden">{hourText(h)}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {byDay.map((row, d) => (
              <tr key={DAYS[d]}>
                <th scope="row">{dayName(DAYS[d])}</th>
                {row.map((c) => (
                  <td
                    key={c.hour}
                    class={`heat-cell shade-${shadeOf(c.needed, peak)}${isShort(c) ? " short" : ""}`}
                    data-needed={c.needed}
                    data-planned={c.planned ?? undefined}
                    title={cellTitle(c)}
                  >
                    <span aria-hidden="true">
                      <span class="needed">{c.needed}</span>
                      {c.planned !== null && (
                        <span class="planned">
                          {isShort(c) && <span class="short-mark">!</span>}
                          {c.planned}
                        </span>
                      )}
                    </span>
                    <span class="visually-hidden">{cellWords(c)}</span>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="heat-legend">
        <ul aria-label={rt("staffing.legend")}>
          <li>
            <span class="swatch shade-0" aria-hidden="true" />
            {rt("staffing.shadeNone")}
          </li>
          {shadeRanges(peak).map((r) => (
            <li key={r.shade}>
              <span class={`swatch shade-${r.shade}`} aria-hidden="true" />
              {r.from === r.to ? rt("staffing.shadeOne", { n: r.from }) : rt("staffing.shadeRange", r)}
            </li>
          ))}
        </ul>
        <ul>
          <li>
            <span class="swatch key" aria-hidden="true">
              <span class="needed">3</span>
              {planned && <span class="planned">2</span>}
            </span>
            {planned ? rt("staffing.keyPlanned") : rt("staffing.keyNeeded")}
          </li>
          {planned && (
            <li>
              <span class="swatch key short" aria-hidden="true">
                <span class="planned">
                  <span class="short-mark">!</span>
                </span>
              </span>
              {rt("staffing.keyShort")}
            </li>
          )}
        </ul>
        <p class="heat-summary">
          {!planned
            ? rt("staffing.noPlan")
            : short === 0
              ? rt("staffing.noneShort")
              : short === 1
                ? rt("staffing.hoursShortOne")
                : rt("staffing.hoursShort", { count: numberText(short, 0) })}
        </p>
      </div>
    </div>
  );
}
