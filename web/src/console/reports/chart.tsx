// A report table as a chart (uPlot: small, no dependencies, canvas): the first column along
// the x axis, one series per numeric column, as bars or lines as the table's `chart` says.
// The x axis is the row's position with the first cell as its label, so days and categories
// draw alike. A table may mix units (tickets and a rate): the first unit gets the left axis,
// the second the right one, a third is left to the table. The canvas is decoration for sighted readers: the table under it
// has the same numbers, so the chart is one labelled image to assistive technology.
import { useEffect, useRef } from "preact/hooks";
import uPlot, { type AlignedData, type Axis, type Options, type Series } from "uplot";
import "uplot/dist/uPlot.min.css";
import { language } from "../../i18n";
import {
  chartValue,
  durationText,
  labelColumn,
  nameOf,
  rt,
  TO_SECONDS,
  unitOf,
  valueText,
  type ReportTable,
  type Unit,
} from "./kit";

// Colours at 3:1 or more against white, told apart by more than hue (dashes for lines).
const COLOURS = ["#0b5cad", "#b7410e", "#1a7f37", "#6f42c1", "#8a6d00", "#a4161a"];
const DASHES = [[], [8, 4], [2, 3], [10, 3, 2, 3]];

// The series: the numeric columns after the one that names the rows.
function numericColumns(table: ReportTable): number[] {
  const out: number[] = [];
  for (let c = labelColumn(table) + 1; c < table.columns.length; c++)
    if (table.rows.some((r) => typeof r[c] === "number") && table.rows.every((r) => r[c] === null || typeof r[c] === "number"))
      out.push(c);
  return out;
}

export function chartable(table: ReportTable): boolean {
  return (table.chart === "bar" || table.chart === "line") && table.rows.length > 0 && numericColumns(table).length > 0;
}

function tick(unit: Unit, v: number): string {
  if (unit === "rate") return `${Math.round(v)} %`;
  if (unit === "count") return String(v);
  return durationText(v * TO_SECONDS[unit]);
}

function options(table: ReportTable, labels: string[], width: number): { opts: Options; data: AlignedData } {
  // Two axes at most: the columns of a third unit stay in the table only.
  const units = [...new Set(numericColumns(table).map((c) => unitOf(table.columns[c])))].slice(0, 2);
  const columns = numericColumns(table).filter((c) => units.includes(unitOf(table.columns[c])));
  const x = table.rows.map((_, i) => i);
  const bars = table.chart === "bar";
  const share = 0.8 / columns.length;
  const series: Series[] = [
    { label: nameOf(table.columns[labelColumn(table)]), value: (_u, i) => (i === null ? "" : labels[Math.round(i)] ?? "") },
  ];
  columns.forEach((c, k) => {
    const name = table.columns[c];
    const colour = COLOURS[k % COLOURS.length];
    series.push({
      label: nameOf(name),
      scale: unitOf(name),
      stroke: colour,
      width: bars ? 1 : 2,
      dash: bars ? undefined : DASHES[k % DASHES.length],
      fill: bars ? colour + "cc" : undefined,
      points: { show: !bars && table.rows.length <= 31 },
      value: (_u, v) => (v === null ? "–" : valueText(name, unitOf(name) === "rate" ? v / 100 : v)),
      paths: bars
        ? uPlot.paths.bars!({
            size: [share, Infinity],
            disp: {
              x0: { unit: 1, values: () => x.map((i) => i - 0.4 + k * share) },
              size: { unit: 1, values: () => x.map(() => share) },
            },
          })
        : undefined,
    });
  });
  const axes: Axis[] = [
    {
      values: (_u, splits) => splits.map((s) => (Number.isInteger(s) ? labels[s] ?? "" : "")),
      splits: () => x,
      rotate: labels.some((l) => l.length > 6) && labels.length > 6 ? -45 : 0,
      size: labels.some((l) => l.length > 6) && labels.length > 6 ? 80 : 40,
    } as Axis,
  ];
  units.forEach((unit, i) =>
    axes.push({
      scale: unit,
      side: i === 0 ? 3 : 1,
      grid: { show: i === 0 },
      size: 70,
      values: (_u, splits) => splits.map((s) => tick(unit, s)),
    }),
  );
  const scales: Options["scales"] = { x: { time: false, range: () => [-0.5, Math.max(0.5, x.length - 0.5)] } };
  // Shares on 0–100 %, the rest from 0 to a little over the highest value.
  for (const unit of units)
    scales[unit] = { range: (_u, _min, max) => (unit === "rate" ? [0, 100] : [0, max > 0 ? max * 1.1 : 1]) };
  const data = [x, ...columns.map((c) => table.rows.map((r) => chartValue(table.columns[c], r[c])))] as AlignedData;
  return {
    opts: { width, height: 240, series, axes, scales, legend: { show: true }, cursor: { drag: { x: false, y: false } } },
    data,
  };
}

// labels: each row's name as the table shows it.
export function ReportChart(props: { table: ReportTable; labels: string[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const width = () => Math.max(200, Math.min(el.clientWidth, 900));
    const { opts, data } = options(props.table, props.labels, width());
    const plot = new uPlot(opts, data, el);
    // Legend cells are a table uPlot builds; they repeat the series names the table has.
    el.querySelector(".u-legend")?.setAttribute("aria-hidden", "true");
    const resized = new ResizeObserver(() => plot.setSize({ width: width(), height: 240 }));
    resized.observe(el);
    return () => {
      resized.disconnect();
      plot.destroy();
    };
  }, [props.table, props.labels.join("\n"), language()]);
  return (
    <div
      class="report-chart"
      ref={box}
      role="img"
      aria-label={rt("reports.chart", { table: nameOf(props.table.name) })}
    />
  );
}
