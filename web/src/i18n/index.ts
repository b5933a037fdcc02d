// German and English: chosen from the browser, switchable, remembered in localStorage.
// Components call t("key", {name: value}); a change of language re-renders through the signal
// in useLanguage().
import { useEffect, useState } from "preact/hooks";
import { de } from "./de";
import { en, type Key } from "./en";

export type Language = "de" | "en";
export type { Key };

const STORAGE_KEY = "firstline.language";
const texts: Record<Language, Record<Key, string>> = { de, en };
const listeners = new Set<(l: Language) => void>();

function initialLanguage(): Language {
  const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
  if (stored === "de" || stored === "en") return stored;
  const preferred = globalThis.navigator?.languages ?? [globalThis.navigator?.language ?? "en"];
  for (const tag of preferred) {
    const base = tag.toLowerCase().split("-")[0];
    if (base === "de" || base === "en") return base;
  }
  return "en";
}

let current: Language = initialLanguage();
document.documentElement.lang = current;

export function language(): Language {
  return current;
}

export function setLanguage(l: Language): void {
  current = l;
  globalThis.localStorage?.setItem(STORAGE_KEY, l);
  document.documentElement.lang = l;
  for (const listener of listeners) listener(l);
}

// The text of `key` in the current language, with {placeholders} filled.
export function t(key: Key, values: Record<string, string | number> = {}): string {
  return texts[current][key].replace(/\{(\w+)\}/g, (_, name: string) =>
    name in values ? String(values[name]) : `{${name}}`,
  );
}

// Re-renders the calling component when the language changes.
export function useLanguage(): Language {
  const [l, set] = useState(current);
  useEffect(() => {
    listeners.add(set);
    return () => void listeners.delete(set);
  }, []);
  return l;
}

// Dates and times in the reader's language.
export function formatTime(iso: string): string {
  return new Intl.DateTimeFormat(current === "de" ? "de-DE" : "en-GB", {
    dateStyle: "short",
    timeStyle: "short",
  }).format(new Date(iso));
}
