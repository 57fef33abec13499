import type { Tx } from "../../db/database.js";
import { decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { visibleInboxIds } from "../conversations/conversation.policy.js";
import type { Actor } from "../members/actor.js";
import { getContact, listContactConversationRows, type ContactConversationRow } from "./contact.repo.js";

interface ListInput {
  tx: Tx;
  actor: Actor;
  teamId: string;
  contactId: string;
  limit: number;
  cursor?: string | undefined;
}

/**
 * The contact's previous conversations for the details panel, newest first: only those in inboxes the actor
 * may see (SPEC §4), whatever the contact's other history.
 */
export async function listContactConversations({ tx, actor, teamId, contactId, limit, cursor }: ListInput): Promise<{ rows: ContactConversationRow[]; nextCursor: string | null }> {
  const after = decodeCursor(cursor);
  await getContact(tx, teamId, contactId);
  const inboxIds = await visibleInboxIds(tx, actor, teamId);
  if (inboxIds && inboxIds.length === 0) {
    return { rows: [], nextCursor: null };
  }
  const rows = await listContactConversationRows(tx, { teamId, contactId, inboxIds, after, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, nextCursor: rows.length > limit && last ? encodeCursor({ at: last.created_at, id: last.id }) : null };
}
