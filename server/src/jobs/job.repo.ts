import { sql } from "kysely";
import type { Dialect, Tx } from "../db/database.js";
import type { JobRow } from "../db/schema.js";
import { newId } from "../lib/ids.js";

export interface EnqueueJob {
  kind: string;
  payload: Record<string, unknown>;
  runAt: number;
  teamId?: string | null;
  /** At most one unfinished job per key: enqueueing again moves the existing one to the new time and payload. */
  dedupeKey?: string;
  maxAttempts?: number;
}

/** Adds a job in the caller's transaction, so it exists exactly when the change that caused it commits. */
export async function enqueueJob(tx: Tx, job: EnqueueJob, now: number): Promise<void> {
  const row: JobRow = {
    id: newId("job"),
    team_id: job.teamId ?? null,
    kind: job.kind,
    payload: JSON.stringify(job.payload),
    dedupe_key: job.dedupeKey ?? null,
    run_at: job.runAt,
    attempts: 0,
    max_attempts: job.maxAttempts ?? 8,
    locked_until: null,
    locked_by: null,
    last_error: null,
    created_at: now,
    finished_at: null,
    failed: 0,
  };
  let insert = tx.insertInto("jobs").values(row);
  if (job.dedupeKey) {
    insert = insert.onConflict((oc) => oc.column("dedupe_key").where("finished_at", "is", null).doUpdateSet({ run_at: job.runAt, payload: row.payload, attempts: 0, last_error: null }));
  }
  await insert.execute();
}

/** Finishes the unfinished job with this key, if any (e.g. a wake-up that is no longer wanted). */
export async function cancelJob(tx: Tx, dedupeKey: string, now: number): Promise<void> {
  await tx.updateTable("jobs").set({ finished_at: now, last_error: "cancelled" }).where("dedupe_key", "=", dedupeKey).where("finished_at", "is", null).execute();
}

/**
 * Claims up to `limit` due jobs for one worker: each is leased until `now + leaseMs`, so a crashed worker's
 * job runs again later (at least once). PostgreSQL skips rows other workers hold; SQLite has one writer.
 */
export async function claimDueJobs(tx: Tx, dialect: Dialect, workerId: string, now: number, leaseMs: number, limit: number): Promise<JobRow[]> {
  const due = tx
    .selectFrom("jobs")
    .select("id")
    .where("finished_at", "is", null)
    .where("run_at", "<=", now)
    .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<", now)]))
    .orderBy("run_at")
    .limit(limit);
  return tx
    .updateTable("jobs")
    .set({ locked_until: now + leaseMs, locked_by: workerId, attempts: sql`attempts + 1` })
    .where("id", "in", dialect === "postgres" ? due.forUpdate().skipLocked() : due)
    .returningAll()
    .execute();
}

/** Marks a job done. */
export async function completeJob(tx: Tx, jobId: string, now: number): Promise<void> {
  await tx.updateTable("jobs").set({ finished_at: now, locked_until: null }).where("id", "=", jobId).execute();
}

/** Puts a recurring job back in the queue for its next run. */
export async function rescheduleJob(tx: Tx, jobId: string, runAt: number): Promise<void> {
  await tx.updateTable("jobs").set({ run_at: runAt, attempts: 0, locked_until: null, locked_by: null, last_error: null }).where("id", "=", jobId).execute();
}

/** Records a failure: the job runs again after `retryAt`, or is given up when it has no attempts left. */
export async function failJob(tx: Tx, job: JobRow, error: string, now: number, retryAt: number): Promise<void> {
  const giveUp = job.attempts >= job.max_attempts;
  await tx
    .updateTable("jobs")
    .set({ last_error: error.slice(0, 2000), locked_until: null, ...(giveUp ? { finished_at: now, failed: 1 } : { run_at: retryAt }) })
    .where("id", "=", job.id)
    .execute();
}

/** Drops finished jobs older than `before`; housekeeping. */
export async function deleteFinishedJobs(tx: Tx, before: number): Promise<void> {
  await tx.deleteFrom("jobs").where("finished_at", "<", before).where("failed", "=", 0).execute();
}
