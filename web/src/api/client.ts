// The REST API: JSON over fetch with the session's bearer token. Every failure is an
// ApiError carrying the server's problem+json (or a synthetic one when the server could not
// be reached), so screens show the server's own message and field errors.
import type { Problem, Upload } from "./types";

const TOKEN_KEY = "firstline.token";

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
  get status(): number {
    return this.problem.status;
  }
  // The message for one field, if the server named it.
  field(name: string): string | undefined {
    return this.problem.errors?.find((e) => e.field === name)?.message;
  }
}

export function token(): string | null {
  return globalThis.sessionStorage?.getItem(TOKEN_KEY) ?? null;
}

export function setToken(value: string | null): void {
  if (value === null) sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, value);
}

// Called when the server answers 401 to a request that carried a token (session ended).
let onUnauthorized: () => void = () => {};
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

type Query = Record<string, string | number | boolean | undefined | null>;

export function path(base: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  const q = params.toString();
  return q ? `${base}?${q}` : base;
}

export async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  const bearer = token();
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError({ type: "about:blank", title: "Offline", status: 0, code: "unavailable" });
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const data: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw failure(response, data, bearer);
  return data as T;
}

function failure(response: Response, data: unknown, bearer: string | null): ApiError {
  if (response.status === 401 && bearer) onUnauthorized();
  const problem =
    data && typeof data === "object" && "status" in data
      ? (data as Problem)
      : { type: "about:blank", title: response.statusText, status: response.status };
  return new ApiError(problem);
}

async function authorised(url: string, init: RequestInit): Promise<Response> {
  const bearer = token();
  const headers = new Headers(init.headers);
  if (bearer) headers.set("Authorization", `Bearer ${bearer}`);
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers });
  } catch {
    throw new ApiError({ type: "about:blank", title: "Offline", status: 0, code: "unavailable" });
  }
  if (!response.ok) {
    const text = await response.text();
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = undefined;
    }
    throw failure(response, data, bearer);
  }
  return response;
}

// Uploads one file (the body is the file itself); its id then goes in an entry's
// attachment_ids. The server sniffs the type; the one sent here is only the browser's guess.
export async function upload(file: File): Promise<Upload> {
  const response = await authorised(path("/api/v1/uploads", { filename: file.name }), {
    method: "POST",
    headers: { Accept: "application/json", "Content-Type": file.type || "application/octet-stream" },
    body: file,
  });
  return (await response.json()) as Upload;
}

// An attachment's bytes. The API takes a bearer token, not a cookie, so a plain link cannot
// fetch it: the file comes through fetch and is handed to the browser as a blob URL.
export async function attachmentBlob(id: number): Promise<Blob> {
  return (await authorised(`/api/v1/attachments/${id}`, { method: "GET" })).blob();
}

// Saves (or, for what the browser shows itself, opens) an attachment under its name.
export async function download(id: number, filename: string): Promise<void> {
  save(await attachmentBlob(id), filename);
}

// Saves what a GET of `url` answers (a report's CSV) under `filename`: like an attachment, it
// needs the bearer token, so it comes through fetch.
export async function downloadFrom(url: string, filename: string): Promise<void> {
  save(await (await authorised(url, { method: "GET" })).blob(), filename);
}

function save(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.rel = "noopener";
  document.body.append(a);
  a.click();
  a.remove();
  // The browser has the file once the click is handled; keep the URL a moment for slow ones.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export const get = <T>(url: string) => api<T>("GET", url);
export const post = <T>(url: string, body?: unknown) => api<T>("POST", url, body ?? {});
export const put = <T>(url: string, body: unknown) => api<T>("PUT", url, body);
export const patch = <T>(url: string, body: unknown) => api<T>("PATCH", url, body);
