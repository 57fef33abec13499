import type { MessageDirection } from "../../../../protocol/conversation.js";
import { recordEvent, type Tx } from "../../db/database.js";
import type { ConversationRow } from "../../db/schema.js";
import { newId } from "../../lib/ids.js";
import type { ConversationIncrements } from "../conversations/conversation.repo.js";
import { saveConversation } from "../conversations/save-conversation.js";
import type { MessageWithAuthor, MessageWithoutSeq } from "./message.repo.js";
import { presentMessage, type StoredAttachment } from "./message.presenter.js";

export interface NewMessage {
  direction: MessageDirection;
  authorKind: "contact" | "member" | "bot" | "system";
  authorMemberId?: string | null;
  /** Shown as the author in events; members' names are otherwise joined when listing. */
  authorName?: string | null;
  content: string;
  attachments?: StoredAttachment[];
  mentions?: string[];
  metadata?: Record<string, unknown> | null;
  externalId?: string | null;
}

const PREVIEW_LENGTH = 200;

function preview(content: string, attachments: StoredAttachment[]): string {
  const text = content.replace(/\s+/g, " ").trim();
  if (text.length <= PREVIEW_LENGTH) {
    // No more UTF-16 units than the limit, so no more characters either: nothing to cut.
    if (text !== "") {
      return text;
    }
  } else {
    // A character is at most two units, so the first PREVIEW_LENGTH characters lie in the first 2 × PREVIEW_LENGTH units.
    return [...text.slice(0, PREVIEW_LENGTH * 2)].slice(0, PREVIEW_LENGTH).join("");
  }
  return attachments.length > 0 ? `📎 ${attachments.map((a) => a.fileName).join(", ")}` : "";
}

/** The message row, but for the position its conversation's update gives it. */
function messageRow(conversation: ConversationRow, id: string, input: NewMessage, now: number): MessageWithoutSeq {
  return {
    id,
    team_id: conversation.team_id,
    conversation_id: conversation.id,
    direction: input.direction,
    author_member_id: input.authorMemberId ?? null,
    author_kind: input.authorKind,
    content: input.content,
    attachments: JSON.stringify(input.attachments ?? []),
    mentions: JSON.stringify(input.mentions ?? []),
    metadata: input.metadata ? JSON.stringify(input.metadata) : null,
    external_id: input.externalId ?? null,
    created_at: now,
    delivered_at: null,
    read_at: null,
  };
}

/**
 * Moves the conversation for a new message and inserts it: the UPDATE takes the next position
 * (message_count + 1, which on PostgreSQL also holds the row lock, so a conversation's messages are written
 * in turn) and sets the counters, last message and activity; the message goes in at that position (on
 * PostgreSQL in the same statement). Records message.created.
 */
async function addMessage(tx: Tx, conversation: ConversationRow, input: NewMessage, now: number): Promise<{ message: MessageWithAuthor; conversation: ConversationRow }> {
  const id = newId("msg");
  const patch: Partial<ConversationRow> = {};
  const increments: ConversationIncrements = { message_count: 1 };
  if (input.direction !== "activity") {
    Object.assign(patch, {
      last_message_id: id,
      last_message_preview: preview(input.content, input.attachments ?? []),
      last_message_direction: input.direction,
      last_message_at: now,
      last_activity_at: now,
    });
  }
  if (input.direction === "incoming") {
    increments.incoming_count = 1;
  }
  if (input.direction === "outgoing") {
    increments.outgoing_count = 1;
  }
  if (input.direction === "outgoing" && input.authorKind === "member" && conversation.first_response_at === null) {
    patch.first_response_at = now;
  }
  const row = messageRow(conversation, id, input, now);
  const updated = await saveConversation(tx, conversation, patch, now, { event: false, increments, message: row });
  const message: MessageWithAuthor = { ...row, seq: updated.message_count, author_name: input.authorName ?? null };
  recordEvent(tx, {
    name: "message.created",
    teamId: conversation.team_id,
    inboxId: updated.inbox_id,
    payload: { message: presentMessage(message), contactId: updated.contact_id, private: input.direction === "note" },
  });
  return { message, conversation: updated };
}

/**
 * Adds a message to a conversation and keeps the conversation in step: counters, last message and
 * activity, first human response, and reopening when the contact writes to a closed, snoozed or pending
 * conversation (with an activity line saying so).
 */
export async function appendMessage(tx: Tx, conversation: ConversationRow, input: NewMessage, now: number): Promise<{ message: MessageWithAuthor; conversation: ConversationRow }> {
  let current = conversation;
  if (input.direction === "incoming" && current.status !== "open") {
    const reopened = current.status === "closed" ? "The contact wrote again: conversation reopened." : `The contact wrote: conversation is open again (was ${current.status}).`;
    current = await saveConversation(tx, current, { status: "open", closed_at: null, closed_by: null, snoozed_until: null }, now);
    current = (await addMessage(tx, current, { direction: "activity", authorKind: "system", content: reopened }, now)).conversation;
  }
  return addMessage(tx, current, input, now);
}

/** Writes a system activity line ("Alice assigned this to Bob"). */
export async function appendActivity(tx: Tx, conversation: ConversationRow, content: string, now: number, actor?: { memberId: string; name: string }): Promise<ConversationRow> {
  const { conversation: updated } = await appendMessage(tx, conversation, { direction: "activity", authorKind: actor ? "member" : "system", authorMemberId: actor?.memberId ?? null, authorName: actor?.name ?? null, content }, now);
  return updated;
}
