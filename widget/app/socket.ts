import { ApiError } from "./api.js";
import type { ServerFrame, VisitorConversation, VisitorMessage } from "./types.js";

/** Close code the server uses for an unknown visitor token. */
const UNAUTHORIZED = 4001;
const PING_EVERY_MS = 25_000;
const PONG_WITHIN_MS = 10_000;
const MAX_BACKOFF_MS = 30_000;
/** A message waits this long for its answer before it counts as failed. */
const ANSWER_WITHIN_MS = 20_000;
/** Larger messages go over HTTP: the server refuses socket frames over 64 KiB. */
const MAX_FRAME_CHARS = 30_000;

export interface SentMessage {
  message: VisitorMessage;
  conversation: VisitorConversation;
  created: boolean;
}

interface Waiting {
  resolve(sent: SentMessage): void;
  reject(error: ApiError): void;
  timer: ReturnType<typeof setTimeout>;
}

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
  /** The server has answered the auth frame, so messages may go on this socket. */
  private ready = false;
  private refs = 0;
  private readonly waiting = new Map<string, Waiting>();

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

  /**
   * Sends a message on the socket and resolves with the server's answer (the same as POST
   * /api/widget/messages gives); undefined when the socket is not ready, and the caller uses HTTP.
   */
  sendMessage(body: { content: string; attachmentIds?: string[]; conversationId?: string }): Promise<SentMessage> | undefined {
    const socket = this.socket;
    if (!socket || !this.ready || socket.readyState !== WebSocket.OPEN) {
      return undefined;
    }
    this.refs += 1;
    const ref = `m${this.refs}`;
    const frame = JSON.stringify({ type: "message", ref, ...body });
    if (frame.length > MAX_FRAME_CHARS) {
      return undefined;
    }
    return new Promise<SentMessage>((resolve, reject) => {
      const timer = setTimeout(() => this.settle(ref, new ApiError(0, "network_error", "The message got no answer.")), ANSWER_WITHIN_MS);
      this.waiting.set(ref, { resolve, reject, timer });
      socket.send(frame);
    });
  }

  /** Ends a waiting message with its answer or an error. */
  private settle(ref: string, outcome: SentMessage | ApiError): void {
    const waiting = this.waiting.get(ref);
    if (!waiting) {
      return;
    }
    this.waiting.delete(ref);
    clearTimeout(waiting.timer);
    if (outcome instanceof ApiError) {
      waiting.reject(outcome);
    } else {
      waiting.resolve(outcome);
    }
  }

  /** The socket went away: whether its waiting messages were stored is unknown, so they count as failed. */
  private failWaiting(): void {
    for (const ref of [...this.waiting.keys()]) {
      this.settle(ref, new ApiError(0, "network_error", "The connection dropped before the message was confirmed."));
    }
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener("online", this.reconnectNow);
    document.removeEventListener("visibilitychange", this.onVisible);
    this.clearTimers();
    this.socket?.close(1000, "bye");
    this.socket = undefined;
    this.ready = false;
    this.failWaiting();
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
      if (frame.type === "message.sent") {
        this.settle(frame.ref, frame);
        return;
      }
      if (frame.type === "error" && frame.ref !== undefined) {
        this.settle(frame.ref, new ApiError(frame.status ?? 400, frame.code, frame.message));
        return;
      }
      if (frame.type === "event" || frame.type === "hello" || frame.type === "resync") {
        this.lastSeq = Math.max(this.lastSeq ?? 0, frame.seq);
      }
      if (frame.type === "hello") {
        this.ready = true;
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
      this.ready = false;
      this.failWaiting();
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
