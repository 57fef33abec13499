import { sql, type Kysely } from "kysely";

// Website visitors: the widget's server-issued tokens (stored hashed) tying a browser to a contact, the
// identified user id a site may give, and the read state the widget shows (read receipts, unread badge).

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("contacts").addColumn("external_id", "text").execute();
  await db.schema.createIndex("contacts_team_external").on("contacts").columns(["team_id", "external_id"]).unique().where(sql.ref("external_id"), "is not", null).execute();

  await db.schema
    .createTable("visitors")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("team_id", "text", (c) => c.notNull().references("teams.id").onDelete("cascade"))
    .addColumn("inbox_id", "text", (c) => c.notNull().references("inboxes.id").onDelete("cascade"))
    .addColumn("contact_id", "text", (c) => c.notNull().references("contacts.id").onDelete("cascade"))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("page_url", "text")
    .addColumn("referrer", "text")
    .addColumn("user_agent", "text")
    .addColumn("ip", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("last_seen_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("visitors_contact").on("visitors").column("contact_id").execute();

  // What the contact has read of our replies: read receipts for agents, the unread badge for the widget.
  await db.schema.alterTable("conversations").addColumn("outgoing_count", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("conversations").addColumn("contact_read_count", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("conversations").addColumn("contact_read_at", "bigint").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("visitors").execute();
  await db.schema.dropIndex("contacts_team_external").execute();
  for (const column of ["outgoing_count", "contact_read_count", "contact_read_at"]) {
    await db.schema.alterTable("conversations").dropColumn(column).execute();
  }
  await db.schema.alterTable("contacts").dropColumn("external_id").execute();
}
