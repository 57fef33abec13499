import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildTeam } from "../../test/factories.js";
import { createTestContext, type TestContext } from "../../test/test-context.js";
import { MINUTE } from "../lib/time.js";
import { cancelJob, enqueueJob } from "./job.repo.js";
import { JobWorker, retryDelay, type JobHandler } from "./worker.js";

let ctx: TestContext;

beforeEach(async () => {
  ctx = await createTestContext();
});
afterEach(() => ctx.close());

const jobRows = () => ctx.database.db.selectFrom("jobs").selectAll().orderBy("created_at").execute();

function recordingWorker(handler?: JobHandler) {
  const ran: Record<string, unknown>[] = [];
  const worker = new JobWorker(ctx, {
    "test.job": async (context, job) => {
      ran.push(job.payload);
      await handler?.(context, job);
    },
  });
  return { worker, ran };
}

describe("the job queue", () => {
  it("runs a job only when its time has come, and once", async () => {
    const { team } = await buildTeam(ctx);
    await ctx.database.transaction((tx) => enqueueJob(tx, { kind: "test.job", teamId: team.id, payload: { n: 1 }, runAt: ctx.clock.now() + 10 * MINUTE }, ctx.clock.now()));
    const { worker, ran } = recordingWorker();
    expect(await worker.runDue()).toBe(0);
    ctx.clock.advance(10 * MINUTE);
    expect(await worker.runDue()).toBe(1);
    expect(await worker.runDue()).toBe(0);
    expect(ran).toEqual([{ n: 1 }]);
    const [row] = await jobRows();
    expect(row).toMatchObject({ attempts: 1, finished_at: ctx.clock.now(), failed: 0 });
  });

  it("does not create a job when the enqueueing transaction rolls back", async () => {
    await expect(
      ctx.database.transaction(async (tx) => {
        await enqueueJob(tx, { kind: "test.job", payload: {}, runAt: ctx.clock.now() }, ctx.clock.now());
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await jobRows()).toEqual([]);
  });

  it("retries a failing job with growing delays, then gives up and keeps the error", async () => {
    await ctx.database.transaction((tx) => enqueueJob(tx, { kind: "test.job", payload: {}, runAt: ctx.clock.now(), maxAttempts: 3 }, ctx.clock.now()));
    const { worker, ran } = recordingWorker(() => Promise.reject(new Error("remote said no")));
    expect(await worker.runDue()).toBe(1);
    expect(await worker.runDue()).toBe(0);
    ctx.clock.advance(retryDelay(1));
    expect(await worker.runDue()).toBe(1);
    ctx.clock.advance(retryDelay(2) - 1);
    expect(await worker.runDue()).toBe(0);
    ctx.clock.advance(1);
    expect(await worker.runDue()).toBe(1);
    ctx.clock.advance(60 * MINUTE);
    expect(await worker.runDue()).toBe(0);
    expect(ran).toHaveLength(3);
    const [row] = await jobRows();
    expect(row).toMatchObject({ attempts: 3, failed: 1, last_error: "remote said no" });
    expect(row?.finished_at).not.toBeNull();
  });

  it("keeps one unfinished job per dedupe key, moved to the latest time", async () => {
    const now = ctx.clock.now();
    await ctx.database.transaction((tx) => enqueueJob(tx, { kind: "test.job", payload: { v: 1 }, runAt: now + MINUTE, dedupeKey: "k" }, now));
    await ctx.database.transaction((tx) => enqueueJob(tx, { kind: "test.job", payload: { v: 2 }, runAt: now + 5 * MINUTE, dedupeKey: "k" }, now));
    const rows = await jobRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ run_at: now + 5 * MINUTE, payload: JSON.stringify({ v: 2 }) });
    const { worker, ran } = recordingWorker();
    ctx.clock.advance(5 * MINUTE);
    await worker.runDue();
    // Once finished, the key is free again.
    await ctx.database.transaction((tx) => enqueueJob(tx, { kind: "test.job", payload: { v: 3 }, runAt: ctx.clock.now(), dedupeKey: "k" }, ctx.clock.now()));
    await worker.runDue();
    expect(ran).toEqual([{ v: 2 }, { v: 3 }]);
  });

  it("does not run a cancelled job", async () => {
    const now = ctx.clock.now();
    await ctx.database.transaction((tx) => enqueueJob(tx, { kind: "test.job", payload: {}, runAt: now, dedupeKey: "gone" }, now));
    await ctx.database.transaction((tx) => cancelJob(tx, "gone", now));
    const { worker, ran } = recordingWorker();
    expect(await worker.runDue()).toBe(0);
    expect(ran).toEqual([]);
  });

  it("runs a job left behind by a worker that died, once its lease runs out", async () => {
    const now = ctx.clock.now();
    await ctx.database.transaction((tx) => enqueueJob(tx, { kind: "test.job", payload: { left: true }, runAt: now }, now));
    // A worker claimed it and vanished: the lease is set, nothing finished it.
    await ctx.database.db.updateTable("jobs").set({ locked_until: now + 5 * MINUTE, locked_by: "dead", attempts: 1 }).execute();
    const { worker, ran } = recordingWorker();
    expect(await worker.runDue()).toBe(0);
    ctx.clock.advance(5 * MINUTE + 1);
    expect(await worker.runDue()).toBe(1);
    expect(ran).toEqual([{ left: true }]);
  });

  it("runs each job exactly once when several workers drain the queue at the same time", async () => {
    const now = ctx.clock.now();
    await ctx.database.transaction(async (tx) => {
      for (let i = 0; i < 60; i++) {
        await enqueueJob(tx, { kind: "test.job", payload: { i }, runAt: now }, now);
      }
    });
    const ran: number[] = [];
    const handlers = { "test.job": async (_context: unknown, job: { payload: Record<string, unknown> }) => void ran.push(job.payload.i as number) };
    const workers = Array.from({ length: 4 }, () => new JobWorker(ctx, handlers, { batchSize: 5 }));
    await Promise.all(workers.map((worker) => worker.runDue()));
    expect(ran.sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i));
  });
});
