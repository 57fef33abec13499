import { recordEvent, type Tx } from "../../db/database.js";
import type { QuickReplyRow } from "../../db/schema.js";
import type { Actor } from "../members/actor.js";
import { deleteQuickReplyRow, getQuickReply } from "./quick-reply.repo.js";

/** Deletes a quick reply of the team (any member). */
export async function deleteQuickReply({ tx, actor, teamId, quickReplyId }: { tx: Tx; actor: Actor; teamId: string; quickReplyId: string }): Promise<QuickReplyRow> {
  const row = await getQuickReply(tx, teamId, quickReplyId);
  await deleteQuickReplyRow(tx, teamId, quickReplyId);
  recordEvent(tx, { name: "quick_reply.deleted", teamId, payload: { quickReplyId, shortcut: row.shortcut, actorId: actor.memberId } });
  return row;
}
