import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildMember, buildTeam, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";

let ctx: TestContext;
let acme: BuiltTeam;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx, { name: "Acme Corp", plan: "enterprise" });
});
afterEach(() => ctx.close());

describe("GET /api/support/team", () => {
  it("returns the team in seed 003's shape", async () => {
    const reply = await client(ctx.app, { apiKey: acme.apiKey }).get("/api/support/team");
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ id: acme.team.id, name: "Acme Corp", createdAt: "2026-03-02T15:00:00.000Z", plan: "enterprise" });
    expect(reply.body.id).toMatch(/^team_[A-Za-z0-9]{16}$/);
  });

  it("answers 401 with the error envelope without credentials", async () => {
    const reply = await client(ctx.app).get("/api/support/team");
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual({ error: { code: "unauthenticated", message: expect.any(String) } });
  });

  it("answers 401 for an unknown key", async () => {
    const reply = await client(ctx.app, { apiKey: "pk_nope_nope" }).get("/api/support/team");
    expect(reply.status).toBe(401);
  });

  it("shows each key its own team only", async () => {
    const globex = await buildTeam(ctx, { name: "Globex" });
    const reply = await client(ctx.app, { apiKey: globex.apiKey }).get("/api/support/team");
    expect(reply.body.name).toBe("Globex");
  });
});

describe("PATCH /api/support/team", () => {
  it("lets an admin rename the team", async () => {
    const admin = await buildMember(ctx, acme.team.id, { role: "admin" });
    const reply = await client(ctx.app, { apiKey: admin.apiKey }).patch("/api/support/team", { name: "Acme Inc" });
    expect(reply.status).toBe(200);
    expect(reply.body.name).toBe("Acme Inc");
    expect(ctx.events.map((e) => e.name)).toContain("team.updated");
  });

  it("refuses a plan change from an admin and changes nothing", async () => {
    const admin = await buildMember(ctx, acme.team.id, { role: "admin" });
    const reply = await client(ctx.app, { apiKey: admin.apiKey }).patch("/api/support/team", { name: "Renamed", plan: "starter" });
    expect(reply.status).toBe(403);
    expect(reply.body.error.code).toBe("forbidden");
    const team = await client(ctx.app, { apiKey: acme.apiKey }).get("/api/support/team");
    expect(team.body).toMatchObject({ name: "Acme Corp", plan: "enterprise" });
  });

  it("lets an owner change the plan", async () => {
    const owner = await buildMember(ctx, acme.team.id, { role: "owner" });
    const reply = await client(ctx.app, { apiKey: owner.apiKey }).patch("/api/support/team", { plan: "professional" });
    expect(reply.status).toBe(200);
    expect(reply.body.plan).toBe("professional");
  });

  it("refuses members", async () => {
    const member = await buildMember(ctx, acme.team.id);
    const reply = await client(ctx.app, { apiKey: member.apiKey }).patch("/api/support/team", { name: "Mine now" });
    expect(reply.status).toBe(403);
  });

  it("rejects unknown fields and wrong types with 400", async () => {
    const api = client(ctx.app, { apiKey: acme.apiKey });
    const unknown = await api.patch("/api/support/team", { name: "X", billing: true });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: "validation_failed", details: [{ path: "billing", message: "unknown field", in: "body" }] });
    const wrongType = await api.patch("/api/support/team", { name: 42 });
    expect(wrongType.status).toBe(400);
    const badPlan = await api.patch("/api/support/team", { plan: "gold" });
    expect(badPlan.status).toBe(400);
    const team = await api.get("/api/support/team");
    expect(team.body.name).toBe("Acme Corp");
  });
});
