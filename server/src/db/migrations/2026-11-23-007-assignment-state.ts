import type { Kysely } from "kysely";

// Round-robin assignment remembers, per inbox, who got the last conversation.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("inbox_assignment_state")
    .addColumn("inbox_id", "text", (c) => c.primaryKey().references("inboxes.id").onDelete("cascade"))
    .addColumn("team_id", "text", (c) => c.notNull().references("teams.id").onDelete("cascade"))
    .addColumn("last_member_id", "text")
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("inbox_assignment_state").execute();
}
