import { sql, type Kysely } from "kysely";

// Housekeeping finds uploads never sent with a message (oldest first) without reading every attachment.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex("attachments_unsent").on("attachments").column("created_at").where(sql.ref("message_id"), "is", null).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("attachments_unsent").execute();
}
