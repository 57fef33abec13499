import { randomUUID } from "node:crypto";
import type { WebSocket } from "ws";
import type { StoredEvent } from "../events/domain-event.js";
import type { Credential } from "../http/request-auth.js";
import type { Actor } from "../modules/members/actor.js";
import type { Viewer } from "./audience.js";

/** A socket that has this much unsent data is not keeping up; it is closed rather than slowing others. */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

/** Close codes the clients act on. */
export const CloseCode = {
  slowConsumer: 4008,
  unauthorized: 4001,
  serverShutdown: 1001,
} as const;

/** One member's socket: what they may see, where they are in the team's event sequence, and a guarded send. */
export class AgentConnection implements Viewer {
  readonly id = randomUUID();
  readonly memberId: string;
  readonly teamId: string;
  role: Actor["role"];
  inboxIds: Set<string> | undefined;
  /** The last event number this socket has been sent (or told to start after). */
  lastSeq = 0;
  /** While replaying missed events, live ones wait here. */
  private pending: StoredEvent[] | undefined = [];
  alive = true;

  constructor(
    readonly socket: WebSocket,
    readonly actor: Actor,
    inboxIds: string[] | undefined,
    /** The credential to check again from time to time (session token or API key secret). */
    readonly credential: Credential,
    private readonly deliver: (connection: AgentConnection, event: StoredEvent) => void,
  ) {
    this.memberId = actor.memberId;
    this.teamId = actor.teamId;
    this.role = actor.role;
    this.inboxIds = inboxIds ? new Set(inboxIds) : undefined;
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

  /** A live event from the team's sequencer: held while replaying, else delivered once. */
  receive(event: StoredEvent): void {
    if (this.pending) {
      this.pending.push(event);
      return;
    }
    if (event.seq > this.lastSeq) {
      this.deliver(this, event);
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
