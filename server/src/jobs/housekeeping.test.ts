import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildTeam } from "../../test/factories.js";
import { createTestContext, type TestContext } from "../../test/test-context.js";
import { DAY, HOUR, MINUTE } from "../lib/time.js";
import { EVENT_RETENTION, ensureHousekeeping, HOUSEKEEPING_JOB } from "./housekeeping.js";

let ctx: TestContext;

beforeEach(async () => {
  ctx = await createTestContext();
});
afterEach(() => ctx.close());

const housekeepingRows = () => ctx.database.db.selectFrom("jobs").selectAll().where("kind", "=", HOUSEKEEPING_JOB).execute();

describe("housekeeping", () => {
  it("is scheduled once however often the processes start", async () => {
    await Promise.all([ensureHousekeeping(ctx), ensureHousekeeping(ctx)]);
    await ensureHousekeeping(ctx);
    expect(await housekeepingRows()).toHaveLength(1);
  });

  it("drops events past the resume window and old idempotency keys, keeps recent ones, and comes back about an hour later", async () => {
    const { team } = await buildTeam(ctx);
    const oldEvents = await ctx.database.db.selectFrom("events").select("seq").where("team_id", "=", team.id).execute();
    expect(oldEvents.length).toBeGreaterThan(0);
    await ctx.database.db.insertInto("idempotency_keys").values({ team_id: team.id, actor_id: "member_x", key: "old", request_hash: "h", status_code: 201, response: "{}", created_at: ctx.clock.now() }).execute();
    ctx.clock.advance(EVENT_RETENTION + MINUTE);
    await ctx.database.transaction(async (tx) => {
      await tx.updateTable("teams").set({ name: "Fresh" }).where("id", "=", team.id).execute();
    });
    await ctx.database.db.insertInto("events").values({ team_id: team.id, seq: 999, name: "test.recent", payload: "{}", created_at: ctx.clock.now() }).execute();
    await ensureHousekeeping(ctx);
    ctx.clock.advance(MINUTE);
    expect(await ctx.worker.runDue()).toBe(1);
    const left = await ctx.database.db.selectFrom("events").select("name").where("team_id", "=", team.id).execute();
    expect(left.map((e) => e.name)).toEqual(["test.recent"]);
    expect(await ctx.database.db.selectFrom("idempotency_keys").selectAll().execute()).toEqual([]);
    const [row] = await housekeepingRows();
    expect(row?.finished_at).toBeNull();
    expect(row!.run_at).toBeGreaterThanOrEqual(ctx.clock.now() + HOUR);
    expect(await ctx.worker.runDue()).toBe(0);
    ctx.clock.advance(2 * HOUR);
    expect(await ctx.worker.runDue()).toBe(1);
    expect(await housekeepingRows()).toHaveLength(1);
  });

  it("keeps failed jobs for inspection while dropping old finished ones", async () => {
    const now = ctx.clock.now();
    const base = { team_id: null, payload: "{}", dedupe_key: null, run_at: now, attempts: 1, max_attempts: 1, locked_until: null, locked_by: null, created_at: now, finished_at: now };
    await ctx.database.db
      .insertInto("jobs")
      .values([
        { ...base, id: "job_done", kind: "x", last_error: null, failed: 0 },
        { ...base, id: "job_failed", kind: "x", last_error: "boom", failed: 1 },
      ])
      .execute();
    ctx.clock.advance(8 * DAY);
    await ensureHousekeeping(ctx);
    ctx.clock.advance(MINUTE);
    await ctx.worker.runDue();
    const ids = (await ctx.database.db.selectFrom("jobs").select("id").where("kind", "=", "x").execute()).map((r) => r.id);
    expect(ids).toEqual(["job_failed"]);
  });
});
