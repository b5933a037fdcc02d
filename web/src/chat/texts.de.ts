// Die Texte des Chat-Widgets auf Deutsch: dieselben Schlüssel wie texts.en.ts.
import type { chatEn } from "./texts.en";

export const chatDe: Record<keyof typeof chatEn, string> = {
  "chat.open": "Hilfe-Assistenten fragen",
  "chat.title": "Hilfe-Assistent",
  "chat.close": "Assistenten schließen",
  "chat.log": "Gespräch mit dem Hilfe-Assistenten",
  "chat.you": "Sie",
  "chat.bot": "Assistent",
  "chat.input": "Ihre Nachricht",
  "chat.send": "Senden",
  "chat.typing": "Der Assistent schreibt…",
  "chat.choices": "Antworten zur Auswahl",
  "chat.article": "Artikel lesen: {title}",
  "chat.ticket": "Ticket #{number} öffnen",
  "chat.restart": "Neues Gespräch beginnen",
  "chat.ended": "Dieses Gespräch ist beendet.",
  "chat.error": "Der Assistent ist gerade nicht erreichbar. Bitte versuchen Sie es erneut.",
  "chat.tooMany": "Zu viele Nachrichten auf einmal. Bitte warten Sie kurz und versuchen Sie es erneut.",
  "chat.agent": "Service Desk",
  "chat.notice": "Hinweis",
  "chat.live.waiting": "Einen Moment, ein Mitarbeiter wird verbunden…",
  "chat.live.active": "Sie chatten mit {agent}.",
  "chat.live.joined": "{agent} ist jetzt für Sie da.",
  "chat.live.ended": "Der Chat mit dem Service Desk wurde beendet.",
  "chat.live.end": "Chat beenden",
  "chat.live.input": "Ihre Nachricht an den Service Desk",
};
