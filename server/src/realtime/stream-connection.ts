import { randomUUID } from "node:crypto";
import type { WebSocket } from "ws";
import type { Signal, StoredEvent } from "../events/domain-event.js";

/** A socket that has this much unsent data is not keeping up; it is closed rather than slowing others. */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

/** Close codes the clients act on. */
export const CloseCode = {
  slowConsumer: 4008,
  unauthorized: 4001,
  serverShutdown: 1001,
} as const;

/**
 * A socket following one team's event stream: where it is in the sequence, a guarded send, and the hold of
 * live events while missed ones are replayed. Subclasses decide what each event becomes for their reader.
 */
export abstract class StreamConnection {
  private ownId: string | undefined;
  /** The last event number this socket has been sent (or told to start after). */
  lastSeq = 0;
  alive = true;
  /** While replaying missed events, live ones wait here. */
  private pending: StoredEvent[] | undefined = [];

  constructor(
    readonly socket: WebSocket,
    readonly teamId: string,
  ) {}

  /** Names the socket in the signals it sends, so it does not hear them back; made when first needed. */
  get id(): string {
    this.ownId ??= randomUUID();
    return this.ownId;
  }

  /** Whether this socket sent the signal. */
  sent(signal: Signal): boolean {
    return this.ownId !== undefined && signal.originConnectionId === this.ownId;
  }

  /** Sends what the reader may know of an event (possibly nothing). */
  abstract deliver(event: StoredEvent): void;

  /** Sends a signal if it concerns the reader. */
  abstract signal(signal: Signal): void;

  /** Reacts to an event that changes what this reader may see, before it is delivered to anyone. */
  applyAccessChange(_event: StoredEvent): void {
    // most readers' access never changes
  }

  /** Sends a frame unless the socket is too far behind, in which case it is closed. */
  send(frame: string): boolean {
    if (this.socket.readyState !== this.socket.OPEN) {
      return false;
    }
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.socket.close(CloseCode.slowConsumer, "too slow: reconnect with lastSeq to catch up");
      return false;
    }
    this.socket.send(frame);
    return true;
  }

  /** A live event from the team's stream: held while replaying, else delivered once. */
  receive(event: StoredEvent): void {
    if (this.pending) {
      this.pending.push(event);
      return;
    }
    if (event.seq > this.lastSeq) {
      this.deliver(event);
      this.lastSeq = event.seq;
    }
  }

  /** Ends the replay: delivers the live events that arrived meanwhile and were not replayed. */
  goLive(): void {
    const waiting = this.pending ?? [];
    this.pending = undefined;
    for (const event of waiting) {
      this.receive(event);
    }
  }
}
