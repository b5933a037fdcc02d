// Organisations (GET/POST /organizations, PUT /organizations/{id}): name, mail domain, and
// whether its customers see all of the organisation's tickets. Admins only.
import { useState } from "preact/hooks";
import { post, put } from "../api/client";
import type { Me } from "../api/types";
import {
  AdminTable,
  at,
  Checkbox,
  EditorSection,
  errorAt,
  NewButton,
  type Rights,
  ScreenHeading,
  TextField,
  useEditor,
  useList,
  useSaving,
} from "./kit";
import type { AdminOrganization } from "./types";

export function OrganizationsScreen(_props: { me: Me; rights: Rights }) {
  const orgs = useList<AdminOrganization>("/api/v1/organizations");
  const editor = useEditor(orgs);
  return (
    <section class="admin-screen">
      <ScreenHeading>{at("orgs.title")}</ScreenHeading>
      <NewButton onClick={() => editor.open("new")}>{at("orgs.new")}</NewButton>
      {editor.isOpen && <OrganizationEditor key={editor.key} org={editor.item} onDone={editor.done} />}
      <AdminTable
        items={orgs.items}
        failed={orgs.failed}
        caption={(count) => at("orgs.count", { count })}
        columns={[at("orgs.name"), at("orgs.domain"), at("orgs.seeAll")]}
        cells={(o) => (
          <>
            <td>{o.name}</td>
            <td>{o.domain || <span class="muted">–</span>}</td>
            <td>{o.customers_see_all_tickets ? at("common.yes") : at("common.no")}</td>
          </>
        )}
        onEdit={editor.open}
        editLabel={(o) => at("orgs.editNamed", { name: o.name })}
      />
    </section>
  );
}

function OrganizationEditor(props: { org: AdminOrganization | null; onDone: () => Promise<void> }) {
  const { org } = props;
  const [name, setName] = useState(org?.name ?? "");
  const [domain, setDomain] = useState(org?.domain ?? "");
  const [seeAll, setSeeAll] = useState(org?.customers_see_all_tickets ?? false);
  const saving = useSaving();
  async function save() {
    const body = { name: name.trim(), domain: domain.trim(), customers_see_all_tickets: seeAll };
    const done = await saving.run(
      () =>
        org
          ? put<AdminOrganization>(`/api/v1/organizations/${org.id}`, body)
          : post<AdminOrganization>("/api/v1/organizations", body),
      (o) => at(org ? "orgs.saved" : "orgs.created", { name: o.name }),
    );
    if (done) await props.onDone();
  }
  return (
    <EditorSection
      title={org ? at("orgs.editTitle", { name: org.name }) : at("orgs.newTitle")}
      onSubmit={save}
      onCancel={() => void props.onDone()}
      failure={saving.failure}
      busy={saving.busy}
    >
      <div class="grid2">
        <TextField label={at("orgs.name")} value={name} onInput={setName} error={errorAt(saving.failure, "name")} required />
        <TextField
          label={at("orgs.domain")}
          value={domain}
          onInput={setDomain}
          error={errorAt(saving.failure, "domain")}
          hint={at("orgs.domainHint")}
          placeholder="example.com"
        />
      </div>
      <Checkbox label={at("orgs.seeAllLabel")} checked={seeAll} onChange={setSeeAll} />
    </EditorSection>
  );
}
