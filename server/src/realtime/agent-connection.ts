import type { WebSocket } from "ws";
import type { Signal, StoredEvent } from "../events/domain-event.js";
import type { Credential } from "../http/request-auth.js";
import type { Actor } from "../modules/members/actor.js";
import { countsDelta, mayReceive, type Viewer } from "./audience.js";
import { StreamConnection } from "./stream-connection.js";

export { CloseCode, MAX_BUFFERED_BYTES } from "./stream-connection.js";

const frameCache = new WeakMap<StoredEvent, string>();

/** Serialises an event once, whatever the number of sockets it goes to. */
function eventFrame(event: StoredEvent): string {
  let frame = frameCache.get(event);
  if (frame === undefined) {
    frame = JSON.stringify({ type: "event", seq: event.seq, name: event.name, inboxId: event.inboxId ?? null, data: event.payload });
    frameCache.set(event, frame);
  }
  return frame;
}

const signalCache = new WeakMap<Signal, string>();

/** Serialises a signal once for all the agents it goes to (a member coming online reaches every agent of the team). */
function signalFrame(signal: Signal): string {
  let frame = signalCache.get(signal);
  if (frame === undefined) {
    frame = JSON.stringify({ type: "signal", name: signal.name, inboxId: signal.inboxId ?? null, data: signal.payload });
    signalCache.set(signal, frame);
  }
  return frame;
}

/** One member's socket: what they may see, and their view-count deltas. */
export class AgentConnection extends StreamConnection implements Viewer {
  readonly memberId: string;
  role: Actor["role"];
  inboxIds: Set<string> | undefined;

  constructor(
    socket: WebSocket,
    readonly actor: Actor,
    inboxIds: string[] | undefined,
    /** The credential to check again from time to time (session token or API key secret). */
    readonly credential: Credential,
    /** Called when a role change means the visible inboxes must be read again. */
    private readonly reloadAccess: (connection: AgentConnection) => void,
  ) {
    super(socket, actor.teamId);
    this.memberId = actor.memberId;
    this.role = actor.role;
    this.inboxIds = inboxIds ? new Set(inboxIds) : undefined;
  }

  deliver(event: StoredEvent): void {
    if (!mayReceive(this, event)) {
      return;
    }
    this.send(eventFrame(event));
    const delta = countsDelta(this, event);
    if (Object.keys(delta).length > 0) {
      this.send(JSON.stringify({ type: "counts", seq: event.seq, delta }));
    }
  }

  signal(signal: Signal): void {
    if (this.sent(signal) || (signal.inboxId && this.inboxIds !== undefined && !this.inboxIds.has(signal.inboxId))) {
      return;
    }
    this.send(signalFrame(signal));
  }

  override applyAccessChange(event: StoredEvent): void {
    const payload = event.payload;
    const concernsMe = payload.memberId === this.memberId;
    switch (event.name) {
      case "inbox_member.added":
        if (concernsMe && this.inboxIds && typeof payload.inboxId === "string") {
          this.inboxIds.add(payload.inboxId);
        }
        break;
      case "inbox_member.removed":
        if (concernsMe && this.inboxIds && typeof payload.inboxId === "string") {
          this.inboxIds.delete(payload.inboxId);
        }
        break;
      case "member.updated": {
        const member = payload.member as { id?: string; role?: Actor["role"] } | undefined;
        if (member?.id === this.memberId && member.role && member.role !== this.role) {
          this.role = member.role;
          this.reloadAccess(this);
        }
        break;
      }
      case "member.removed":
        if (concernsMe) {
          this.socket.close(4001, "member removed");
        }
        break;
      case "api_key.revoked":
        if (payload.apiKeyId === this.actor.apiKeyId) {
          this.socket.close(4001, "API key revoked");
        }
        break;
      default:
        break;
    }
  }
}
