// The chatbot widget: a launcher that opens the conversation panel (in the portal), or the
// panel alone filling its frame (chat.html, embedded in an intranet page by /embed.js). The
// session id survives a reload (sessionStorage) and the transcript is fetched again. Quick
// replies are buttons; typing works everywhere. Bot turns are announced (role="log").
//
// After a hand-off the bot may offer a live chat with a line-1 agent (button `live`). While it
// runs (waiting, then active) the widget keeps the bot socket (bot_socket.ts) open for the
// agent's lines and the chat's state, typed text goes to the agent, and "End chat" sends
// `end_live`. Lines may arrive at any time, so the state is only ever changed by functions of
// the state before.
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "../api/client";
import { language, t, useLanguage } from "../i18n";
import {
  type BotArticle,
  type BotButton,
  type BotLive,
  type BotStatus,
  type BotTranscript,
  type BotTurn,
  type TranscriptTurn,
  say,
  startSession,
  transcript,
} from "./bot_api";
import { type BotPush, BotSocket } from "./bot_socket";
import "./chat.css";

const SESSION_KEY = "firstline.bot.session";

// `system`: the widget's own notes on the live chat (waiting, who joined, ended).
type Line = { who: "user" | "bot" | "agent" | "system"; text: string; article?: BotArticle; name?: string };

type State = {
  session: string | null;
  status: BotStatus;
  lines: Line[];
  buttons: BotButton[];
  ticket?: { id: number; number: number };
  live: BotLive | null;
  // What the bot waits for: "nothing" once the conversation is over (a handed-off session
  // still takes an answer to the live-chat offer).
  expecting: string;
};

const empty: State = { session: null, status: "open", lines: [], buttons: [], live: null, expecting: "text" };

const ongoing = (live: BotLive | null) => live?.state === "waiting" || live?.state === "active";

function linesOf(turn: BotTurn): Line[] {
  return turn.messages.map((m) => ({ who: "bot" as const, text: m.text, article: m.article }));
}

// The state with the live chat moved to `next`, with a note in the log for each step the
// user should hear of; `said`: the server's turn said something itself, so waiting and
// ended need no note of ours.
function withLive(s: State, next: BotLive | null, said = false, endedBy?: string): State {
  const before = s.live?.state;
  const notes: Line[] = [];
  if (next?.state === "waiting" && before !== "waiting" && !said) notes.push({ who: "system", text: t("chat.live.waiting") });
  if (next?.state === "active" && (before !== "active" || (!s.live?.agent && next.agent)) && next.agent)
    notes.push({ who: "system", text: t("chat.live.joined", { agent: next.agent }) });
  if (next?.state === "ended" && before && before !== "ended" && !said)
    notes.push({ who: "system", text: t(endedBy === "timeout" && before === "waiting" ? "chat.live.timeout" : "chat.live.ended") });
  // A push of the same state without a name keeps the name known.
  const live = next && next.state === s.live?.state && !next.agent ? { ...next, agent: s.live?.agent ?? null } : next;
  const over = next?.state === "ended";
  return {
    ...s,
    live,
    lines: notes.length ? [...s.lines, ...notes] : s.lines,
    buttons: over ? [] : s.buttons,
    expecting: over ? "nothing" : s.expecting,
  };
}

// The conversation as the transcript has it. Once a live chat was asked for, the user's turns
// are also its lines: from there on the bot's turns and the chat's lines are merged by time.
function fromTranscript(tr: BotTranscript): State {
  const line = (x: TranscriptTurn): Line => ({ who: x.who, text: x.text, article: x.article ?? x.payload?.article });
  const live = tr.live ?? null;
  const asked = live ? tr.turns.findIndex((x) => x.who === "user" && x.payload?.button === "live") : -1;
  const head = asked < 0 ? tr.turns : tr.turns.slice(0, asked + 1);
  let rest = asked < 0 ? [] : tr.turns.slice(asked + 1);
  // The bot's answer to the request itself comes before the chat.
  const answer: TranscriptTurn[] = [];
  while (rest[0]?.who === "bot" && !(rest[0].at && live?.messages?.some((m) => m.at < rest[0].at!))) answer.push(rest.shift()!);
  const lines: Line[] = [...head, ...answer].map(line);
  if (live) {
    if (answer.length === 0) lines.push({ who: "system", text: t("chat.live.waiting") });
    type Timed = { at: string; line: Line };
    const timed: Timed[] = [
      ...rest.filter((x) => x.who === "bot").map((x) => ({ at: x.at ?? "", line: line(x) })),
      ...(live.messages ?? []).map((m) => ({
        at: m.at,
        line: m.from === "agent" ? { who: "agent" as const, name: m.name, text: m.text } : { who: "user" as const, text: m.text },
      })),
    ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    const firstAgent = timed.findIndex((x) => x.line.who === "agent");
    const joined: Line | null = live.agent ? { who: "system", text: t("chat.live.joined", { agent: live.agent }) } : null;
    timed.forEach((x, i) => {
      if (i === firstAgent && joined) lines.push(joined);
      lines.push(x.line);
    });
    if (firstAgent < 0 && joined) lines.push(joined);
    if (live.state === "ended" && !rest.some((x) => x.who === "bot")) lines.push({ who: "system", text: t("chat.live.ended") });
  }
  // After a hand-off the bot may still offer the live chat (or ask something about it): its
  // last turn's buttons. Once the chat started, its own controls replace them.
  const last = tr.turns[tr.turns.length - 1];
  const buttons = last?.who === "bot" && !live && (tr.status === "open" || tr.status === "handed_off") ? (last.buttons ?? last.payload?.buttons ?? []) : [];
  const ongoingLive = live && live.state !== "ended";
  return {
    session: tr.id,
    status: tr.status,
    lines,
    buttons,
    ticket: tr.ticket,
    live: live ? { state: live.state, agent: live.agent ?? null } : null,
    expecting: ongoingLive ? "live" : tr.status === "open" || buttons.length > 0 ? "text" : "nothing",
  };
}

export function ChatWidget(props: { embedded?: boolean }) {
  useLanguage();
  const [open, setOpen] = useState(props.embedded ?? false);
  const [state, setState] = useState<State>(empty);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [draft, setDraft] = useState("");
  const input = useRef<HTMLInputElement>(null);
  const launcher = useRef<HTMLButtonElement>(null);
  const log = useRef<HTMLDivElement>(null);
  const socket = useRef<BotSocket | null>(null);

  const fail = (e: unknown) => {
    setError(e instanceof ApiError && e.status === 429 ? t("chat.tooMany") : t("chat.error"));
  };

  const apply = (turn: BotTurn) => {
    sessionStorage.setItem(SESSION_KEY, turn.id);
    setState((s) => {
      const next: State = {
        ...s,
        session: turn.id,
        status: turn.status,
        lines: [...s.lines, ...linesOf(turn)],
        buttons: turn.buttons ?? [],
        ticket: turn.ticket ?? s.ticket,
        expecting: turn.expecting ?? "text",
      };
      return turn.live !== undefined ? withLive(next, turn.live, turn.messages.length > 0) : next;
    });
  };

  const begin = async () => {
    setBusy(true);
    setError(null);
    try {
      setState(empty);
      apply(await startSession(language()));
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  // On opening: the conversation of this tab again, or a new one.
  useEffect(() => {
    if (!open || state.session || busy) return;
    const saved = sessionStorage.getItem(SESSION_KEY);
    if (!saved) {
      void begin();
      return;
    }
    setBusy(true);
    transcript(saved)
      .then((tr) => setState(fromTranscript(tr)))
      .catch(() => {
        sessionStorage.removeItem(SESSION_KEY);
        void begin();
      })
      .finally(() => setBusy(false));
  }, [open]);

  // The socket lives while a live chat waits or runs.
  const live = ongoing(state.live);
  useEffect(() => {
    const session = state.session;
    if (!session || !live) return;
    const onPush = (p: BotPush) => {
      if (p.type === "chat") setState((s) => ({ ...s, lines: [...s.lines, { who: "agent", name: p.line.name, text: p.line.text }] }));
      else if (p.type === "live") setState((s) => withLive(s, { state: p.state, agent: p.agent }, false, p.endedBy));
      else if (p.type === "resumed") {
        // After a drop (or when the agent was quicker than the socket) lines may have been
        // missed: the transcript has them all.
        if (!p.first || p.live?.state === "active" || p.live?.state === "ended")
          transcript(session).then(
            (tr) =>
              setState((s) => {
                // An agent's line pushed while the transcript was on its way stays.
                const fresh = fromTranscript(tr);
                const known = new Set(fresh.lines.filter((l) => l.who === "agent").map((l) => l.text));
                const pushed = s.lines.filter((l) => l.who === "agent" && !known.has(l.text));
                return { ...fresh, lines: [...fresh.lines, ...pushed] };
              }),
            () => {},
          );
        else setState((s) => withLive({ ...s, status: p.status ?? s.status }, p.live));
      }
    };
    const s = new BotSocket(session, onPush);
    socket.current = s;
    return () => {
      s.close();
      if (socket.current === s) socket.current = null;
    };
  }, [state.session, live]);

  useEffect(() => {
    const el = log.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [state.lines.length, busy]);

  const send = async (inputValue: { text: string } | { button: string }, shown: string | null) => {
    if (!state.session || busy) return;
    const mine: Line | null = shown === null ? null : { who: "user", text: shown };
    const buttons = state.buttons;
    setState((s) => ({ ...s, lines: mine ? [...s.lines, mine] : s.lines, buttons: [] }));
    setBusy(true);
    setError(null);
    try {
      const sock = socket.current;
      apply(await (sock?.isOpen ? sock.send(inputValue) : say(state.session, inputValue)));
    } catch (e) {
      // The message was not taken: as before, buttons back.
      setState((s) => ({ ...s, lines: s.lines.filter((l) => l !== mine), buttons }));
      fail(e);
    } finally {
      setBusy(false);
      input.current?.focus();
    }
  };

  const restart = () => {
    sessionStorage.removeItem(SESSION_KEY);
    void begin();
  };

  const close = () => {
    setOpen(false);
    launcher.current?.focus();
  };

  if (!open)
    return (
      <button ref={launcher} type="button" class="chat-launcher" onClick={() => setOpen(true)}>
        {t("chat.open")}
      </button>
    );

  const ended = state.status !== "open" && !live && (state.expecting === "nothing" || state.buttons.length === 0);
  const buttons = state.buttons.filter((b) => b.id !== "end_live");
  const target = props.embedded ? "_blank" : undefined;
  const agent = state.live?.agent;
  return (
    <section
      class={props.embedded ? "chat-panel chat-embedded" : "chat-panel"}
      aria-labelledby="chat-title"
      onKeyDown={(e) => {
        if (e.key === "Escape" && !props.embedded) close();
      }}
    >
      <header class="chat-header">
        <h2 id="chat-title">{t("chat.title")}</h2>
        {!props.embedded && (
          <button type="button" class="chat-close" aria-label={t("chat.close")} onClick={close}>
            ×
          </button>
        )}
      </header>
      {live && (
        <div class={`chat-live-status chat-live-${state.live?.state}`}>
          <p>{state.live?.state === "active" && agent ? t("chat.live.active", { agent }) : t("chat.live.waiting")}</p>
          <button type="button" class="chat-end" disabled={busy} onClick={() => void send({ button: "end_live" }, null)}>
            {t("chat.live.end")}
          </button>
        </div>
      )}
      <div ref={log} class="chat-log" role="log" aria-live="polite" aria-label={t("chat.log")} tabIndex={0}>
        <ol>
        {state.lines.map((line, i) => (
          <li key={i} class={`chat-line chat-${line.who}`}>
            {line.who === "agent" ? (
              <span class="chat-name">{line.name || t("chat.agent")}: </span>
            ) : (
              <span class="visually-hidden">
                {line.who === "bot" ? t("chat.bot") : line.who === "system" ? t("chat.notice") : t("chat.you")}:{" "}
              </span>
            )}
            <p>{line.text}</p>
            {line.article && (
              <a href={line.article.url} target={target} rel={target ? "noopener" : undefined}>
                {t("chat.article", { title: line.article.title })}
              </a>
            )}
          </li>
        ))}
        {busy && !live && <li class="chat-line chat-bot chat-typing">{t("chat.typing")}</li>}
        </ol>
      </div>
      {buttons.length > 0 && !busy && (
        <div class="chat-buttons" role="group" aria-label={t("chat.choices")}>
          {buttons.map((b) => (
            <button key={b.id} type="button" onClick={() => void send({ button: b.id }, b.label)}>
              {b.label}
            </button>
          ))}
        </div>
      )}
      {state.ticket && (
        <p class="chat-ticket">
          <a href={`/portal/tickets/${state.ticket.id}`} target={target} rel={target ? "noopener" : undefined}>
            {t("chat.ticket", { number: state.ticket.number })}
          </a>
        </p>
      )}
      {error && (
        <p class="chat-error" role="alert">
          {error}
        </p>
      )}
      {ended ? (
        <div class="chat-ended">
          <p>{t("chat.ended")}</p>
          <button type="button" onClick={restart}>
            {t("chat.restart")}
          </button>
        </div>
      ) : (
        <form
          class="chat-form"
          onSubmit={(e) => {
            e.preventDefault();
            const text = draft.trim();
            if (!text) return;
            setDraft("");
            void send({ text }, text);
          }}
        >
          <label for="chat-input" class="visually-hidden">
            {live ? t("chat.live.input") : t("chat.input")}
          </label>
          <input
            id="chat-input"
            ref={input}
            value={draft}
            maxLength={2000}
            autoComplete="off"
            disabled={!state.session}
            onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
          />
          <button type="submit" disabled={busy || !state.session}>
            {t("chat.send")}
          </button>
        </form>
      )}
    </section>
  );
}
