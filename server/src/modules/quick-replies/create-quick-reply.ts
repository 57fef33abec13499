import type { CreateQuickReplyBody } from "../../../../protocol/quick-reply.js";
import { recordEvent, type Tx } from "../../db/database.js";
import type { QuickReplyRow } from "../../db/schema.js";
import { conflict } from "../../errors.js";
import { newId } from "../../lib/ids.js";
import type { Actor } from "../members/actor.js";
import { presentQuickReply } from "./quick-reply.presenter.js";
import { insertQuickReplyUnlessShortcutTaken } from "./quick-reply.repo.js";

interface CreateQuickReplyInput {
  tx: Tx;
  actor: Actor;
  teamId: string;
  body: CreateQuickReplyBody;
  now: number;
}

/** Saves a team-wide quick reply (any member, SPEC §4); the body's shortcut is already normalized. */
export async function createQuickReply({ tx, actor, teamId, body, now }: CreateQuickReplyInput): Promise<QuickReplyRow> {
  const row = await insertQuickReplyUnlessShortcutTaken(tx, { id: newId("qr"), team_id: teamId, shortcut: body.shortcut, title: body.title, content: body.content, created_at: now, updated_at: now });
  if (!row) {
    throw conflict("shortcut_taken", `The team already has a quick reply with the shortcut /${body.shortcut}.`);
  }
  recordEvent(tx, { name: "quick_reply.created", teamId, payload: { quickReply: presentQuickReply(row), actorId: actor.memberId } });
  return row;
}
