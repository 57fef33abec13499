import type { Tx } from "../../db/database.js";
import { prepared } from "../../db/prepared.js";
import type { ConversationRow } from "../../db/schema.js";
import { notFound } from "../../errors.js";
import { roleAtLeast, type Actor } from "../members/actor.js";
import { getConversation, lockConversation } from "./conversation.repo.js";
import { isKeptCopy } from "./recent-conversations.js";

/**
 * The inboxes whose conversations the actor may see: undefined for owners and admins (all of the team's),
 * otherwise the inboxes they belong to (SPEC §4). The one rule for REST, realtime and webhooks.
 */
export async function visibleInboxIds(tx: Tx, actor: Actor, teamId: string): Promise<string[] | undefined> {
  if (roleAtLeast(actor.role, "admin")) {
    return undefined;
  }
  const rows = await memberInboxesQuery(tx, { teamId, memberId: actor.memberId });
  return rows.map((row) => row.inbox_id);
}

/** Every list, count and conversation an agent asks for starts here: prepared. */
const memberInboxesQuery = prepared<{ teamId: string; memberId: string }, { inbox_id: string }>((db, param) =>
  db.selectFrom("inbox_members").select("inbox_id").where("team_id", "=", param("teamId")).where("member_id", "=", param("memberId")),
);

/** Whether the actor may see a conversation of this inbox. */
export async function canSeeInbox(tx: Tx, actor: Actor, teamId: string, inboxId: string): Promise<boolean> {
  const visible = await visibleInboxIds(tx, actor, teamId);
  return visible === undefined || visible.includes(inboxId);
}

/**
 * Like getVisibleConversation, with the row locked for a change (see lockConversation). With `recent`, the row
 * may be this process's unlocked copy (lockConversation's `recent`): a refusal is then checked against the
 * row read under lock.
 */
export async function getVisibleConversationForUpdate(tx: Tx, actor: Actor, teamId: string, conversationId: string, options: { recent?: boolean } = {}): Promise<ConversationRow> {
  const conversation = await lockConversation(tx, teamId, conversationId, options);
  if (!conversation || !(await canSeeInbox(tx, actor, teamId, conversation.inbox_id))) {
    if (conversation && isKeptCopy(conversation)) {
      return getVisibleConversationForUpdate(tx, actor, teamId, conversationId);
    }
    throw notFound("Conversation");
  }
  return conversation;
}

/** The conversation if the actor may see it; the same 404 as a conversation that does not exist otherwise. */
export async function getVisibleConversation(tx: Tx, actor: Actor, teamId: string, conversationId: string): Promise<ConversationRow> {
  const conversation = await getConversation(tx, teamId, conversationId);
  if (!(await canSeeInbox(tx, actor, teamId, conversation.inbox_id))) {
    throw notFound("Conversation");
  }
  return conversation;
}
