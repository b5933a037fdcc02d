// Keyboard shortcuts: single keys ("j", "?") and two-key sequences ("g q"). Views register
// theirs with useShortcuts; the view registered last wins a key. They never fire while the
// user types in a field, while a modal dialog is open, or with Ctrl/Alt/Meta held.
import { useEffect, useRef } from "preact/hooks";

type Bindings = Record<string, () => void>;
const layers: { current: Bindings }[] = [];
let prefix: string | null = null;
let prefixTimer: ReturnType<typeof setTimeout> | undefined;

export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement)
    return !["checkbox", "radio", "button", "submit", "reset"].includes(target.type);
  return false;
}

function find(keys: string): (() => void) | undefined {
  for (let i = layers.length - 1; i >= 0; i--) {
    const run = layers[i].current[keys];
    if (run) return run;
  }
  return undefined;
}

function startsSequence(key: string): boolean {
  return layers.some((l) => Object.keys(l.current).some((k) => k.startsWith(key + " ")));
}

function onKey(e: KeyboardEvent): void {
  if (e.ctrlKey || e.altKey || e.metaKey || e.defaultPrevented) return;
  if (isTyping(e.target) || document.querySelector("dialog[open]")) return;
  const key = e.key;
  if (key.length !== 1 && key !== "Enter") return;
  // Enter on a link, button or field does what that element does.
  if (key === "Enter" && e.target instanceof Element && e.target.closest("a, button, input, select, textarea, summary"))
    return;
  if (prefix !== null) {
    const run = find(`${prefix} ${key}`);
    prefix = null;
    clearTimeout(prefixTimer);
    if (run) {
      e.preventDefault();
      run();
    }
    return;
  }
  const run = find(key);
  if (run) {
    e.preventDefault();
    run();
  } else if (startsSequence(key)) {
    e.preventDefault();
    prefix = key;
    prefixTimer = setTimeout(() => (prefix = null), 1500);
  }
}

addEventListener("keydown", onKey);

// Binds keys while the calling component is mounted; the handlers may change on every render.
export function useShortcuts(bindings: Bindings): void {
  const layer = useRef(bindings);
  layer.current = bindings;
  useEffect(() => {
    layers.push(layer);
    return () => void layers.splice(layers.indexOf(layer), 1);
  }, []);
}
