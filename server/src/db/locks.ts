import { sql } from "kysely";
import { isPostgres, type Tx } from "./database.js";

/**
 * Serialises transactions that take the same named lock, until they commit. PostgreSQL needs this for
 * check-then-write rules (the last owner, one active account per email, the first team); SQLite already
 * runs one write transaction at a time, so there it costs nothing.
 */
export async function lockName(tx: Tx, name: string): Promise<void> {
  if (isPostgres(tx)) {
    await sql`select pg_advisory_xact_lock(hashtext(${name}))`.execute(tx);
  }
}
