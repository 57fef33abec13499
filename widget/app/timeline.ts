import type { VisitorConversation, VisitorMessage } from "./types.js";

/** A message on screen: a stored one, or one of this visitor's still being sent (or failed). */
export interface ChatMessage extends VisitorMessage {
  local?: {
    status: "sending" | "failed";
    error: string | null;
    /** The text or file to send again on retry. */
    file?: File;
    attachmentIds?: string[];
  };
}

/** Conversations oldest first: by start time, then (same instant) in the server's reverse order. */
export function chronological(conversations: VisitorConversation[]): VisitorConversation[] {
  return conversations
    .map((conversation, index) => ({ conversation, index }))
    .sort((a, b) => a.conversation.createdAt.localeCompare(b.conversation.createdAt) || b.index - a.index)
    .map(({ conversation }) => conversation);
}

/** The conversation the visitor is in now: the newest one. */
export function newest(conversations: VisitorConversation[]): VisitorConversation | undefined {
  return chronological(conversations).at(-1);
}

/** Puts stored messages in conversation order, then by position; unsent ones stay last, in the order written. */
export function orderMessages(messages: ChatMessage[], conversations: VisitorConversation[]): ChatMessage[] {
  const rank = new Map(chronological(conversations).map((conversation, index) => [conversation.id, index]));
  const byId = new Map<string, ChatMessage>();
  for (const message of messages) {
    byId.set(message.id, message);
  }
  const key = (message: ChatMessage) => (message.local ? Number.MAX_SAFE_INTEGER : (rank.get(message.conversationId) ?? conversations.length));
  return [...byId.values()].sort((a, b) => key(a) - key(b) || (a.local || b.local ? 0 : a.seq - b.seq));
}

/** Replaces a conversation by id, or adds it. */
export function upsertConversation(conversations: VisitorConversation[], conversation: VisitorConversation): VisitorConversation[] {
  const others = conversations.filter((existing) => existing.id !== conversation.id);
  return [conversation, ...others];
}

/** A placeholder for a conversation the live feed mentioned before the list was reloaded. */
export function conversationStub(id: string, createdAt: string): VisitorConversation {
  return { id, status: "open", createdAt, closedAt: null, lastMessageAt: createdAt, lastMessage: null, unreadCount: 0, csat: { requested: false, rating: null } };
}
