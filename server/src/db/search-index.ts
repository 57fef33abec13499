import { sql } from "kysely";
import type { Tx } from "./database.js";

/**
 * SQLite: indexes the messages written in this transaction (noted in messages_fts_pending by their insert
 * trigger) for full-text search, in one statement and in row order, and empties the list. The writer runs it
 * last before every COMMIT, so what is committed is searchable; see migration 2026-11-24-010 for why the
 * index is not written message by message.
 */
export async function indexPendingMessages(tx: Tx): Promise<void> {
  const noted = await sql<{ n: number }>`select exists (select 1 from messages_fts_pending) as n`.execute(tx);
  if (!noted.rows[0]?.n) {
    return;
  }
  await sql`insert into messages_fts (rowid, content) select m.rowid, m.content from messages_fts_pending p join messages m on m.rowid = p.message_rowid order by p.message_rowid`.execute(tx);
  await sql`delete from messages_fts_pending`.execute(tx);
}

/** Whether this SQLite database notes new messages for indexPendingMessages (it has been migrated that far). */
export async function notesPendingMessages(tx: Tx): Promise<boolean> {
  const found = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name = 'messages_fts_pending'`.execute(tx);
  return found.rows.length > 0;
}
