// The console texts in German: the same keys as texts.en.ts.
import type { consoleEn } from "./texts.en";

export const consoleDe: Record<keyof typeof consoleEn, string> = {
  "console.title": "Warteschlange",
  "console.empty": "Keine Tickets in dieser Warteschlange.",
};
