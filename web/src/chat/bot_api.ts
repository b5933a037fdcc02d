// The chatbot's API (docs/bot.md): a session is started, then each message or button press
// gets the bot's turn. The session id is the capability: guests have no other credential.
import { api } from "../api/client";

export type BotArticle = { id: number; title: string; url: string };
export type BotMessage = { text: string; article?: BotArticle };
export type BotButton = { id: string; label: string };
export type BotStatus = "open" | "deflected" | "handed_off" | "abandoned";

export type BotTurn = {
  id: string;
  status: BotStatus;
  messages: BotMessage[];
  buttons: BotButton[];
  expecting?: string;
  ticket?: { id: number; number: number };
};

// One line of the transcript as the widget shows it again after a reload.
export type TranscriptLine = { who: "user" | "bot"; text: string; article?: BotArticle };

export type BotTranscript = {
  id: string;
  status: BotStatus;
  turns: { who: "user" | "bot"; text: string; article?: BotArticle; buttons?: BotButton[] }[];
  ticket?: { id: number; number: number };
};

export function startSession(language: string): Promise<BotTurn> {
  return api<BotTurn>("POST", "/api/v1/bot/sessions", { language });
}

export function say(session: string, input: { text: string } | { button: string }): Promise<BotTurn> {
  return api<BotTurn>("POST", `/api/v1/bot/sessions/${encodeURIComponent(session)}/messages`, input);
}

export function transcript(session: string): Promise<BotTranscript> {
  return api<BotTranscript>("GET", `/api/v1/bot/sessions/${encodeURIComponent(session)}`);
}
