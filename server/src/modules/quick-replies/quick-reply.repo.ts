import { sql } from "kysely";
import type { Tx } from "../../db/database.js";
import type { QuickReplyRow } from "../../db/schema.js";
import { notFound } from "../../errors.js";

/** The team's quick replies by shortcut; the first `limit` when given. */
export function listQuickReplies(tx: Tx, teamId: string, limit?: number): Promise<QuickReplyRow[]> {
  let query = tx.selectFrom("quick_replies").selectAll().where("team_id", "=", teamId).orderBy("shortcut");
  if (limit !== undefined) {
    query = query.limit(limit);
  }
  return query.execute();
}

/** A quick reply of the team, or undefined. */
export function findQuickReply(tx: Tx, teamId: string, quickReplyId: string): Promise<QuickReplyRow | undefined> {
  return tx.selectFrom("quick_replies").selectAll().where("team_id", "=", teamId).where("id", "=", quickReplyId).executeTakeFirst();
}

/** A quick reply of the team; 404 otherwise. */
export async function getQuickReply(tx: Tx, teamId: string, quickReplyId: string): Promise<QuickReplyRow> {
  const row = await findQuickReply(tx, teamId, quickReplyId);
  if (!row) {
    throw notFound("Quick reply");
  }
  return row;
}

/** The team's quick reply with this (normalized) shortcut, if any. */
export function findQuickReplyByShortcut(tx: Tx, teamId: string, shortcut: string): Promise<QuickReplyRow | undefined> {
  return tx.selectFrom("quick_replies").selectAll().where("team_id", "=", teamId).where("shortcut", "=", shortcut).executeTakeFirst();
}

/** Inserts a quick reply unless the team already uses its shortcut; undefined then. */
export function insertQuickReplyUnlessShortcutTaken(tx: Tx, row: QuickReplyRow): Promise<QuickReplyRow | undefined> {
  return tx
    .insertInto("quick_replies")
    .values(row)
    .onConflict((oc) => oc.columns(["team_id", "shortcut"]).doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Updates a quick reply of the team. */
export function updateQuickReplyRow(tx: Tx, teamId: string, quickReplyId: string, patch: Partial<Pick<QuickReplyRow, "shortcut" | "title" | "content" | "updated_at">>): Promise<QuickReplyRow> {
  return tx.updateTable("quick_replies").set(patch).where("team_id", "=", teamId).where("id", "=", quickReplyId).returningAll().executeTakeFirstOrThrow();
}

/** Deletes a quick reply of the team. */
export async function deleteQuickReplyRow(tx: Tx, teamId: string, quickReplyId: string): Promise<void> {
  await tx.deleteFrom("quick_replies").where("team_id", "=", teamId).where("id", "=", quickReplyId).execute();
}

/** `value` with LIKE's wildcards and the escape character escaped, for `… like ? escape '\'`. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** shortcut LIKE 'prefix%', with the prefix's own % and _ taken literally (the same on both databases). */
function shortcutStartsWith(prefix: string) {
  return sql<boolean>`${sql.ref("shortcut")} like ${`${escapeLike(prefix)}%`} escape '\\'`;
}

/** lower(column) LIKE pattern. PostgreSQL's LIKE is case-sensitive, SQLite's only for non-ASCII: both compare lowercase. */
function lowerLike(column: "title" | "content", pattern: string) {
  return sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}

/**
 * A LIKE pattern for "contains `needle`" (already lowercase). SQLite's lower() folds only ASCII while
 * PostgreSQL's folds every letter, so a non-ASCII character that has case ("É") becomes `_` (any one
 * character): the pattern then matches a superset on both databases, and `exact` is false.
 */
export function containsPattern(needle: string): { pattern: string; exact: boolean } {
  let body = "";
  let exact = true;
  for (const char of needle) {
    const cased = char.toUpperCase() !== char || char.toLowerCase() !== char;
    if (char.charCodeAt(0) > 127 && cased) {
      body += "_";
      exact = false;
    } else {
      body += escapeLike(char);
    }
  }
  return { pattern: `%${body}%`, exact };
}

/** The team's quick replies whose shortcut starts with `prefix` (lowercase), by shortcut. */
export function listQuickRepliesByShortcutPrefix(tx: Tx, teamId: string, prefix: string, limit: number): Promise<QuickReplyRow[]> {
  return tx.selectFrom("quick_replies").selectAll().where("team_id", "=", teamId).where(shortcutStartsWith(prefix)).orderBy("shortcut").limit(limit).execute();
}

interface ContainingOptions {
  /** Leave out the replies whose shortcut starts with this (they were listed already). */
  exceptShortcutPrefix?: string | undefined;
  limit: number;
}

/**
 * The team's quick replies whose title or content contains `needle` (lowercase) in any case, by shortcut.
 * The database narrows with LIKE; the final comparison is JavaScript's, so SQLite and PostgreSQL agree
 * also on letters outside ASCII.
 */
export async function listQuickRepliesContaining(tx: Tx, teamId: string, needle: string, { exceptShortcutPrefix, limit }: ContainingOptions): Promise<QuickReplyRow[]> {
  const { pattern, exact } = containsPattern(needle);
  let query = tx
    .selectFrom("quick_replies")
    .selectAll()
    .where("team_id", "=", teamId)
    .where((eb) => eb.or([lowerLike("title", pattern), lowerLike("content", pattern)]))
    .orderBy("shortcut");
  if (exceptShortcutPrefix !== undefined) {
    query = query.where((eb) => eb.not(shortcutStartsWith(exceptShortcutPrefix)));
  }
  // An inexact pattern may match rows the final check drops, so the limit is applied after it.
  const rows = await (exact ? query.limit(limit) : query).execute();
  const contains = (value: string) => value.toLowerCase().includes(needle);
  return rows.filter((row) => contains(row.title) || contains(row.content)).slice(0, limit);
}
