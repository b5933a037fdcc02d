// Paths without a library: the history API and one hook. `firstline serve` answers every
// path without a file extension with index.html, so deep links work.
import { useEffect, useState } from "preact/hooks";

const listeners = new Set<(p: string) => void>();

export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  for (const l of listeners) l(location.pathname);
}

addEventListener("popstate", () => {
  for (const l of listeners) l(location.pathname);
});

export function usePath(): string {
  const [p, set] = useState(location.pathname);
  useEffect(() => {
    listeners.add(set);
    return () => void listeners.delete(set);
  }, []);
  return p;
}

// A link that navigates without a reload.
export function onLink(e: MouseEvent): void {
  const a = e.currentTarget as HTMLAnchorElement;
  if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
  e.preventDefault();
  navigate(a.pathname + a.search);
}
