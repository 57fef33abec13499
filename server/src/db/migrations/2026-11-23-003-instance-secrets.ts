import type { Kysely } from "kysely";

// Secrets of the installation as a whole (not of a team), such as the key that signs attachment download
// links. They live in the database so every process of a scaled-out installation shares them.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("instance_secrets")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("instance_secrets").execute();
}
