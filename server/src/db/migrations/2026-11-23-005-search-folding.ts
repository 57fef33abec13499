import { PostgresAdapter, sql, type Kysely } from "kysely";

// PostgreSQL's 'simple' parser keeps accents, drops anything shaped like an HTML tag and keeps emails, URLs
// and decimals as single terms; SQLite's FTS5 (unicode61, remove_diacritics 2) splits on every non-letter
// and folds accents. Indexing a folded, punctuation-free copy of the text makes both find the same words.

const columns: [table: string, index: string, text: string][] = [
  ["messages", "messages_search", "content"],
  ["contacts", "contacts_search", "coalesce(name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(phone, '')"],
  ["conversations", "conversations_search", "coalesce(subject, '')"],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) {
    return;
  }
  await sql`create or replace function parley_fold(text) returns text language sql immutable parallel safe
    as $$ select regexp_replace(normalize($1, NFD), '[\u0300-\u036f]', '', 'g') $$`.execute(db);
  for (const [table, index, text] of columns) {
    await sql.raw(`alter table ${table} drop column search`).execute(db);
    await sql.raw(`alter table ${table} add column search tsvector generated always as (to_tsvector('simple', regexp_replace(parley_fold(${text}), '[^[:alnum:]]+', ' ', 'g'))) stored`).execute(db);
    await sql.raw(`create index ${index} on ${table} using gin (search)`).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) {
    return;
  }
  for (const [table, index, text] of columns) {
    await sql.raw(`alter table ${table} drop column search`).execute(db);
    await sql.raw(`alter table ${table} add column search tsvector generated always as (to_tsvector('simple', ${text})) stored`).execute(db);
    await sql.raw(`create index ${index} on ${table} using gin (search)`).execute(db);
  }
  await sql`drop function if exists parley_fold(text)`.execute(db);
}
