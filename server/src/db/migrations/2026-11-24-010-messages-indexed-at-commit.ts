import { PostgresAdapter, sql, type Kysely } from "kysely";

// SQLite: a new message is written to the full-text index once per transaction instead of once per message.
//
// FTS5 writes what it holds in memory to the index as a new segment whenever a statement inside the
// transaction opens a savepoint, and every INSERT into messages did (its trigger writes to a virtual table).
// So each message became a segment of its own, and the index spent its time merging them. Now the insert
// trigger only notes the new row in messages_fts_pending; the transaction's last statements, just before
// COMMIT, index every noted row in one INSERT … SELECT and empty the list (indexPendingMessages in
// search-index.ts). Search reads only committed data, so it never sees the gap.
//
// A row that is still pending has nothing in the index yet: deleting it only drops the note, and changing
// its content needs nothing (the pending insert reads the content as it is at COMMIT). An indexed row's old
// content leaves the index as before, and a changed row is noted again.

export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    return;
  }
  await sql`create table messages_fts_pending (message_rowid integer primary key)`.execute(db);
  await sql`drop trigger messages_fts_insert`.execute(db);
  await sql`drop trigger messages_fts_delete`.execute(db);
  await sql`drop trigger messages_fts_update`.execute(db);
  await sql`create trigger messages_fts_insert after insert on messages begin
    insert or ignore into messages_fts_pending (message_rowid) values (new.rowid);
  end`.execute(db);
  await sql`create trigger messages_fts_delete after delete on messages begin
    insert into messages_fts (messages_fts, rowid, content)
      select 'delete', old.rowid, old.content where not exists (select 1 from messages_fts_pending where message_rowid = old.rowid);
    delete from messages_fts_pending where message_rowid = old.rowid;
  end`.execute(db);
  await sql`create trigger messages_fts_update after update of content on messages begin
    insert into messages_fts (messages_fts, rowid, content)
      select 'delete', old.rowid, old.content where not exists (select 1 from messages_fts_pending where message_rowid = old.rowid);
    insert or ignore into messages_fts_pending (message_rowid) values (new.rowid);
  end`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    return;
  }
  await sql`insert into messages_fts (rowid, content) select m.rowid, m.content from messages_fts_pending p join messages m on m.rowid = p.message_rowid order by p.message_rowid`.execute(db);
  await sql`drop trigger messages_fts_insert`.execute(db);
  await sql`drop trigger messages_fts_delete`.execute(db);
  await sql`drop trigger messages_fts_update`.execute(db);
  await sql`drop table messages_fts_pending`.execute(db);
  await sql`create trigger messages_fts_insert after insert on messages begin insert into messages_fts(rowid, content) values (new.rowid, new.content); end`.execute(db);
  await sql`create trigger messages_fts_delete after delete on messages begin insert into messages_fts(messages_fts, rowid, content) values ('delete', old.rowid, old.content); end`.execute(db);
  await sql`create trigger messages_fts_update after update of content on messages begin insert into messages_fts(messages_fts, rowid, content) values ('delete', old.rowid, old.content); insert into messages_fts(rowid, content) values (new.rowid, new.content); end`.execute(db);
}
