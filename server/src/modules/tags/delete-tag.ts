import { recordEvent, type Tx } from "../../db/database.js";
import type { TagRow } from "../../db/schema.js";
import { requireRole, type Actor } from "../members/actor.js";
import { deleteTagRow, getTag, listContactIdsWithTag, listConversationIdsWithTag, removeTagFromContacts, removeTagFromConversations } from "./tag.repo.js";

/** Rows rewritten per round: keeps IN lists and memory small however many rows carry the tag. */
export const TAG_REMOVAL_BATCH = 500;

interface DeleteTagInput {
  tx: Tx;
  actor: Actor;
  teamId: string;
  tagId: string;
  now: number;
}

/** Takes the tag off every row found through the join table, batch by batch; returns how many rows it took it off. */
async function removeEverywhere(list: (limit: number) => Promise<string[]>, remove: (ids: string[]) => Promise<void>): Promise<number> {
  let removed = 0;
  // Each round deletes the join rows it read, so the next read starts over instead of paging with a cursor:
  // a row tagged meanwhile by another transaction is still found.
  for (let ids = await list(TAG_REMOVAL_BATCH); ids.length > 0; ids = await list(TAG_REMOVAL_BATCH)) {
    await remove(ids);
    removed += ids.length;
  }
  return removed;
}

/** Deletes a tag (owners and admins) and takes it off every conversation and contact that has it. */
export async function deleteTag({ tx, actor, teamId, tagId, now }: DeleteTagInput): Promise<TagRow> {
  requireRole(actor, "admin", "Only owners and admins can delete tags.");
  const tag = await getTag(tx, teamId, tagId);
  const conversations = await removeEverywhere(
    (limit) => listConversationIdsWithTag(tx, teamId, tagId, limit),
    (ids) => removeTagFromConversations(tx, teamId, tagId, ids, now),
  );
  const contacts = await removeEverywhere(
    (limit) => listContactIdsWithTag(tx, teamId, tagId, limit),
    (ids) => removeTagFromContacts(tx, teamId, tagId, ids, now),
  );
  await deleteTagRow(tx, teamId, tagId);
  recordEvent(tx, { name: "tag.deleted", teamId, payload: { tagId, name: tag.name, conversations, contacts, actorId: actor.memberId } });
  return tag;
}
