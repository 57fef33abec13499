import { sql, type Kysely } from "kysely";

// Teams, members, sign-in sessions, API keys, inboxes, inbox members, routing rules and the event log.
// Every tenant table carries team_id and cascades from teams, so deleting a team deletes everything it owns.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("teams")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("plan", "text", (c) => c.notNull())
    .addColumn("event_seq", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("conversation_seq", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("members")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("team_id", "text", (c) => c.notNull().references("teams.id").onDelete("cascade"))
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("availability", "text", (c) => c.notNull())
    .addColumn("password_hash", "text")
    .addColumn("invite_token_hash", "text")
    .addColumn("invite_expires_at", "bigint")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addColumn("removed_at", "bigint")
    .execute();
  // One active account per email address across the installation: sign-in is by email alone.
  await db.schema.createIndex("members_email_active").on("members").column("email").unique().where(sql.ref("removed_at"), "is", null).execute();
  await db.schema.createIndex("members_team_created").on("members").columns(["team_id", "created_at"]).execute();
  await db.schema.createIndex("members_invite_token").on("members").column("invite_token_hash").unique().execute();

  await db.schema
    .createTable("sessions")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("team_id", "text", (c) => c.notNull().references("teams.id").onDelete("cascade"))
    .addColumn("member_id", "text", (c) => c.notNull().references("members.id").onDelete("cascade"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("last_seen_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("user_agent", "text")
    .addColumn("ip", "text")
    .execute();
  await db.schema.createIndex("sessions_member").on("sessions").column("member_id").execute();
  await db.schema.createIndex("sessions_expires").on("sessions").column("expires_at").execute();

  await db.schema
    .createTable("api_keys")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("team_id", "text", (c) => c.notNull().references("teams.id").onDelete("cascade"))
    .addColumn("member_id", "text", (c) => c.notNull().references("members.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("prefix", "text", (c) => c.notNull())
    .addColumn("secret_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("last_used_at", "bigint")
    .addColumn("revoked_at", "bigint")
    .execute();
  await db.schema.createIndex("api_keys_team_created").on("api_keys").columns(["team_id", "created_at"]).execute();
  await db.schema.createIndex("api_keys_member").on("api_keys").column("member_id").execute();

  await db.schema
    .createTable("login_failures")
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("login_failures_key_at").on("login_failures").columns(["key", "at"]).execute();

  await db.schema
    .createTable("inboxes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("team_id", "text", (c) => c.notNull().references("teams.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("name_key", "text", (c) => c.notNull())
    .addColumn("description", "text")
    .addColumn("email", "text", (c) => c.unique())
    .addColumn("is_default", "integer", (c) => c.notNull())
    .addColumn("color", "text", (c) => c.notNull())
    .addColumn("icon", "text", (c) => c.notNull())
    .addColumn("settings", "text", (c) => c.notNull())
    .addColumn("forward_local", "text", (c) => c.notNull().unique())
    .addColumn("website_token", "text", (c) => c.notNull().unique())
    .addColumn("identity_secret", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("inboxes_team_name").on("inboxes").columns(["team_id", "name_key"]).unique().execute();
  await db.schema.createIndex("inboxes_team_default").on("inboxes").column("team_id").unique().where(sql.ref("is_default"), "=", 1).execute();

  await db.schema
    .createTable("inbox_members")
    .addColumn("team_id", "text", (c) => c.notNull().references("teams.id").onDelete("cascade"))
    .addColumn("inbox_id", "text", (c) => c.notNull().references("inboxes.id").onDelete("cascade"))
    .addColumn("member_id", "text", (c) => c.notNull().references("members.id").onDelete("cascade"))
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("inbox_members_pk", ["inbox_id", "member_id"])
    .execute();
  await db.schema.createIndex("inbox_members_member").on("inbox_members").column("member_id").execute();

  await db.schema
    .createTable("routing_rules")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("team_id", "text", (c) => c.notNull().references("teams.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("condition", "text", (c) => c.notNull())
    .addColumn("inbox_id", "text", (c) => c.notNull().references("inboxes.id").onDelete("cascade"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("routing_rules_team_position").on("routing_rules").columns(["team_id", "position"]).execute();
  await db.schema.createIndex("routing_rules_inbox").on("routing_rules").column("inbox_id").execute();

  await db.schema
    .createTable("events")
    .addColumn("team_id", "text", (c) => c.notNull().references("teams.id").onDelete("cascade"))
    .addColumn("seq", "bigint", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("events_pk", ["team_id", "seq"])
    .execute();
  await db.schema.createIndex("events_created").on("events").column("created_at").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["events", "routing_rules", "inbox_members", "inboxes", "login_failures", "api_keys", "sessions", "members", "teams"]) {
    await db.schema.dropTable(table).execute();
  }
}
