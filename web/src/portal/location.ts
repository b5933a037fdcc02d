// Where the portal is: path and query. The shared router tells only the path, and the search
// page changes only the query (?q=), so the portal goes through goTo(), which also tells its
// own listeners; the shared router's listeners (the frame) are told as well.
import { useEffect, useState } from "preact/hooks";
import { navigate } from "../router";

const listeners = new Set<() => void>();
let navigated = false;

export function goTo(to: string, replace = false): void {
  navigated = true;
  navigate(to, replace);
  for (const l of listeners) l();
}

addEventListener("popstate", () => {
  navigated = true;
  for (const l of listeners) l();
});

// True once the user has moved within the app: headings take focus only then, not on the
// first load (where the browser's own focus handling is right).
export function hasNavigated(): boolean {
  return navigated;
}

export interface PortalLocation {
  path: string;
  query: URLSearchParams;
}

export function usePortalLocation(): PortalLocation {
  const read = () => ({ path: location.pathname, query: new URLSearchParams(location.search) });
  const [value, set] = useState<PortalLocation>(read);
  useEffect(() => {
    const update = () => set(read());
    listeners.add(update);
    return () => void listeners.delete(update);
  }, []);
  return value;
}

// For <a href onClick={onPortalLink}>: follows the link without a reload.
export function onPortalLink(e: MouseEvent): void {
  const a = e.currentTarget as HTMLAnchorElement;
  if (e.ctrlKey || e.metaKey || e.shiftKey || e.altKey || e.button !== 0) return;
  e.preventDefault();
  goTo(a.pathname + a.search);
}
