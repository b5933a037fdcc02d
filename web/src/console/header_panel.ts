// What the header's panels (notifications, live chats) share: a button that opens a panel
// (focus moves into it, Escape or closing returns it to the button), and a list kept fresh by
// the live feed (a change it tells of reloads the list a moment later) with a slow poll for
// what the feed does not carry.
import { useEffect, useRef, useState } from "preact/hooks";
import { live, type LiveMessage, type Queue } from "../api/live";

export function useHeaderPanel() {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (open) panel.current?.querySelector<HTMLElement>("a, button")?.focus();
  }, [open]);
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  return { open, setOpen, button, panel, close };
}

// Runs `load` now, `delayMs` after each live message that `matters`, and every `pollMs`; again
// from the start when `key` changes (the user).
export function useLiveReload(
  load: () => void,
  queues: Queue[],
  matters: (m: LiveMessage) => boolean,
  delayMs: number,
  pollMs: number,
  key: unknown,
) {
  useEffect(() => {
    load();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = live.follow({ queues }, (m) => {
      if (!matters(m)) return;
      clearTimeout(timer);
      timer = setTimeout(load, delayMs);
    });
    const poll = setInterval(load, pollMs);
    return () => {
      stop();
      clearTimeout(timer);
      clearInterval(poll);
    };
  }, [key]);
}
