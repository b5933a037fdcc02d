// Who is signed in: the token (sessionStorage, so it ends with the browser tab) and the
// current user, read from /api/v1/me once per page load.
import { useEffect, useState } from "preact/hooks";
import { api, get, setToken, token, whenUnauthorized } from "./api/client";
import { live } from "./api/live";
import type { Me, User } from "./api/types";
import { setLanguage } from "./i18n";

let me: Me | null = null;
const listeners = new Set<(m: Me | null) => void>();

function publish(value: Me | null): void {
  me = value;
  for (const l of listeners) l(value);
}

export async function signIn(login: string, password: string): Promise<Me> {
  const session = await api<{ token: string; user: User }>("POST", "/api/v1/sessions", {
    login,
    password,
  });
  setToken(session.token);
  const current = await get<Me>("/api/v1/me");
  setLanguage(current.language);
  publish(current);
  return current;
}

export async function signOut(): Promise<void> {
  try {
    await api("DELETE", "/api/v1/sessions/current");
  } catch {
    // The session may be gone already; signing out locally is what matters.
  }
  forget();
}

function forget(): void {
  live.close();
  setToken(null);
  publish(null);
}

whenUnauthorized(forget);

export function isStaff(user: User): boolean {
  return user.role !== "customer";
}

// The current user (undefined while it is being read).
export function useMe(): Me | null | undefined {
  const [value, set] = useState<Me | null | undefined>(me ?? (token() ? undefined : null));
  useEffect(() => {
    listeners.add(set);
    if (me === null && token())
      get<Me>("/api/v1/me").then(publish, () => forget());
    return () => void listeners.delete(set);
  }, []);
  return value;
}
