import type { ServerFrame } from "./types.js";

/** Close code the server uses for an unknown visitor token. */
const UNAUTHORIZED = 4001;
const PING_EVERY_MS = 25_000;
const PONG_WITHIN_MS = 10_000;
const MAX_BACKOFF_MS = 30_000;

export interface SocketHandlers {
  /** Every frame, after the socket has tracked its sequence number. */
  frame(frame: ServerFrame, context: { resumed: boolean }): void;
  status(online: boolean): void;
  /** The server does not know the token any more. */
  unauthorized(): void;
}

/**
 * The visitor's live feed: authenticates with the first frame, keeps the last sequence number seen and sends
 * it when reconnecting (the server replays what was missed or answers `resync`), reconnects with backoff,
 * and notices a dead connection with its own pings.
 */
export class VisitorSocket {
  private socket: WebSocket | undefined;
  private lastSeq: number | undefined;
  private attempts = 0;
  private stopped = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pongTimer: ReturnType<typeof setTimeout> | undefined;
  private sentLastSeq = false;

  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly handlers: SocketHandlers,
  ) {
    window.addEventListener("online", this.reconnectNow);
    document.addEventListener("visibilitychange", this.onVisible);
    this.connect();
  }

  /** Sends a frame if connected (typing is best effort). */
  send(frame: { type: "typing"; conversationId: string; state: "started" | "stopped" }): void {
    if (this.socket?.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(frame));
    }
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener("online", this.reconnectNow);
    document.removeEventListener("visibilitychange", this.onVisible);
    this.clearTimers();
    this.socket?.close(1000, "bye");
    this.socket = undefined;
  }

  private readonly onVisible = () => {
    if (document.visibilityState === "visible") {
      this.reconnectNow();
    }
  };

  private readonly reconnectNow = () => {
    if (!this.stopped && (!this.socket || this.socket.readyState === WebSocket.CLOSED)) {
      clearTimeout(this.retryTimer);
      this.attempts = 0;
      this.connect();
    }
  };

  private clearTimers(): void {
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
  }

  private connect(): void {
    if (this.stopped) {
      return;
    }
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.sentLastSeq = this.lastSeq !== undefined;
      socket.send(JSON.stringify({ type: "auth", visitorToken: this.token, ...(this.lastSeq !== undefined ? { lastSeq: this.lastSeq } : {}) }));
      this.pingTimer = setInterval(() => {
        socket.send(JSON.stringify({ type: "ping" }));
        this.pongTimer ??= setTimeout(() => socket.close(4000, "no pong"), PONG_WITHIN_MS);
      }, PING_EVERY_MS);
    };
    socket.onmessage = (event: MessageEvent) => {
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(event.data)) as ServerFrame;
      } catch {
        return;
      }
      clearTimeout(this.pongTimer);
      this.pongTimer = undefined;
      if (frame.type === "event" || frame.type === "hello" || frame.type === "resync") {
        this.lastSeq = Math.max(this.lastSeq ?? 0, frame.seq);
      }
      if (frame.type === "hello") {
        this.attempts = 0;
        this.handlers.status(true);
      }
      this.handlers.frame(frame, { resumed: this.sentLastSeq });
    };
    socket.onclose = (event: CloseEvent) => {
      if (this.socket !== socket) {
        return;
      }
      this.clearTimers();
      this.pongTimer = undefined;
      this.socket = undefined;
      this.handlers.status(false);
      if (this.stopped) {
        return;
      }
      if (event.code === UNAUTHORIZED) {
        this.handlers.unauthorized();
        return;
      }
      // 1 s, 2 s, 4 s … up to 30 s, with jitter so a restarted server is not hit by every visitor at once.
      const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** this.attempts) * (0.75 + Math.random() * 0.5);
      this.attempts += 1;
      this.retryTimer = setTimeout(() => this.connect(), delay);
    };
  }
}
