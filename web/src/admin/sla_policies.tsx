// SLA policies (GET/POST /sla/policies, PUT /sla/policies/{id} with the version read; every
// save is a new version): name, rank and active (which policy a ticket gets), the selection
// conditions, per priority the first-response, next-response and resolution targets in hours
// and minutes with an optional calendar of their own, the statuses that pause the clocks, and
// the escalation ladder, and line targets (per line, or a vendor team's contract).
// Admins change policies; supervisors read them.
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
  NewButton,
  type Rights,
  ScreenHeading,
  SelectField,
  splitList,
  TextField,
  useEditor,
  useList,
  useSaving,
} from "./kit";
import { lineName } from "./teams";
import {
  type AdminOrganization,
  type AdminTeam,
  type BusinessCalendar,
  CHANNELS,
  type LadderStep,
  type LineTarget,
  LINES,
  type Priority,
  PRIORITIES,
  SLA_METRICS,
  type SlaMetric,
  type SlaPolicy,
  type SlaTargets,
  type Status,
  STATUSES,
  TARGET_METRICS,
  type TargetMetric,
} from "./types";

interface Draft {
  name: string;
  rank: string;
  active: boolean;
  calendar_id: string;
  organizations: number[];
  priorities: Priority[];
  channels: string[];
  categories: string;
  targets: Record<Priority, SlaTargets>;
  pause_on: Status[];
  ladder: LadderStep[];
  line_targets: LineTarget[];
}

const NO_TARGETS: SlaTargets = { first_response_minutes: null, next_response_minutes: null, resolution_minutes: null, calendar_id: null };

function draftOf(p: SlaPolicy | null, calendars: BusinessCalendar[]): Draft {
  if (!p)
    return {
      name: "",
      rank: "100",
      active: true,
      calendar_id: calendars[0] ? String(calendars[0].id) : "",
      organizations: [],
      priorities: [],
      channels: [],
      categories: "",
      targets: { P1: NO_TARGETS, P2: NO_TARGETS, P3: NO_TARGETS, P4: NO_TARGETS },
      pause_on: ["pending_customer", "pending_vendor"],
      ladder: [],
      line_targets: [],
    };
  return {
    name: p.name,
    rank: String(p.rank),
    active: p.active,
    calendar_id: String(p.calendar_id),
    organizations: p.applies_to.organizations,
    priorities: p.applies_to.priorities,
    channels: p.applies_to.channels,
    categories: p.applies_to.categories.join(", "),
    targets: { ...{ P1: NO_TARGETS, P2: NO_TARGETS, P3: NO_TARGETS, P4: NO_TARGETS }, ...p.targets },
    pause_on: p.pause_on,
    ladder: p.ladder,
    line_targets: p.line_targets.map((lt) => ({ ...lt, team_id: lt.team_id ?? null })),
  };
}

export const metricName = (m: SlaMetric) => at(`metric.${m}`);
const statusName = (s: Status) => at(`status.${s}`);

export function PoliciesScreen(props: { me: Me; rights: Rights }) {
  const policies = useList<SlaPolicy>("/api/v1/sla/policies");
  const calendars = useList<BusinessCalendar>("/api/v1/sla/calendars");
  const teams = useList<AdminTeam>("/api/v1/teams");
  const orgs = useList<AdminOrganization>("/api/v1/organizations");
  const editor = useEditor(policies);
  const canEdit = props.rights.sla;
  const calendarName = (id: number | null) => (id === null ? "" : (calendars.items?.find((c) => c.id === id)?.name ?? `#${id}`));
  return (
    <section class="admin-screen">
      <ScreenHeading>{at("policies.title")}</ScreenHeading>
      {!canEdit && <p class="hint">{at("sla.adminsOnly")}</p>}
      {canEdit && (
        <NewButton onClick={() => editor.open("new")} disabled={!calendars.items}>
          {at("policies.new")}
        </NewButton>
      )}
      {editor.isOpen && calendars.items && (
        <PolicyEditor
          key={editor.key}
          policy={editor.item}
          readOnly={!canEdit}
          calendars={calendars.items}
          teams={teams.items ?? []}
          orgs={orgs.items ?? []}
          onDone={editor.done}
        />
      )}
      <AdminTable
        items={policies.items && [...policies.items].sort((a, b) => a.rank - b.rank || a.id - b.id)}
        failed={policies.failed}
        caption={(count) => at("policies.count", { count })}
        columns={[at("policies.rank"), at("policies.name"), at("policies.calendar"), at("policies.p1"), at("common.state")]}
        cells={(p) => (
          <>
            <td>{p.rank}</td>
            <td>
              {p.name} <span class="muted">v{p.version}</span>
            </td>
            <td>{calendarName(p.calendar_id)}</td>
            <td>
              {formatMinutes(p.targets.P1?.first_response_minutes)} / {formatMinutes(p.targets.P1?.resolution_minutes)}
            </td>
            <td>{p.active ? at("common.active") : at("common.inactive")}</td>
          </>
        )}
        onEdit={editor.open}
        editLabel={(p) => (canEdit ? at("policies.editNamed", { name: p.name }) : at("common.viewNamed", { name: p.name }))}
        readOnly={!canEdit}
      />
    </section>
  );
}

function PolicyEditor(props: {
  policy: SlaPolicy | null;
  readOnly: boolean;
  calendars: BusinessCalendar[];
  teams: AdminTeam[];
  orgs: AdminOrganization[];
  onDone: () => Promise<void>;
}) {
  const { policy } = props;
  const [d, setD] = useState<Draft>(() => draftOf(policy, props.calendars));
  const saving = useSaving();
  const f = (n: string) => errorAt(saving.failure, n);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((o) => ({ ...o, [k]: v }));
  const setTarget = (p: Priority, patch: Partial<SlaTargets>) =>
    setD((o) => ({ ...o, targets: { ...o.targets, [p]: { ...o.targets[p], ...patch } } }));
  const setStep = (i: number, patch: Partial<LadderStep>) =>
    setD((o) => ({ ...o, ladder: o.ladder.map((s, j) => (j === i ? { ...s, ...patch } : s)) }));
  const setLineTarget = (i: number, patch: Partial<LineTarget>) =>
    setD((o) => ({ ...o, line_targets: o.line_targets.map((t, j) => (j === i ? { ...t, ...patch } : t)) }));
  const calendarOptions = props.calendars.map((c) => ({ value: String(c.id), label: c.name }));

  async function save() {
    const done = await saving.run(
      () => {
        const body = {
          name: d.name.trim(),
          rank: Number(d.rank),
          active: d.active,
          calendar_id: Number(d.calendar_id),
          applies_to: {
            organizations: d.organizations,
            priorities: d.priorities,
            channels: d.channels,
            categories: splitList(d.categories),
          },
          targets: d.targets,
          pause_on: d.pause_on,
          ladder: d.ladder,
          line_targets: d.line_targets,
        };
        return policy
          ? put<SlaPolicy>(`/api/v1/sla/policies/${policy.id}`, { ...body, version: policy.version })
          : post<SlaPolicy>("/api/v1/sla/policies", body);
      },
      (p) => at(policy ? "policies.saved" : "policies.created", { name: p.name, version: p.version }),
    );
    if (done) await props.onDone();
  }

  return (
    <EditorSection
      title={policy ? at("policies.editTitle", { name: policy.name, version: policy.version }) : at("policies.newTitle")}
      onSubmit={save}
      onCancel={() => void props.onDone()}
      failure={saving.failure}
      busy={saving.busy}
      readOnly={props.readOnly}
    >
      <div class="grid2">
        <TextField label={at("policies.name")} value={d.name} onInput={(v) => set("name", v)} error={f("name")} required />
        <TextField
          label={at("policies.rank")}
          type="number"
          value={d.rank}
          onInput={(v) => set("rank", v)}
          error={f("rank")}
          hint={at("policies.rankHint")}
        />
        <SelectField
          label={at("policies.calendar")}
          value={d.calendar_id}
          onChange={(v) => set("calendar_id", v)}
          options={calendarOptions}
          error={f("calendar_id")}
        />
        <div class="field">
          <Checkbox label={at("policies.activeLabel")} checked={d.active} onChange={(v) => set("active", v)} />
        </div>
      </div>

      <fieldset>
        <legend>{at("policies.appliesTo")}</legend>
        <p class="hint">{at("policies.appliesToHint")}</p>
        <CheckGroup
          legend={at("policies.organizations")}
          options={props.orgs.map((o) => ({ value: o.id, label: o.name }))}
          values={d.organizations}
          onChange={(v) => set("organizations", v)}
          error={f("applies_to.organizations")}
        />
        <CheckGroup
          legend={at("policies.priorities")}
          options={PRIORITIES.map((p) => ({ value: p, label: p }))}
          values={d.priorities}
          onChange={(v) => set("priorities", v)}
          error={f("applies_to.priorities")}
        />
        <CheckGroup
          legend={at("policies.channels")}
          options={CHANNELS.map((c) => ({ value: c as string, label: at(`channel.${c}`) }))}
          values={d.channels}
          onChange={(v) => set("channels", v)}
          error={f("applies_to.channels")}
        />
        <TextField
          label={at("policies.categories")}
          value={d.categories}
          onInput={(v) => set("categories", v)}
          hint={at("common.commaHint")}
          error={f("applies_to.categories")}
        />
        {f("applies_to") && <p class="error">{f("applies_to")}</p>}
      </fieldset>

      <fieldset>
        <legend>{at("policies.targets")}</legend>
        <p class="hint">{at("policies.targetsHint")}</p>
        <div class="table-wrap">
          <table class="admin-table targets">
            <thead>
              <tr>
                <th scope="col">{at("policies.priority")}</th>
                {TARGET_METRICS.map((m) => (
                  <th scope="col" key={m}>
                    {metricName(m)}
                  </th>
                ))}
                <th scope="col">{at("policies.calendar")}</th>
              </tr>
            </thead>
            <tbody>
              {PRIORITIES.map((p) => (
                <tr key={p}>
                  <th scope="row">{p}</th>
                  {TARGET_METRICS.map((m: TargetMetric) => (
                    <td key={m}>
                      <Duration
                        label={`${p} ${metricName(m)}`}
                        minutes={d.targets[p][`${m}_minutes`]}
                        onChange={(v) => setTarget(p, { [`${m}_minutes`]: v })}
                        error={f(`targets.${p}.${m}_minutes`)}
                      />
                    </td>
                  ))}
                  <td>
                    <select
                      aria-label={at("policies.calendarFor", { priority: p })}
                      value={d.targets[p].calendar_id === null ? "" : String(d.targets[p].calendar_id)}
                      onChange={(e) => setTarget(p, { calendar_id: e.currentTarget.value ? Number(e.currentTarget.value) : null })}
                    >
                      <option value="">{at("policies.policyCalendar")}</option>
                      {calendarOptions.map((o) => (
                        <option key={o.value} value={o.value}>
                          {o.label}
                        </option>
                      ))}
                    </select>
                    {f(`targets.${p}.calendar_id`) && <p class="error field-error">{f(`targets.${p}.calendar_id`)}</p>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {f("targets") && <p class="error">{f("targets")}</p>}
      </fieldset>

      <CheckGroup
        legend={at("policies.pauseOn")}
        hint={at("policies.pauseOnHint")}
        options={STATUSES.map((s) => ({ value: s, label: statusName(s) }))}
        values={d.pause_on}
        onChange={(v) => set("pause_on", v)}
        error={f("pause_on")}
      />

      <fieldset>
        <legend>{at("policies.ladder")}</legend>
        <p class="hint">{at("policies.ladderHint")}</p>
        {d.ladder.length === 0 && <p class="muted">{at("policies.noSteps")}</p>}
        <ol class="ladder">
          {d.ladder.map((s, i) => {
            const n = i + 1;
            return (
              <li key={i}>
                <fieldset>
                  <legend>{at("policies.step", { n })}</legend>
                  <div class="row">
                    <SelectField
                      label={at("policies.metric")}
                      value={s.metric}
                      onChange={(v) => setStep(i, { metric: v as SlaMetric })}
                      options={SLA_METRICS.map((m) => ({ value: m, label: metricName(m) }))}
                      error={f(`ladder[${i}].metric`)}
                    />
                    <TextField
                      label={at("policies.percent")}
                      type="number"
                      class="narrow"
                      value={String(s.percent)}
                      onInput={(v) => setStep(i, { percent: Number(v) })}
                      error={f(`ladder[${i}].percent`)}
                    />
                    <SelectField
                      label={at("policies.escalateTo")}
                      value={s.escalate_to_team_id === null ? "" : String(s.escalate_to_team_id)}
                      onChange={(v) => setStep(i, { escalate_to_team_id: v ? Number(v) : null })}
                      options={[
                        { value: "", label: at("policies.noEscalation") },
                        ...props.teams.map((t) => ({ value: String(t.id), label: `${t.name} (${at("line.short", { line: t.line })})` })),
                      ]}
                      error={f(`ladder[${i}].escalate_to_team_id`)}
                    />
                  </div>
                  <Checkbox label={at("policies.notifyAssignee")} checked={s.notify_assignee} onChange={(v) => setStep(i, { notify_assignee: v })} />
                  <Checkbox label={at("policies.notifySupervisor")} checked={s.notify_supervisor} onChange={(v) => setStep(i, { notify_supervisor: v })} />
                  <Checkbox label={at("policies.raisePriority")} checked={s.raise_priority} onChange={(v) => setStep(i, { raise_priority: v })} />
                  {f(`ladder[${i}]`) && !["metric", "percent", "escalate_to_team_id"].some((k) => f(`ladder[${i}].${k}`)) && (
                    <p class="error field-error">{f(`ladder[${i}]`)}</p>
                  )}
                  <button
                    type="button"
                    class="secondary"
                    onClick={() => set("ladder", d.ladder.filter((_, j) => j !== i))}
                  >
                    {at("policies.removeStep", { n })}
                  </button>
                </fieldset>
              </li>
            );
          })}
        </ol>
        <button
          type="button"
          class="secondary"
          onClick={() =>
            set("ladder", [
              ...d.ladder,
              { metric: "resolution", percent: 75, notify_assignee: true, notify_supervisor: false, raise_priority: false, escalate_to_team_id: null },
            ])
          }
        >
          {at("policies.addStep")}
        </button>
      </fieldset>

      <fieldset>
        <legend>{at("policies.lineTargets")}</legend>
        <p class="hint">{at("policies.lineTargetsHint")}</p>
        {d.line_targets.length === 0 && <p class="muted">{at("policies.noLineTargets")}</p>}
        <ol class="rows">
          {d.line_targets.map((lt, i) => {
            const n = i + 1;
            const e = (k: string) => f(`line_targets[${i}].${k}`);
            return (
              <li key={i}>
                <fieldset>
                  <legend>{at("policies.lineTargetN", { n })}</legend>
                  <div class="row">
                    <SelectField
                      label={at("policies.line")}
                      value={String(lt.line)}
                      onChange={(v) => setLineTarget(i, { line: Number(v), team_id: null })}
                      options={LINES.map((l) => ({ value: String(l), label: lineName(l) }))}
                      error={e("line")}
                    />
                    <SelectField
                      label={at("policies.lineTeam")}
                      value={lt.team_id === null ? "" : String(lt.team_id)}
                      onChange={(v) => setLineTarget(i, { team_id: v ? Number(v) : null })}
                      options={[
                        { value: "", label: at("policies.everyTeamAtLine") },
                        ...props.teams.filter((t) => t.line === lt.line).map((t) => ({ value: String(t.id), label: t.name })),
                      ]}
                      error={e("team_id")}
                    />
                  </div>
                  <div class="row">
                    <div class="field">
                      <span>{at("policies.respond")}</span>
                      <Duration
                        label={at("policies.respondN", { n })}
                        minutes={lt.respond_minutes}
                        onChange={(v) => setLineTarget(i, { respond_minutes: v })}
                        error={e("respond_minutes")}
                      />
                    </div>
                    <div class="field">
                      <span>{at("policies.resolve")}</span>
                      <Duration
                        label={at("policies.resolveN", { n })}
                        minutes={lt.resolve_minutes}
                        onChange={(v) => setLineTarget(i, { resolve_minutes: v })}
                        error={e("resolve_minutes")}
                      />
                    </div>
                  </div>
                  {f(`line_targets[${i}]`) && !["line", "team_id", "respond_minutes", "resolve_minutes"].some((k) => e(k)) && (
                    <p class="error field-error">{f(`line_targets[${i}]`)}</p>
                  )}
                  <button type="button" class="secondary" onClick={() => set("line_targets", d.line_targets.filter((_, j) => j !== i))}>
                    {at("policies.removeLineTarget", { n })}
                  </button>
                </fieldset>
              </li>
            );
          })}
        </ol>
        <button
          type="button"
          class="secondary"
          onClick={() => set("line_targets", [...d.line_targets, { line: 2, team_id: null, respond_minutes: 240, resolve_minutes: null }])}
        >
          {at("policies.addLineTarget")}
        </button>
        {f("line_targets") && !d.line_targets.length && <p class="error">{f("line_targets")}</p>}
      </fieldset>
    </EditorSection>
  );
}
