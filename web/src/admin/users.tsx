// Users (GET/POST /users, PUT /users/{id}, PUT /users/{id}/skills): the list with role, team,
// organisation and active filters; create with an initial password; edit; deactivate and
// reactivate; an agent's skills; a new password set by an admin (PUT /users/{id} with
// `password`). Admins change everything; supervisors read and set agents' skills.
import { useMemo, useState } from "preact/hooks";
import { post, put } from "../api/client";
import type { Me } from "../api/types";
import {
  ActiveBadge,
  AdminTable,
  at,
  CheckGroup,
  EditorSection,
  errorAt,
  FailureSummary,
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
import { type AdminOrganization, type AdminTeam, type AdminUser, ROLES, type Role } from "./types";

interface Draft {
  login: string;
  name: string;
  email: string;
  role: Role;
  language: "de" | "en";
  organization_id: string;
  team_ids: number[];
  phone: string;
  extension: string;
  password: string;
  active: boolean;
}

const EMPTY: Draft = {
  login: "",
  name: "",
  email: "",
  role: "agent",
  language: "de",
  organization_id: "",
  team_ids: [],
  phone: "",
  extension: "",
  password: "",
  active: true,
};

function draftOf(u: AdminUser): Draft {
  return {
    login: u.login,
    name: u.name,
    email: u.email,
    role: u.role,
    language: u.language,
    organization_id: u.organization_id === null ? "" : String(u.organization_id),
    team_ids: u.team_ids ?? [],
    phone: u.phone ?? "",
    extension: u.extension ?? "",
    password: "",
    active: u.active,
  };
}

export const roleLabel = (r: Role) => at(`role.${r}`);

export function UsersScreen(props: { me: Me; rights: Rights }) {
  const { rights } = props;
  const users = useList<AdminUser>("/api/v1/users");
  const teams = useList<AdminTeam>("/api/v1/teams");
  const orgs = useList<AdminOrganization>("/api/v1/organizations");
  const [role, setRole] = useState("");
  const [team, setTeam] = useState("");
  const [org, setOrg] = useState("");
  const [active, setActive] = useState("active");
  const editor = useEditor(users);
  const saving = useSaving();

  const teamName = (id: number) => teams.items?.find((t) => t.id === id)?.name ?? `#${id}`;
  const orgName = (id: number | null) => (id === null ? "" : (orgs.items?.find((o) => o.id === id)?.name ?? `#${id}`));

  const shown = useMemo(
    () =>
      (users.items ?? []).filter(
        (u) =>
          (!role || u.role === role) &&
          (!team || (u.team_ids ?? []).includes(Number(team))) &&
          (!org || String(u.organization_id ?? "none") === org) &&
          (active === "" || u.active === (active === "active")),
      ),
    [users.items, role, team, org, active],
  );

  async function setActiveOf(u: AdminUser, on: boolean) {
    const done = await saving.run(
      () => put<AdminUser>(`/api/v1/users/${u.id}`, { active: on }),
      (r) => at(on ? "users.reactivated" : "users.deactivated", { name: r.name }),
    );
    if (done) await users.reload();
  }

  return (
    <section class="admin-screen">
      <ScreenHeading>{at("users.title")}</ScreenHeading>
      <div class="filters" role="search" aria-label={at("users.filters")}>
        <SelectField
          label={at("users.role")}
          value={role}
          onChange={setRole}
          options={[{ value: "", label: at("common.all") }, ...ROLES.map((r) => ({ value: r, label: roleLabel(r) }))]}
        />
        <SelectField
          label={at("users.team")}
          value={team}
          onChange={setTeam}
          options={[{ value: "", label: at("common.all") }, ...(teams.items ?? []).map((t) => ({ value: String(t.id), label: t.name }))]}
        />
        <SelectField
          label={at("users.organization")}
          value={org}
          onChange={setOrg}
          options={[
            { value: "", label: at("common.all") },
            { value: "none", label: at("common.noneOption") },
            ...(orgs.items ?? []).map((o) => ({ value: String(o.id), label: o.name })),
          ]}
        />
        <SelectField
          label={at("users.state")}
          value={active}
          onChange={setActive}
          options={[
            { value: "", label: at("common.all") },
            { value: "active", label: at("common.active") },
            { value: "inactive", label: at("common.inactive") },
          ]}
        />
      </div>
      {rights.directory && <NewButton onClick={() => editor.open("new")}>{at("users.new")}</NewButton>}
      {!editor.isOpen && <FailureSummary failure={saving.failure} />}
      {editor.isOpen && (
        <UserEditor
          key={editor.key}
          user={editor.item}
          rights={rights}
          teams={teams.items ?? []}
          orgs={orgs.items ?? []}
          onDone={editor.done}
        />
      )}
      <AdminTable
        items={users.items && shown}
        failed={users.failed}
        caption={(count) => at("users.count", { count })}
        columns={[at("users.login"), at("users.name"), at("users.role"), at("users.teams"), at("users.organization"), at("users.state")]}
        cells={(u) => (
          <>
            <td>{u.login}</td>
            <td>
              {u.name}
              <br />
              <span class="muted">{u.email}</span>
            </td>
            <td>{roleLabel(u.role)}</td>
            <td>{(u.team_ids ?? []).map(teamName).join(", ")}</td>
            <td>{orgName(u.organization_id)}</td>
            <td>
              <ActiveBadge active={u.active} />
            </td>
          </>
        )}
        onEdit={editor.open}
        editLabel={(u) => (rights.directory ? at("users.editNamed", { name: u.login }) : at("common.viewNamed", { name: u.login }))}
        readOnly={!rights.directory}
        moreActions={(u) =>
          rights.directory &&
          u.id !== props.me.id && (
            <button
              type="button"
              class="secondary"
              aria-label={at(u.active ? "users.deactivateNamed" : "users.reactivateNamed", { name: u.login })}
              onClick={() => setActiveOf(u, !u.active)}
            >
              {at(u.active ? "users.deactivate" : "users.reactivate")}
            </button>
          )
        }
      />
    </section>
  );
}

function UserEditor(props: {
  user: AdminUser | null;
  rights: Rights;
  teams: AdminTeam[];
  orgs: AdminOrganization[];
  onDone: () => Promise<void>;
}) {
  const { user, rights } = props;
  const [d, setD] = useState<Draft>(user ? draftOf(user) : EMPTY);
  const saving = useSaving();
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((old) => ({ ...old, [k]: v }));
  const f = (name: string) => errorAt(saving.failure, name);
  const staff = d.role !== "customer";

  async function save() {
    const body: Record<string, unknown> = {
      name: d.name.trim(),
      email: d.email.trim(),
      role: d.role,
      language: d.language,
      team_ids: staff ? d.team_ids : [],
      phone: d.phone.trim(),
    };
    if (staff) body.extension = d.extension.trim();
    else if (user?.extension) body.extension = "";
    if (user) {
      body.organization_id = d.organization_id ? Number(d.organization_id) : null;
      body.active = d.active;
    } else {
      body.login = d.login.trim();
      if (d.organization_id) body.organization_id = Number(d.organization_id);
      if (d.password) body.password = d.password;
      if (!body.email) delete body.email;
      if (!body.phone) delete body.phone;
      if (!body.extension) delete body.extension;
    }
    const done = await saving.run(
      () => (user ? put<AdminUser>(`/api/v1/users/${user.id}`, body) : post<AdminUser>("/api/v1/users", body)),
      (u) => at(user ? "users.saved" : "users.created", { name: u.login }),
    );
    if (done) await props.onDone();
  }

  return (
    <>
      <EditorSection
        title={user ? at("users.editTitle", { name: user.login }) : at("users.newTitle")}
        onSubmit={save}
        onCancel={() => void props.onDone()}
        failure={saving.failure}
        busy={saving.busy}
        readOnly={!rights.directory}
      >
        <div class="grid2">
          {!user && (
            <TextField label={at("users.login")} value={d.login} onInput={(v) => set("login", v)} error={f("login")} required />
          )}
          <TextField label={at("users.name")} value={d.name} onInput={(v) => set("name", v)} error={f("name")} required />
          <TextField label={at("users.email")} type="email" value={d.email} onInput={(v) => set("email", v)} error={f("email")} />
          <SelectField
            label={at("users.role")}
            value={d.role}
            onChange={(v) => set("role", v as Role)}
            options={ROLES.map((r) => ({ value: r, label: roleLabel(r) }))}
            error={f("role")}
          />
          <SelectField
            label={at("users.language")}
            value={d.language}
            onChange={(v) => set("language", v as "de" | "en")}
            options={[
              { value: "de", label: "Deutsch" },
              { value: "en", label: "English" },
            ]}
            error={f("language")}
          />
          <SelectField
            label={at("users.organization")}
            value={d.organization_id}
            onChange={(v) => set("organization_id", v)}
            options={[{ value: "", label: at("common.noneOption") }, ...props.orgs.map((o) => ({ value: String(o.id), label: o.name }))]}
            error={f("organization_id")}
          />
          <TextField
            label={at("users.phone")}
            type="tel"
            value={d.phone}
            onInput={(v) => set("phone", v)}
            error={f("phone")}
            hint={at("users.phoneHint")}
          />
          {staff && (
            <TextField
              label={at("users.extension")}
              inputMode="numeric"
              value={d.extension}
              onInput={(v) => set("extension", v)}
              error={f("extension")}
            />
          )}
          {!user && (
            <TextField
              label={at("users.initialPassword")}
              type="password"
              autocomplete="new-password"
              value={d.password}
              onInput={(v) => set("password", v)}
              error={f("password")}
              hint={at("users.passwordHint")}
            />
          )}
        </div>
        {staff && (
          <CheckGroup
            legend={at("users.teams")}
            options={props.teams.map((t) => ({ value: t.id, label: `${t.name} (${at("line.short", { line: t.line })})` }))}
            values={d.team_ids}
            onChange={(v) => set("team_ids", v)}
            error={f("team_ids")}
            hint={d.role === "agent" ? at("users.teamsHint") : undefined}
          />
        )}
        {user && (
          <CheckGroup
            legend={at("users.state")}
            options={[{ value: "active", label: at("users.activeLabel") }]}
            values={d.active ? ["active"] : []}
            onChange={(v) => set("active", v.includes("active"))}
            error={f("active")}
            hint={at("users.activeHint")}
          />
        )}
      </EditorSection>
      {user && user.role !== "customer" && rights.skills && <SkillsForm user={user} onDone={props.onDone} />}
      {user && rights.directory && <PasswordForm user={user} />}
    </>
  );
}

function SkillsForm(props: { user: AdminUser; onDone: () => Promise<void> }) {
  const [skills, setSkills] = useState((props.user.skills ?? []).join(", "));
  const saving = useSaving();
  async function save(e: Event) {
    e.preventDefault();
    const done = await saving.run(
      () => put<AdminUser>(`/api/v1/users/${props.user.id}/skills`, { skills: splitList(skills) }),
      (u) => at("users.skillsSaved", { name: u.login }),
    );
    if (done) setSkills((done.skills ?? []).join(", "));
  }
  return (
    <section class="admin-editor sub" aria-labelledby="skills-title">
      <h3 id="skills-title">{at("users.skills")}</h3>
      <form onSubmit={save} noValidate>
        <TextField
          label={at("users.skillsField")}
          value={skills}
          onInput={setSkills}
          hint={at("users.skillsHint")}
          error={errorAt(saving.failure, "skills")}
        />
        <FailureSummary failure={saving.failure} />
        <button type="submit" class="secondary" disabled={saving.busy}>
          {at("users.saveSkills")}
        </button>
      </form>
    </section>
  );
}

// Needs the server's `password` field on PUT /users/{id}. A server from before it ignores the
// unknown field and answers 200 (the answer cannot tell), so this form reports success there.
function PasswordForm(props: { user: AdminUser }) {
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const saving = useSaving();
  async function save(e: Event) {
    e.preventDefault();
    if (password !== repeat) {
      saving.setFailure({ fields: { repeat: at("users.passwordsDiffer") }, message: "" });
      return;
    }
    const done = await saving.run(
      () => put<AdminUser>(`/api/v1/users/${props.user.id}`, { password }),
      (u) => at("users.passwordSet", { name: u.login }),
    );
    if (done) {
      setPassword("");
      setRepeat("");
    }
  }
  return (
    <section class="admin-editor sub" aria-labelledby="password-title">
      <h3 id="password-title">{at("users.setPassword")}</h3>
      <p class="hint">{at("users.passwordResetHint")}</p>
      <form onSubmit={save} noValidate>
        <div class="grid2">
          <TextField
            label={at("users.newPassword")}
            type="password"
            autocomplete="new-password"
            value={password}
            onInput={setPassword}
            error={errorAt(saving.failure, "password")}
            hint={at("users.passwordHint")}
          />
          <TextField
            label={at("users.repeatPassword")}
            type="password"
            autocomplete="new-password"
            value={repeat}
            onInput={setRepeat}
            error={errorAt(saving.failure, "repeat")}
          />
        </div>
        <FailureSummary failure={saving.failure} />
        <button type="submit" class="secondary" disabled={saving.busy || !password}>
          {at("users.setPassword")}
        </button>
      </form>
    </section>
  );
}
