import type { UpdateTagBody } from "../../../../protocol/tag.js";
import { recordEvent, type Tx } from "../../db/database.js";
import type { TagRow } from "../../db/schema.js";
import { conflict } from "../../errors.js";
import { requireRole, type Actor } from "../members/actor.js";
import { findTagByName, getTag, tagKey, updateTagRow } from "./tag.repo.js";
import { presentTag } from "./tag.presenter.js";

interface UpdateTagInput {
  tx: Tx;
  actor: Actor;
  teamId: string;
  tagId: string;
  body: UpdateTagBody;
  now: number;
}

/** Renames or recolours a tag (owners and admins); 409 name_taken when another tag has the name in any case. */
export async function updateTag({ tx, actor, teamId, tagId, body, now }: UpdateTagInput): Promise<TagRow> {
  requireRole(actor, "admin", "Only owners and admins can change tags.");
  const current = await getTag(tx, teamId, tagId);
  const changes: Partial<Pick<TagRow, "name" | "name_key" | "color">> = {};
  if (body.name !== undefined && body.name !== current.name) {
    const clash = await findTagByName(tx, teamId, body.name);
    if (clash && clash.id !== tagId) {
      throw conflict("name_taken", "This team already has a tag with this name.");
    }
    changes.name = body.name;
    changes.name_key = tagKey(body.name);
  }
  if (body.color !== undefined && body.color !== current.color) {
    changes.color = body.color;
  }
  if (Object.keys(changes).length === 0) {
    return current;
  }
  const tag = await updateTagRow(tx, teamId, tagId, { ...changes, updated_at: now });
  recordEvent(tx, { name: "tag.updated", teamId, payload: { tag: presentTag(tag), actorId: actor.memberId } });
  return tag;
}
