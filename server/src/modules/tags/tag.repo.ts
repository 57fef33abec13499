import type { Tx } from "../../db/database.js";
import { prepared } from "../../db/prepared.js";
import type { TagRow } from "../../db/schema.js";
import { notFound } from "../../errors.js";
import { newId } from "../../lib/ids.js";

const palette = ["#3B82F6", "#10B981", "#F59E0B", "#EF4444", "#8B5CF6", "#EC4899", "#14B8A6", "#F97316", "#6366F1", "#84CC16"];

/** The comparison key of a tag name: tags are unique in a team regardless of case and spacing. */
export function tagKey(name: string): string {
  return name.trim().replace(/\s+/g, " ").toLowerCase();
}

/** A stable default colour for a tag name. */
export function defaultTagColor(name: string): string {
  let hash = 0;
  for (const char of tagKey(name)) {
    hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  }
  return palette[hash % palette.length] ?? "#3B82F6";
}

/** The team's tags by name. */
export function listTags(tx: Tx, teamId: string): Promise<TagRow[]> {
  return tx.selectFrom("tags").selectAll().where("team_id", "=", teamId).orderBy("name_key").execute();
}

/** A tag of the team; 404 otherwise. */
export async function getTag(tx: Tx, teamId: string, tagId: string): Promise<TagRow> {
  const tag = await tx.selectFrom("tags").selectAll().where("team_id", "=", teamId).where("id", "=", tagId).executeTakeFirst();
  if (!tag) {
    throw notFound("Tag");
  }
  return tag;
}

/** The team's tag with this name (any case), if any. */
export function findTagByName(tx: Tx, teamId: string, name: string): Promise<TagRow | undefined> {
  return tx.selectFrom("tags").selectAll().where("team_id", "=", teamId).where("name_key", "=", tagKey(name)).executeTakeFirst();
}

/** Inserts a tag row. */
export function insertTag(tx: Tx, row: TagRow): Promise<TagRow> {
  return tx.insertInto("tags").values(row).returningAll().executeTakeFirstOrThrow();
}

/**
 * The tags with these names, creating the ones the team does not have yet (adding an unknown tag to a
 * conversation or contact creates it). Returned in the order given, without duplicates, with the team's
 * existing spelling.
 */
export async function ensureTags(tx: Tx, teamId: string, names: string[], now: number): Promise<TagRow[]> {
  const wanted = new Map<string, string>();
  for (const name of names) {
    const key = tagKey(name);
    if (key !== "" && !wanted.has(key)) {
      wanted.set(key, name.trim().replace(/\s+/g, " "));
    }
  }
  if (wanted.size === 0) {
    return [];
  }
  const select = () => tx.selectFrom("tags").selectAll().where("team_id", "=", teamId).where("name_key", "in", [...wanted.keys()]).execute();
  let byKey = new Map((await select()).map((tag) => [tag.name_key, tag]));
  const missing = [...wanted].filter(([key]) => !byKey.has(key));
  if (missing.length > 0) {
    // A concurrent request may create the same tag: whoever is second keeps the first one's row.
    await tx
      .insertInto("tags")
      .values(missing.map(([key, name]) => ({ id: newId("tag"), team_id: teamId, name, name_key: key, color: defaultTagColor(name), created_at: now, updated_at: now })))
      .onConflict((oc) => oc.columns(["team_id", "name_key"]).doNothing())
      .execute();
    byKey = new Map((await select()).map((tag) => [tag.name_key, tag]));
  }
  return [...wanted.keys()].map((key) => byKey.get(key)).filter((tag): tag is TagRow => tag !== undefined);
}

/** Inserts a tag unless the team already has one with its name_key; undefined then (a concurrent create won). */
export function insertTagUnlessNameTaken(tx: Tx, row: TagRow): Promise<TagRow | undefined> {
  return tx
    .insertInto("tags")
    .values(row)
    .onConflict((oc) => oc.columns(["team_id", "name_key"]).doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Updates a tag of the team. */
export function updateTagRow(tx: Tx, teamId: string, tagId: string, patch: Partial<Pick<TagRow, "name" | "name_key" | "color" | "updated_at">>): Promise<TagRow> {
  return tx.updateTable("tags").set(patch).where("team_id", "=", teamId).where("id", "=", tagId).returningAll().executeTakeFirstOrThrow();
}

/** Deletes a tag row (join rows cascade, but deleteTag removes them itself first). */
export async function deleteTagRow(tx: Tx, teamId: string, tagId: string): Promise<void> {
  await tx.deleteFrom("tags").where("team_id", "=", teamId).where("id", "=", tagId).execute();
}

/** Up to `limit` ids of the team's conversations that carry the tag, found through the join table. */
export async function listConversationIdsWithTag(tx: Tx, teamId: string, tagId: string, limit: number): Promise<string[]> {
  const rows = await tx.selectFrom("conversation_tags").select("conversation_id").where("team_id", "=", teamId).where("tag_id", "=", tagId).orderBy("conversation_id").limit(limit).execute();
  return rows.map((row) => row.conversation_id);
}

/** Up to `limit` ids of the team's contacts that carry the tag, found through the join table. */
export async function listContactIdsWithTag(tx: Tx, teamId: string, tagId: string, limit: number): Promise<string[]> {
  const rows = await tx.selectFrom("contact_tags").select("contact_id").where("team_id", "=", teamId).where("tag_id", "=", tagId).orderBy("contact_id").limit(limit).execute();
  return rows.map((row) => row.contact_id);
}

/** Takes the tag off these conversations: their JSON `tags` array loses the id and their join rows go. */
export async function removeTagFromConversations(tx: Tx, teamId: string, tagId: string, conversationIds: string[], now: number): Promise<void> {
  if (conversationIds.length === 0) {
    return;
  }
  const rows = await tx.selectFrom("conversations").select(["id", "tags"]).where("team_id", "=", teamId).where("id", "in", conversationIds).execute();
  for (const [tags, ids] of rewrittenTagLists(rows, tagId)) {
    await tx.updateTable("conversations").set({ tags, updated_at: now }).where("team_id", "=", teamId).where("id", "in", ids).execute();
  }
  await tx.deleteFrom("conversation_tags").where("team_id", "=", teamId).where("tag_id", "=", tagId).where("conversation_id", "in", conversationIds).execute();
}

/** Takes the tag off these contacts: their JSON `tags` array loses the id and their join rows go. */
export async function removeTagFromContacts(tx: Tx, teamId: string, tagId: string, contactIds: string[], now: number): Promise<void> {
  if (contactIds.length === 0) {
    return;
  }
  const rows = await tx.selectFrom("contacts").select(["id", "tags"]).where("team_id", "=", teamId).where("id", "in", contactIds).execute();
  for (const [tags, ids] of rewrittenTagLists(rows, tagId)) {
    await tx.updateTable("contacts").set({ tags, updated_at: now }).where("team_id", "=", teamId).where("id", "in", ids).execute();
  }
  await tx.deleteFrom("contact_tags").where("team_id", "=", teamId).where("tag_id", "=", tagId).where("contact_id", "in", contactIds).execute();
}

/**
 * The new JSON `tags` value of each row that had the tag, grouped by value: rows usually end up with one of a
 * few lists (often `[]`), so a batch takes a few UPDATEs rather than one per row.
 */
function rewrittenTagLists(rows: { id: string; tags: string }[], tagId: string): Map<string, string[]> {
  const byValue = new Map<string, string[]>();
  for (const row of rows) {
    const ids = parseTagIds(row.tags);
    if (ids === undefined || !ids.includes(tagId)) {
      continue;
    }
    const value = JSON.stringify(ids.filter((id) => id !== tagId));
    const group = byValue.get(value);
    if (group) {
      group.push(row.id);
    } else {
      byValue.set(value, [row.id]);
    }
  }
  return byValue;
}

/** The tag ids of a JSON `tags` column; undefined when it is not an array (left untouched rather than lost). */
function parseTagIds(json: string): unknown[] | undefined {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Tag ids → names for presenting conversations and contacts in one request. */
export async function loadTagNames(tx: Tx, teamId: string): Promise<Map<string, string>> {
  const rows = await tagNamesQuery(tx, { teamId });
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** Every conversation list names its tags: prepared. */
const tagNamesQuery = prepared<{ teamId: string }, { id: string; name: string }>((db, param) => db.selectFrom("tags").select(["id", "name"]).where("team_id", "=", param("teamId")));
