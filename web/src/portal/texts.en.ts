// The portal texts in English; texts.de.ts has the same keys.
export const portalEn = {
  "portal.title": "My tickets",
  "portal.empty": "You have no tickets yet.",
} as const;
