import type { Channel } from "../../../../protocol/conversation.js";
import type { Tx } from "../../db/database.js";
import type { ContactRow, ConversationRow, InboxRow } from "../../db/schema.js";
import { newId } from "../../lib/ids.js";
import { bucketOf } from "./buckets.js";
import { insertConversation, nextConversationNumber } from "./conversation.repo.js";
import { recordNewConversation } from "./save-conversation.js";

interface OpenInput {
  inbox: InboxRow;
  contact: ContactRow;
  channel: Channel;
  subject?: string | null;
  sourceUrl?: string | null;
  now: number;
}

/**
 * Starts a conversation (no messages yet) with its per-team number, counted in its view. A blocked
 * contact's conversation goes straight to Spam.
 */
export async function openConversation(tx: Tx, { inbox, contact, channel, subject, sourceUrl, now }: OpenInput): Promise<ConversationRow> {
  const number = await nextConversationNumber(tx, inbox.team_id);
  const state = { status: "open", spam: contact.blocked === 1 ? 1 : 0, handled_by_bot: 0, assigned_to_member_id: null };
  const row = await insertConversation(tx, {
    id: newId("conv"),
    team_id: inbox.team_id,
    number,
    inbox_id: inbox.id,
    contact_id: contact.id,
    channel,
    ...state,
    bucket: bucketOf(state),
    subject: subject ?? null,
    source_url: sourceUrl ?? null,
    snoozed_until: null,
    tags: "[]",
    incoming_count: 0,
    message_count: 0,
    last_message_id: null,
    last_message_preview: null,
    last_message_direction: null,
    last_message_at: null,
    last_activity_at: now,
    first_response_at: null,
    closed_at: null,
    closed_by: null,
    csat_rating: null,
    csat_comment: null,
    csat_at: null,
    created_at: now,
    updated_at: now,
  });
  await recordNewConversation(tx, row);
  return row;
}
