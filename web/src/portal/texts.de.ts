// The portal texts in German: the same keys as texts.en.ts.
import type { portalEn } from "./texts.en";

export const portalDe: Record<keyof typeof portalEn, string> = {
  "portal.title": "Meine Tickets",
  "portal.empty": "Sie haben noch keine Tickets.",
};
