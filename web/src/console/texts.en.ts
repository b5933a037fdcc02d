// The console texts in English; texts.de.ts has the same keys.
export const consoleEn = {
  "console.title": "Queue",
  "console.empty": "No tickets in this queue.",
} as const;
