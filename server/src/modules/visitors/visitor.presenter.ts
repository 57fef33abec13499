import type { ConversationRow } from "../../db/schema.js";
import { iso, isoOrNull } from "../../lib/time.js";
import { attachmentUrl, type StoredAttachment } from "../messages/message.presenter.js";
import type { MessageWithAuthor } from "../messages/message.repo.js";

/** A message as the visitor sees it: their own words and the team's replies, never notes or activity lines. */
export interface VisitorMessage {
  id: string;
  conversationId: string;
  seq: number;
  fromVisitor: boolean;
  content: string;
  author: { name: string | null; kind: string };
  attachments: (StoredAttachment & { url: string })[];
  createdAt: string;
}

/** Which messages a visitor may see. */
export function visibleToVisitor(direction: string): boolean {
  return direction === "incoming" || direction === "outgoing";
}

/** A message for the widget; only call it for messages visibleToVisitor(). */
export function presentVisitorMessage(row: Pick<MessageWithAuthor, "id" | "conversation_id" | "seq" | "direction" | "content" | "author_kind" | "author_name" | "attachments" | "created_at">): VisitorMessage {
  const attachments = (JSON.parse(row.attachments) as StoredAttachment[]).map((attachment) => ({ ...attachment, url: `${attachmentUrl(attachment.id).replace("/api/support/", "/api/widget/")}` }));
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: row.seq,
    fromVisitor: row.direction === "incoming",
    content: row.content,
    author: { name: row.direction === "incoming" ? null : row.author_name, kind: row.author_kind },
    attachments,
    createdAt: iso(row.created_at),
  };
}

/** A conversation for the widget. */
export interface VisitorConversation {
  id: string;
  status: string;
  createdAt: string;
  closedAt: string | null;
  lastMessageAt: string | null;
  lastMessage: { preview: string; fromVisitor: boolean } | null;
  unreadCount: number;
  /** When someone on the team last read the conversation (read receipts for the visitor's messages). */
  seenAt: string | null;
  csat: { requested: boolean; rating: number | null };
}

/** A conversation as the widget shows it; the CSAT prompt stands while a closed one has no rating. */
export function presentVisitorConversation(row: ConversationRow, csatEnabled: boolean, seenAt: number | null = null): VisitorConversation {
  const lastIsVisible = row.last_message_direction === "incoming" || row.last_message_direction === "outgoing";
  return {
    id: row.id,
    status: row.status === "closed" ? "closed" : "open",
    createdAt: iso(row.created_at),
    closedAt: isoOrNull(row.closed_at),
    lastMessageAt: isoOrNull(row.last_message_at),
    lastMessage: lastIsVisible && row.last_message_preview !== null ? { preview: row.last_message_preview, fromVisitor: row.last_message_direction === "incoming" } : null,
    unreadCount: Math.max(0, row.outgoing_count - row.contact_read_count),
    seenAt: isoOrNull(seenAt),
    csat: { requested: csatEnabled && row.status === "closed" && row.csat_rating === null, rating: row.csat_rating },
  };
}
