import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildMember, buildTeam, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";

let ctx: TestContext;
let acme: BuiltTeam;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx, { name: "Acme Corp" });
});
afterEach(() => ctx.close());

const START = "2026-03-02T15:00:00.000Z";

/** Creates a key through the API with the given caller's key and returns the reply. */
function createKey(apiKey: string, body: unknown) {
  return client(ctx.app, { apiKey }).post("/api/support/api-keys", body);
}

describe("POST /api/support/api-keys", () => {
  it("creates an admin key by default and shows its secret once", async () => {
    const reply = await createKey(acme.apiKey, { name: "Zapier" });
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({
      data: {
        id: expect.stringMatching(/^key_[A-Za-z0-9]{16}$/),
        name: "Zapier",
        role: "admin",
        prefix: expect.stringMatching(/^pk_/),
        memberId: acme.owner.id,
        createdAt: START,
        lastUsedAt: null,
        secret: expect.any(String),
      },
    });
    const { secret, prefix } = reply.body.data;
    expect(secret.startsWith(`${prefix}_`)).toBe(true);
    expect(secret.length).toBeGreaterThan(prefix.length + 20);
  });

  it("makes a secret that authenticates as X-API-Key", async () => {
    const { secret } = (await createKey(acme.apiKey, { name: "Zapier" })).body.data;
    const team = await client(ctx.app, { apiKey: secret }).get("/api/support/team");
    expect(team.status).toBe(200);
    expect(team.body.id).toBe(acme.team.id);
  });

  it("makes a distinct secret and prefix for every key", async () => {
    const first = (await createKey(acme.apiKey, { name: "One" })).body.data;
    const second = (await createKey(acme.apiKey, { name: "Two" })).body.data;
    expect(second.secret).not.toBe(first.secret);
    expect(second.prefix).not.toBe(first.prefix);
    expect(second.id).not.toBe(first.id);
  });

  it("never stores the secret in plain text", async () => {
    const { secret, id } = (await createKey(acme.apiKey, { name: "Zapier" })).body.data;
    const rows = await ctx.database.db.selectFrom("api_keys").selectAll().execute();
    const row = rows.find((r) => r.id === id);
    expect(row).toBeDefined();
    for (const stored of rows) {
      for (const value of Object.values(stored)) {
        expect(String(value)).not.toContain(secret);
      }
    }
    // Only the recognisable prefix is kept readable; the random part after it is not.
    const randomPart = secret.slice(row!.prefix.length + 1);
    expect(JSON.stringify(rows)).not.toContain(randomPart);
  });

  it("records api_key.created without the secret", async () => {
    const { secret, id } = (await createKey(acme.apiKey, { name: "Zapier" })).body.data;
    const created = ctx.events.filter((event) => event.name === "api_key.created");
    expect(created.map((event) => event.payload)).toContainEqual(expect.objectContaining({ apiKeyId: id, memberId: acme.owner.id }));
    expect(JSON.stringify(ctx.events)).not.toContain(secret);
  });

  it("refuses members with 403 and creates nothing", async () => {
    const member = await buildMember(ctx, acme.team.id, { role: "member" });
    const reply = await createKey(member.apiKey, { name: "Mine" });
    expect(reply.status).toBe(403);
    expect(reply.body.error.code).toBe("forbidden");
    const list = await client(ctx.app, { apiKey: acme.apiKey }).get("/api/support/api-keys");
    expect(list.body.data.map((key: { name: string }) => key.name)).not.toContain("Mine");
  });

  it("refuses an owner-role key to an admin", async () => {
    const admin = await buildMember(ctx, acme.team.id, { role: "admin" });
    const reply = await createKey(admin.apiKey, { name: "Escalate", role: "owner" });
    expect(reply.status).toBe(403);
    expect(reply.body.error.code).toBe("forbidden");
  });

  it("lets an admin create a narrower member-role key", async () => {
    const admin = await buildMember(ctx, acme.team.id, { role: "admin" });
    const reply = await createKey(admin.apiKey, { name: "Read only", role: "member" });
    expect(reply.status).toBe(201);
    expect(reply.body.data).toMatchObject({ role: "member", memberId: admin.member.id });
  });

  it("lets an owner create an owner-role key that can do owner-only things", async () => {
    const owner = await buildMember(ctx, acme.team.id, { role: "owner" });
    const reply = await createKey(owner.apiKey, { name: "Billing bot", role: "owner" });
    expect(reply.status).toBe(201);
    expect(reply.body.data.role).toBe("owner");
    const plan = await client(ctx.app, { apiKey: reply.body.data.secret }).patch("/api/support/team", { plan: "starter" });
    expect(plan.status).toBe(200);
    expect(plan.body.plan).toBe("starter");
  });

  it("makes an owner's member-role key act as a member", async () => {
    const owner = await buildMember(ctx, acme.team.id, { role: "owner" });
    const { secret } = (await createKey(owner.apiKey, { name: "Narrow", role: "member" })).body.data;
    const api = client(ctx.app, { apiKey: secret });
    const invite = await api.post("/api/support/members", { email: "new@acme.test", name: "New Person" });
    expect(invite.status).toBe(403);
    expect((await api.get("/api/support/api-keys")).status).toBe(403);
    expect((await api.get("/api/support/members")).status).toBe(200);
  });

  it("rejects unknown fields and wrong types with 400 and creates nothing", async () => {
    const api = client(ctx.app, { apiKey: acme.apiKey });
    const unknown = await api.post("/api/support/api-keys", { name: "X", scopes: ["all"] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: "validation_failed", details: [{ path: "scopes", message: "unknown field", in: "body" }] });
    for (const body of [{ name: 42 }, {}, { name: "" }, { name: "   " }, { name: "X", role: "superuser" }, { name: "X", role: null }, { name: "x".repeat(101) }]) {
      const reply = await api.post("/api/support/api-keys", body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body.error.code).toBe("validation_failed");
    }
    const list = await api.get("/api/support/api-keys");
    expect(list.body.data).toHaveLength(1);
  });

  it("answers 401 without credentials", async () => {
    const reply = await client(ctx.app).post("/api/support/api-keys", { name: "Anon" });
    expect(reply.status).toBe(401);
    expect(reply.body.error.code).toBe("unauthenticated");
  });
});

describe("GET /api/support/api-keys", () => {
  it("lists the team's keys newest first without secrets", async () => {
    ctx.clock.advance(1000);
    await createKey(acme.apiKey, { name: "Older" });
    ctx.clock.advance(1000);
    await createKey(acme.apiKey, { name: "Newer", role: "member" });
    const reply = await client(ctx.app, { apiKey: acme.apiKey }).get("/api/support/api-keys");
    expect(reply.status).toBe(200);
    expect(reply.body.data.map((key: { name: string }) => key.name)).toEqual(["Newer", "Older", "test"]);
    for (const key of reply.body.data) {
      expect(Object.keys(key).sort()).toEqual(["createdAt", "id", "lastUsedAt", "memberId", "name", "prefix", "role"]);
    }
    expect(JSON.stringify(reply.body)).not.toMatch(/secret/i);
  });

  it("sets lastUsedAt when a key is used, writing it at most once a minute", async () => {
    const created = (await createKey(acme.apiKey, { name: "Zapier" })).body.data;
    const lastUsed = async () => {
      const list = await client(ctx.app, { apiKey: acme.apiKey }).get("/api/support/api-keys");
      return list.body.data.find((key: { id: string }) => key.id === created.id).lastUsedAt;
    };
    const zapier = client(ctx.app, { apiKey: created.secret });
    expect(await lastUsed()).toBeNull();

    ctx.clock.set("2026-03-02T15:10:00.000Z");
    expect((await zapier.get("/api/support/team")).status).toBe(200);
    expect(await lastUsed()).toBe("2026-03-02T15:10:00.000Z");

    ctx.clock.set("2026-03-02T15:10:30.000Z");
    await zapier.get("/api/support/team");
    expect(await lastUsed()).toBe("2026-03-02T15:10:00.000Z");

    ctx.clock.set("2026-03-02T15:11:01.000Z");
    await zapier.get("/api/support/team");
    expect(await lastUsed()).toBe("2026-03-02T15:11:01.000Z");
  });

  it("refuses members with 403", async () => {
    const member = await buildMember(ctx, acme.team.id, { role: "member" });
    const reply = await client(ctx.app, { apiKey: member.apiKey }).get("/api/support/api-keys");
    expect(reply.status).toBe(403);
    expect(reply.body.error.code).toBe("forbidden");
  });
});

describe("DELETE /api/support/api-keys/:keyId", () => {
  it("revokes a key: 204, gone from the list, and 401 on its next request", async () => {
    const created = (await createKey(acme.apiKey, { name: "Zapier" })).body.data;
    const zapier = client(ctx.app, { apiKey: created.secret });
    expect((await zapier.get("/api/support/team")).status).toBe(200);

    const reply = await client(ctx.app, { apiKey: acme.apiKey }).delete(`/api/support/api-keys/${created.id}`);
    expect(reply.status).toBe(204);
    expect(reply.body).toBeUndefined();

    const after = await zapier.get("/api/support/team");
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe("unauthenticated");
    const list = await client(ctx.app, { apiKey: acme.apiKey }).get("/api/support/api-keys");
    expect(list.body.data.map((key: { id: string }) => key.id)).not.toContain(created.id);
    expect(ctx.events.map((event) => event.name)).toContain("api_key.revoked");
  });

  it("answers 404 for a key already revoked or never made", async () => {
    const api = client(ctx.app, { apiKey: acme.apiKey });
    const created = (await createKey(acme.apiKey, { name: "Zapier" })).body.data;
    expect((await api.delete(`/api/support/api-keys/${created.id}`)).status).toBe(204);
    expect((await api.delete(`/api/support/api-keys/${created.id}`)).status).toBe(404);
    const unknown = await api.delete("/api/support/api-keys/key_doesnotexist0000");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("not_found");
  });

  it("refuses members with 403 and leaves the key working", async () => {
    const member = await buildMember(ctx, acme.team.id, { role: "member" });
    const created = (await createKey(acme.apiKey, { name: "Zapier" })).body.data;
    const reply = await client(ctx.app, { apiKey: member.apiKey }).delete(`/api/support/api-keys/${created.id}`);
    expect(reply.status).toBe(403);
    expect((await client(ctx.app, { apiKey: created.secret }).get("/api/support/team")).status).toBe(200);
  });
});

describe("a key never acts above its member", () => {
  it("loses admin rights when its creator is demoted to member", async () => {
    const admin = await buildMember(ctx, acme.team.id, { role: "admin" });
    const created = (await createKey(admin.apiKey, { name: "Admin script" })).body.data;
    expect(created.role).toBe("admin");
    const script = client(ctx.app, { apiKey: created.secret });
    expect((await script.get("/api/support/api-keys")).status).toBe(200);

    const demote = await client(ctx.app, { apiKey: acme.apiKey }).patch(`/api/support/members/${admin.member.id}`, { role: "member" });
    expect(demote.status).toBe(200);
    expect(demote.body.member.role).toBe("member");

    expect((await script.get("/api/support/api-keys")).status).toBe(403);
    expect((await script.post("/api/support/api-keys", { name: "Sneaky" })).status).toBe(403);
    expect((await script.post("/api/support/members", { email: "x@acme.test", name: "X" })).status).toBe(403);
    expect((await script.post("/api/support/inboxes", { name: "Sneaky inbox" })).status).toBe(403);
    // Still a valid key, now with member rights.
    expect((await script.get("/api/support/team")).status).toBe(200);
  });

  it("stops every key of a removed member at once", async () => {
    const admin = await buildMember(ctx, acme.team.id, { role: "admin" });
    const created = (await createKey(admin.apiKey, { name: "Admin script" })).body.data;
    const removed = await client(ctx.app, { apiKey: acme.apiKey }).delete(`/api/support/members/${admin.member.id}`);
    expect(removed.status).toBe(200);

    for (const secret of [admin.apiKey, created.secret]) {
      const reply = await client(ctx.app, { apiKey: secret }).get("/api/support/team");
      expect(reply.status).toBe(401);
      expect(reply.body.error.code).toBe("unauthenticated");
    }
    const list = await client(ctx.app, { apiKey: acme.apiKey }).get("/api/support/api-keys");
    expect(list.body.data.map((key: { memberId: string }) => key.memberId)).not.toContain(admin.member.id);
  });
});

describe("API keys across teams", () => {
  it("never lists another team's keys", async () => {
    const globex = await buildTeam(ctx, { name: "Globex" });
    const acmeKey = (await createKey(acme.apiKey, { name: "Acme only" })).body.data;
    const reply = await client(ctx.app, { apiKey: globex.apiKey }).get("/api/support/api-keys");
    expect(reply.status).toBe(200);
    const ids = reply.body.data.map((key: { id: string }) => key.id);
    expect(ids).not.toContain(acmeKey.id);
    expect(reply.body.data.every((key: { memberId: string }) => key.memberId === globex.owner.id)).toBe(true);
  });

  it("returns 404 when team B revokes team A's key, which keeps working", async () => {
    const globex = await buildTeam(ctx, { name: "Globex" });
    const acmeKey = (await createKey(acme.apiKey, { name: "Acme only" })).body.data;
    const reply = await client(ctx.app, { apiKey: globex.apiKey }).delete(`/api/support/api-keys/${acmeKey.id}`);
    expect(reply.status).toBe(404);
    expect(reply.body.error.code).toBe("not_found");
    expect((await client(ctx.app, { apiKey: acmeKey.secret }).get("/api/support/team")).status).toBe(200);
    const list = await client(ctx.app, { apiKey: acme.apiKey }).get("/api/support/api-keys");
    expect(list.body.data.map((key: { id: string }) => key.id)).toContain(acmeKey.id);
  });

  it("creates keys that act in the creator's team only", async () => {
    const globex = await buildTeam(ctx, { name: "Globex" });
    const { secret } = (await createKey(globex.apiKey, { name: "Globex script" })).body.data;
    const team = await client(ctx.app, { apiKey: secret }).get("/api/support/team");
    expect(team.body.id).toBe(globex.team.id);
  });
});
