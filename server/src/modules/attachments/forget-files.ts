import type { AppContext } from "../../context.js";
import type { Tx } from "../../db/database.js";
import { enqueueJob } from "../../jobs/job.repo.js";
import { DAY } from "../../lib/time.js";
import { attachmentStorage } from "./storage-factory.js";
import { STORAGE_KEY_PATTERN } from "./storage.js";

/** The job that removes stored files whose attachment rows are gone. */
export const DELETE_FILES_JOB = "attachments.delete_files";

/** Keys per job: small enough for one job to finish quickly, large enough that a big deletion stays a few jobs. */
const KEYS_PER_JOB = 500;

/** An upload never sent with a message is dropped (row and file) after this long. */
export const UNSENT_UPLOAD_RETENTION = DAY;

/**
 * Schedules the removal of stored files, in the transaction that deletes their rows: the files go only when
 * the deletion commits, and a crash between the two leaves the job to finish it. The job belongs to no team,
 * so deleting a whole team does not take its own clean-up with it.
 */
export async function scheduleFileDeletion(tx: Tx, keys: string[], now: number): Promise<void> {
  for (let start = 0; start < keys.length; start += KEYS_PER_JOB) {
    await enqueueJob(tx, { kind: DELETE_FILES_JOB, payload: { keys: keys.slice(start, start + KEYS_PER_JOB) }, runAt: now }, now);
  }
}

/** The storage keys of every attachment in a contact's conversations. */
export async function storageKeysOfContact(tx: Tx, teamId: string, contactId: string): Promise<string[]> {
  const rows = await tx
    .selectFrom("attachments")
    .innerJoin("conversations", "conversations.id", "attachments.conversation_id")
    .select("attachments.storage_key")
    .where("conversations.team_id", "=", teamId)
    .where("conversations.contact_id", "=", contactId)
    .execute();
  return rows.map((row) => row.storage_key);
}

/** The storage keys of every attachment a team has, sent or not. */
export async function storageKeysOfTeam(tx: Tx, teamId: string): Promise<string[]> {
  const rows = await tx.selectFrom("attachments").select("storage_key").where("team_id", "=", teamId).execute();
  return rows.map((row) => row.storage_key);
}

/** Drops uploads that were never sent with a message, a batch at a time (housekeeping). */
export async function dropUnsentUploads(tx: Tx, now: number, limit = 1000): Promise<number> {
  const rows = await tx
    .selectFrom("attachments")
    .select("id")
    .where("message_id", "is", null)
    .where("created_at", "<", now - UNSENT_UPLOAD_RETENTION)
    .orderBy("created_at")
    .limit(limit)
    .execute();
  if (rows.length === 0) {
    return 0;
  }
  // Only the rows this statement deletes lose their files: one attached meanwhile keeps its row and its file.
  const deleted = await tx
    .deleteFrom("attachments")
    .where(
      "id",
      "in",
      rows.map((row) => row.id),
    )
    .where("message_id", "is", null)
    .returning("storage_key")
    .execute();
  await scheduleFileDeletion(
    tx,
    deleted.map((row) => row.storage_key),
    now,
  );
  return deleted.length;
}

/** The job: removes each file; one already gone is fine, and a key no row could have made is ignored. */
export async function deleteStoredFiles(context: AppContext, payload: Record<string, unknown>): Promise<void> {
  const keys = Array.isArray(payload.keys) ? payload.keys.filter((key): key is string => typeof key === "string" && STORAGE_KEY_PATTERN.test(key)) : [];
  const storage = attachmentStorage(context.config);
  for (const key of keys) {
    await storage.delete(key);
  }
}
