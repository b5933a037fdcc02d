// Macros (GET /macros?all=true, POST /macros, PUT /macros/{id} with the version read): name,
// who sees it (every team or one), a reply or internal note with placeholders, and the field
// changes it makes (status, tags, impact and urgency, assign to the agent); `active` false
// switches it off. Supervisors and admins.
import { useRef, useState } from "preact/hooks";
import { post, put } from "../api/client";
import type { Me } from "../api/types";
import {
  ActiveBadge,
  AdminTable,
  at,
  Checkbox,
  EditorSection,
  errorAt,
  NewButton,
  type Rights,
  ScreenHeading,
  SelectField,
  splitList,
  TextField,
  useEditor,
  useId,
  useList,
  useSaving,
} from "./kit";
import { type AdminMacro, type AdminTeam, MACRO_PLACEHOLDERS, type Status, STATUSES } from "./types";

export function MacrosScreen(_props: { me: Me; rights: Rights }) {
  const macros = useList<AdminMacro>("/api/v1/macros?all=true");
  const teams = useList<AdminTeam>("/api/v1/teams");
  const editor = useEditor(macros);
  const teamName = (id: number | null) =>
    id === null ? at("macros.everyTeam") : (teams.items?.find((t) => t.id === id)?.name ?? `#${id}`);
  return (
    <section class="admin-screen">
      <ScreenHeading>{at("macros.title")}</ScreenHeading>
      <NewButton onClick={() => editor.open("new")}>{at("macros.new")}</NewButton>
      {editor.isOpen && <MacroEditor key={editor.key} macro={editor.item} teams={teams.items ?? []} onDone={editor.done} />}
      <AdminTable
        items={macros.items}
        failed={macros.failed}
        caption={(count) => at("macros.count", { count })}
        columns={[at("macros.name"), at("macros.visibility"), at("macros.kind"), at("macros.changes"), at("common.state")]}
        cells={(m) => (
          <>
            <td>{m.name}</td>
            <td>{teamName(m.team_id)}</td>
            <td>{at(`macros.kind.${m.entry_kind}`)}</td>
            <td>
              {[
                m.status ? at(`status.${m.status}`) : "",
                ...(m.add_tags ?? []).map((t) => `#${t}`),
                m.assign_to_me ? at("macros.assignToMeShort") : "",
              ]
                .filter(Boolean)
                .join(", ")}
            </td>
            <td>
              <ActiveBadge active={m.active} />
            </td>
          </>
        )}
        onEdit={editor.open}
        editLabel={(m) => at("macros.editNamed", { name: m.name })}
      />
    </section>
  );
}

function MacroEditor(props: { macro: AdminMacro | null; teams: AdminTeam[]; onDone: () => Promise<void> }) {
  const { macro } = props;
  const [name, setName] = useState(macro?.name ?? "");
  const [teamId, setTeamId] = useState(macro?.team_id ? String(macro.team_id) : "");
  const [kind, setKind] = useState<"reply" | "note">(macro?.entry_kind ?? "reply");
  const [text, setText] = useState(macro?.text ?? "");
  const [status, setStatus] = useState(macro?.status ?? "");
  const [tags, setTags] = useState((macro?.add_tags ?? []).join(", "));
  const [impact, setImpact] = useState(macro?.impact ? String(macro.impact) : "");
  const [urgency, setUrgency] = useState(macro?.urgency ? String(macro.urgency) : "");
  const [assignToMe, setAssignToMe] = useState(macro?.assign_to_me ?? false);
  const [active, setActive] = useState(macro?.active ?? true);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const textId = useId("macro-text");
  const saving = useSaving();
  const f = (n: string) => errorAt(saving.failure, n);
  const levels = [{ value: "", label: at("macros.noChange") }, ...["1", "2", "3"].map((v) => ({ value: v, label: at(`level.${v as "1" | "2" | "3"}`) }))];

  function insert(placeholder: string) {
    const area = textRef.current;
    const start = area?.selectionStart ?? text.length;
    const end = area?.selectionEnd ?? text.length;
    setText(text.slice(0, start) + placeholder + text.slice(end));
    requestAnimationFrame(() => {
      area?.focus();
      area?.setSelectionRange(start + placeholder.length, start + placeholder.length);
    });
  }

  async function save() {
    const body: Record<string, unknown> = {
      name: name.trim(),
      team_id: teamId ? Number(teamId) : null,
      entry_kind: kind,
      text,
      status: status || null,
      add_tags: splitList(tags),
      assign_to_me: assignToMe,
      active,
    };
    // Empty: no change to the ticket's level; null clears a level the macro had.
    if (impact || macro) body.impact = impact ? Number(impact) : null;
    if (urgency || macro) body.urgency = urgency ? Number(urgency) : null;
    const done = await saving.run(
      () => (macro ? put<AdminMacro>(`/api/v1/macros/${macro.id}`, { ...body, version: macro.version }) : post<AdminMacro>("/api/v1/macros", body)),
      (m) => at(macro ? "macros.saved" : "macros.created", { name: m.name }),
    );
    if (done) await props.onDone();
  }

  return (
    <EditorSection
      title={macro ? at("macros.editTitle", { name: macro.name }) : at("macros.newTitle")}
      onSubmit={save}
      onCancel={() => void props.onDone()}
      failure={saving.failure}
      busy={saving.busy}
    >
      <div class="grid2">
        <TextField label={at("macros.name")} value={name} onInput={setName} error={f("name")} required />
        <SelectField
          label={at("macros.visibility")}
          value={teamId}
          onChange={setTeamId}
          options={[{ value: "", label: at("macros.everyTeam") }, ...props.teams.map((t) => ({ value: String(t.id), label: t.name }))]}
          error={f("team_id")}
          hint={at("macros.visibilityHint")}
        />
      </div>
      <fieldset>
        <legend>{at("macros.kind")}</legend>
        <label class="check">
          <input type="radio" name="macro-kind" checked={kind === "reply"} onChange={() => setKind("reply")} />
          {at("macros.kind.reply")}
        </label>
        <label class="check">
          <input type="radio" name="macro-kind" checked={kind === "note"} onChange={() => setKind("note")} />
          {at("macros.kind.note")}
        </label>
      </fieldset>
      <div class="field">
        <label for={textId}>{at("macros.text")}</label>
        <textarea
          id={textId}
          ref={textRef}
          rows={6}
          class={kind === "note" ? "note" : undefined}
          value={text}
          aria-invalid={f("text") ? true : undefined}
          aria-describedby={`${textId}-hint${f("text") ? ` ${textId}-err` : ""}`}
          onInput={(e) => setText(e.currentTarget.value)}
        />
        <p id={`${textId}-hint`} class="hint">
          {at("macros.placeholdersHint")}
        </p>
        <div class="row placeholders" role="group" aria-label={at("macros.insertPlaceholder")}>
          {MACRO_PLACEHOLDERS.map((p) => (
            <button key={p} type="button" class="secondary small" onClick={() => insert(p)}>
              {p}
            </button>
          ))}
        </div>
        {f("text") && (
          <p id={`${textId}-err`} class="error field-error">
            {f("text")}
          </p>
        )}
      </div>
      <fieldset>
        <legend>{at("macros.changes")}</legend>
        <div class="grid2">
          <SelectField
            label={at("macros.status")}
            value={status}
            onChange={setStatus}
            options={[{ value: "", label: at("macros.noChange") }, ...STATUSES.map((s: Status) => ({ value: s, label: at(`status.${s}`) }))]}
            error={f("status")}
          />
          <TextField label={at("macros.addTags")} value={tags} onInput={setTags} hint={at("common.commaHint")} error={f("add_tags")} />
          <SelectField label={at("macros.impact")} value={impact} onChange={setImpact} options={levels} error={f("impact")} />
          <SelectField label={at("macros.urgency")} value={urgency} onChange={setUrgency} options={levels} error={f("urgency")} />
        </div>
        <Checkbox label={at("macros.assignToMe")} checked={assignToMe} onChange={setAssignToMe} />
      </fieldset>
      <Checkbox label={at("macros.activeLabel")} checked={active} onChange={setActive} />
    </EditorSection>
  );
}
