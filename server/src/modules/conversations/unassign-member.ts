import type { Tx } from "../../db/database.js";
import { appendActivity } from "../messages/append-message.js";
import { lockConversation } from "./conversation.repo.js";
import { saveConversation } from "./save-conversation.js";

/**
 * Hands back a member's unfinished conversations (open, pending, snoozed) — all of them, or those of one
 * inbox — when they leave the team or the inbox, so none waits on someone who will not answer. Closed ones
 * keep their assignee for the record.
 */
export async function unassignMemberConversations(tx: Tx, teamId: string, memberId: string, reason: string, now: number, inboxId?: string): Promise<number> {
  let query = tx.selectFrom("conversations").where("team_id", "=", teamId).where("assigned_to_member_id", "=", memberId).where("status", "!=", "closed");
  if (inboxId) {
    query = query.where("inbox_id", "=", inboxId);
  }
  const rows = await query.select("id").execute();
  for (const { id } of rows) {
    const row = await lockConversation(tx, teamId, id);
    if (!row || row.assigned_to_member_id !== memberId || row.status === "closed") {
      continue;
    }
    const updated = await saveConversation(tx, row, { assigned_to_member_id: null }, now);
    await appendActivity(tx, updated, reason, now);
  }
  return rows.length;
}
