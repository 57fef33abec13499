import { sql } from "kysely";
import type { Tx } from "./database.js";
import { prepared } from "./prepared.js";

// Prepared: they run at every group's commit, straight on the held connection (prepared.ts).
const anyPending = prepared<Record<string, never>, { n: number }>((db) => ({ compile: () => sql<{ n: number }>`select exists (select 1 from messages_fts_pending) as n`.compile(db) }));
const indexPending = prepared<Record<string, never>, never>((db) => ({
  compile: () => sql<never>`insert into messages_fts (rowid, content) select m.rowid, m.content from messages_fts_pending p join messages m on m.rowid = p.message_rowid order by p.message_rowid`.compile(db),
}));
const clearPending = prepared<Record<string, never>, never>((db) => ({ compile: () => sql<never>`delete from messages_fts_pending`.compile(db) }));

/**
 * SQLite: indexes the messages written in this transaction (noted in messages_fts_pending by their insert
 * trigger) for full-text search, in one statement and in row order, and empties the list. The writer runs it
 * last before every COMMIT, so what is committed is searchable; see migration 2026-11-24-010 for why the
 * index is not written message by message.
 */
export async function indexPendingMessages(tx: Tx): Promise<void> {
  const [noted] = await anyPending(tx, {});
  if (!noted?.n) {
    return;
  }
  await indexPending(tx, {});
  await clearPending(tx, {});
}

/** Whether this SQLite database notes new messages for indexPendingMessages (it has been migrated that far). */
export async function notesPendingMessages(tx: Tx): Promise<boolean> {
  const found = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name = 'messages_fts_pending'`.execute(tx);
  return found.rows.length > 0;
}
