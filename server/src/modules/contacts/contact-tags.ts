import type { Tx } from "../../db/database.js";
import { ensureTags } from "../tags/tag.repo.js";
import { replaceContactTags } from "./contact.repo.js";

/**
 * Gives a contact exactly these tags (by name; unknown names create team tags) in its join rows and returns
 * the JSON array of tag ids its `tags` column stores.
 */
export async function setContactTags(tx: Tx, teamId: string, contactId: string, names: string[], now: number): Promise<string> {
  const ids = (await ensureTags(tx, teamId, names, now)).map((tag) => tag.id);
  await replaceContactTags(tx, teamId, contactId, ids);
  return JSON.stringify(ids);
}
