import type { AppContext } from "../context.js";
import { DAY, HOUR, MINUTE } from "../lib/time.js";
import { THROTTLE_WINDOW } from "../modules/auth/login-throttle.js";
import { deleteExpiredSessions } from "../modules/auth/session.repo.js";
import { dropUnsentUploads } from "../modules/attachments/forget-files.js";
import { deleteFinishedJobs, enqueueJob } from "./job.repo.js";

export const HOUSEKEEPING_JOB = "housekeeping";

/** How long a reconnecting client can resume from its last event; older events are dropped. */
export const EVENT_RETENTION = 7 * DAY;
/** How long a retried request with the same Idempotency-Key gets the first answer. */
export const IDEMPOTENCY_RETENTION = DAY;

/** Makes sure housekeeping is scheduled: one row per installation, whatever the number of processes starting. */
export async function ensureHousekeeping(context: AppContext): Promise<void> {
  const now = context.clock.now();
  await context.database.transaction(async (tx) => {
    const scheduled = await tx.selectFrom("jobs").select("id").where("dedupe_key", "=", HOUSEKEEPING_JOB).where("finished_at", "is", null).executeTakeFirst();
    if (!scheduled) {
      await enqueueJob(tx, { kind: HOUSEKEEPING_JOB, payload: {}, runAt: now + MINUTE, dedupeKey: HOUSEKEEPING_JOB }, now);
    }
  });
}

/** Drops what has outlived its use: old events, idempotency keys, sign-in attempts, sessions, finished jobs and uploads never sent. */
export async function runHousekeeping(context: AppContext): Promise<void> {
  const now = context.clock.now();
  await context.database.transaction(async (tx) => {
    await tx.deleteFrom("events").where("created_at", "<", now - EVENT_RETENTION).execute();
    await tx.deleteFrom("idempotency_keys").where("created_at", "<", now - IDEMPOTENCY_RETENTION).execute();
    await tx.deleteFrom("login_failures").where("at", "<", now - THROTTLE_WINDOW).execute();
    await deleteExpiredSessions(tx, now);
    await deleteFinishedJobs(tx, now - 7 * DAY);
    await dropUnsentUploads(tx, now);
  });
}

/** The job handler: clean up, then run again in about an hour. */
export async function housekeepingJob(context: AppContext): Promise<{ runAgainAt: number }> {
  await runHousekeeping(context);
  return { runAgainAt: context.clock.now() + HOUR + Math.floor(Math.random() * 5 * MINUTE) };
}
