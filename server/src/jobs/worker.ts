import { randomUUID } from "node:crypto";
import type { AppContext } from "../context.js";
import type { JobRow } from "../db/schema.js";
import { claimDueJobs, completeJob, failJob, rescheduleJob } from "./job.repo.js";

/**
 * Runs one kind of job. It must be idempotent: a job can run more than once (at-least-once delivery).
 * A recurring job returns `{ runAgainAt }` and the same row waits for that time instead of finishing.
 */
export type JobHandler = (context: AppContext, job: { id: string; teamId: string | null; payload: Record<string, unknown>; attempt: number }) => Promise<void | { runAgainAt: number }>;

export interface WorkerOptions {
  pollMs?: number;
  batchSize?: number;
  leaseMs?: number;
}

/** Exponential backoff: 5 s, 10 s, 20 s … capped at one hour. */
export function retryDelay(attempt: number): number {
  return Math.min(5_000 * 2 ** Math.max(0, attempt - 1), 3_600_000);
}

/** Claims due jobs from the database and runs them; any number of processes can run one. */
export class JobWorker {
  private readonly id = `worker-${randomUUID()}`;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly context: AppContext,
    private readonly handlers: Record<string, JobHandler>,
    private readonly options: WorkerOptions = {},
  ) {}

  /** Polls for due jobs until stop(). */
  start(): void {
    const tick = () => {
      this.runDue()
        .catch((error: unknown) => this.context.logger.error({ err: error }, "job worker tick failed"))
        .finally(() => {
          if (this.timer) {
            this.timer = setTimeout(tick, this.options.pollMs ?? 500);
          }
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Stops polling and waits for the jobs in hand. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Runs every job due now (one batch after another); returns how many ran. Tests call this directly. */
  async runDue(): Promise<number> {
    if (this.running) {
      return this.running;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async drain(): Promise<number> {
    const { database, clock } = this.context;
    let total = 0;
    for (;;) {
      const jobs = await database.transaction((tx) => claimDueJobs(tx, database.dialect, this.id, clock.now(), this.options.leaseMs ?? 300_000, this.options.batchSize ?? 20));
      if (jobs.length === 0) {
        return total;
      }
      for (const job of jobs) {
        await this.runOne(job);
      }
      total += jobs.length;
    }
  }

  private async runOne(job: JobRow): Promise<void> {
    const { database, clock, logger } = this.context;
    const handler = this.handlers[job.kind];
    try {
      if (!handler) {
        throw new Error(`no handler for job kind ${job.kind}`);
      }
      const result = await handler(this.context, { id: job.id, teamId: job.team_id, payload: JSON.parse(job.payload) as Record<string, unknown>, attempt: job.attempts });
      await database.transaction((tx) => (result ? rescheduleJob(tx, job.id, result.runAgainAt) : completeJob(tx, job.id, clock.now())));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      logger.warn({ job: job.id, kind: job.kind, attempt: job.attempts, err: error }, "job failed");
      await database.transaction((tx) => failJob(tx, job, message, clock.now(), clock.now() + retryDelay(job.attempts)));
    }
  }
}
