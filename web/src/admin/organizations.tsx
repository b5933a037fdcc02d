// Organisations (GET/POST /organizations, PUT /organizations/{id}): name, mail domain, and
// whether its customers see all of the organisation's tickets. Admins only.
import { useState } from "preact/hooks";
import { post, put } from "../api/client";
import type { Me } from "../api/types";
import {
  at,
  Checkbox,
  EditorSection,
  errorAt,
  Loading,
  type Rights,
  ScreenHeading,
  TextField,
  useList,
  useSaving,
} from "./kit";
import type { AdminOrganization } from "./types";

export function OrganizationsScreen(_props: { me: Me; rights: Rights }) {
  const orgs = useList<AdminOrganization>("/api/v1/organizations");
  const [editing, setEditing] = useState<AdminOrganization | "new" | null>(null);
  return (
    <section class="admin-screen">
      <ScreenHeading>{at("orgs.title")}</ScreenHeading>
      <p>
        <button type="button" class="primary" onClick={() => setEditing("new")}>
          {at("orgs.new")}
        </button>
      </p>
      {editing && (
        <OrganizationEditor
          key={editing === "new" ? "new" : editing.id}
          org={editing === "new" ? null : editing}
          onDone={async () => {
            setEditing(null);
            await orgs.reload();
          }}
        />
      )}
      {orgs.items === null ? (
        <Loading failed={orgs.failed} />
      ) : (
        <div class="table-wrap">
          <table class="admin-table">
            <caption>{at("orgs.count", { count: orgs.items.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{at("orgs.name")}</th>
                <th scope="col">{at("orgs.domain")}</th>
                <th scope="col">{at("orgs.seeAll")}</th>
                <th scope="col">{at("common.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {orgs.items.map((o) => (
                <tr key={o.id}>
                  <td>{o.name}</td>
                  <td>{o.domain || <span class="muted">–</span>}</td>
                  <td>{o.customers_see_all_tickets ? at("common.yes") : at("common.no")}</td>
                  <td class="actions">
                    <button
                      type="button"
                      class="secondary"
                      aria-label={at("orgs.editNamed", { name: o.name })}
                      onClick={() => setEditing(o)}
                    >
                      {at("common.edit")}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
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
