// Who and what the console names: teams, users and organisations, read once per page load
// (GET /teams, /users, /organizations) and shared by every view. There is no GET /users/{id}
// in the API, so a requester is found in the staff-visible user list. Vendor agents may not
// list users or organisations: then names fall back to "#id".
import { useEffect, useState } from "preact/hooks";
import { get } from "../api/client";
import type { Me, Organization, Team, User } from "../api/types";

export interface Directory {
  teams: Team[];
  users: Map<number, User>;
  organizations: Map<number, Organization>;
}

let cached: Promise<Directory> | null = null;

async function items<T>(url: string): Promise<T[]> {
  try {
    return (await get<{ items: T[] }>(url)).items;
  } catch {
    return [];
  }
}

export function loadDirectory(): Promise<Directory> {
  cached ??= Promise.all([
    items<Team>("/api/v1/teams"),
    items<User>("/api/v1/users"),
    items<Organization>("/api/v1/organizations"),
  ]).then(([teams, users, orgs]) => ({
    teams,
    users: new Map(users.map((u) => [u.id, u])),
    organizations: new Map(orgs.map((o) => [o.id, o])),
  }));
  return cached;
}

// The directory once it is read (null before).
export function useDirectory(): Directory | null {
  const [dir, set] = useState<Directory | null>(null);
  useEffect(() => void loadDirectory().then(set), []);
  return dir;
}

export function userName(dir: Directory | null, id: number | null): string {
  if (id === null) return "";
  return dir?.users.get(id)?.name ?? `#${id}`;
}

// Teams grouped by line, lowest line first: the targets of a move.
export function teamsByLine(teams: Team[], accept: (t: Team) => boolean): [number, Team[]][] {
  const lines = new Map<number, Team[]>();
  for (const team of teams.filter(accept)) lines.set(team.line, [...(lines.get(team.line) ?? []), team]);
  return [...lines.entries()].sort((a, b) => a[0] - b[0]);
}

export function seesEverything(me: Me): boolean {
  return me.role === "supervisor" || me.role === "admin";
}

// The highest line the user's teams work at (agents see tickets up to it).
export function highestLine(me: Me): number {
  return seesEverything(me) ? 4 : Math.max(1, ...me.teams.map((t) => t.line));
}
