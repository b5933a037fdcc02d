// What a queue view shows, kept in the page's URL (/console?team=3&status=new,open), so a view
// can be bookmarked and shared: scope, status, assignee, tag, priority, SLA state and the sort
// (GET /api/v1/tickets; team queues sort by SLA due unless told otherwise).
import type { Me, Priority, Status, TicketSummary } from "../api/types";

export const PRIORITIES: Priority[] = ["P1", "P2", "P3", "P4"];
export type SlaState = "none" | "running" | "at_risk" | "paused" | "breached";
export const SLA_STATES: SlaState[] = ["none", "running", "at_risk", "paused", "breached"];
export type Sort = "newest" | "oldest" | "sla_due";
export const SORTS: Sort[] = ["sla_due", "newest", "oldest"];

export const OPEN_STATUSES: Status[] = ["new", "open", "pending_customer", "pending_vendor"];
export const ALL_STATUSES: Status[] = [...OPEN_STATUSES, "resolved", "closed"];

export type Scope = { team: number } | { line: number } | "mine";

export interface QueueQuery {
  scope: Scope;
  statuses: Status[];
  assignee: "any" | "me" | "none";
  tags: string[]; // tickets with all of them
  priorities: Priority[];
  sla: SlaState[];
  sort: Sort;
}

export function defaultSort(scope: Scope): Sort {
  return typeof scope === "object" && "team" in scope ? "sla_due" : "newest";
}

export function defaultQuery(me: Me): QueueQuery {
  const team = me.teams[0];
  const scope: Scope = team ? { team: team.id } : "mine";
  return { scope, statuses: OPEN_STATUSES, assignee: "any", tags: [], priorities: [], sla: [], sort: defaultSort(scope) };
}

// The SLA state now: the summary's state as the server judged it, moved on by the warning and
// due times as they pass.
export function slaStateNow(ticket: TicketSummary, now: number): SlaState {
  const state = ticket.sla_state ?? "none";
  if (state !== "running" && state !== "at_risk") return state;
  if (ticket.sla_due_at && Date.parse(ticket.sla_due_at) <= now) return "breached";
  if (ticket.sla_warn_at && Date.parse(ticket.sla_warn_at) <= now) return "at_risk";
  return state;
}

// Tags as typed: split on commas and spaces, lower-cased, each once.
export function parseTags(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.toLowerCase().split(/[\s,]+/)) if (raw && !out.includes(raw)) out.push(raw);
  return out;
}

function list<T extends string>(value: string | null, allowed: T[]): T[] {
  return value ? (value.split(",").filter((x) => allowed.includes(x as T)) as T[]) : [];
}

export function fromUrl(search: string, me: Me): QueueQuery {
  const q = new URLSearchParams(search);
  const base = defaultQuery(me);
  const team = Number(q.get("team"));
  const line = Number(q.get("line"));
  const scope: Scope = q.get("mine") ? "mine" : team > 0 ? { team } : line > 0 ? { line } : base.scope;
  const statuses = q.has("status")
    ? (q.get("status")!.split(",").filter((s) => ALL_STATUSES.includes(s as Status)) as Status[])
    : base.statuses;
  const assignee = q.get("assignee");
  return {
    scope,
    statuses,
    assignee: assignee === "me" || assignee === "none" ? assignee : "any",
    tags: parseTags(q.getAll("tag").join(",")),
    priorities: list(q.get("priority"), PRIORITIES),
    sla: list(q.get("sla"), SLA_STATES),
    sort: SORTS.includes(q.get("sort") as Sort) ? (q.get("sort") as Sort) : defaultSort(scope),
  };
}

export function toUrl(query: QueueQuery): string {
  const q = new URLSearchParams();
  const s = query.scope;
  if (s === "mine") q.set("mine", "1");
  else if ("team" in s) q.set("team", String(s.team));
  else q.set("line", String(s.line));
  q.set("status", query.statuses.join(","));
  if (query.assignee !== "any") q.set("assignee", query.assignee);
  if (query.tags.length > 0) q.set("tag", query.tags.join(","));
  if (query.priorities.length > 0) q.set("priority", query.priorities.join(","));
  if (query.sla.length > 0) q.set("sla", query.sla.join(","));
  if (query.sort !== defaultSort(s)) q.set("sort", query.sort);
  return `/console?${q.toString().replace(/%2C/g, ",")}`;
}

// The parameters of GET /api/v1/tickets for the view.
export function toApi(query: QueueQuery): Record<string, string | number> {
  const s = query.scope;
  const out: Record<string, string | number> = { limit: 100 };
  if (s === "mine") out.assignee = "me";
  else if ("team" in s) out.team = s.team;
  else out.line = s.line;
  if (query.statuses.length > 0) out.status = query.statuses.join(",");
  if (query.assignee !== "any" && s !== "mine") out.assignee = query.assignee;
  if (query.tags.length > 0) out.tag = query.tags.join(",");
  if (query.priorities.length > 0) out.priority = query.priorities.join(",");
  if (query.sla.length > 0) out.sla = query.sla.join(",");
  out.sort = query.sort;
  return out;
}

// Whether a ticket the live feed tells of belongs in the view. Tags are not in the live
// summary: a view filtered by tag asks the server again instead (needsReload).
export function matches(query: QueueQuery, ticket: TicketSummary, me: Me): boolean {
  const s = query.scope;
  if (s === "mine" ? ticket.assignee_id !== me.id : "team" in s ? ticket.team.id !== s.team : ticket.line !== s.line)
    return false;
  if (query.statuses.length > 0 && !query.statuses.includes(ticket.status)) return false;
  if (query.assignee === "me" && ticket.assignee_id !== me.id) return false;
  if (query.assignee === "none" && ticket.assignee_id !== null) return false;
  if (query.priorities.length > 0 && !query.priorities.includes(ticket.priority)) return false;
  if (query.sla.length > 0 && !query.sla.includes(slaStateNow(ticket, Date.now()))) return false;
  return true;
}

// The view's order, as the server sorts: newest or oldest by creation (the id), or earliest
// SLA due first, tickets without one last, ties by id.
export function compare(sort: Sort): (a: TicketSummary, b: TicketSummary) => number {
  if (sort === "oldest") return (a, b) => a.id - b.id;
  if (sort === "newest") return (a, b) => b.id - a.id;
  return (a, b) => {
    const da = a.sla_due_at ? Date.parse(a.sla_due_at) : Infinity;
    const db = b.sla_due_at ? Date.parse(b.sla_due_at) : Infinity;
    return da !== db ? (da < db ? -1 : 1) : a.id - b.id;
  };
}

export function needsReload(query: QueueQuery): boolean {
  return query.tags.length > 0;
}

export function sameScope(a: Scope, b: Scope): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

// A saved view keeps the list's query string without paging (GET /api/v1/tickets).
export function toViewQuery(query: QueueQuery): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(toApi(query))) if (k !== "limit") q.set(k, String(v));
  return q.toString().replace(/%2C/g, ",");
}

// The view a saved query string shows: assigned to me without a team or line is "mine".
export function fromViewQuery(saved: string, me: Me): QueueQuery {
  const q = new URLSearchParams(saved);
  const url = new URLSearchParams();
  if (!q.get("team") && !q.get("line") && q.get("assignee") === "me") url.set("mine", "1");
  else {
    for (const k of ["team", "line"]) if (q.get(k)) url.set(k, q.get(k)!);
    const a = q.get("assignee");
    if (a === "me" || a === "none") url.set("assignee", a);
  }
  url.set("status", q.get("status") ?? "");
  for (const k of ["priority", "sla", "sort"]) if (q.get(k)) url.set(k, q.get(k)!);
  const tags = q.getAll("tag");
  if (tags.length > 0) url.set("tag", tags.join(","));
  return fromUrl(url.toString(), me);
}
