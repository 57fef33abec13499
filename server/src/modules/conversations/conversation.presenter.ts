import type { Channel, ConversationStatus, Thread } from "../../../../protocol/conversation.js";
import { iso, isoOrNull } from "../../lib/time.js";
import { presentContactSummary, tagNamesOf, type TagNames } from "../contacts/contact.presenter.js";
import type { ThreadRow } from "./conversation.repo.js";

/** A conversation in the documented thread shape, with the caller's unread count. */
export function presentThread(row: ThreadRow, tagNames: TagNames): Thread {
  return {
    id: row.id,
    number: row.number,
    inboxId: row.inbox_id,
    contactId: row.contact_id,
    contact: presentContactSummary({ id: row.contact_id, name: row.contact_name, email: row.contact_email, phone: row.contact_phone, blocked: row.contact_blocked }),
    channel: row.channel as Channel,
    status: row.status as ConversationStatus,
    assignedToMemberId: row.assigned_to_member_id,
    tags: tagNamesOf(row.tags, tagNames),
    subject: row.subject,
    sourceUrl: row.source_url,
    spam: row.spam === 1,
    handledByBot: row.handled_by_bot === 1,
    snoozedUntil: isoOrNull(row.snoozed_until),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    closedAt: isoOrNull(row.closed_at),
    firstResponseAt: isoOrNull(row.first_response_at),
    lastMessageAt: isoOrNull(row.last_message_at),
    lastActivityAt: iso(row.last_activity_at),
    lastMessage: row.last_message_id ? { id: row.last_message_id, direction: row.last_message_direction ?? "incoming", preview: row.last_message_preview ?? "" } : null,
    unreadCount: Math.max(0, row.incoming_count - (row.read_incoming_count ?? 0)),
    csat: row.csat_rating !== null && row.csat_at !== null ? { rating: row.csat_rating, comment: row.csat_comment, submittedAt: iso(row.csat_at) } : null,
  };
}
