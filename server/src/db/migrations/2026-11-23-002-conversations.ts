import { PostgresAdapter, sql, type Kysely } from "kysely";

// Contacts, tags, conversations, messages, attachments, read state, maintained view counts, mention
// notifications, quick replies, idempotency keys, the job queue, and full-text search.

function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("contacts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("team_id", "text", (c) => c.notNull().references("teams.id").onDelete("cascade"))
    .addColumn("name", "text")
    .addColumn("email", "text")
    .addColumn("phone", "text")
    .addColumn("attributes", "text", (c) => c.notNull())
    .addColumn("tags", "text", (c) => c.notNull())
    .addColumn("city", "text")
    .addColumn("country", "text")
    .addColumn("device", "text")
    .addColumn("os", "text")
    .addColumn("browser", "text")
    .addColumn("language", "text")
    .addColumn("timezone", "text")
    .addColumn("blocked", "integer", (c) => c.notNull())
    .addColumn("first_seen_at", "bigint", (c) => c.notNull())
    .addColumn("last_seen_at", "bigint", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("contacts_team_email").on("contacts").columns(["team_id", "email"]).unique().where(sql.ref("email"), "is not", null).execute();
  await db.schema.createIndex("contacts_team_phone").on("contacts").columns(["team_id", "phone"]).execute();
  await db.schema.createIndex("contacts_team_seen").on("contacts").columns(["team_id", "last_seen_at", "id"]).execute();

  await db.schema
    .createTable("tags")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("team_id", "text", (c) => c.notNull().references("teams.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("name_key", "text", (c) => c.notNull())
    .addColumn("color", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("tags_team_name").on("tags").columns(["team_id", "name_key"]).unique().execute();

  await db.schema
    .createTable("contact_tags")
    .addColumn("team_id", "text", (c) => c.notNull())
    .addColumn("contact_id", "text", (c) => c.notNull().references("contacts.id").onDelete("cascade"))
    .addColumn("tag_id", "text", (c) => c.notNull().references("tags.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("contact_tags_pk", ["contact_id", "tag_id"])
    .execute();
  await db.schema.createIndex("contact_tags_tag").on("contact_tags").columns(["team_id", "tag_id", "contact_id"]).execute();

  await db.schema
    .createTable("conversations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("team_id", "text", (c) => c.notNull().references("teams.id").onDelete("cascade"))
    .addColumn("number", "bigint", (c) => c.notNull())
    .addColumn("inbox_id", "text", (c) => c.notNull().references("inboxes.id"))
    .addColumn("contact_id", "text", (c) => c.notNull().references("contacts.id"))
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    // The one view bucket a conversation is in (unassigned, assigned, automated, pending, snoozed, closed,
    // spam): list queries and the maintained counts both key on it.
    .addColumn("bucket", "text", (c) => c.notNull())
    .addColumn("assigned_to_member_id", "text", (c) => c.references("members.id"))
    .addColumn("subject", "text")
    .addColumn("source_url", "text")
    .addColumn("handled_by_bot", "integer", (c) => c.notNull())
    .addColumn("spam", "integer", (c) => c.notNull())
    .addColumn("snoozed_until", "bigint")
    .addColumn("tags", "text", (c) => c.notNull())
    .addColumn("incoming_count", "integer", (c) => c.notNull())
    .addColumn("message_count", "integer", (c) => c.notNull())
    .addColumn("last_message_id", "text")
    .addColumn("last_message_preview", "text")
    .addColumn("last_message_direction", "text")
    .addColumn("last_message_at", "bigint")
    .addColumn("last_activity_at", "bigint", (c) => c.notNull())
    .addColumn("first_response_at", "bigint")
    .addColumn("closed_at", "bigint")
    .addColumn("closed_by", "text")
    .addColumn("csat_rating", "integer")
    .addColumn("csat_comment", "text")
    .addColumn("csat_at", "bigint")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("conversations_team_number").on("conversations").columns(["team_id", "number"]).unique().execute();
  // Keyset pagination by last activity, newest first, for each way the list is cut.
  await db.schema.createIndex("conversations_team_activity").on("conversations").columns(["team_id", "last_activity_at", "id"]).execute();
  await db.schema.createIndex("conversations_team_bucket").on("conversations").columns(["team_id", "bucket", "last_activity_at", "id"]).execute();
  await db.schema.createIndex("conversations_inbox_bucket").on("conversations").columns(["inbox_id", "bucket", "last_activity_at", "id"]).execute();
  await db.schema.createIndex("conversations_inbox_activity").on("conversations").columns(["inbox_id", "last_activity_at", "id"]).execute();
  await db.schema.createIndex("conversations_assignee").on("conversations").columns(["assigned_to_member_id", "bucket", "last_activity_at", "id"]).execute();
  await db.schema.createIndex("conversations_contact").on("conversations").columns(["contact_id", "created_at", "id"]).execute();
  await db.schema.createIndex("conversations_team_closed").on("conversations").columns(["team_id", "closed_at"]).execute();
  await db.schema.createIndex("conversations_snoozed").on("conversations").columns(["snoozed_until"]).where(sql.ref("snoozed_until"), "is not", null).execute();

  await db.schema
    .createTable("conversation_tags")
    .addColumn("team_id", "text", (c) => c.notNull())
    .addColumn("conversation_id", "text", (c) => c.notNull().references("conversations.id").onDelete("cascade"))
    .addColumn("tag_id", "text", (c) => c.notNull().references("tags.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("conversation_tags_pk", ["conversation_id", "tag_id"])
    .execute();
  await db.schema.createIndex("conversation_tags_tag").on("conversation_tags").columns(["team_id", "tag_id", "conversation_id"]).execute();

  await db.schema
    .createTable("messages")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("team_id", "text", (c) => c.notNull().references("teams.id").onDelete("cascade"))
    .addColumn("conversation_id", "text", (c) => c.notNull().references("conversations.id").onDelete("cascade"))
    // Position in the conversation (1, 2, …): the order messages are shown in, even within one millisecond.
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("direction", "text", (c) => c.notNull())
    .addColumn("author_member_id", "text", (c) => c.references("members.id"))
    .addColumn("author_kind", "text", (c) => c.notNull())
    .addColumn("content", "text", (c) => c.notNull())
    .addColumn("attachments", "text", (c) => c.notNull())
    .addColumn("mentions", "text", (c) => c.notNull())
    .addColumn("metadata", "text")
    .addColumn("external_id", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("delivered_at", "bigint")
    .addColumn("read_at", "bigint")
    .execute();
  await db.schema.createIndex("messages_conversation").on("messages").columns(["conversation_id", "seq"]).unique().execute();
  await db.schema.createIndex("messages_external").on("messages").columns(["team_id", "external_id"]).unique().where(sql.ref("external_id"), "is not", null).execute();

  await db.schema
    .createTable("attachments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("team_id", "text", (c) => c.notNull().references("teams.id").onDelete("cascade"))
    .addColumn("conversation_id", "text", (c) => c.references("conversations.id").onDelete("cascade"))
    .addColumn("message_id", "text", (c) => c.references("messages.id").onDelete("cascade"))
    .addColumn("uploaded_by_member_id", "text")
    .addColumn("uploaded_by_contact_id", "text")
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("content_type", "text", (c) => c.notNull())
    .addColumn("size", "bigint", (c) => c.notNull())
    .addColumn("storage_key", "text", (c) => c.notNull())
    .addColumn("width", "integer")
    .addColumn("height", "integer")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("attachments_message").on("attachments").column("message_id").execute();
  await db.schema.createIndex("attachments_team_created").on("attachments").columns(["team_id", "created_at"]).execute();

  await db.schema
    .createTable("conversation_reads")
    .addColumn("team_id", "text", (c) => c.notNull())
    .addColumn("conversation_id", "text", (c) => c.notNull().references("conversations.id").onDelete("cascade"))
    .addColumn("member_id", "text", (c) => c.notNull().references("members.id").onDelete("cascade"))
    .addColumn("read_incoming_count", "integer", (c) => c.notNull())
    .addColumn("read_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("conversation_reads_pk", ["conversation_id", "member_id"])
    .execute();

  // Maintained view counts: one row per inbox and bucket, and per member and inbox for open assigned work.
  await db.schema
    .createTable("conversation_counts")
    .addColumn("team_id", "text", (c) => c.notNull().references("teams.id").onDelete("cascade"))
    .addColumn("inbox_id", "text", (c) => c.notNull().references("inboxes.id").onDelete("cascade"))
    .addColumn("bucket", "text", (c) => c.notNull())
    .addColumn("count", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("conversation_counts_pk", ["team_id", "inbox_id", "bucket"])
    .execute();
  await db.schema
    .createTable("member_conversation_counts")
    .addColumn("team_id", "text", (c) => c.notNull().references("teams.id").onDelete("cascade"))
    .addColumn("member_id", "text", (c) => c.notNull().references("members.id").onDelete("cascade"))
    .addColumn("inbox_id", "text", (c) => c.notNull().references("inboxes.id").onDelete("cascade"))
    .addColumn("bucket", "text", (c) => c.notNull())
    .addColumn("count", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("member_conversation_counts_pk", ["team_id", "member_id", "inbox_id", "bucket"])
    .execute();

  await db.schema
    .createTable("notifications")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("team_id", "text", (c) => c.notNull().references("teams.id").onDelete("cascade"))
    .addColumn("member_id", "text", (c) => c.notNull().references("members.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("conversation_id", "text", (c) => c.references("conversations.id").onDelete("cascade"))
    .addColumn("message_id", "text", (c) => c.references("messages.id").onDelete("cascade"))
    .addColumn("actor_member_id", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("read_at", "bigint")
    .execute();
  await db.schema.createIndex("notifications_member").on("notifications").columns(["member_id", "created_at", "id"]).execute();

  await db.schema
    .createTable("quick_replies")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("team_id", "text", (c) => c.notNull().references("teams.id").onDelete("cascade"))
    .addColumn("shortcut", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("content", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("quick_replies_team_shortcut").on("quick_replies").columns(["team_id", "shortcut"]).unique().execute();

  await db.schema
    .createTable("idempotency_keys")
    .addColumn("team_id", "text", (c) => c.notNull().references("teams.id").onDelete("cascade"))
    .addColumn("actor_id", "text", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("request_hash", "text", (c) => c.notNull())
    .addColumn("status_code", "integer", (c) => c.notNull())
    .addColumn("response", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("idempotency_keys_pk", ["team_id", "actor_id", "key"])
    .execute();
  await db.schema.createIndex("idempotency_keys_created").on("idempotency_keys").column("created_at").execute();

  await db.schema
    .createTable("jobs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("team_id", "text", (c) => c.references("teams.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("dedupe_key", "text")
    .addColumn("run_at", "bigint", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull())
    .addColumn("max_attempts", "integer", (c) => c.notNull())
    .addColumn("locked_until", "bigint")
    .addColumn("locked_by", "text")
    .addColumn("last_error", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("finished_at", "bigint")
    .addColumn("failed", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("jobs_due").on("jobs").columns(["run_at"]).where(sql.ref("finished_at"), "is", null).execute();
  await db.schema.createIndex("jobs_dedupe").on("jobs").column("dedupe_key").unique().where(sql.ref("finished_at"), "is", null).execute();
  await db.schema.createIndex("jobs_finished").on("jobs").column("finished_at").execute();

  if (isPostgres(db)) {
    await sql`alter table messages add column search tsvector generated always as (to_tsvector('simple', content)) stored`.execute(db);
    await sql`create index messages_search on messages using gin (search)`.execute(db);
    await sql`alter table contacts add column search tsvector generated always as (to_tsvector('simple', coalesce(name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(phone, ''))) stored`.execute(db);
    await sql`create index contacts_search on contacts using gin (search)`.execute(db);
    await sql`alter table conversations add column search tsvector generated always as (to_tsvector('simple', coalesce(subject, ''))) stored`.execute(db);
    await sql`create index conversations_search on conversations using gin (search)`.execute(db);
  } else {
    // FTS5 indexes over the tables' own rows (external content), kept in step by triggers inside the
    // same transaction as every write.
    const indexes: [string, string, string[]][] = [
      ["messages_fts", "messages", ["content"]],
      ["contacts_fts", "contacts", ["name", "email", "phone"]],
      ["conversations_fts", "conversations", ["subject"]],
    ];
    for (const [fts, table, columns] of indexes) {
      const list = columns.join(", ");
      const newValues = columns.map((column) => `new.${column}`).join(", ");
      const oldValues = columns.map((column) => `old.${column}`).join(", ");
      await sql.raw(`create virtual table ${fts} using fts5(${list}, content='${table}', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')`).execute(db);
      await sql.raw(`create trigger ${fts}_insert after insert on ${table} begin insert into ${fts}(rowid, ${list}) values (new.rowid, ${newValues}); end`).execute(db);
      await sql.raw(`create trigger ${fts}_delete after delete on ${table} begin insert into ${fts}(${fts}, rowid, ${list}) values ('delete', old.rowid, ${oldValues}); end`).execute(db);
      await sql
        .raw(`create trigger ${fts}_update after update of ${list} on ${table} begin insert into ${fts}(${fts}, rowid, ${list}) values ('delete', old.rowid, ${oldValues}); insert into ${fts}(rowid, ${list}) values (new.rowid, ${newValues}); end`)
        .execute(db);
    }
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) {
    for (const table of ["conversations_fts", "contacts_fts", "messages_fts"]) {
      await sql`drop table if exists ${sql.table(table)}`.execute(db);
    }
  }
  for (const table of [
    "jobs",
    "idempotency_keys",
    "quick_replies",
    "notifications",
    "member_conversation_counts",
    "conversation_counts",
    "conversation_reads",
    "attachments",
    "messages",
    "conversation_tags",
    "conversations",
    "contact_tags",
    "tags",
    "contacts",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
