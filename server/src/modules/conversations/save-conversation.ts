import { recordEvent, type Tx } from "../../db/database.js";
import type { ConversationRow } from "../../db/schema.js";
import type { MessageWithoutSeq } from "../messages/message.repo.js";
import { bucketOf } from "./buckets.js";
import { updateConversationRow, type ConversationIncrements } from "./conversation.repo.js";
import { applyCountChange, type CountedState } from "./counts.repo.js";

/** The state of a conversation that events carry: enough for a client to place it without a refetch. */
export function conversationState(row: ConversationRow) {
  return {
    id: row.id,
    number: row.number,
    inboxId: row.inbox_id,
    contactId: row.contact_id,
    channel: row.channel,
    status: row.status,
    bucket: row.bucket,
    assignedToMemberId: row.assigned_to_member_id,
    spam: row.spam === 1,
    handledByBot: row.handled_by_bot === 1,
    lastActivityAt: row.last_activity_at,
  };
}

const counted = (row: ConversationRow): CountedState => ({ inbox_id: row.inbox_id, bucket: row.bucket, assigned_to_member_id: row.assigned_to_member_id });

/**
 * Writes a change to a conversation: recomputes its bucket, moves its maintained counts, and records
 * conversation.updated with what changed and the count move (so clients adjust badges by delta). With
 * `message`, the message the change makes room for is inserted too, at the position the update gave it.
 */
export async function saveConversation(
  tx: Tx,
  before: ConversationRow,
  patch: Partial<ConversationRow>,
  now: number,
  options: { event?: boolean; increments?: ConversationIncrements; message?: MessageWithoutSeq } = {},
): Promise<ConversationRow> {
  const bucket = bucketOf({ ...before, ...patch });
  const after = await updateConversationRow(tx, before, { ...patch, bucket, updated_at: now }, options.increments, options.message);
  await applyCountChange(tx, before.team_id, counted(before), counted(after));
  if (options.event !== false) {
    const changed = Object.keys(patch).filter((key) => (patch as Record<string, unknown>)[key] !== (before as Record<string, unknown>)[key]);
    recordEvent(tx, {
      name: "conversation.updated",
      teamId: before.team_id,
      inboxId: after.inbox_id,
      payload: { conversation: conversationState(after), changed, counts: { before: counted(before), after: counted(after) } },
    });
  }
  return after;
}

/** Counts a new conversation and records conversation.created. */
export async function recordNewConversation(tx: Tx, row: ConversationRow): Promise<void> {
  await applyCountChange(tx, row.team_id, undefined, counted(row));
  recordEvent(tx, { name: "conversation.created", teamId: row.team_id, inboxId: row.inbox_id, payload: { conversation: conversationState(row), counts: { before: null, after: counted(row) } } });
}
