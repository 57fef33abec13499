import type { AttachmentSummary, Message, MessageDirection } from "../../../../protocol/conversation.js";
import { iso, isoOrNull } from "../../lib/time.js";
import type { MessageWithAuthor } from "./message.repo.js";

/** What a message stores of each attachment; the URL is derived when presenting. */
export type StoredAttachment = Omit<AttachmentSummary, "url">;

/** Where an attachment is downloaded from. */
export function attachmentUrl(id: string): string {
  return `/api/support/attachments/${id}`;
}

/**
 * A message as the API shows it. `contactReadAt`, when the conversation is known, is when the contact last
 * read it: every reply sent until then counts as read (the read receipt the dashboard shows as "Seen").
 */
export function presentMessage(row: MessageWithAuthor, contactReadAt?: number | null): Message {
  const readByContact = row.direction === "outgoing" && contactReadAt !== undefined && contactReadAt !== null && row.created_at <= contactReadAt ? contactReadAt : null;
  const attachments = (JSON.parse(row.attachments) as StoredAttachment[]).map((attachment) => ({ ...attachment, url: attachmentUrl(attachment.id) }));
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: row.seq,
    direction: row.direction as MessageDirection,
    private: row.direction === "note",
    content: row.content,
    author: { kind: row.author_kind as Message["author"]["kind"], id: row.author_member_id, name: row.author_name },
    attachments,
    mentions: JSON.parse(row.mentions) as string[],
    createdAt: iso(row.created_at),
    deliveredAt: isoOrNull(row.delivered_at),
    readAt: isoOrNull(row.read_at ?? readByContact),
  };
}
