// Files on entries, shared by the console and the portal: a picker that lists the chosen files
// (each removable, with its size) before they are sent, the upload of those files when the
// form is submitted, and an entry's files as links (images as small thumbnails). The API takes
// a bearer token, so files are fetched with it and handed over as blob URLs (client.ts).
// Each area passes its own texts (its texts.{en,de}.ts).
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, attachmentBlob, download, upload } from "./api/client";
import type { Attachment } from "./api/types";
import { language } from "./i18n";

// The API's limit per entry.
export const MAX_FILES = 20;

export interface PickerTexts {
  attach: string; // "Attach files"
  chosen: string; // the list's name
  remove: (name: string) => string;
  tooMany: string;
}

export interface ListTexts {
  files: string; // the list's name
  download: (name: string) => string;
  failed: (detail: string) => string;
}

export function formatSize(bytes: number): string {
  const de = language() === "de";
  const number = (n: number) => n.toLocaleString(de ? "de-DE" : "en-GB", { maximumFractionDigits: 1 });
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${number(bytes / 1024)} KB`;
  return `${number(bytes / (1024 * 1024))} MB`;
}

// Uploads the files one after the other; resolves to their ids in order. An upload that
// fails rejects with the server's problem (413 too large, 422 empty), naming the file.
export async function uploadAll(files: File[]): Promise<number[]> {
  const ids: number[] = [];
  for (const file of files) {
    try {
      ids.push((await upload(file)).id);
    } catch (err) {
      if (err instanceof ApiError)
        throw new ApiError({ ...err.problem, detail: `${file.name}: ${err.problem.detail ?? err.problem.title}` });
      throw err;
    }
  }
  return ids;
}

export function AttachmentPicker(props: {
  id: string;
  files: File[];
  onChange: (files: File[]) => void;
  texts: PickerTexts;
  disabled?: boolean;
}) {
  const { files, texts } = props;
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  function add(list: FileList | null) {
    if (!list) return;
    const next = [...files, ...Array.from(list)];
    if (next.length > MAX_FILES) {
      setError(texts.tooMany);
      props.onChange(next.slice(0, MAX_FILES));
    } else {
      setError(null);
      props.onChange(next);
    }
    if (input.current) input.current.value = ""; // the same file may be chosen again
  }

  function remove(index: number) {
    setError(null);
    props.onChange(files.filter((_, i) => i !== index));
    input.current?.focus();
  }

  return (
    <div class="attach">
      <label for={props.id} class="attach-label">
        {texts.attach}
      </label>
      <input
        id={props.id}
        ref={input}
        type="file"
        multiple
        disabled={props.disabled}
        onChange={(e) => add(e.currentTarget.files)}
      />
      {files.length > 0 && (
        <ul class="attach-chosen" aria-label={texts.chosen}>
          {files.map((f, i) => (
            <li key={`${f.name}-${i}`}>
              <span class="attach-name">{f.name}</span> <span class="muted">({formatSize(f.size)})</span>{" "}
              <button type="button" class="link" onClick={() => remove(i)} disabled={props.disabled}>
                {texts.remove(f.name)}
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

const THUMBNAIL_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

function Thumbnail(props: { file: Attachment }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let url: string | null = null;
    let gone = false;
    attachmentBlob(props.file.id).then(
      (blob) => {
        if (gone) return;
        url = URL.createObjectURL(blob);
        setSrc(url);
      },
      () => {},
    );
    return () => {
      gone = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [props.file.id]);
  // The link next to it names the file; the picture adds nothing a screen reader needs.
  return src ? <img class="attach-thumb" src={src} alt="" /> : null;
}

export function AttachmentList(props: { files: Attachment[] | undefined; texts: ListTexts }) {
  const [error, setError] = useState<string | null>(null);
  const files = props.files ?? [];
  if (files.length === 0) return null;

  async function open(e: Event, file: Attachment) {
    e.preventDefault();
    setError(null);
    try {
      await download(file.id, file.filename);
    } catch (err) {
      setError(props.texts.failed((err as Error).message));
    }
  }

  return (
    <div class="attachments">
      <ul aria-label={props.texts.files}>
        {files.map((f) => (
          <li key={f.id}>
            {THUMBNAIL_TYPES.has(f.content_type) && <Thumbnail file={f} />}
            <a
              href={`/api/v1/attachments/${f.id}`}
              download={f.filename}
              aria-label={props.texts.download(f.filename)}
              onClick={(e) => open(e, f)}
            >
              {f.filename}
            </a>{" "}
            <span class="muted">({formatSize(f.size)})</span>
          </li>
        ))}
      </ul>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
