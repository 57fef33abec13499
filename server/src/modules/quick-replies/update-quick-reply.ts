import type { UpdateQuickReplyBody } from "../../../../protocol/quick-reply.js";
import { recordEvent, type Tx } from "../../db/database.js";
import type { QuickReplyRow } from "../../db/schema.js";
import { conflict } from "../../errors.js";
import type { Actor } from "../members/actor.js";
import { presentQuickReply } from "./quick-reply.presenter.js";
import { findQuickReplyByShortcut, getQuickReply, updateQuickReplyRow } from "./quick-reply.repo.js";

interface UpdateQuickReplyInput {
  tx: Tx;
  actor: Actor;
  teamId: string;
  quickReplyId: string;
  body: UpdateQuickReplyBody;
  now: number;
}

/** Changes a quick reply's shortcut, title or content (any member); 409 shortcut_taken for another reply's shortcut. */
export async function updateQuickReply({ tx, actor, teamId, quickReplyId, body, now }: UpdateQuickReplyInput): Promise<QuickReplyRow> {
  const current = await getQuickReply(tx, teamId, quickReplyId);
  const changes: Partial<Pick<QuickReplyRow, "shortcut" | "title" | "content">> = {};
  if (body.shortcut !== undefined && body.shortcut !== current.shortcut) {
    if (await findQuickReplyByShortcut(tx, teamId, body.shortcut)) {
      throw conflict("shortcut_taken", `The team already has a quick reply with the shortcut /${body.shortcut}.`);
    }
    changes.shortcut = body.shortcut;
  }
  if (body.title !== undefined && body.title !== current.title) {
    changes.title = body.title;
  }
  if (body.content !== undefined && body.content !== current.content) {
    changes.content = body.content;
  }
  if (Object.keys(changes).length === 0) {
    return current;
  }
  const row = await updateQuickReplyRow(tx, teamId, quickReplyId, { ...changes, updated_at: now });
  recordEvent(tx, { name: "quick_reply.updated", teamId, payload: { quickReply: presentQuickReply(row), actorId: actor.memberId } });
  return row;
}
