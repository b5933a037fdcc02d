// The chatbot widget: a launcher that opens the conversation panel (in the portal), or the
// panel alone filling its frame (chat.html, embedded in an intranet page by /embed.js). The
// session id survives a reload (sessionStorage) and the transcript is fetched again. Quick
// replies are buttons; typing works everywhere. Bot turns are announced (role="log").
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "../api/client";
import { language, t, useLanguage } from "../i18n";
import { type BotArticle, type BotButton, type BotStatus, type BotTurn, say, startSession, transcript } from "./bot_api";
import "./chat.css";

const SESSION_KEY = "firstline.bot.session";

type Line = { who: "user" | "bot"; text: string; article?: BotArticle };

type State = {
  session: string | null;
  status: BotStatus;
  lines: Line[];
  buttons: BotButton[];
  ticket?: { id: number; number: number };
};

const empty: State = { session: null, status: "open", lines: [], buttons: [] };

function linesOf(turn: BotTurn): Line[] {
  return turn.messages.map((m) => ({ who: "bot" as const, text: m.text, article: m.article }));
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

  const fail = (e: unknown) => {
    setError(e instanceof ApiError && e.status === 429 ? t("chat.tooMany") : t("chat.error"));
  };

  const apply = (turn: BotTurn, before: Line[]) => {
    sessionStorage.setItem(SESSION_KEY, turn.id);
    setState({
      session: turn.id,
      status: turn.status,
      lines: [...before, ...linesOf(turn)],
      buttons: turn.buttons ?? [],
      ticket: turn.ticket,
    });
  };

  const begin = async () => {
    setBusy(true);
    setError(null);
    try {
      apply(await startSession(language()), []);
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
      .then((tr) => {
        const last = tr.turns[tr.turns.length - 1];
        setState({
          session: tr.id,
          status: tr.status,
          lines: tr.turns.map((x) => ({ who: x.who, text: x.text, article: x.article })),
          buttons: last?.who === "bot" && tr.status === "open" ? (last.buttons ?? []) : [],
          ticket: tr.ticket,
        });
      })
      .catch(() => {
        sessionStorage.removeItem(SESSION_KEY);
        void begin();
      })
      .finally(() => setBusy(false));
  }, [open]);

  useEffect(() => {
    const el = log.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [state.lines.length, busy]);

  const send = async (inputValue: { text: string } | { button: string }, shown: string) => {
    if (!state.session || busy) return;
    const before = [...state.lines, { who: "user" as const, text: shown }];
    setState({ ...state, lines: before, buttons: [] });
    setBusy(true);
    setError(null);
    try {
      apply(await say(state.session, inputValue), before);
    } catch (e) {
      setState({ ...state });  // the message was not taken: as before, buttons back
      fail(e);
    } finally {
      setBusy(false);
      input.current?.focus();
    }
  };

  const restart = () => {
    sessionStorage.removeItem(SESSION_KEY);
    setState(empty);
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

  const ended = state.status !== "open";
  const target = props.embedded ? "_blank" : undefined;
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
      <div ref={log} class="chat-log" role="log" aria-live="polite" aria-label={t("chat.log")} tabIndex={0}>
        <ol>
        {state.lines.map((line, i) => (
          <li key={i} class={`chat-line chat-${line.who}`}>
            <span class="visually-hidden">{line.who === "bot" ? t("chat.bot") : t("chat.you")}: </span>
            <p>{line.text}</p>
            {line.article && (
              <a href={line.article.url} target={target} rel={target ? "noopener" : undefined}>
                {t("chat.article", { title: line.article.title })}
              </a>
            )}
          </li>
        ))}
        {busy && <li class="chat-line chat-bot chat-typing">{t("chat.typing")}</li>}
        </ol>
      </div>
      {state.buttons.length > 0 && !busy && (
        <div class="chat-buttons" role="group" aria-label={t("chat.choices")}>
          {state.buttons.map((b) => (
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
            {t("chat.input")}
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
