// The live event feed (GET /api/v1/events, docs/live-events.md): one WebSocket per page,
// authenticated by the first message, resubscribed with the last cursor after a reconnect so
// that nothing is lost. Views register what they follow and a handler; the connection keeps
// the union of their subscriptions.
import { token } from "./client";
import type { TicketSummary } from "./types";

export type Queue = { team: number } | { line: number } | "mine" | "all";

export interface LiveEvent {
  id: number;
  type: string;
  ticket_id: number;
  at: string;
  actor_id: number | null;
  payload: Record<string, unknown>;
}

export type LiveMessage =
  | { type: "event"; cursor: number; event: LiveEvent; ticket: TicketSummary }
  | { type: "ticket"; cursor: number; ticket: TicketSummary }
  | { type: "ticket_left"; cursor: number; ticket_id: number }
  | { type: "resync"; cursor: number };

export interface Follow {
  tickets?: number[];
  queues?: Queue[];
}

// A phone call for this agent's extension (docs/telephony.md): told to every socket of the
// agent whatever it follows, not replayed. Only onCall listeners get it.
export interface CallMessage {
  type: "call";
  call: { event: "ringing" | "answered" | "ended"; call_id: string; caller: string | null; extension: string; at: string; duration_seconds: number | null };
  caller: unknown;
}

type Handler = (m: LiveMessage) => void;
export type LiveState = "connecting" | "live" | "offline";

class LiveConnection {
  private socket: WebSocket | null = null;
  private cursor: number | null = null;
  private follows = new Map<number, { follow: Follow; handler: Handler }>();
  private nextId = 1;
  private retry = 500;
  private stateListeners = new Set<(s: LiveState) => void>();
  private callListeners = new Set<(m: CallMessage) => void>();
  state: LiveState = "offline";

  // Follows tickets and queues until the returned function is called.
  follow(follow: Follow, handler: Handler): () => void {
    const id = this.nextId++;
    this.follows.set(id, { follow, handler });
    if (!this.socket) this.open();
    else if (this.state === "live") this.send({ type: "subscribe", ...this.wanted() });
    return () => {
      this.follows.delete(id);
      if (this.state === "live") {
        // The remaining subscriptions again, from the last cursor: nothing that went by
        // between the two messages is lost.
        this.send({ type: "unsubscribe" });
        const after = this.cursor === null ? {} : { after: this.cursor };
        if (this.follows.size > 0) this.send({ type: "subscribe", ...this.wanted(), ...after });
      }
    };
  }

  onState(listener: (s: LiveState) => void): () => void {
    this.stateListeners.add(listener);
    return () => void this.stateListeners.delete(listener);
  }

  // Listens for "call" messages while the connection is open (follow something to open it).
  onCall(listener: (m: CallMessage) => void): () => void {
    this.callListeners.add(listener);
    return () => void this.callListeners.delete(listener);
  }

  close(): void {
    this.follows.clear();
    this.socket?.close(1000);
    this.socket = null;
    this.cursor = null;
  }

  private setState(s: LiveState): void {
    this.state = s;
    for (const l of this.stateListeners) l(s);
  }

  private wanted(): Required<Follow> {
    const tickets = new Set<number>();
    const queues = new Map<string, Queue>();
    for (const { follow } of this.follows.values()) {
      for (const t of follow.tickets ?? []) tickets.add(t);
      for (const q of follow.queues ?? []) queues.set(JSON.stringify(q), q);
    }
    return { tickets: [...tickets], queues: [...queues.values()] };
  }

  private open(): void {
    const bearer = token();
    if (!bearer) return;
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}/api/v1/events`);
    this.socket = socket;
    this.setState("connecting");
    socket.onopen = () => socket.send(JSON.stringify({ type: "auth", token: bearer }));
    socket.onmessage = (e) => this.receive(JSON.parse(String(e.data)));
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.setState("offline");
      if (this.follows.size === 0) return;
      setTimeout(() => this.open(), this.retry);
      this.retry = Math.min(this.retry * 2, 10_000);
    };
  }

  private receive(m: { type: string; cursor?: number } & Record<string, unknown>): void {
    if (m.type === "authenticated") {
      this.retry = 500;
      const after = this.cursor === null ? {} : { after: this.cursor };
      this.send({ type: "subscribe", ...this.wanted(), ...after });
      return;
    }
    if (typeof m.cursor === "number") this.cursor = m.cursor;
    if (m.type === "subscribed") {
      this.setState("live");
      return;
    }
    if (m.type === "call") {
      for (const l of this.callListeners) l(m as unknown as CallMessage);
      return;
    }
    if (m.type === "event" || m.type === "ticket" || m.type === "ticket_left" || m.type === "resync")
      for (const { handler } of this.follows.values()) handler(m as unknown as LiveMessage);
  }

  private send(message: object): void {
    this.socket?.send(JSON.stringify(message));
  }
}

export const live = new LiveConnection();
