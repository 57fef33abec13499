import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/database.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";
import { getInstanceSecret } from "./instance-secrets.js";

let ctx: TestContext;

beforeEach(async () => {
  ctx = await createTestContext();
});
afterEach(() => ctx.close());

describe("getInstanceSecret", () => {
  it("makes a secret once and gives the same one to every caller, even at the same moment", async () => {
    const values = await Promise.all(Array.from({ length: 5 }, () => getInstanceSecret(ctx.database.db, "test_secret", ctx.clock.now())));
    expect(new Set(values).size).toBe(1);
    expect(values[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await ctx.database.db.selectFrom("instance_secrets").selectAll().where("name", "=", "test_secret").execute();
    expect(rows).toEqual([{ name: "test_secret", value: values[0], created_at: ctx.clock.now() }]);
  });

  it("keeps different names apart", async () => {
    const a = await getInstanceSecret(ctx.database.db, "a", ctx.clock.now());
    const b = await getInstanceSecret(ctx.database.db, "b", ctx.clock.now());
    expect(a).not.toBe(b);
  });

  it("shares the secret with another process on the same database", async () => {
    // A second connection pool stands in for a second Parley process: it has its own in-memory cache.
    const other = openDatabase({ databaseUrl: ctx.config.databaseUrl, dataDir: ctx.config.dataDir, poolSize: 2, clock: ctx.clock, logger: ctx.logger, ...(ctx.database.schema ? { schema: ctx.database.schema } : {}) });
    try {
      const [mine, theirs] = await Promise.all([getInstanceSecret(ctx.database.db, "shared", ctx.clock.now()), getInstanceSecret(other.db, "shared", ctx.clock.now())]);
      expect(theirs).toBe(mine);
    } finally {
      await other.close();
    }
  });
});
