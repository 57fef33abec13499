import { PostgresAdapter, type Kysely } from "kysely";

// On SQLite, lists of several buckets are merged from one walk of the bucket index per bucket (decision
// 0014), so the conversations no longer need indexing by activity alone: every message rewrote these two
// entries too. PostgreSQL 15 cannot merge such walks as it goes, so it keeps them.

const sqliteOnly = (db: Kysely<unknown>) => !(db.getExecutor().adapter instanceof PostgresAdapter);

export async function up(db: Kysely<unknown>): Promise<void> {
  if (sqliteOnly(db)) {
    await db.schema.dropIndex("conversations_team_activity").execute();
    await db.schema.dropIndex("conversations_inbox_activity").execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (sqliteOnly(db)) {
    await db.schema.createIndex("conversations_team_activity").on("conversations").columns(["team_id", "last_activity_at", "id"]).execute();
    await db.schema.createIndex("conversations_inbox_activity").on("conversations").columns(["inbox_id", "last_activity_at", "id"]).execute();
  }
}
