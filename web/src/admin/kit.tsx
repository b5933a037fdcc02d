// The admin screens' small shared kit: their texts (loaded with the admin chunk, not with the
// console), who may change what, the problem+json of a failed save turned into messages next
// to the fields, labelled form controls that show them, a polite status line, and a JSON editor
// for the parts of a model that have no form; the list table and the create/edit wiring every
// screen has.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, get } from "../api/client";
import type { Me } from "../api/types";
import { language } from "../i18n";
import { adminDe } from "./texts.de";
import { adminEn, type AdminKey } from "./texts.en";

// --- texts
const texts = { en: adminEn as Record<AdminKey, string>, de: adminDe };

export function at(key: AdminKey, values: Record<string, string | number> = {}): string {
  return texts[language()][key].replace(/\{(\w+)\}/g, (_, name: string) =>
    name in values ? String(values[name]) : `{${name}}`,
  );
}

// --- who may change what (the server decides; the UI only hides what would be refused)
export interface Rights {
  directory: boolean; // users, teams, organisations: create and edit
  routing: boolean; // a team's assignment mode
  skills: boolean; // an agent's skills
  sla: boolean; // calendars and policies
  rules: boolean;
  macros: boolean;
  categories: boolean;
  botFlows: boolean; // the chatbot's flows
}

export function rightsOf(me: Me): Rights | null {
  const admin = me.role === "admin";
  const supervisor = me.role === "supervisor";
  if (!admin && !supervisor) return null;
  return { directory: admin, routing: true, skills: true, sla: admin, rules: admin, macros: true, categories: true, botFlows: admin };
}

// --- a polite status line for successes, shared by every admin screen
const statusListeners = new Set<(text: string) => void>();

export function announce(text: string): void {
  for (const l of statusListeners) l(text);
}

export function StatusLine() {
  const [text, setText] = useState("");
  useEffect(() => {
    statusListeners.add(setText);
    return () => void statusListeners.delete(setText);
  }, []);
  return (
    <p class="admin-status" role="status" aria-live="polite">
      {text}
    </p>
  );
}

// --- failures
// Field errors by the server's path ("name", "week.mon", "targets.P1.resolution_minutes",
// "ladder[0].metric"), plus the message for the whole form.
export interface Failure {
  fields: Record<string, string>;
  message: string;
}

export const NO_FAILURE: Failure = { fields: {}, message: "" };

export function failureOf(err: unknown): Failure {
  if (!(err instanceof ApiError)) return { fields: {}, message: String(err) };
  if (err.status === 0) return { fields: {}, message: at("error.offline") };
  const fields: Record<string, string> = {};
  for (const e of err.problem.errors ?? []) fields[e.field] = e.message;
  return { fields, message: err.problem.detail ?? err.problem.title };
}

// The messages for `path` and everything under it ("week.mon" for "week", "ladder[1].percent"
// for "ladder[1]"), joined.
export function errorAt(failure: Failure, path: string): string | undefined {
  const found = Object.entries(failure.fields)
    .filter(([f]) => f === path || f.startsWith(path + ".") || f.startsWith(path + "["))
    .map(([f, m]) => (f === path ? m : `${f.slice(path.length).replace(/^\./, "")}: ${m}`));
  return found.length ? found.join("; ") : undefined;
}

// The form's summary: the server's message and each field error, in an alert.
export function FailureSummary(props: { failure: Failure }) {
  const { failure } = props;
  if (!failure.message && Object.keys(failure.fields).length === 0) return null;
  const fields = Object.entries(failure.fields);
  return (
    <div class="error admin-failure" role="alert">
      <p>{fields.length ? at("form.fixFields") : failure.message}</p>
      {fields.length > 0 && (
        <ul>
          {fields.map(([f, m]) => (
            <li key={f}>
              <code>{f}</code>: {m}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

// Runs a save; on failure keeps the problem for the form, on success announces `done`.
export function useSaving() {
  const [failure, setFailure] = useState<Failure>(NO_FAILURE);
  const [busy, setBusy] = useState(false);
  async function run<T>(action: () => Promise<T>, done: (result: T) => string): Promise<T | undefined> {
    setBusy(true);
    setFailure(NO_FAILURE);
    try {
      const result = await action();
      announce(done(result));
      return result;
    } catch (err) {
      setFailure(failureOf(err));
      return undefined;
    } finally {
      setBusy(false);
    }
  }
  return { failure, setFailure, busy, run };
}

// --- reading
export function useList<T>(url: string): { items: T[] | null; failed: string; reload: () => Promise<void> } {
  const [items, setItems] = useState<T[] | null>(null);
  const [failed, setFailed] = useState("");
  const reload = () =>
    get<{ items: T[] }>(url).then(
      (r) => {
        setItems(r.items);
        setFailed("");
      },
      (err) => setFailed(failureOf(err).message),
    );
  useEffect(() => void reload(), [url]);
  return { items, failed, reload };
}

// --- controls
let nextId = 1;
export function useId(prefix: string): string {
  const ref = useRef("");
  if (!ref.current) ref.current = `${prefix}-${nextId++}`;
  return ref.current;
}

function ErrorText(props: { id: string; error?: string }) {
  return props.error ? (
    <p id={props.id} class="error field-error">
      {props.error}
    </p>
  ) : null;
}

interface InputProps {
  label: string;
  value: string;
  onInput: (v: string) => void;
  error?: string;
  hint?: string;
  type?: string;
  required?: boolean;
  autocomplete?: string;
  list?: string;
  inputMode?: "numeric" | "text";
  placeholder?: string;
  class?: string;
}

export function TextField(props: InputProps) {
  const id = useId("f");
  const described = [props.hint ? `${id}-hint` : "", props.error ? `${id}-err` : ""].filter(Boolean).join(" ");
  return (
    <div class={"field " + (props.class ?? "")}>
      <label for={id}>
        {props.label}
      </label>
      <input
        id={id}
        type={props.type ?? "text"}
        value={props.value}
        required={props.required}
        autocomplete={props.autocomplete ?? "off"}
        list={props.list}
        inputMode={props.inputMode}
        placeholder={props.placeholder}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={described || undefined}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      {props.hint && (
        <p id={`${id}-hint`} class="hint">
          {props.hint}
        </p>
      )}
      <ErrorText id={`${id}-err`} error={props.error} />
    </div>
  );
}

export function TextArea(props: InputProps & { rows?: number; mono?: boolean }) {
  const id = useId("f");
  const described = [props.hint ? `${id}-hint` : "", props.error ? `${id}-err` : ""].filter(Boolean).join(" ");
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <textarea
        id={id}
        rows={props.rows ?? 5}
        class={props.mono ? "mono" : undefined}
        value={props.value}
        spellcheck={props.mono ? false : undefined}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={described || undefined}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      {props.hint && (
        <p id={`${id}-hint`} class="hint">
          {props.hint}
        </p>
      )}
      <ErrorText id={`${id}-err`} error={props.error} />
    </div>
  );
}

export interface Option {
  value: string;
  label: string;
}

export function SelectField(props: {
  label: string;
  value: string;
  options: Option[];
  onChange: (v: string) => void;
  error?: string;
  hint?: string;
}) {
  const id = useId("f");
  const described = [props.hint ? `${id}-hint` : "", props.error ? `${id}-err` : ""].filter(Boolean).join(" ");
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select
        id={id}
        value={props.value}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={described || undefined}
        onChange={(e) => props.onChange(e.currentTarget.value)}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {props.hint && (
        <p id={`${id}-hint`} class="hint">
          {props.hint}
        </p>
      )}
      <ErrorText id={`${id}-err`} error={props.error} />
    </div>
  );
}

export function Checkbox(props: { label: string; checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <label class="check">
      <input type="checkbox" checked={props.checked} onChange={(e) => props.onChange(e.currentTarget.checked)} />
      {props.label}
    </label>
  );
}

// A group of checkboxes for a set of values, with one legend and one error.
export function CheckGroup<T extends string | number>(props: {
  legend: string;
  options: { value: T; label: string }[];
  values: T[];
  onChange: (v: T[]) => void;
  error?: string;
  hint?: string;
}) {
  const id = useId("g");
  return (
    <fieldset class="check-group" aria-describedby={props.error ? `${id}-err` : undefined}>
      <legend>{props.legend}</legend>
      {props.hint && <p class="hint">{props.hint}</p>}
      {props.options.length === 0 && <p class="muted">{at("common.none")}</p>}
      {props.options.map((o) => (
        <Checkbox
          key={String(o.value)}
          label={o.label}
          checked={props.values.includes(o.value)}
          onChange={(on) =>
            props.onChange(on ? [...props.values, o.value] : props.values.filter((v) => v !== o.value))
          }
        />
      ))}
      <ErrorText id={`${id}-err`} error={props.error} />
    </fieldset>
  );
}

// A JSON part of a model that has no form: the text is kept as typed; parse() says whether
// it is JSON, the server's errors for that part are shown under it.
export function JsonField(props: {
  label: string;
  value: string;
  onInput: (v: string) => void;
  error?: string;
  hint?: string;
  rows?: number;
}) {
  let parseError = "";
  try {
    JSON.parse(props.value || "null");
  } catch (e) {
    parseError = at("json.invalid", { detail: (e as Error).message });
  }
  return (
    <TextArea
      label={props.label}
      value={props.value}
      onInput={props.onInput}
      rows={props.rows ?? 6}
      mono
      hint={props.hint}
      error={[parseError, props.error].filter(Boolean).join(" ") || undefined}
    />
  );
}

export function parseJson<T>(text: string, field: string): T {
  try {
    return JSON.parse(text || "null") as T;
  } catch (e) {
    throw new ApiError({
      type: "about:blank",
      title: "Invalid JSON",
      status: 422,
      detail: `${field}: ${(e as Error).message}`,
      errors: [{ field, message: at("json.invalid", { detail: (e as Error).message }) }],
    });
  }
}

// Hours and minutes for a number of minutes (null: no target; both boxes empty or 0). One
// group, labelled by `label`.
export function Duration(props: {
  label: string;
  minutes: number | null;
  onChange: (m: number | null) => void;
  error?: string;
}) {
  const id = useId("d");
  const hours = props.minutes === null ? "" : String(Math.floor(props.minutes / 60));
  const mins = props.minutes === null ? "" : String(props.minutes % 60);
  const set = (h: string, m: string) => {
    if (h.trim() === "" && m.trim() === "") return props.onChange(null);
    // No target can be 0 minutes: 0 is taken as "none", so clearing one box of "0 h 15" works.
    const total = (Number(h) || 0) * 60 + (Number(m) || 0);
    props.onChange(Number.isFinite(total) && total > 0 ? total : null);
  };
  return (
    <div class="duration" role="group" aria-label={props.label} aria-describedby={props.error ? `${id}-err` : undefined}>
      <input
        type="number"
        min="0"
        class="num"
        aria-label={`${props.label}: ${at("duration.hours")}`}
        aria-invalid={props.error ? true : undefined}
        value={hours}
        onInput={(e) => set(e.currentTarget.value, mins)}
      />
      <span aria-hidden="true">{at("duration.h")}</span>
      <input
        type="number"
        min="0"
        max="59"
        class="num"
        aria-label={`${props.label}: ${at("duration.minutes")}`}
        aria-invalid={props.error ? true : undefined}
        value={mins}
        onInput={(e) => set(hours, e.currentTarget.value)}
      />
      <span aria-hidden="true">{at("duration.min")}</span>
      <ErrorText id={`${id}-err`} error={props.error} />
    </div>
  );
}

export function formatMinutes(m: number | null | undefined): string {
  if (m === null || m === undefined) return "–";
  const h = Math.floor(m / 60);
  const rest = m % 60;
  if (h === 0) return `${rest} ${at("duration.min")}`;
  return rest ? `${h} ${at("duration.h")} ${rest} ${at("duration.min")}` : `${h} ${at("duration.h")}`;
}

// Comma-separated words <-> a list.
export const splitList = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

// --- the frame of one screen
// The heading takes the focus when the screen opens, so a keyboard and screen-reader user
// knows where they are.
export function ScreenHeading(props: { children: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {props.children}
    </h1>
  );
}

// The create/edit form above the list: its heading takes the focus when it opens; when it
// closes the focus goes back to the button that opened it (or the screen's heading). Escape
// cancels.
export function EditorSection(props: {
  title: string;
  onSubmit: () => void;
  onCancel: () => void;
  failure: Failure;
  busy: boolean;
  readOnly?: boolean;
  submitLabel?: string;
  children: ComponentChildren;
  after?: ComponentChildren;
}) {
  const ref = useRef<HTMLHeadingElement>(null);
  const id = useId("editor");
  // Declared first, so it reads the opener before the heading takes the focus.
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    return () => {
      // After the list has re-rendered: the opener may have been replaced.
      setTimeout(() => {
        const now = document.activeElement;
        if (now && now !== document.body && now.isConnected) return; // another editor took it
        if (opener?.isConnected && opener !== document.body) opener.focus();
        else document.querySelector<HTMLElement>(".admin h1")?.focus();
      });
    };
  }, []);
  useEffect(() => ref.current?.focus(), [props.title]);
  return (
    <section
      class="admin-editor"
      aria-labelledby={id}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          props.onCancel();
        }
      }}
    >
      <h2 id={id} ref={ref} tabIndex={-1}>
        {props.title}
      </h2>
      {props.readOnly && <p class="hint">{at("common.readOnly")}</p>}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!props.readOnly) props.onSubmit();
        }}
      >
        <fieldset class="plain" disabled={props.readOnly}>
          <legend class="visually-hidden">{props.title}</legend>
          {props.children}
        </fieldset>
        <FailureSummary failure={props.failure} />
        <div class="buttons">
          {!props.readOnly && (
            <button type="submit" class="primary" disabled={props.busy}>
              {props.submitLabel ?? at("common.save")}
            </button>
          )}
          <button type="button" class="secondary" onClick={props.onCancel}>
            {props.readOnly ? at("common.close") : at("common.cancel")}
          </button>
        </div>
      </form>
      {props.after}
    </section>
  );
}

// Which record the screen's create/edit form shows, if any. `open("new")` opens it empty;
// `done` is what the form calls when it closes (saved, cancelled, Escape): it closes the form
// and reloads the list. `key` remounts the form for another record, or another version of one.
export interface Editor<T> {
  isOpen: boolean;
  item: T | null; // null for a new record
  key: string;
  open: (item: T | "new") => void;
  done: () => Promise<void>;
}

export function useEditor<T extends { id: number | string; version?: number }>(list: {
  items: T[] | null;
  reload: () => Promise<void>;
}): Editor<T> {
  const [editing, setEditing] = useState<T | "new" | null>(null);
  return {
    isOpen: editing !== null,
    item: editing === "new" ? null : editing,
    key: editing === null || editing === "new" ? "new" : editing.version === undefined ? String(editing.id) : `${editing.id}.${editing.version}`,
    open: setEditing,
    done: async () => {
      setEditing(null);
      await list.reload();
    },
  };
}

// The button above the list that opens the form for a new record.
export function NewButton(props: { onClick: () => void; disabled?: boolean; children: ComponentChildren }) {
  return (
    <p>
      <button type="button" class="primary" onClick={props.onClick} disabled={props.disabled}>
        {props.children}
      </button>
    </p>
  );
}

// A screen's list: "Loading…" (or why it failed) until `items` are there, then a table with
// the count in its caption, the `columns`' headings and an actions column whose first button
// opens the row's record: "Edit", or "View" where the user may only read (`readOnly`), named
// for screen readers by `editLabel`. `cells` gives a row's other cells, `moreActions` any
// further buttons.
export function AdminTable<T extends { id: number | string }>(props: {
  items: T[] | null;
  failed: string;
  caption: (count: number) => string;
  columns: string[];
  cells: (item: T) => ComponentChildren;
  onEdit: (item: T) => void;
  editLabel: (item: T) => string;
  editText?: string;
  readOnly?: boolean;
  moreActions?: (item: T) => ComponentChildren;
}) {
  const { items } = props;
  if (items === null) return <Loading failed={props.failed} />;
  const editText = props.readOnly ? at("common.view") : (props.editText ?? at("common.edit"));
  return (
    <div class="table-wrap">
      <table class="admin-table">
        <caption>{props.caption(items.length)}</caption>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
            <th scope="col">{at("common.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id}>
              {props.cells(item)}
              <td class="actions">
                <button type="button" class="secondary" aria-label={props.editLabel(item)} onClick={() => props.onEdit(item)}>
                  {editText}
                </button>
                {props.moreActions?.(item)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Loading(props: { failed: string }) {
  return props.failed ? (
    <p class="error" role="alert">
      {props.failed}
    </p>
  ) : (
    <p class="muted">{at("common.loading")}</p>
  );
}

export function ActiveBadge(props: { active: boolean }) {
  return <span class={props.active ? "chip on" : "chip off"}>{props.active ? at("common.active") : at("common.inactive")}</span>;
}
