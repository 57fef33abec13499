import type { WebSocket } from "ws";
import type { Message } from "../../../protocol/conversation.js";
import type { Signal, StoredEvent } from "../events/domain-event.js";
import { visibleToVisitor, type VisitorMessage } from "../modules/visitors/visitor.presenter.js";
import { StreamConnection } from "./stream-connection.js";

/** Turns the agents' message shape into the widget's: no member ids, attachment links the widget can open. */
export function toVisitorMessage(message: Message, attachmentUrl: (id: string) => string): VisitorMessage {
  return {
    id: message.id,
    conversationId: message.conversationId,
    seq: message.seq,
    fromVisitor: message.direction === "incoming",
    content: message.content,
    author: { name: message.direction === "incoming" ? null : message.author.name, kind: message.author.kind },
    attachments: message.attachments.map(({ url: _url, ...attachment }) => ({ ...attachment, url: attachmentUrl(attachment.id) })),
    createdAt: message.createdAt,
  };
}

/** The contact whose widget sockets an event may concern (VisitorConnection.deliver has the rule); undefined for none. */
export function visitorContactOfEvent(event: StoredEvent): string | undefined {
  const payload = event.payload;
  switch (event.name) {
    case "contact.merged":
      return typeof payload.mergedContactId === "string" ? payload.mergedContactId : undefined;
    case "message.created":
    case "conversation.read_by_member":
      return typeof payload.contactId === "string" ? payload.contactId : undefined;
    case "conversation.updated":
    case "conversation.created": {
      const contactId = (payload.conversation as { contactId?: unknown } | undefined)?.contactId;
      return typeof contactId === "string" ? contactId : undefined;
    }
    default:
      return undefined;
  }
}

/** The contact whose widget sockets a signal may concern. */
export function visitorContactOfSignal(signal: Signal): string | undefined {
  return signal.name.startsWith("typing.") && typeof signal.payload.contactId === "string" ? signal.payload.contactId : undefined;
}

/**
 * A website visitor's socket: only their own contact's conversations, only what the contact may read —
 * the contact's messages and the team's replies, never notes, activity lines, or anything about members.
 */
export class VisitorConnection extends StreamConnection {
  constructor(
    socket: WebSocket,
    teamId: string,
    public contactId: string,
    private readonly attachmentUrl: (id: string) => string,
  ) {
    super(socket, teamId);
  }

  /** A merge moves the visitor to the surviving contact as soon as it happens, even while replaying. */
  override applyAccessChange(event: StoredEvent): void {
    const payload = event.payload;
    if (event.name === "contact.merged" && payload.mergedContactId === this.contactId && typeof payload.contactId === "string") {
      this.contactId = payload.contactId;
    }
  }

  deliver(event: StoredEvent): void {
    const payload = event.payload;
    if (event.name === "contact.merged") {
      this.applyAccessChange(event); // a merge replayed from the event log
      return;
    }
    if (event.name === "message.created") {
      const message = payload.message as Message;
      if (payload.contactId !== this.contactId || payload.private === true || !visibleToVisitor(message.direction)) {
        return;
      }
      this.send(JSON.stringify({ type: "event", seq: event.seq, name: "message.created", data: { message: toVisitorMessage(message, this.attachmentUrl) } }));
      return;
    }
    if (event.name === "conversation.read_by_member") {
      if (payload.contactId === this.contactId && typeof payload.readAt === "number") {
        this.send(JSON.stringify({ type: "event", seq: event.seq, name: "conversation.seen", data: { conversationId: payload.conversationId, seenAt: new Date(payload.readAt).toISOString() } }));
      }
      return;
    }
    if (event.name === "conversation.updated" || event.name === "conversation.created") {
      const conversation = payload.conversation as { id: string; contactId: string; status: string };
      const changed = (payload.changed as string[] | undefined) ?? ["status"];
      if (conversation.contactId !== this.contactId || !changed.includes("status")) {
        return;
      }
      const status = conversation.status === "closed" ? "closed" : "open";
      this.send(JSON.stringify({ type: "event", seq: event.seq, name: "conversation.updated", data: { conversation: { id: conversation.id, status } } }));
    }
  }

  signal(signal: Signal): void {
    const payload = signal.payload;
    if (this.sent(signal) || payload.contactId !== this.contactId || payload.private === true || !signal.name.startsWith("typing.")) {
      return;
    }
    const member = payload.member as { name?: string } | undefined;
    if (!member) {
      return; // the visitor's own typing, from another of their tabs
    }
    this.send(JSON.stringify({ type: "signal", name: signal.name, data: { conversationId: payload.conversationId, agent: { name: member.name ?? null } } }));
  }
}
