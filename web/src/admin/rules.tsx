// Rules (GET/POST /rules, PUT /rules/{id} with the version read): the list (active, trigger,
// name) and an editor for name, description, active, the trigger (events, or a wait in
// statuses on wall-clock or business time), conditions and actions. Conditions and actions
// have a row form for every field and action type the API knows; "Edit as JSON" shows both as
// JSON for anything the rows do not cover. Admins change rules; supervisors read them.
import { useState } from "preact/hooks";
import { post, put } from "../api/client";
import type { Me } from "../api/types";
import {
  AdminTable,
  at,
  Checkbox,
  CheckGroup,
  Duration,
  EditorSection,
  errorAt,
  formatMinutes,
  JsonField,
  NewButton,
  parseJson,
  type Rights,
  ScreenHeading,
  SelectField,
  splitList,
  TextArea,
  TextField,
  useEditor,
  useList,
  useSaving,
  type Failure,
} from "./kit";
import { lineName } from "./teams";
import {
  ACTION_TYPES,
  type ActionType,
  type AdminOrganization,
  type AdminTeam,
  type AdminUser,
  CHANNELS,
  LINES,
  PRIORITIES,
  type BusinessCalendar,
  CONDITION_FIELDS,
  CONDITION_OPS,
  RECIPIENTS,
  RULE_EVENTS,
  type Rule,
  type RuleAction,
  type RuleCondition,
  type Status,
  STATUSES,
} from "./types";

const BY = ["customer", "staff", "system"] as const;
const ENTRY_KINDS = ["reply", "note", "call"] as const;
const NUMERIC_FIELDS = new Set(["impact", "urgency", "line", "team", "assignee", "organization", "requester"]);

interface Draft {
  name: string;
  description: string;
  active: boolean;
  kind: "trigger" | "time";
  on: string[];
  waitStatuses: Status[];
  waitMinutes: number | null;
  waitCalendar: string;
  conditions: RuleCondition[];
  actions: RuleAction[];
  json: boolean;
  jsonText: string;
}

function draftOf(r: Rule | null): Draft {
  return {
    name: r?.name ?? "",
    description: r?.description ?? "",
    active: r?.active ?? true,
    kind: r?.time_based ? "time" : "trigger",
    on: r?.on ?? (r ? [] : ["created"]),
    waitStatuses: r?.wait?.statuses ?? ["resolved"],
    waitMinutes: r?.wait?.after_minutes ?? 60 * 24,
    waitCalendar: r?.wait?.calendar_id ? String(r.wait.calendar_id) : "",
    conditions: r?.conditions ?? [],
    actions: r?.actions ?? [{ type: "add_tag", tag: "" }],
    json: false,
    jsonText: "",
  };
}

const toJson = (d: Draft) => JSON.stringify({ conditions: d.conditions, actions: d.actions }, null, 2);

export function triggerText(r: Rule): string {
  if (r.time_based && r.wait)
    return at("rules.waitSummary", {
      statuses: r.wait.statuses.map((s) => at(`status.${s}`)).join(", "),
      time: formatMinutes(r.wait.after_minutes),
    });
  return (r.on ?? []).map((e) => at(`event.${e as (typeof RULE_EVENTS)[number]}`)).join(", ");
}

export function RulesScreen(props: { me: Me; rights: Rights }) {
  const rules = useList<Rule>("/api/v1/rules");
  const calendars = useList<BusinessCalendar>("/api/v1/sla/calendars");
  const users = useList<AdminUser>("/api/v1/users");
  const teams = useList<AdminTeam>("/api/v1/teams");
  const orgs = useList<AdminOrganization>("/api/v1/organizations");
  const editor = useEditor(rules);
  const canEdit = props.rights.rules;
  return (
    <section class="admin-screen">
      <ScreenHeading>{at("rules.title")}</ScreenHeading>
      {!canEdit && <p class="hint">{at("rules.adminsOnly")}</p>}
      {canEdit && <NewButton onClick={() => editor.open("new")}>{at("rules.new")}</NewButton>}
      {editor.isOpen && (
        <RuleEditor
          key={editor.key}
          rule={editor.item}
          readOnly={!canEdit}
          calendars={calendars.items ?? []}
          staff={(users.items ?? []).filter((u) => u.role !== "customer" && u.active)}
          choices={{ teams: teams.items ?? [], orgs: orgs.items ?? [] }}
          onDone={editor.done}
        />
      )}
      <AdminTable
        items={rules.items}
        failed={rules.failed}
        caption={(count) => at("rules.count", { count })}
        columns={[at("common.state"), at("rules.trigger"), at("rules.name")]}
        cells={(r) => (
          <>
            <td>{r.active ? at("common.active") : at("common.inactive")}</td>
            <td>{triggerText(r)}</td>
            <td>
              {r.name}
              {r.description && (
                <>
                  <br />
                  <span class="muted">{r.description}</span>
                </>
              )}
            </td>
          </>
        )}
        onEdit={editor.open}
        editLabel={(r) => (canEdit ? at("rules.editNamed", { name: r.name }) : at("common.viewNamed", { name: r.name }))}
        readOnly={!canEdit}
      />
    </section>
  );
}

function RuleEditor(props: {
  rule: Rule | null;
  readOnly: boolean;
  calendars: BusinessCalendar[];
  staff: AdminUser[];
  choices: Choices;
  onDone: () => Promise<void>;
}) {
  const { rule } = props;
  const [d, setD] = useState<Draft>(() => draftOf(rule));
  const saving = useSaving();
  const f = (n: string) => errorAt(saving.failure, n);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((o) => ({ ...o, [k]: v }));

  function switchJson(on: boolean) {
    if (on) return setD((o) => ({ ...o, json: true, jsonText: toJson(o) }));
    try {
      const parsed = parseJson<{ conditions?: RuleCondition[]; actions?: RuleAction[] }>(d.jsonText, "json");
      setD((o) => ({ ...o, json: false, conditions: parsed?.conditions ?? [], actions: parsed?.actions ?? [] }));
    } catch {
      saving.setFailure({ fields: { json: at("json.cannotSwitch") }, message: "" });
    }
  }

  async function save() {
    const done = await saving.run(
      () => {
        const parts = d.json
          ? (parseJson<{ conditions?: RuleCondition[]; actions?: RuleAction[] }>(d.jsonText, "json") ?? {})
          : { conditions: d.conditions, actions: d.actions };
        const body: Record<string, unknown> = {
          name: d.name.trim(),
          description: d.description,
          active: d.active,
          conditions: parts.conditions ?? [],
          actions: parts.actions ?? [],
        };
        if (d.kind === "trigger") body.on = d.on;
        else
          body.wait = {
            statuses: d.waitStatuses,
            after_minutes: d.waitMinutes ?? 0,
            calendar_id: d.waitCalendar ? Number(d.waitCalendar) : null,
          };
        return rule ? put<Rule>(`/api/v1/rules/${rule.id}`, { ...body, version: rule.version }) : post<Rule>("/api/v1/rules", body);
      },
      (r) => at(rule ? "rules.saved" : "rules.created", { name: r.name }),
    );
    if (done) await props.onDone();
  }

  return (
    <EditorSection
      title={rule ? at("rules.editTitle", { name: rule.name }) : at("rules.newTitle")}
      onSubmit={save}
      onCancel={() => void props.onDone()}
      failure={saving.failure}
      busy={saving.busy}
      readOnly={props.readOnly}
    >
      <div class="grid2">
        <TextField label={at("rules.name")} value={d.name} onInput={(v) => set("name", v)} error={f("name")} required />
        <div class="field">
          <Checkbox label={at("rules.activeLabel")} checked={d.active} onChange={(v) => set("active", v)} />
        </div>
      </div>
      <TextArea label={at("rules.description")} rows={2} value={d.description} onInput={(v) => set("description", v)} error={f("description")} />

      <fieldset>
        <legend>{at("rules.trigger")}</legend>
        <div class="row">
          <label class="check">
            <input type="radio" name="rule-kind" checked={d.kind === "trigger"} onChange={() => set("kind", "trigger")} />
            {at("rules.kindTrigger")}
          </label>
          <label class="check">
            <input type="radio" name="rule-kind" checked={d.kind === "time"} onChange={() => set("kind", "time")} />
            {at("rules.kindTime")}
          </label>
        </div>
        {d.kind === "trigger" ? (
          <CheckGroup
            legend={at("rules.on")}
            options={RULE_EVENTS.map((e) => ({ value: e as string, label: at(`event.${e}`) }))}
            values={d.on}
            onChange={(v) => set("on", v)}
            error={f("on")}
          />
        ) : (
          <>
            <CheckGroup
              legend={at("rules.waitStatuses")}
              options={STATUSES.map((s) => ({ value: s, label: at(`status.${s}`) }))}
              values={d.waitStatuses}
              onChange={(v) => set("waitStatuses", v)}
              error={f("wait.statuses")}
            />
            <div class="field">
              <span>{at("rules.waitAfter")}</span>
              <Duration label={at("rules.waitAfter")} minutes={d.waitMinutes} onChange={(v) => set("waitMinutes", v)} error={f("wait.after_minutes")} />
            </div>
            <SelectField
              label={at("rules.waitCalendar")}
              value={d.waitCalendar}
              onChange={(v) => set("waitCalendar", v)}
              options={[{ value: "", label: at("rules.wallClock") }, ...props.calendars.map((c) => ({ value: String(c.id), label: c.name }))]}
              error={f("wait.calendar_id")}
            />
            {f("wait") && <p class="error">{f("wait")}</p>}
          </>
        )}
      </fieldset>

      <p class="json-switch">
        <Checkbox label={at("rules.editJson")} checked={d.json} onChange={switchJson} />
      </p>
      {d.json ? (
        <JsonField
          label={at("rules.conditionsActionsJson")}
          value={d.jsonText}
          rows={14}
          onInput={(v) => set("jsonText", v)}
          error={[f("json"), f("conditions"), f("actions")].filter(Boolean).join(" ") || undefined}
          hint={at("rules.jsonHint")}
        />
      ) : (
        <>
          <ConditionsEditor conditions={d.conditions} onChange={(c) => set("conditions", c)} failure={saving.failure} choices={props.choices} />
          <ActionsEditor actions={d.actions} onChange={(a) => set("actions", a)} failure={saving.failure} staff={props.staff} />
        </>
      )}
    </EditorSection>
  );
}

interface Choices {
  teams: AdminTeam[];
  orgs: AdminOrganization[];
}

// The values a condition's field can take, when they are few enough to tick; null: typed text.
function valueChoices(field: string, choices: Choices): { value: string | number; label: string }[] | null {
  switch (field) {
    case "status":
      return STATUSES.map((s) => ({ value: s, label: at(`status.${s}`) }));
    case "priority":
      return PRIORITIES.map((p) => ({ value: p, label: p }));
    case "channel":
      return CHANNELS.map((c) => ({ value: c, label: at(`channel.${c}`) }));
    case "impact":
    case "urgency":
      return [1, 2, 3].map((l) => ({ value: l, label: at(`level.${l as 1 | 2 | 3}`) }));
    case "line":
      return LINES.map((l) => ({ value: l, label: lineName(l) }));
    case "team":
      return choices.teams.map((t) => ({ value: t.id, label: t.name }));
    case "organization":
      return choices.orgs.map((o) => ({ value: o.id, label: o.name }));
    case "by":
      return BY.map((b) => ({ value: b, label: at(`by.${b}`) }));
    case "entry_kind":
      return ENTRY_KINDS.map((k) => ({ value: k, label: at(`entryKind.${k}`) }));
    default:
      return null;
  }
}

function ConditionsEditor(props: {
  conditions: RuleCondition[];
  onChange: (c: RuleCondition[]) => void;
  failure: Failure;
  choices: Choices;
}) {
  const setAt = (i: number, c: RuleCondition) => props.onChange(props.conditions.map((x, j) => (j === i ? c : x)));
  return (
    <fieldset>
      <legend>{at("rules.conditions")}</legend>
      <p class="hint">{at("rules.conditionsHint")}</p>
      {props.conditions.length === 0 && <p class="muted">{at("rules.noConditions")}</p>}
      <ol class="rows">
        {props.conditions.map((c, i) => {
          const n = i + 1;
          const noValues = c.op === "is_set" || c.op === "not_set";
          return (
            <li key={i}>
              <div class="row" role="group" aria-label={at("rules.conditionN", { n })}>
                <SelectField
                  label={at("rules.field")}
                  value={c.field}
                  onChange={(v) => setAt(i, { ...c, field: v, values: [] })}
                  options={CONDITION_FIELDS.map((x) => ({ value: x, label: at(`cfield.${x}`) }))}
                  error={errorAt(props.failure, `conditions[${i}].field`)}
                />
                <SelectField
                  label={at("rules.op")}
                  value={c.op}
                  onChange={(v) => setAt(i, { ...c, op: v })}
                  options={CONDITION_OPS.map((x) => ({ value: x, label: at(`op.${x}`) }))}
                  error={errorAt(props.failure, `conditions[${i}].op`)}
                />
                {!noValues && valueChoices(c.field, props.choices) && (
                  <CheckGroup
                    legend={at("rules.values")}
                    options={valueChoices(c.field, props.choices)!}
                    values={c.values ?? []}
                    onChange={(v) => setAt(i, { ...c, values: v })}
                    error={errorAt(props.failure, `conditions[${i}].values`)}
                  />
                )}
                {!noValues && !valueChoices(c.field, props.choices) && (
                  <TextField
                    label={at("rules.values")}
                    value={(c.values ?? []).join(", ")}
                    onInput={(v) =>
                      setAt(i, {
                        ...c,
                        values: splitList(v).map((x) => (NUMERIC_FIELDS.has(c.field) && /^\d+$/.test(x) ? Number(x) : x)),
                      })
                    }
                    hint={at("rules.valuesHint")}
                    error={errorAt(props.failure, `conditions[${i}].values`)}
                  />
                )}
                <button type="button" class="secondary" onClick={() => props.onChange(props.conditions.filter((_, j) => j !== i))}>
                  {at("rules.removeCondition", { n })}
                </button>
              </div>
            </li>
          );
        })}
      </ol>
      <button type="button" class="secondary" onClick={() => props.onChange([...props.conditions, { field: "priority", op: "is", values: ["P1"] }])}>
        {at("rules.addCondition")}
      </button>
      {errorAt(props.failure, "conditions") && <p class="error">{errorAt(props.failure, "conditions")}</p>}
    </fieldset>
  );
}

function textOf(t: RuleAction["text"]): { en: string; de: string } {
  if (t === undefined) return { en: "", de: "" };
  if (typeof t === "string") return { en: t, de: t };
  return { en: t.en ?? "", de: t.de ?? "" };
}

// Only the keys an action type uses, so the server does not refuse strays left from another type.
function freshAction(type: ActionType): RuleAction {
  switch (type) {
    case "set_status":
      return { type, status: "open" };
    case "set_priority":
      return { type, impact: 2, urgency: 2 };
    case "set_category":
      return { type, category: "" };
    case "add_tag":
    case "remove_tag":
      return { type, tag: "" };
    case "assign":
      return { type, to: "auto" };
    case "notify":
      return { type, recipients: ["assignee"], text: { en: "", de: "" } };
    case "reply":
    case "note":
      return { type, text: { en: "", de: "" } };
    case "webhook":
      return { type, webhook_id: 1 };
  }
}

function ActionsEditor(props: { actions: RuleAction[]; onChange: (a: RuleAction[]) => void; failure: Failure; staff: AdminUser[] }) {
  const setAt = (i: number, a: RuleAction) => props.onChange(props.actions.map((x, j) => (j === i ? a : x)));
  const levels = ["1", "2", "3"].map((v) => ({ value: v, label: at(`level.${v as "1" | "2" | "3"}`) }));
  return (
    <fieldset>
      <legend>{at("rules.actions")}</legend>
      <ol class="rows">
        {props.actions.map((a, i) => {
          const n = i + 1;
          const e = (k: string) => errorAt(props.failure, `actions[${i}].${k}`);
          const text = textOf(a.text);
          return (
            <li key={i}>
              <fieldset>
                <legend>{at("rules.actionN", { n })}</legend>
                <div class="row">
                  <SelectField
                    label={at("rules.actionType")}
                    value={a.type}
                    onChange={(v) => setAt(i, freshAction(v as ActionType))}
                    options={ACTION_TYPES.map((x) => ({ value: x, label: at(`action.${x}`) }))}
                    error={e("type")}
                  />
                  {a.type === "set_status" && (
                    <SelectField
                      label={at("rules.status")}
                      value={a.status ?? "open"}
                      onChange={(v) => setAt(i, { ...a, status: v as Status })}
                      options={STATUSES.map((s) => ({ value: s, label: at(`status.${s}`) }))}
                      error={e("status")}
                    />
                  )}
                  {a.type === "set_priority" && (
                    <>
                      <SelectField label={at("rules.impact")} value={String(a.impact ?? 2)} onChange={(v) => setAt(i, { ...a, impact: Number(v) })} options={levels} error={e("impact")} />
                      <SelectField label={at("rules.urgency")} value={String(a.urgency ?? 2)} onChange={(v) => setAt(i, { ...a, urgency: Number(v) })} options={levels} error={e("urgency")} />
                    </>
                  )}
                  {a.type === "set_category" && (
                    <TextField label={at("rules.category")} value={a.category ?? ""} onInput={(v) => setAt(i, { ...a, category: v })} error={e("category")} />
                  )}
                  {(a.type === "add_tag" || a.type === "remove_tag") && (
                    <TextField label={at("rules.tag")} value={a.tag ?? ""} onInput={(v) => setAt(i, { ...a, tag: v })} error={e("tag")} />
                  )}
                  {a.type === "assign" && (
                    <SelectField
                      label={at("rules.assignTo")}
                      value={String(a.to ?? "auto")}
                      onChange={(v) => setAt(i, { ...a, to: /^\d+$/.test(v) ? Number(v) : (v as "auto" | "nobody") })}
                      options={[
                        { value: "auto", label: at("rules.assignAuto") },
                        { value: "nobody", label: at("rules.assignNobody") },
                        ...props.staff.map((u) => ({ value: String(u.id), label: `${u.name} (${u.login})` })),
                      ]}
                      error={e("to")}
                    />
                  )}
                  {a.type === "webhook" && (
                    <TextField
                      label={at("rules.webhookId")}
                      type="number"
                      value={String(a.webhook_id ?? "")}
                      onInput={(v) => setAt(i, { ...a, webhook_id: Number(v) })}
                      error={e("webhook_id")}
                    />
                  )}
                </div>
                {a.type === "notify" && (
                  <CheckGroup
                    legend={at("rules.recipients")}
                    options={RECIPIENTS.map((r) => ({ value: r as string, label: at(`recipient.${r}`) }))}
                    values={a.recipients ?? []}
                    onChange={(v) => setAt(i, { ...a, recipients: v })}
                    error={e("recipients")}
                  />
                )}
                {(a.type === "notify" || a.type === "reply" || a.type === "note") && (
                  <div class="grid2">
                    <TextArea label={at("rules.textEn")} rows={3} value={text.en} onInput={(v) => setAt(i, { ...a, text: { ...text, en: v } })} error={e("text")} />
                    <TextArea label={at("rules.textDe")} rows={3} value={text.de} onInput={(v) => setAt(i, { ...a, text: { ...text, de: v } })} />
                    <p class="hint wide">{at("macros.placeholdersHint")}</p>
                  </div>
                )}
                {errorAt(props.failure, `actions[${i}]`) &&
                  !["type", "status", "impact", "urgency", "category", "tag", "to", "webhook_id", "recipients", "text"].some((k) => e(k)) && (
                    <p class="error field-error">{errorAt(props.failure, `actions[${i}]`)}</p>
                  )}
                <button type="button" class="secondary" onClick={() => props.onChange(props.actions.filter((_, j) => j !== i))}>
                  {at("rules.removeAction", { n })}
                </button>
              </fieldset>
            </li>
          );
        })}
      </ol>
      <button type="button" class="secondary" onClick={() => props.onChange([...props.actions, freshAction("add_tag")])}>
        {at("rules.addAction")}
      </button>
      {errorAt(props.failure, "actions") && !props.actions.length && <p class="error">{errorAt(props.failure, "actions")}</p>}
    </fieldset>
  );
}
