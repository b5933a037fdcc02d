// German texts: the same keys as en.ts.
import { consoleDe } from "../console/texts.de";
import { chatDe } from "../chat/texts.de";
import { portalDe } from "../portal/texts.de";
import type { Key } from "./en";

const shellDe = {
  "app.name": "Firstline",
  "app.language": "Sprache",
  "app.skip": "Zum Inhalt springen",
  "login.title": "Anmelden",
  "login.login": "Benutzername",
  "login.password": "Passwort",
  "login.submit": "Anmelden",
  "login.failed": "Benutzername oder Passwort ist falsch.",
  "login.throttled": "Zu viele Versuche. Bitte warten Sie einen Moment.",
  "nav.console": "Konsole",
  "nav.portal": "Hilfe & Tickets",
  "nav.logout": "Abmelden",
  "nav.admin": "Verwaltung",
  "admin.loading": "Die Verwaltung lädt…",
  "error.generic": "Etwas ist schiefgegangen: {detail}",
  "error.offline": "Der Server ist nicht erreichbar.",
  "ticket.number": "Ticket",
  "ticket.subject": "Betreff",
  "ticket.status": "Status",
  "ticket.priority": "Priorität",
  "ticket.line": "Linie",
  "ticket.updated": "Aktualisiert",
  "status.new": "Neu",
  "status.open": "Offen",
  "status.pending_customer": "Wartet auf Sie",
  "status.pending_vendor": "Wartet auf den Hersteller",
  "status.resolved": "Gelöst",
  "status.closed": "Geschlossen",
  "live.connected": "Live",
  "live.offline": "Verbinde neu…",
};

export const de: Record<Key, string> = { ...shellDe, ...consoleDe, ...portalDe, ...chatDe };
