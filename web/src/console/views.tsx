// Saved views of the queue (GET/POST /api/v1/me/views, PUT/DELETE /me/views/{id}): the current
// filters saved under a name, listed, applied, renamed, overwritten with the current filters
// and deleted; supervisors and admins may share a view with the members of their teams
// (others' shared views are read-only).
import { useEffect, useState } from "preact/hooks";
import { api, ApiError, get, post, put } from "../api/client";
import type { Me } from "../api/types";
import { t, type Key } from "../i18n";
import { seesEverything } from "./directory";
import { fromViewQuery, toViewQuery, type QueueQuery } from "./queue_query";
import { toast } from "./toasts";

interface SavedView {
  id: number;
  owner_id: number;
  name: string;
  query: string;
  shared: boolean;
}

export function SavedViews(props: { me: Me; query: QueueQuery; onApply: (q: QueueQuery) => void }) {
  const { me } = props;
  const [views, setViews] = useState<SavedView[]>([]);
  const [chosen, setChosen] = useState<number | null>(null);
  const [name, setName] = useState("");
  const [shared, setShared] = useState(false);
  const [error, setError] = useState("");
  const [renaming, setRenaming] = useState<string | null>(null); // the new name while renaming
  const load = () => get<{ items: SavedView[] }>("/api/v1/me/views").then((r) => setViews(r.items), () => setViews([]));
  useEffect(() => void load(), []);
  const current = views.find((v) => v.id === chosen) ?? views[0] ?? null;

  async function save(e: Event) {
    e.preventDefault();
    if (!name.trim()) return setError(t("views.nameRequired"));
    setError("");
    try {
      const v = await post<SavedView>("/api/v1/me/views", { name: name.trim(), query: toViewQuery(props.query), shared });
      toast(t("views.saved", { name: v.name }));
      setName("");
      setShared(false);
      await load();
      setChosen(v.id);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  }

  // The owner's edits: the body replaces name, query and shared as a whole.
  async function change(v: SavedView, edit: Partial<Pick<SavedView, "name" | "query" | "shared">>, done: Key) {
    try {
      const saved = await put<SavedView>(`/api/v1/me/views/${v.id}`, {
        name: edit.name ?? v.name,
        query: edit.query ?? v.query,
        shared: edit.shared ?? v.shared,
      });
      toast(t(done, { name: saved.name }));
      setRenaming(null);
      setError("");
      await load();
      setChosen(saved.id);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  }

  function rename(e: Event) {
    e.preventDefault();
    if (!current || renaming === null) return;
    if (!renaming.trim()) return setError(t("views.nameRequired"));
    void change(current, { name: renaming.trim() }, "views.renamed");
  }

  async function remove() {
    if (!current) return;
    try {
      await api<void>("DELETE", `/api/v1/me/views/${current.id}`);
      toast(t("views.deleted", { name: current.name }));
      setChosen(null);
      await load();
    } catch (err) {
      toast(err instanceof ApiError ? err.message : String(err), true);
    }
  }

  return (
    <section class="saved-views" aria-labelledby="views-title">
      <h2 id="views-title" class="views-title">{t("views.title")}</h2>
      <div class="row">
        {views.length > 0 ? (
          <>
            <label for="views-list">{t("views.list")}</label>
            <select id="views-list" value={String(current?.id ?? "")} onChange={(e) => setChosen(Number(e.currentTarget.value))}>
              {views.map((v) => (
                <option key={v.id} value={String(v.id)}>
                  {v.name}
                  {v.shared ? ` (${t(v.owner_id === me.id ? "views.sharedMine" : "views.sharedOther")})` : ""}
                </option>
              ))}
            </select>
            <button type="button" class="secondary" onClick={() => current && props.onApply(fromViewQuery(current.query, me))}>
              {t("views.apply")}
            </button>
            {current && current.owner_id === me.id && (
              <>
                <button type="button" class="secondary" onClick={() => setRenaming(current.name)}>
                  {t("views.rename")}
                </button>
                <button type="button" class="secondary"
                  onClick={() => change(current, { query: toViewQuery(props.query) }, "views.updated")}>
                  {t("views.update")}
                </button>
                <button type="button" class="secondary" onClick={remove}>
                  {t("views.delete")}
                </button>
              </>
            )}
          </>
        ) : (
          <span class="muted">{t("views.none")}</span>
        )}
      </div>
      {renaming !== null && current && (
        <form class="row" onSubmit={rename}>
          <label for="views-rename">{t("views.newName", { name: current.name })}</label>
          <input id="views-rename" value={renaming} autoFocus onInput={(e) => setRenaming(e.currentTarget.value)}
            onKeyDown={(e) => e.key === "Escape" && setRenaming(null)} />
          <button type="submit" class="secondary">{t("views.renameSave")}</button>
          <button type="button" class="secondary" onClick={() => setRenaming(null)}>{t("views.cancel")}</button>
        </form>
      )}
      <form class="row" onSubmit={save}>
        <label for="views-name">{t("views.name")}</label>
        <input id="views-name" value={name} aria-invalid={error ? true : undefined} onInput={(e) => setName(e.currentTarget.value)} />
        {seesEverything(me) && (
          <label class="check">
            <input type="checkbox" checked={shared} onChange={(e) => setShared(e.currentTarget.checked)} />
            {t("views.share")}
          </label>
        )}
        <button type="submit" class="secondary">{t("views.save")}</button>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
    </section>
  );
}
