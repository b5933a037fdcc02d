// SLA business calendars (GET/POST /sla/calendars, PUT /sla/calendars/{id} with the version
// read): a name, an IANA time zone, opening spans per weekday (local "HH:MM", "24:00" ends a
// day) and holidays, every year (MM-DD) or on one date (YYYY-MM-DD). Admins change them;
// supervisors read them.
import { useState } from "preact/hooks";
import { post, put } from "../api/client";
import type { Me } from "../api/types";
import {
  AdminTable,
  at,
  EditorSection,
  errorAt,
  NewButton,
  type Rights,
  ScreenHeading,
  TextField,
  useEditor,
  useId,
  useList,
  useSaving,
} from "./kit";
import { type BusinessCalendar, type Holiday, type OpeningSpan, WEEKDAYS, type Weekday } from "./types";

type Draft = Omit<BusinessCalendar, "id" | "version">;

const OFFICE: OpeningSpan[] = [["08:00", "17:00"]];
const EMPTY: Draft = {
  name: "",
  time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC",
  week: { mon: OFFICE, tue: OFFICE, wed: OFFICE, thu: OFFICE, fri: OFFICE, sat: [], sun: [] },
  holidays: [],
};

function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  try {
    return intl.supportedValuesOf?.("timeZone") ?? [];
  } catch {
    return [];
  }
}

export const dayName = (d: Weekday) => at(`day.${d}`);

export function weekSummary(c: BusinessCalendar): string {
  return WEEKDAYS.filter((d) => c.week[d]?.length)
    .map((d) => `${dayName(d).slice(0, 2)} ${c.week[d].map((s) => s.join("–")).join(", ")}`)
    .join("; ");
}

export function CalendarsScreen(props: { me: Me; rights: Rights }) {
  const calendars = useList<BusinessCalendar>("/api/v1/sla/calendars");
  const editor = useEditor(calendars);
  const canEdit = props.rights.sla;
  return (
    <section class="admin-screen">
      <ScreenHeading>{at("calendars.title")}</ScreenHeading>
      {!canEdit && <p class="hint">{at("sla.adminsOnly")}</p>}
      {canEdit && <NewButton onClick={() => editor.open("new")}>{at("calendars.new")}</NewButton>}
      {editor.isOpen && <CalendarEditor key={editor.key} calendar={editor.item} readOnly={!canEdit} onDone={editor.done} />}
      <AdminTable
        items={calendars.items}
        failed={calendars.failed}
        caption={(count) => at("calendars.count", { count })}
        columns={[at("calendars.name"), at("calendars.timeZone"), at("calendars.week"), at("calendars.holidays")]}
        cells={(c) => (
          <>
            <td>{c.name}</td>
            <td>{c.time_zone}</td>
            <td>{weekSummary(c)}</td>
            <td>{c.holidays.length}</td>
          </>
        )}
        onEdit={editor.open}
        editLabel={(c) => (canEdit ? at("calendars.editNamed", { name: c.name }) : at("common.viewNamed", { name: c.name }))}
        readOnly={!canEdit}
      />
    </section>
  );
}

function CalendarEditor(props: { calendar: BusinessCalendar | null; readOnly: boolean; onDone: () => Promise<void> }) {
  const { calendar } = props;
  const [d, setD] = useState<Draft>(
    calendar ? { name: calendar.name, time_zone: calendar.time_zone, week: calendar.week, holidays: calendar.holidays } : EMPTY,
  );
  const saving = useSaving();
  const zonesId = useId("zones");
  const f = (n: string) => errorAt(saving.failure, n);
  const setDay = (day: Weekday, spans: OpeningSpan[]) => setD((o) => ({ ...o, week: { ...o.week, [day]: spans } }));
  const setHolidays = (h: Holiday[]) => setD((o) => ({ ...o, holidays: h }));

  async function save() {
    const body = { ...d, name: d.name.trim(), time_zone: d.time_zone.trim() };
    const done = await saving.run(
      () =>
        calendar
          ? put<BusinessCalendar>(`/api/v1/sla/calendars/${calendar.id}`, { ...body, version: calendar.version })
          : post<BusinessCalendar>("/api/v1/sla/calendars", body),
      (c) => at(calendar ? "calendars.saved" : "calendars.created", { name: c.name }),
    );
    if (done) await props.onDone();
  }

  return (
    <EditorSection
      title={calendar ? at("calendars.editTitle", { name: calendar.name }) : at("calendars.newTitle")}
      onSubmit={save}
      onCancel={() => void props.onDone()}
      failure={saving.failure}
      busy={saving.busy}
      readOnly={props.readOnly}
    >
      <div class="grid2">
        <TextField label={at("calendars.name")} value={d.name} onInput={(v) => setD({ ...d, name: v })} error={f("name")} required />
        <TextField
          label={at("calendars.timeZone")}
          value={d.time_zone}
          list={zonesId}
          onInput={(v) => setD({ ...d, time_zone: v })}
          error={f("time_zone")}
          hint={at("calendars.timeZoneHint")}
          required
        />
        <datalist id={zonesId}>
          {timeZones().map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      </div>
      <fieldset>
        <legend>{at("calendars.week")}</legend>
        <p class="hint">{at("calendars.weekHint")}</p>
        {f("week") && !WEEKDAYS.some((day) => f(`week.${day}`)) && <p class="error">{f("week")}</p>}
        <table class="admin-table week">
          <tbody>
            {WEEKDAYS.map((day) => (
              <DayRow key={day} day={day} spans={d.week[day] ?? []} onChange={(s) => setDay(day, s)} error={f(`week.${day}`)} />
            ))}
          </tbody>
        </table>
      </fieldset>
      <HolidaysEditor holidays={d.holidays} onChange={setHolidays} error={f("holidays")} />
    </EditorSection>
  );
}

function DayRow(props: { day: Weekday; spans: OpeningSpan[]; onChange: (s: OpeningSpan[]) => void; error?: string }) {
  const name = dayName(props.day);
  const id = useId("day");
  const setSpan = (i: number, k: 0 | 1, v: string) =>
    props.onChange(props.spans.map((s, j) => (j === i ? ((k === 0 ? [v, s[1]] : [s[0], v]) as OpeningSpan) : s)));
  const last = props.spans[props.spans.length - 1];
  return (
    <tr>
      <th scope="row" id={id}>
        {name}
      </th>
      <td>
        {props.spans.length === 0 && <span class="muted">{at("calendars.closed")}</span>}
        {props.spans.map((s, i) => (
          <span class="span" key={i} role="group" aria-label={at("calendars.spanLabel", { day: name, n: i + 1 })}>
            <input
              class="time"
              value={s[0]}
              aria-label={at("calendars.from", { day: name, n: i + 1 })}
              placeholder="08:00"
              aria-invalid={props.error ? true : undefined}
              onInput={(e) => setSpan(i, 0, e.currentTarget.value)}
            />
            <span aria-hidden="true">–</span>
            <input
              class="time"
              value={s[1]}
              aria-label={at("calendars.to", { day: name, n: i + 1 })}
              placeholder="17:00"
              aria-invalid={props.error ? true : undefined}
              onInput={(e) => setSpan(i, 1, e.currentTarget.value)}
            />
            <button
              type="button"
              class="link"
              aria-label={at("calendars.removeSpan", { day: name, n: i + 1 })}
              onClick={() => props.onChange(props.spans.filter((_, j) => j !== i))}
            >
              ✕
            </button>
          </span>
        ))}
        <button
          type="button"
          class="link"
          aria-label={at("calendars.addSpanTo", { day: name })}
          onClick={() => props.onChange([...props.spans, last ? [last[1], "24:00"] : ["08:00", "17:00"]])}
        >
          {at("calendars.addSpan")}
        </button>
        {props.error && <p class="error field-error">{props.error}</p>}
      </td>
    </tr>
  );
}

function HolidaysEditor(props: { holidays: Holiday[]; onChange: (h: Holiday[]) => void; error?: string }) {
  const set = (i: number, h: Holiday) => props.onChange(props.holidays.map((x, j) => (j === i ? h : x)));
  return (
    <fieldset>
      <legend>{at("calendars.holidays")}</legend>
      <p class="hint">{at("calendars.holidaysHint")}</p>
      {props.holidays.length === 0 && <p class="muted">{at("calendars.noHolidays")}</p>}
      <ul class="holidays">
        {props.holidays.map((h, i) => {
          const yearly = /^\d{2}-\d{2}$/.test(h.date) || h.date === "";
          const n = i + 1;
          return (
            <li key={i}>
              <div class="holiday" role="group" aria-label={at("calendars.holidayN", { n })}>
              <select
                aria-label={at("calendars.holidayKind", { n })}
                value={yearly ? "yearly" : "once"}
                onChange={(e) =>
                  set(i, {
                    ...h,
                    date:
                      e.currentTarget.value === "yearly"
                        ? h.date.slice(-5)
                        : `${new Date().getFullYear()}-${h.date.slice(-5) || "01-01"}`,
                  })
                }
              >
                <option value="yearly">{at("calendars.yearly")}</option>
                <option value="once">{at("calendars.once")}</option>
              </select>
              {yearly ? (
                <input
                  class="date-short"
                  value={h.date}
                  placeholder={at("calendars.mmdd")}
                  aria-label={at("calendars.holidayDateYearly", { n })}
                  onInput={(e) => set(i, { ...h, date: e.currentTarget.value })}
                />
              ) : (
                <input
                  type="date"
                  value={h.date}
                  aria-label={at("calendars.holidayDate", { n })}
                  onInput={(e) => set(i, { ...h, date: e.currentTarget.value })}
                />
              )}
              <input
                value={h.name}
                aria-label={at("calendars.holidayName", { n })}
                placeholder={at("calendars.holidayNamePlaceholder")}
                onInput={(e) => set(i, { ...h, name: e.currentTarget.value })}
              />
              <button
                type="button"
                class="link"
                aria-label={at("calendars.removeHoliday", { n })}
                onClick={() => props.onChange(props.holidays.filter((_, j) => j !== i))}
              >
                ✕
              </button>
              </div>
            </li>
          );
        })}
      </ul>
      <button type="button" class="secondary" onClick={() => props.onChange([...props.holidays, { date: "", name: "" }])}>
        {at("calendars.addHoliday")}
      </button>
      {props.error && <p class="error field-error">{props.error}</p>}
    </fieldset>
  );
}
