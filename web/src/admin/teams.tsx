// Teams (GET/POST /teams, PUT /teams/{id}, PUT /teams/{id}/routing): name, line (1-4, fixed:
// service desk, desktop support, network and infrastructure, vendors), kind, the organisations
// an outsourced desk or vendor serves, how new tickets are assigned, and the members (users
// whose team_ids name the team). Admins edit teams; supervisors set the routing.
import { useState } from "preact/hooks";
import { post, put } from "../api/client";
import type { Me } from "../api/types";
import {
  AdminTable,
  at,
  Checkbox,
  CheckGroup,
  EditorSection,
  errorAt,
  NewButton,
  type Rights,
  ScreenHeading,
  SelectField,
  TextField,
  useEditor,
  useList,
  useSaving,
} from "./kit";
import {
  ASSIGNMENT_MODES,
  LINES,
  TEAM_KINDS,
  type AdminOrganization,
  type AdminTeam,
  type AdminUser,
  type AssignmentMode,
  type TeamKind,
} from "./types";

export const lineName = (line: number) => at(`line.${line as 1 | 2 | 3 | 4}`);

export function TeamsScreen(props: { me: Me; rights: Rights }) {
  const { rights } = props;
  const teams = useList<AdminTeam>("/api/v1/teams");
  const users = useList<AdminUser>("/api/v1/users");
  const orgs = useList<AdminOrganization>("/api/v1/organizations");
  const editor = useEditor(teams);
  const members = (id: number) => (users.items ?? []).filter((u) => (u.team_ids ?? []).includes(id));

  return (
    <section class="admin-screen">
      <ScreenHeading>{at("teams.title")}</ScreenHeading>
      <p class="hint">{at("teams.linesHint")}</p>
      {rights.directory && <NewButton onClick={() => editor.open("new")}>{at("teams.new")}</NewButton>}
      {editor.isOpen && (
        <TeamEditor
          key={editor.key}
          team={editor.item}
          rights={rights}
          orgs={orgs.items ?? []}
          members={editor.item ? members(editor.item.id) : []}
          onDone={editor.done}
        />
      )}
      <AdminTable
        items={teams.items && [...teams.items].sort((a, b) => a.line - b.line || a.name.localeCompare(b.name))}
        failed={teams.failed}
        caption={(count) => at("teams.count", { count })}
        columns={[at("teams.name"), at("teams.line"), at("teams.kind"), at("teams.routing"), at("teams.members")]}
        cells={(t) => (
          <>
            <td>{t.name}</td>
            <td>{lineName(t.line)}</td>
            <td>{at(`kind.${t.kind}`)}</td>
            <td>
              {at(`assignment.${t.assignment ?? "manual"}`)}
              {t.skill_routing ? ` · ${at("teams.skillRoutingShort")}` : ""}
            </td>
            <td>{members(t.id).map((u) => u.name).join(", ") || <span class="muted">{at("common.none")}</span>}</td>
          </>
        )}
        onEdit={editor.open}
        editLabel={(t) => at(rights.directory ? "teams.editNamed" : "teams.routingNamed", { name: t.name })}
        editText={rights.directory ? at("common.edit") : at("teams.routingButton")}
      />
    </section>
  );
}

function TeamEditor(props: {
  team: AdminTeam | null;
  rights: Rights;
  orgs: AdminOrganization[];
  members: AdminUser[];
  onDone: () => Promise<void>;
}) {
  const { team, rights } = props;
  const [name, setName] = useState(team?.name ?? "");
  const [line, setLine] = useState(String(team?.line ?? 1));
  const [kind, setKind] = useState<TeamKind>(team?.kind ?? "internal");
  const [served, setServed] = useState<number[]>(team?.organization_ids ?? []);
  const [assignment, setAssignment] = useState<AssignmentMode>(team?.assignment ?? "manual");
  const [skillRouting, setSkillRouting] = useState(team?.skill_routing ?? false);
  const saving = useSaving();
  const f = (n: string) => errorAt(saving.failure, n);
  const routingChanged = assignment !== (team?.assignment ?? "manual") || skillRouting !== (team?.skill_routing ?? false);

  async function save() {
    const done = await saving.run(
      async () => {
        let saved = team;
        if (rights.directory) {
          const body = { name: name.trim(), line: Number(line), kind, organization_ids: served };
          saved = team ? await put<AdminTeam>(`/api/v1/teams/${team.id}`, body) : await post<AdminTeam>("/api/v1/teams", body);
        }
        if (saved && (routingChanged || !team))
          saved = await put<AdminTeam>(`/api/v1/teams/${saved.id}/routing`, { assignment, skill_routing: skillRouting });
        return saved!;
      },
      (t) => at(team ? "teams.saved" : "teams.created", { name: t.name }),
    );
    if (done) await props.onDone();
  }

  return (
    <EditorSection
      title={team ? at("teams.editTitle", { name: team.name }) : at("teams.newTitle")}
      onSubmit={save}
      onCancel={() => void props.onDone()}
      failure={saving.failure}
      busy={saving.busy}
    >
      <fieldset class="plain" disabled={!rights.directory}>
        <legend class="visually-hidden">{at("teams.team")}</legend>
        <div class="grid2">
          <TextField label={at("teams.name")} value={name} onInput={setName} error={f("name")} required />
          <SelectField
            label={at("teams.line")}
            value={line}
            onChange={setLine}
            options={LINES.map((l) => ({ value: String(l), label: lineName(l) }))}
            error={f("line")}
          />
          <SelectField
            label={at("teams.kind")}
            value={kind}
            onChange={(v) => setKind(v as TeamKind)}
            options={TEAM_KINDS.map((k) => ({ value: k, label: at(`kind.${k}`) }))}
            error={f("kind")}
            hint={at("teams.kindHint")}
          />
        </div>
        {kind !== "internal" && (
          <CheckGroup
            legend={at("teams.served")}
            options={props.orgs.map((o) => ({ value: o.id, label: o.name }))}
            values={served}
            onChange={setServed}
            error={f("organization_ids")}
          />
        )}
      </fieldset>
      <fieldset>
        <legend>{at("teams.routing")}</legend>
        <SelectField
          label={at("teams.assignment")}
          value={assignment}
          onChange={(v) => setAssignment(v as AssignmentMode)}
          options={ASSIGNMENT_MODES.map((m) => ({ value: m, label: at(`assignment.${m}`) }))}
          error={f("assignment")}
          hint={at(`assignment.${assignment}.hint`)}
        />
        <Checkbox label={at("teams.skillRouting")} checked={skillRouting} onChange={setSkillRouting} />
      </fieldset>
      {team && (
        <div class="field">
          <h3 class="small">{at("teams.members")}</h3>
          {props.members.length ? (
            <ul class="members">
              {props.members.map((u) => (
                <li key={u.id}>
                  {u.name} <span class="muted">({u.login})</span>
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">{at("teams.noMembers")}</p>
          )}
        </div>
      )}
    </EditorSection>
  );
}
