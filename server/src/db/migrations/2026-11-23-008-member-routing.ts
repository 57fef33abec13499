import type { Kysely } from "kysely";

// Keyword routing to members (the team API's "role-based routing"): ordered rules that give a new
// conversation to a member when its first message contains one of their keywords.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("member_routing_rules")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("team_id", "text", (c) => c.notNull().references("teams.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("member_id", "text", (c) => c.notNull().references("members.id").onDelete("cascade"))
    .addColumn("keywords", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("member_routing_rules_team").on("member_routing_rules").columns(["team_id", "position"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("member_routing_rules").execute();
}
