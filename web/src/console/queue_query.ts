// What a queue view shows, kept in the page's URL (/console?team=3&status=new,open), so a view
// can be bookmarked and shared. Only the filters GET /api/v1/tickets supports today are here;
// priority, SLA state, sort by SLA due, counts per queue and saved views come with the server
// (add their fields to QueueQuery, fromUrl/toUrl, toApi and matches: the view follows).
import type { Me, Status, TicketSummary } from "../api/types";

export const OPEN_STATUSES: Status[] = ["new", "open", "pending_customer", "pending_vendor"];
export const ALL_STATUSES: Status[] = [...OPEN_STATUSES, "resolved", "closed"];

export type Scope = { team: number } | { line: number } | "mine";

export interface QueueQuery {
  scope: Scope;
  statuses: Status[];
  assignee: "any" | "me" | "none";
  tag: string;
}

export function defaultQuery(me: Me): QueueQuery {
  const team = me.teams[0];
  return { scope: team ? { team: team.id } : "mine", statuses: OPEN_STATUSES, assignee: "any", tag: "" };
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
    tag: q.get("tag") ?? "",
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
  if (query.tag) q.set("tag", query.tag);
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
  if (query.tag) out.tag = query.tag;
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
  return true;
}

export function needsReload(query: QueueQuery): boolean {
  return query.tag !== "";
}

export function sameScope(a: Scope, b: Scope): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
