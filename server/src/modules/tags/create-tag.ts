import type { CreateTagBody } from "../../../../protocol/tag.js";
import { recordEvent, type Tx } from "../../db/database.js";
import type { TagRow } from "../../db/schema.js";
import { conflict } from "../../errors.js";
import { newId } from "../../lib/ids.js";
import type { Actor } from "../members/actor.js";
import { defaultTagColor, insertTagUnlessNameTaken, tagKey } from "./tag.repo.js";
import { presentTag } from "./tag.presenter.js";

interface CreateTagInput {
  tx: Tx;
  actor: Actor;
  teamId: string;
  body: CreateTagBody;
  now: number;
}

/** Creates a team tag (any member); 409 name_taken when the team has one with the same name in any case. */
export async function createTag({ tx, actor, teamId, body, now }: CreateTagInput): Promise<TagRow> {
  const row: TagRow = { id: newId("tag"), team_id: teamId, name: body.name, name_key: tagKey(body.name), color: body.color ?? defaultTagColor(body.name), created_at: now, updated_at: now };
  const tag = await insertTagUnlessNameTaken(tx, row);
  if (!tag) {
    throw conflict("name_taken", "This team already has a tag with this name.");
  }
  recordEvent(tx, { name: "tag.created", teamId, payload: { tag: presentTag(tag), actorId: actor.memberId } });
  return tag;
}
