// English texts: the frame's here, each area's in its own file (console, portal), so
// that areas change their texts without touching each other's. de.ts has the same keys (the
// type check refuses a missing one).
import { consoleEn } from "../console/texts.en";
import { chatEn } from "../chat/texts.en";
import { portalEn } from "../portal/texts.en";

const shellEn = {
  "app.name": "Firstline",
  "app.language": "Language",
  "app.skip": "Skip to content",
  "login.title": "Sign in",
  "login.login": "Login",
  "login.password": "Password",
  "login.submit": "Sign in",
  "login.failed": "Login or password is wrong.",
  "login.throttled": "Too many attempts. Please wait a moment and try again.",
  "nav.console": "Console",
  "nav.portal": "Help & tickets",
  "nav.logout": "Sign out",
  "nav.admin": "Administration",
  "admin.loading": "Loading the administration…",
  "error.generic": "Something went wrong: {detail}",
  "error.offline": "The server cannot be reached.",
  "ticket.number": "Ticket",
  "ticket.subject": "Subject",
  "ticket.status": "Status",
  "ticket.priority": "Priority",
  "ticket.line": "Line",
  "ticket.updated": "Updated",
  "status.new": "New",
  "status.open": "Open",
  "status.pending_customer": "Waiting for you",
  "status.pending_vendor": "Waiting for the vendor",
  "status.resolved": "Resolved",
  "status.closed": "Closed",
  "live.connected": "Live",
  "live.offline": "Reconnecting…",
} as const;

export const en = { ...shellEn, ...consoleEn, ...portalEn, ...chatEn } as const;

export type Key = keyof typeof en;
