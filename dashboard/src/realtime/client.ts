import type { CountsDelta } from "../api/types.js";

/** A stored event as the agents' socket delivers it. */
export interface RealtimeEvent {
  seq: number;
  name: string;
  inboxId: string | null;
  data: Record<string, unknown>;
}

/** A fleeting signal: typing.started / typing.stopped / presence.changed. */
export interface RealtimeSignal {
  name: string;
  data: Record<string, unknown>;
}

/** live: connected; connecting: first attempt; interrupted: lost and retrying; ended: the session is over. */
export type ConnectionState = "connecting" | "live" | "interrupted" | "ended";

export interface RealtimeHandlers {
  event?: (event: RealtimeEvent) => void;
  counts?: (delta: CountsDelta, seq: number) => void;
  signal?: (signal: RealtimeSignal) => void;
  /** Missed events could not be replayed: reload what is on screen over REST. */
  resync?: () => void;
  /** Connected live (first time or again); `resumed` when no event was lost in between. */
  hello?: (resumed: boolean) => void;
  state?: (state: ConnectionState) => void;
}

const PING_MS = 25_000;
const MAX_BACKOFF_MS = 15_000;

/**
 * The agents' WebSocket at /api/realtime on the session cookie. Remembers the last sequence number seen and
 * resumes from it after a drop (the server replays what was missed, or says resync), reconnecting with
 * exponential backoff and jitter.
 */
export class RealtimeClient {
  private socket: WebSocket | null = null;
  private lastSeq: number | undefined;
  private attempts = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pinger: ReturnType<typeof setInterval> | undefined;
  private stopped = false;
  private state: ConnectionState = "connecting";
  private readonly handlers = new Set<RealtimeHandlers>();

  constructor(private readonly url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/realtime`) {}

  /** Adds handlers; returns the function that removes them. */
  subscribe(handlers: RealtimeHandlers): () => void {
    this.handlers.add(handlers);
    return () => this.handlers.delete(handlers);
  }

  get connectionState(): ConnectionState {
    return this.state;
  }

  start(): void {
    this.stopped = false;
    this.open();
    window.addEventListener("online", this.retryNow);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.pinger);
    window.removeEventListener("online", this.retryNow);
    this.socket?.close(1000);
    this.socket = null;
  }

  /** Sends a frame if connected; typing indicators are best effort. */
  send(frame: Record<string, unknown>): void {
    if (this.socket?.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(frame));
    }
  }

  private readonly retryNow = () => {
    if (this.state === "interrupted") {
      clearTimeout(this.timer);
      this.open();
    }
  };

  private emit<K extends keyof RealtimeHandlers>(key: K, ...args: Parameters<NonNullable<RealtimeHandlers[K]>>): void {
    for (const handlers of this.handlers) {
      (handlers[key] as ((...values: unknown[]) => void) | undefined)?.(...args);
    }
  }

  private setState(state: ConnectionState): void {
    if (this.state !== state) {
      this.state = state;
      this.emit("state", state);
    }
  }

  private open(): void {
    const url = this.lastSeq === undefined ? this.url : `${this.url}?lastSeq=${this.lastSeq}`;
    const resuming = this.lastSeq !== undefined;
    let resynced = false;
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onmessage = (message) => {
      let frame: { type?: string; seq?: number; name?: string; inboxId?: string | null; data?: Record<string, unknown>; delta?: CountsDelta };
      try {
        frame = JSON.parse(String(message.data)) as typeof frame;
      } catch {
        return;
      }
      if (typeof frame.seq === "number" && frame.type !== "hello" && frame.type !== "resync") {
        this.lastSeq = Math.max(this.lastSeq ?? 0, frame.seq);
      }
      switch (frame.type) {
        case "event":
          this.emit("event", { seq: frame.seq ?? 0, name: frame.name ?? "", inboxId: frame.inboxId ?? null, data: frame.data ?? {} });
          break;
        case "counts":
          this.emit("counts", frame.delta ?? {}, frame.seq ?? 0);
          break;
        case "signal":
          this.emit("signal", { name: frame.name ?? "", data: frame.data ?? {} });
          break;
        case "resync":
          resynced = true;
          this.lastSeq = frame.seq;
          this.emit("resync");
          break;
        case "hello":
          this.lastSeq = frame.seq;
          this.attempts = 0;
          this.setState("live");
          this.emit("hello", resuming && !resynced);
          break;
        default:
          break;
      }
    };
    socket.onopen = () => {
      clearInterval(this.pinger);
      this.pinger = setInterval(() => this.send({ type: "ping" }), PING_MS);
    };
    socket.onclose = (event) => {
      clearInterval(this.pinger);
      if (this.socket !== socket) {
        return;
      }
      this.socket = null;
      if (this.stopped) {
        return;
      }
      // 4001: the member was removed or signed out elsewhere; retrying cannot help.
      if (event.code === 4001 || event.code === 1008) {
        this.setState("ended");
        return;
      }
      this.setState("interrupted");
      const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.attempts) * (0.75 + Math.random() * 0.5);
      this.attempts += 1;
      this.timer = setTimeout(() => this.open(), delay);
    };
  }
}
