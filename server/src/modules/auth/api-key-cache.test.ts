import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildTeam, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";
import { createLocalBus } from "../../events/bus.js";
import { ManualClock } from "../../lib/clock.js";
import { createLogger } from "../../lib/logger.js";
import type { Actor } from "../members/actor.js";
import { API_KEY_CACHE_MS, ApiKeyCache } from "./api-key-cache.js";

// Revoking a key, demoting or removing its member take effect at once: api-keys.routes.test.ts proves it
// with keys used just before the change, so remembered.
describe("API keys used again and again", () => {
  let ctx: TestContext;
  let acme: BuiltTeam;
  beforeEach(async () => {
    ctx = await createTestContext();
    acme = await buildTeam(ctx, { name: "Acme Corp" });
  });
  afterEach(() => ctx.close());

  it("see a change made by hand in the database, which no event announces, once the cache time has passed", async () => {
    const api = client(ctx.app, { apiKey: acme.apiKey });
    expect((await api.get("/api/support/team")).status).toBe(200);
    await ctx.database.db.updateTable("api_keys").set({ revoked_at: ctx.clock.now() }).where("team_id", "=", acme.team.id).execute();
    ctx.clock.advance(API_KEY_CACHE_MS);
    expect((await api.get("/api/support/team")).status).toBe(401);
  });
});

describe("ApiKeyCache", () => {
  const actor: Actor = { memberId: "member_a", name: "Alice", teamId: "team_a", role: "admin", via: "api_key", apiKeyId: "key_a" };

  function cacheWithReads() {
    const bus = createLocalBus(createLogger("silent"));
    const clock = new ManualClock(0);
    const cache = new ApiKeyCache(bus, clock);
    let reads = 0;
    const changed = (name: string, teamId = "team_a") => bus.publish([{ name, teamId, payload: {}, seq: 1, createdAt: 0 }]);
    return { cache, clock, changed, reads: () => reads, read: (answer: Actor | undefined) => async () => ((reads += 1), answer) };
  }

  it("reads a key once while it is fresh, and again once it is not", async () => {
    const { cache, clock, reads, read } = cacheWithReads();
    expect(await cache.actorOf("secret", read(actor))).toEqual(actor);
    expect(await cache.actorOf("secret", read(actor))).toEqual(actor);
    expect(reads()).toBe(1);
    clock.advance(API_KEY_CACHE_MS);
    await cache.actorOf("secret", read(actor));
    expect(reads()).toBe(2);
  });

  it("never remembers a key that was not found", async () => {
    const { cache, reads, read } = cacheWithReads();
    expect(await cache.actorOf("wrong", read(undefined))).toBeUndefined();
    expect(await cache.actorOf("wrong", read(undefined))).toBeUndefined();
    expect(reads()).toBe(2);
  });

  it("forgets a team's keys when a key is revoked or a member changes, and only that team's", async () => {
    const { cache, changed, reads, read } = cacheWithReads();
    const otherTeam = { ...actor, teamId: "team_b" };
    await cache.actorOf("a", read(actor));
    await cache.actorOf("b", read(otherTeam));
    changed("member.availability_changed");
    await cache.actorOf("a", read(actor));
    expect(reads()).toBe(2);
    for (const name of ["api_key.revoked", "member.updated", "member.removed"]) {
      changed(name);
      await cache.actorOf("a", read(actor));
      await cache.actorOf("b", read(otherTeam));
    }
    expect(reads()).toBe(5);
  });

  it("does not keep what a read found when a change arrived while it ran", async () => {
    const { cache, changed, reads, read } = cacheWithReads();
    const slow = async () => {
      const found = await read(actor)();
      changed("api_key.revoked");
      return found;
    };
    expect(await cache.actorOf("secret", slow)).toEqual(actor);
    await cache.actorOf("secret", read(actor));
    expect(reads()).toBe(2);
  });

  it("hands out copies, so a caller changing its actor changes no one else's", async () => {
    const { cache, read } = cacheWithReads();
    const first = await cache.actorOf("secret", read(actor));
    first!.role = "owner";
    expect((await cache.actorOf("secret", read(actor)))!.role).toBe("admin");
  });
});
