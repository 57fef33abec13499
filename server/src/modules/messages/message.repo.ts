import type { Tx } from "../../db/database.js";
import { prepared } from "../../db/prepared.js";
import type { MessageRow } from "../../db/schema.js";

/** A message with its author's name (members only; contacts are named by the conversation). */
export type MessageWithAuthor = MessageRow & { author_name: string | null };

/** Every column of a message: the insert names each one, so the stored row is exactly the one given. */
const messageColumns = {
  id: true,
  team_id: true,
  conversation_id: true,
  seq: true,
  direction: true,
  author_member_id: true,
  author_kind: true,
  content: true,
  attachments: true,
  mentions: true,
  metadata: true,
  external_id: true,
  created_at: true,
  delivered_at: true,
  read_at: true,
} satisfies Record<keyof MessageRow, true>;

/** A message before its conversation's update gives it its position (`seq`). */
export type MessageWithoutSeq = Omit<MessageRow, "seq">;

/** The columns of a message other than its position, for statements that name each one. */
export const messageColumnsWithoutSeq = (Object.keys(messageColumns) as (keyof MessageRow)[]).filter((column): column is keyof MessageWithoutSeq => column !== "seq");

const insertMessageQuery = prepared<MessageRow, never>((db, param) =>
  db.insertInto("messages").values(Object.fromEntries(Object.keys(messageColumns).map((column) => [column, param(column as keyof MessageRow)])) as MessageRow),
);

/**
 * Inserts a message row (prepared). A new message normally goes in with its conversation's update
 * (`updateConversationRow(…, message)`), which on PostgreSQL inserts it in the same statement.
 */
export async function insertMessage(tx: Tx, row: MessageRow): Promise<void> {
  await insertMessageQuery(tx, row);
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
