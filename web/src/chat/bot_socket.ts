// The chatbot's WebSocket (/api/v1/bot/socket): agent lines and live-chat state are pushed
// while a live hand-over runs; messages may be sent over it too. One socket per widget,
// resumed with the session id after a drop (backoff 0.5 s doubling to 15 s). Sending falls back
// to REST when the socket is not open, so a caller never waits for a reconnect.
import { ApiError, token } from "../api/client";
import type { BotLive, BotTurn, LiveEndedBy, LiveLine } from "./bot_api";

export type BotPush =
  | { type: "resumed"; session: string; status: BotTurn["status"]; live: BotLive | null; first: boolean }
  | { type: "live"; state: BotLive["state"]; agent: string | null; endedBy?: LiveEndedBy }
  | { type: "chat"; line: LiveLine };

type Pending = { ok: (turn: BotTurn) => void; fail: (e: ApiError) => void; timer: ReturnType<typeof setTimeout> };

const REPLY_TIMEOUT_MS = 15_000;
const PING_MS = 25_000;

function problem(status: number, detail?: string): ApiError {
  return new ApiError({ type: "about:blank", title: detail ?? "WebSocket", status, detail });
}

export class BotSocket {
  private socket: WebSocket | null = null;
  private ready = false;  // resumed: messages may be sent
  private resumedOnce = false;
  private pending: Pending[] = [];
  private retry = 500;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private closed = false;

  constructor(
    private readonly session: string,
    private readonly onPush: (p: BotPush) => void,
  ) {
    this.open();
  }

  get isOpen(): boolean {
    return !this.closed && this.ready && this.socket?.readyState === WebSocket.OPEN;
  }

  // Sends a message or button over the socket; the server answers with a reply (in order).
  send(input: { text: string } | { button: string }): Promise<BotTurn> {
    if (!this.isOpen) return Promise.reject(problem(0, "not connected"));
    return new Promise((ok, fail) => {
      const entry: Pending = {
        ok,
        fail,
        timer: setTimeout(() => {
          this.pending = this.pending.filter((p) => p !== entry);
          fail(problem(0, "no reply"));
          this.settled();
        }, REPLY_TIMEOUT_MS),
      };
      this.pending.push(entry);
      this.socket!.send(JSON.stringify({ type: "message", ...input }));
    });
  }

  // Stops reconnecting and closes once the replies still awaited have come (a live chat may
  // end by a push while the reply to "End chat" is on its way).
  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    if (this.pending.length === 0) this.shut();
  }

  private shut(): void {
    clearInterval(this.pingTimer);
    this.failPending(problem(0, "closed"));
    this.socket?.close(1000);
    this.socket = null;
  }

  private settled(): void {
    if (this.closed && this.pending.length === 0) this.shut();
  }

  private open(): void {
    if (this.closed) return;
    const socket = new WebSocket(location.origin.replace(/^http/, "ws") + "/api/v1/bot/socket");
    this.socket = socket;
    this.ready = false;
    socket.onopen = () => {
      const bearer = token();
      socket.send(JSON.stringify({ type: "resume", session: this.session, ...(bearer ? { token: bearer } : {}) }));
    };
    socket.onmessage = (e) => {
      let m: Record<string, unknown>;
      try {
        m = JSON.parse(String(e.data));
      } catch {
        return;
      }
      this.receive(m);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.ready = false;
      clearInterval(this.pingTimer);
      this.failPending(problem(0, "connection lost"));
      if (this.closed) return;
      this.retryTimer = setTimeout(() => this.open(), this.retry);
      this.retry = Math.min(this.retry * 2, 15_000);
    };
  }

  private receive(m: Record<string, unknown>): void {
    if (this.closed && m.type !== "reply" && m.type !== "error") return;
    switch (m.type) {
      case "resumed": {
        this.ready = true;
        this.retry = 500;
        clearInterval(this.pingTimer);
        this.pingTimer = setInterval(() => this.socket?.send(JSON.stringify({ type: "ping" })), PING_MS);
        const first = !this.resumedOnce;
        this.resumedOnce = true;
        this.onPush({
          type: "resumed",
          session: String(m.session),
          status: m.status as BotTurn["status"],
          live: (m.live as BotLive | null) ?? null,
          first,
        });
        return;
      }
      case "live":
        this.onPush({
          type: "live",
          state: m.state as BotLive["state"],
          agent: (m.agent as string | null) ?? null,
          endedBy: typeof m.ended_by === "string" ? (m.ended_by as LiveEndedBy) : undefined,
        });
        return;
      case "chat":
        if (m.from !== "agent") return;  // the user's own lines are shown when sent
        this.onPush({
          type: "chat",
          line: { from: "agent", name: String(m.name ?? ""), text: String(m.text ?? ""), at: String(m.at ?? "") },
        });
        return;
      case "reply": {
        const p = this.pending.shift();
        if (!p) return;
        clearTimeout(p.timer);
        const { type: _, ...turn } = m;
        p.ok(turn as unknown as BotTurn);
        this.settled();
        return;
      }
      case "error": {
        const p = this.pending.shift();
        if (!p) return;
        clearTimeout(p.timer);
        p.fail(problem(Number(m.status ?? 0), m.detail as string | undefined));
        this.settled();
        return;
      }
      default:
        return;  // pong and anything newer
    }
  }

  private failPending(e: ApiError): void {
    const all = this.pending;
    this.pending = [];
    for (const p of all) {
      clearTimeout(p.timer);
      p.fail(e);
    }
  }
}
