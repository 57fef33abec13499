import type { Tx } from "../../db/database.js";
import type { MessageRow } from "../../db/schema.js";

/** A message with its author's name (members only; contacts are named by the conversation). */
export type MessageWithAuthor = MessageRow & { author_name: string | null };

/** Inserts a message row. */
export function insertMessage(tx: Tx, row: MessageRow): Promise<MessageRow> {
  return tx.insertInto("messages").values(row).returningAll().executeTakeFirstOrThrow();
}

/**
 * A window of a conversation's messages, newest first, before the given position when there is one.
 * The caller reverses the window so it reads oldest → newest.
 */
export function listMessageRows(tx: Tx, teamId: string, conversationId: string, limit: number, beforeSeq?: number): Promise<MessageWithAuthor[]> {
  let query = tx
    .selectFrom("messages")
    .leftJoin("members", "members.id", "messages.author_member_id")
    .selectAll("messages")
    .select("members.name as author_name")
    .where("messages.team_id", "=", teamId)
    .where("messages.conversation_id", "=", conversationId);
  if (beforeSeq !== undefined) {
    query = query.where("messages.seq", "<", beforeSeq);
  }
  return query.orderBy("messages.seq", "desc").limit(limit).execute();
}

/** The team's message with this external id (e.g. an email Message-ID), if any. */
export function findMessageByExternalId(tx: Tx, teamId: string, externalId: string): Promise<MessageRow | undefined> {
  return tx.selectFrom("messages").selectAll().where("team_id", "=", teamId).where("external_id", "=", externalId).executeTakeFirst();
}
