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
  live?: BotLive | null;
};

// Live hand-over to a line-1 agent (docs/bot.md): offered after a hand-off by the button
// `live`, ended by `end_live` or by the agent. `agent` is the agent's display name once one
// has accepted.
export type LiveState = "waiting" | "active" | "ended";
export type BotLive = { state: LiveState; agent?: string | null };
// Who ended a live chat, as the socket tells it: the user, the agent, or nobody accepted in time
// (`timeout`) or wrote for long (`idle`).
export type LiveEndedBy = "customer" | "agent" | "timeout" | "idle";
export type LiveLine = { from: "agent" | "user"; name: string; text: string; at: string };

// One line of the transcript as the widget shows it again after a reload.
export type TranscriptLine = { who: "user" | "bot"; text: string; article?: BotArticle };

// GET /bot/sessions/{id}: every turn with its time; a bot turn's buttons and article are in
// its payload, a user's pressed button too. A live chat's lines are in `live.messages` (the
// user's are also turns).
export type TranscriptTurn = {
  seq?: number;
  at?: string;
  who: "user" | "bot";
  text: string;
  payload?: { buttons?: BotButton[]; article?: BotArticle; button?: string };
  article?: BotArticle;
  buttons?: BotButton[];
};

export type BotTranscript = {
  id: string;
  status: BotStatus;
  turns: TranscriptTurn[];
  ticket?: { id: number; number: number };
  live?: (BotLive & { messages?: LiveLine[] }) | null;
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
