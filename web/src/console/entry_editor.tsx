// Writing on a ticket: a public reply or an internal note with files, a macro applied in one
// step, and knowledge-base search that inserts an article's link (Markdown) where the cursor is.
import { useEffect, useState } from "preact/hooks";
import { ApiError, get, path, post } from "../api/client";
import { AttachmentPicker, uploadAll, type ListTexts, type PickerTexts } from "../attachments";
import type { ArticleHit, Entry, Macro, Ticket } from "../api/types";
import { t } from "../i18n";
import { toast } from "./toasts";

export type EntryKind = "reply" | "note";

export function pickerTexts(): PickerTexts {
  return {
    attach: t("attach.files"),
    chosen: t("attach.chosen"),
    remove: (name) => t("attach.remove", { name }),
    tooMany: t("attach.tooMany"),
  };
}

export function listTexts(): ListTexts {
  return {
    files: t("attach.list"),
    download: (name) => t("attach.download", { name }),
    failed: (detail) => t("attach.failed", { detail }),
  };
}

// Where a reader opens an article (the portal's article page).
export function articleLink(hit: ArticleHit): string {
  return `[${hit.title.replace(/[[\]]/g, "")}](${location.origin}/portal/kb/${hit.id})`;
}

function insertAt(area: HTMLTextAreaElement, text: string): string {
  const start = area.selectionStart ?? area.value.length;
  const end = area.selectionEnd ?? start;
  const before = area.value.slice(0, start);
  const glue = before && !/\s$/.test(before) ? " " : "";
  return before + glue + text + area.value.slice(end);
}

function MacroPicker(props: { ticket: Ticket; onApplied: () => void }) {
  const [macros, setMacros] = useState<Macro[]>([]);
  const [chosen, setChosen] = useState("");
  useEffect(() => {
    get<{ items: Macro[] }>("/api/v1/macros").then((r) => setMacros(r.items.filter((m) => m.active)), () => setMacros([]));
  }, []);
  if (macros.length === 0) return null;
  async function apply(e: Event) {
    e.preventDefault();
    if (!chosen) return;
    try {
      await post(`/api/v1/tickets/${props.ticket.id}/macros/${chosen}`);
      toast(t("macro.applied", { name: macros.find((m) => String(m.id) === chosen)?.name ?? "" }));
      setChosen("");
      props.onApplied();
    } catch (err) {
      toast(t("error.generic", { detail: (err as Error).message }), true);
    }
  }
  return (
    <form class="macro" onSubmit={apply}>
      <label for="macro-choice">{t("macro.label")}</label>
      <span class="row">
        <select id="macro-choice" value={chosen} onChange={(e) => setChosen(e.currentTarget.value)}>
          <option value="">{t("macro.none")}</option>
          {macros.map((m) => (
            <option key={m.id} value={String(m.id)}>
              {m.name}
            </option>
          ))}
        </select>
        <button type="submit" class="secondary" disabled={!chosen}>
          {t("macro.apply")}
        </button>
      </span>
    </form>
  );
}

function KbSearch(props: { onInsert: (hit: ArticleHit) => void; input: { current: HTMLInputElement | null } }) {
  const [q, setQ] = useState("");
  const [hits, setHits] = useState<ArticleHit[] | null>(null);
  async function search(e: Event) {
    e.preventDefault();
    try {
      setHits((await get<{ items: ArticleHit[] }>(path("/api/v1/kb/search", { q: q.trim(), limit: 5 }))).items);
    } catch (err) {
      toast(t("error.generic", { detail: (err as Error).message }), true);
    }
  }
  return (
    <div class="kb">
      <form role="search" onSubmit={search}>
        <label for="kb-q">{t("kb.search")}</label>
        <span class="row">
          <input id="kb-q" ref={props.input} value={q} onInput={(e) => setQ(e.currentTarget.value)} />
          <button type="submit" class="secondary">{t("kb.go")}</button>
        </span>
      </form>
      {hits && hits.length === 0 && <p class="empty">{t("kb.none")}</p>}
      {hits && hits.length > 0 && (
        <ul class="kb-hits" aria-label={t("kb.results")}>
          {hits.map((hit) => (
            <li key={hit.id}>
              <span>{hit.title}</span>{" "}
              <button type="button" class="link" onClick={() => props.onInsert(hit)}>
                {t("kb.insert")}
                <span class="visually-hidden">: {hit.title}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function EntryEditor(props: {
  ticket: Ticket;
  kind: EntryKind;
  onKind: (k: EntryKind) => void;
  area: { current: HTMLTextAreaElement | null };
  kbInput: { current: HTMLInputElement | null };
  onSaved: () => void;
}) {
  const { ticket, kind } = props;
  const [body, setBody] = useState("");
  const [minutes, setMinutes] = useState("");
  const [files, setFiles] = useState<File[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function send(e?: Event) {
    e?.preventDefault();
    if (busy) return;
    if (!body.trim() && files.length === 0) return setError(t("editor.blank"));
    setBusy(true);
    setError(null);
    try {
      // Uploaded when sent: an upload nobody uses is deleted by the server after a day.
      const attachment_ids = await uploadAll(files);
      const time_spent_minutes = Number(minutes) || 0;
      await post<Entry>(`/api/v1/tickets/${ticket.id}/entries`, { kind, body, attachment_ids, time_spent_minutes });
      setBody("");
      setMinutes("");
      setFiles([]);
      toast(kind === "reply" ? t("editor.replySent") : t("editor.noteSaved"));
      props.onSaved();
    } catch (err) {
      setError(
        err instanceof ApiError
          ? err.field("body") ?? err.field("attachment_ids") ?? err.field("time_spent_minutes") ?? err.message
          : String(err),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="editor" aria-labelledby="editor-title">
      <h2 id="editor-title">{t("editor.title")}</h2>
      <form onSubmit={send}>
        <fieldset class="kind">
          <legend class="visually-hidden">{t("editor.kind")}</legend>
          {(["reply", "note"] as const).map((k) => (
            <label key={k} class="check">
              <input type="radio" name="entry-kind" value={k} checked={kind === k} onChange={() => props.onKind(k)} />
              {t(k === "reply" ? "editor.reply" : "editor.note")}
            </label>
          ))}
        </fieldset>
        <label for="entry-body" class="visually-hidden">
          {kind === "reply" ? t("editor.replyLabel") : t("editor.noteLabel")}
        </label>
        <textarea
          id="entry-body"
          ref={props.area}
          class={kind === "note" ? "note" : undefined}
          rows={6}
          value={body}
          aria-describedby="editor-hint"
          aria-invalid={error ? true : undefined}
          onInput={(e) => setBody(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) send(e);
          }}
        />
        <p id="editor-hint" class="hint">
          {kind === "reply" ? t("editor.replyHint") : t("editor.noteHint")}
        </p>
        <AttachmentPicker id="entry-files" files={files} onChange={setFiles} texts={pickerTexts()} disabled={busy} />
        <p class="time-spent">
          <label for="entry-minutes">{t("editor.timeSpent")}</label>
          <input
            id="entry-minutes"
            type="number"
            inputMode="numeric"
            min={0}
            max={1440}
            step={1}
            value={minutes}
            onInput={(e) => setMinutes(e.currentTarget.value)}
          />
        </p>
        {error && <p class="error" role="alert">{error}</p>}
        <button type="submit" disabled={busy}>
          {kind === "reply" ? t("editor.sendReply") : t("editor.saveNote")}
        </button>
      </form>
      <div class="helpers">
        <MacroPicker ticket={ticket} onApplied={props.onSaved} />
        <KbSearch
          input={props.kbInput}
          onInsert={(hit) => {
            const area = props.area.current;
            const link = articleLink(hit);
            setBody(area ? insertAt(area, link) : body + link);
            toast(t("kb.inserted", { title: hit.title }));
            area?.focus();
          }}
        />
      </div>
    </section>
  );
}
