// Status messages for everyone, screen readers included: the portal shows the latest one in
// a polite live region (role="status") while the user stays on the page it was said on. To
// tell something about the next page, navigate first, then announce.
import { useEffect, useState } from "preact/hooks";

interface Announcement {
  text: string;
  path: string;
}

let current: Announcement = { text: "", path: "" };
const listeners = new Set<(a: Announcement) => void>();

export function announce(text: string): void {
  current = { text, path: location.pathname };
  for (const l of listeners) l(current);
}

// The message for the current page ("" for none). The caller re-renders on navigation.
export function useAnnouncement(): string {
  const [value, set] = useState(current);
  useEffect(() => {
    listeners.add(set);
    return () => void listeners.delete(set);
  }, []);
  return value.path === location.pathname ? value.text : "";
}
