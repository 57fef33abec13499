import type { Kysely } from "kysely";

// Who is connected: each server process keeps a row per member it holds a socket for, renewed by its
// heartbeat; a member is online while any process's row for them is fresh.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("presence")
    .addColumn("member_id", "text", (c) => c.notNull().references("members.id").onDelete("cascade"))
    .addColumn("team_id", "text", (c) => c.notNull().references("teams.id").onDelete("cascade"))
    .addColumn("process_id", "text", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("presence_pk", ["member_id", "process_id"])
    .execute();
  await db.schema.createIndex("presence_team").on("presence").columns(["team_id", "expires_at"]).execute();
  await db.schema.createIndex("presence_expires").on("presence").column("expires_at").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("presence").execute();
}
