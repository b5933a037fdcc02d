// Live chats handed over by the chatbot (docs/bot.md): the header's "Live chats" button with
// the number waiting and a panel listing them (accept opens the ticket), and the chat box in
// the ticket view for the agent who accepted. Both follow the live feed (`ticket.live_chat`
// events and chat lines, which are `ticket.entry_added` with `chat: true`) and poll every 10 s
// in case the feed is down.
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, get, post } from "../api/client";
import { live, type LiveEvent, type LiveMessage } from "../api/live";
import type { Me } from "../api/types";
import { formatTime, t } from "../i18n";
import { navigate, onLink } from "../router";
import { useHeaderPanel, useLiveReload } from "./header_panel";
import { toast } from "./toasts";

const POLL_MS = 10_000;

export interface LiveChatLine {
  from: "agent" | "user";
  name: string;
  text: string;
  at: string;
}

export interface LiveChat {
  ticket_id: number;
  number: number;
  title: string;
  status: "waiting" | "active" | "ended";
  agent_id: number | null;
  agent_name: string | null;
  customer_name: string;
  language: string;
  requested_at: string;
  accepted_at: string | null;
  messages?: LiveChatLine[];
}

// Whether a live message may change a live chat: its state or a chat line.
function aboutChat(m: LiveMessage): boolean {
  if (m.type === "resync") return true;
  if (m.type !== "event") return false;
  const e: LiveEvent = m.event;
  return e.type === "ticket.live_chat" || (e.type === "ticket.entry_added" && e.payload.chat === true);
}

function problemText(e: unknown): string {
  return e instanceof ApiError ? e.message : String(e);
}

// Accepts a chat and opens its ticket; false (with a toast) when another agent was quicker or
// it ended.
export async function acceptChat(chat: LiveChat): Promise<boolean> {
  try {
    await post<LiveChat>(`/api/v1/live-chats/${chat.ticket_id}/accept`);
    toast(t("livechat.accepted", { customer: chat.customer_name }));
    navigate(`/console/tickets/${chat.ticket_id}`);
    return true;
  } catch (e) {
    toast(t("livechat.taken", { detail: problemText(e) }), true);
    return false;
  }
}

export function LiveChatsButton(props: { me: Me }) {
  const [chats, setChats] = useState<LiveChat[] | null>(null);
  const { open, setOpen, button, panel, close } = useHeaderPanel();

  // A server without live chats (404) shows no button.
  const [missing, setMissing] = useState(false);
  const gone = useRef(false);
  const load = () => {
    if (gone.current) return;
    get<{ items: LiveChat[] }>("/api/v1/live-chats").then(
      (r) => setChats(r.items),
      (e) => {
        if (e instanceof ApiError && e.status === 404) gone.current = true;
        setMissing(gone.current);
      },
    );
  };

  // Hand-off tickets start at line 1 and an accepted chat's ticket is the agent's: these two
  // queues carry every change of the list (not "all": every queue view on the page gets what
  // the socket follows).
  useLiveReload(load, ["mine", { line: 1 }], aboutChat, 200, POLL_MS, props.me.id);

  if (missing) return null;
  const waiting = (chats ?? []).filter((c) => c.status === "waiting");
  const shown = (chats ?? []).filter((c) => c.status === "waiting" || c.agent_id === props.me.id);
  return (
    <div class="notifications live-chats" onKeyDown={(e) => e.key === "Escape" && open && close()}>
      <button
        ref={button}
        type="button"
        class="link"
        aria-expanded={open}
        aria-controls="live-chats-panel"
        onClick={() => (open ? close() : setOpen(true))}
      >
        {t("livechat.title")}
        {waiting.length > 0 && (
          <span class="badge live-badge" aria-label={t("livechat.waiting", { count: waiting.length })}>
            {waiting.length}
          </span>
        )}
      </button>
      <span class="visually-hidden" role="status">
        {waiting.length > 0 ? t("livechat.announce", { count: waiting.length }) : ""}
      </span>
      {open && (
        <div id="live-chats-panel" class="notify-panel" ref={panel} role="region" aria-label={t("livechat.title")}>
          {shown.length === 0 && <p class="empty">{t("livechat.none")}</p>}
          <ul>
            {shown.map((c) => (
              <li key={c.ticket_id} class="live-chat-item">
                <strong>{c.customer_name}</strong>
                <br />
                <a
                  href={`/console/tickets/${c.ticket_id}`}
                  onClick={(e) => {
                    setOpen(false);
                    onLink(e);
                  }}
                >
                  #{c.number} {c.title}
                </a>
                <br />
                <span class="muted">
                  {c.status === "waiting"
                    ? t("livechat.since", { at: formatTime(c.requested_at) })
                    : t("livechat.with", { agent: c.agent_name ?? "" })}
                </span>{" "}
                {c.status === "waiting" && (
                  <button
                    type="button"
                    class="primary"
                    aria-label={t("livechat.acceptChat", { customer: c.customer_name })}
                    onClick={async () => {
                      setOpen(false);
                      if (!(await acceptChat(c))) load();
                      else load();
                    }}
                  >
                    {t("livechat.accept")}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

// The live chat on one ticket, for the ticket view: nothing when there is none (or it ended
// before the view opened); waiting: who waits and Accept; active and mine: the messages, a
// line to write and End chat; active with another agent: who has it (and, for supervisors and
// admins, End chat).
export function LiveChatBox(props: { me: Me; ticketId: number }) {
  const { me, ticketId } = props;
  const [chat, setChat] = useState<LiveChat | null>(null);
  const [draft, setDraft] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const log = useRef<HTMLDivElement>(null);

  const load = () =>
    get<LiveChat>(`/api/v1/live-chats/${ticketId}`).then(
      (c) => setChat(c),
      (e) => {
        if (e instanceof ApiError && e.status === 404) setChat(null);
      },
    );

  useEffect(() => {
    setChat(null);
    load();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = live.follow({ tickets: [ticketId] }, (m) => {
      if (!aboutChat(m)) return;
      if (m.type === "event" && m.event.ticket_id !== ticketId) return;
      clearTimeout(timer);
      timer = setTimeout(load, 100);
    });
    return () => {
      stop();
      clearTimeout(timer);
    };
  }, [ticketId]);

  const running = chat !== null && chat.status !== "ended";
  useEffect(() => {
    if (!running) return;
    const poll = setInterval(load, POLL_MS);
    return () => clearInterval(poll);
  }, [running, ticketId]);

  const count = chat?.messages?.length ?? 0;
  useEffect(() => {
    const el = log.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [count]);

  if (!chat || chat.status === "ended") return null;
  const customer = chat.customer_name;

  async function act(what: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await what();
      await load();
    } catch (e) {
      setError(t("error.generic", { detail: problemText(e) }));
      await load();
    } finally {
      setBusy(false);
    }
  }

  // The accepting agent ends a chat; a supervisor or admin may end anyone's.
  const end = () =>
    void act(async () => {
      await post(`/api/v1/live-chats/${ticketId}/end`);
      toast(t("livechat.ended"));
    });
  const mine = chat.status === "active" && chat.agent_id === me.id;
  return (
    <section class="panel live-chat-box" aria-labelledby="live-chat-title">
      <h2 id="live-chat-title">{t("livechat.box", { customer })}</h2>
      {chat.status === "waiting" && (
        <p>
          {t("livechat.waitingHere", { customer, at: formatTime(chat.requested_at) })}{" "}
          <button type="button" class="primary" disabled={busy} onClick={() => void acceptChat(chat).then(load)}>
            {t("livechat.accept")}
          </button>
        </p>
      )}
      {chat.status === "active" && !mine && (
        <p>
          {t("livechat.otherAgent", { agent: chat.agent_name ?? "", customer })}{" "}
          {(me.role === "supervisor" || me.role === "admin") && (
            <button type="button" class="secondary" disabled={busy} onClick={end}>
              {t("livechat.end")}
            </button>
          )}
        </p>
      )}
      {mine && (
        <>
          <div ref={log} class="live-chat-log" role="log" aria-live="polite" aria-label={t("livechat.log")} tabIndex={0}>
            <ol>
            {count === 0 && <li class="empty">{t("livechat.empty")}</li>}
            {chat.messages?.map((m, i) => (
              <li key={i} class={`live-chat-line from-${m.from}`}>
                <span class="live-chat-who">
                  {m.from === "agent" && m.name === me.name ? t("livechat.you") : m.name}
                </span>{" "}
                <span class="muted">{formatTime(m.at)}</span>
                <p>{m.text}</p>
              </li>
            ))}
            </ol>
          </div>
          <form
            class="live-chat-form"
            onSubmit={(e) => {
              e.preventDefault();
              const text = draft.trim();
              if (!text || busy) return;
              void act(async () => {
                await post(`/api/v1/live-chats/${ticketId}/messages`, { text });
                setDraft("");
              });
            }}
          >
            <label for="live-chat-input">{t("livechat.input", { customer })}</label>
            <span class="row">
              <input
                id="live-chat-input"
                value={draft}
                maxLength={2000}
                autoComplete="off"
                onInput={(e) => setDraft(e.currentTarget.value)}
              />
              <button type="submit" class="primary" disabled={busy}>
                {t("livechat.send")}
              </button>
              <button type="button" class="secondary" disabled={busy} onClick={end}>
                {t("livechat.end")}
              </button>
            </span>
          </form>
        </>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
