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

const T0 = "2026-03-02T15:00:00.000Z";
const eventsNamed = (name: string) => ctx.events.filter((event) => event.name === name);
const memberIds = async (apiKey: string) => ((await client(ctx.app, { apiKey }).get("/api/support/members")).body.members as { id: string }[]).map((m) => m.id);

describe("GET /api/support/members", () => {
  it("lists the team's members oldest first in seed 003's shape", async () => {
    ctx.clock.advance(60_000);
    const alice = await buildMember(ctx, acme.team.id, { name: "Alice Johnson", email: "alice@acme.test", role: "admin" });
    const reply = await client(ctx.app, { apiKey: acme.apiKey }).get("/api/support/members");
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      members: [
        { id: acme.owner.id, email: acme.owner.email, name: "Jane Smith", role: "owner", availability: "available", createdAt: T0, invitationPending: false, online: false },
        { id: alice.member.id, email: "alice@acme.test", name: "Alice Johnson", role: "admin", availability: "available", createdAt: "2026-03-02T15:01:00.000Z", invitationPending: false, online: false },
      ],
    });
    expect(reply.body.members[0].id).toMatch(/^member_[A-Za-z0-9]{16}$/);
  });

  it("is open to plain members", async () => {
    const member = await buildMember(ctx, acme.team.id);
    const reply = await client(ctx.app, { apiKey: member.apiKey }).get("/api/support/members");
    expect(reply.status).toBe(200);
    expect(reply.body.members).toHaveLength(2);
  });

  it("answers 401 without credentials", async () => {
    const reply = await client(ctx.app).get("/api/support/members");
    expect(reply.status).toBe(401);
    expect(reply.body.error.code).toBe("unauthenticated");
  });
});

describe("GET /api/support/members/:id", () => {
  it("returns one member as { member }", async () => {
    const alice = await buildMember(ctx, acme.team.id, { name: "Alice Johnson", email: "alice@acme.test" });
    const reply = await client(ctx.app, { apiKey: acme.apiKey }).get(`/api/support/members/${alice.member.id}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      member: { id: alice.member.id, email: "alice@acme.test", name: "Alice Johnson", role: "member", availability: "available", createdAt: T0, invitationPending: false, online: false },
    });
  });

  it("returns 404 not_found for an unknown id", async () => {
    const reply = await client(ctx.app, { apiKey: acme.apiKey }).get("/api/support/members/member_doesnotexist0000");
    expect(reply.status).toBe(404);
    expect(reply.body).toEqual({ error: { code: "not_found", message: expect.any(String) } });
  });
});

describe("POST /api/support/members", () => {
  it("invites a member with a pending invitation and a one-time link", async () => {
    const reply = await client(ctx.app, { apiKey: acme.apiKey }).post("/api/support/members", { email: "bob@acme.test", name: "Bob Smith", role: "admin" });
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({
      member: { id: expect.stringMatching(/^member_/), email: "bob@acme.test", name: "Bob Smith", role: "admin", availability: "available", createdAt: T0, invitationPending: true, online: false },
      inviteUrl: expect.stringMatching(/^http:\/\/parley\.test\/invite\/[A-Za-z0-9_-]{20,}$/),
    });
    expect(await memberIds(acme.apiKey)).toContain(reply.body.member.id);
  });

  it("defaults the role to member and stores the email trimmed and lowercased", async () => {
    const reply = await client(ctx.app, { apiKey: acme.apiKey }).post("/api/support/members", { email: "  Bob.Smith@ACME.test ", name: "  Bob  " });
    expect(reply.status).toBe(201);
    expect(reply.body.member).toMatchObject({ email: "bob.smith@acme.test", name: "Bob", role: "member" });
  });

  it("records member.created with the presented member", async () => {
    const reply = await client(ctx.app, { apiKey: acme.apiKey }).post("/api/support/members", { email: "bob@acme.test", name: "Bob" });
    expect(eventsNamed("member.created")).toEqual([expect.objectContaining({ teamId: acme.team.id, payload: expect.objectContaining({ member: reply.body.member }) })]);
  });

  it.each([
    ["a malformed email", { email: "not-an-email", name: "Bob" }, "email"],
    ["a missing email", { name: "Bob" }, "email"],
    ["an empty name", { email: "bob@acme.test", name: "" }, "name"],
    ["a blank name", { email: "bob@acme.test", name: "   " }, "name"],
    ["a name over 100 characters", { email: "bob@acme.test", name: "x".repeat(101) }, "name"],
    ["an unknown role", { email: "bob@acme.test", name: "Bob", role: "superuser" }, "role"],
    ["an unknown field", { email: "bob@acme.test", name: "Bob", password: "hunter22" }, "password"],
  ])("rejects %s with 400 validation_failed and adds nobody", async (_label, body, path) => {
    const before = await memberIds(acme.apiKey);
    const reply = await client(ctx.app, { apiKey: acme.apiKey }).post("/api/support/members", body);
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({ code: "validation_failed", details: [expect.objectContaining({ path, in: "body" })] });
    expect(await memberIds(acme.apiKey)).toEqual(before);
    expect(eventsNamed("member.created")).toEqual([]);
  });

  it("returns 409 email_taken for an address already in the team, whatever its case", async () => {
    await buildMember(ctx, acme.team.id, { email: "alice@acme.test" });
    const reply = await client(ctx.app, { apiKey: acme.apiKey }).post("/api/support/members", { email: "ALICE@Acme.Test", name: "Alice again" });
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe("email_taken");
    expect(await memberIds(acme.apiKey)).toHaveLength(2);
  });

  it("answers 409 email_taken to all but one of simultaneous invites for one address", async () => {
    const api = client(ctx.app, { apiKey: acme.apiKey });
    // Open the pool's connections first, so the invites really run side by side on PostgreSQL.
    await Promise.all([1, 2, 3, 4].map(() => api.get("/api/support/members")));
    const replies = await Promise.all([1, 2, 3].map(() => api.post("/api/support/members", { email: "bob@acme.test", name: "Bob" })));
    expect(replies.map((r) => `${r.status} ${r.body.error?.code ?? ""}`).sort()).toEqual(["201 ", "409 email_taken", "409 email_taken"]);
  });

  it("returns 409 email_taken for an address pending an invitation", async () => {
    const api = client(ctx.app, { apiKey: acme.apiKey });
    await api.post("/api/support/members", { email: "bob@acme.test", name: "Bob" });
    const again = await api.post("/api/support/members", { email: "bob@acme.test", name: "Bob" });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("email_taken");
  });
});

describe("POST /api/support/members/:id/invite", () => {
  it("issues a new link and the old one stops working", async () => {
    const api = client(ctx.app, { apiKey: acme.apiKey });
    const first = await api.post("/api/support/members", { email: "bob@acme.test", name: "Bob" });
    const oldToken = String(first.body.inviteUrl).split("/").pop() ?? "";
    const second = await api.post(`/api/support/members/${first.body.member.id}/invite`);
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ member: first.body.member, inviteUrl: expect.stringMatching(/^http:\/\/parley\.test\/invite\//) });
    expect(second.body.inviteUrl).not.toBe(first.body.inviteUrl);
    const newToken = String(second.body.inviteUrl).split("/").pop() ?? "";
    expect((await client(ctx.app).get(`/api/auth/invites/${oldToken}`)).status).toBe(404);
    expect((await client(ctx.app).get(`/api/auth/invites/${newToken}`)).body).toEqual({ email: "bob@acme.test", name: "Bob", teamName: "Acme Corp" });
  });

  it("returns 409 invitation_accepted for a member who already has a password", async () => {
    const alice = await buildMember(ctx, acme.team.id);
    const reply = await client(ctx.app, { apiKey: acme.apiKey }).post(`/api/support/members/${alice.member.id}/invite`);
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe("invitation_accepted");
  });
});

describe("PATCH /api/support/members/:id", () => {
  it("renames a member and changes their role, recording member.updated", async () => {
    const alice = await buildMember(ctx, acme.team.id, { name: "Alice" });
    ctx.clock.advance(5_000);
    const reply = await client(ctx.app, { apiKey: acme.apiKey }).patch(`/api/support/members/${alice.member.id}`, { name: "Alice Cooper", role: "admin" });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ member: { id: alice.member.id, email: alice.member.email, name: "Alice Cooper", role: "admin", availability: "available", createdAt: T0, invitationPending: false, online: false } });
    expect(eventsNamed("member.updated")).toEqual([expect.objectContaining({ teamId: acme.team.id, payload: expect.objectContaining({ member: reply.body.member }) })]);
  });

  it("records no event for an empty patch", async () => {
    const alice = await buildMember(ctx, acme.team.id, { name: "Alice" });
    const reply = await client(ctx.app, { apiKey: acme.apiKey }).patch(`/api/support/members/${alice.member.id}`, {});
    expect(reply.status).toBe(200);
    expect(reply.body.member.name).toBe("Alice");
    expect(eventsNamed("member.updated")).toEqual([]);
  });

  it.each([
    ["an empty name", { name: "" }],
    ["an unknown role", { role: "superuser" }],
    ["a wrong type", { name: 42 }],
    ["an unknown field", { name: "Al", email: "other@acme.test" }],
  ])("rejects %s with 400 validation_failed and changes nothing", async (_label, body) => {
    const alice = await buildMember(ctx, acme.team.id, { name: "Alice" });
    const api = client(ctx.app, { apiKey: acme.apiKey });
    const reply = await api.patch(`/api/support/members/${alice.member.id}`, body);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("validation_failed");
    expect((await api.get(`/api/support/members/${alice.member.id}`)).body.member).toMatchObject({ name: "Alice", role: "member", email: alice.member.email });
    expect(eventsNamed("member.updated")).toEqual([]);
  });
});

describe("PUT /api/support/members/:id/availability", () => {
  it("sets availability and records member.availability_changed once per change", async () => {
    const alice = await buildMember(ctx, acme.team.id);
    const api = client(ctx.app, { apiKey: acme.apiKey });
    const reply = await api.put(`/api/support/members/${alice.member.id}/availability`, { status: "away" });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ member: expect.objectContaining({ id: alice.member.id, availability: "away" }) });
    await api.put(`/api/support/members/${alice.member.id}/availability`, { status: "away" });
    expect(eventsNamed("member.availability_changed")).toEqual([expect.objectContaining({ teamId: acme.team.id, payload: expect.objectContaining({ memberId: alice.member.id, availability: "away" }) })]);
  });

  it.each([
    ["an unknown status", { status: "busy" }],
    ["a missing status", {}],
    ["an unknown field", { status: "away", until: "tomorrow" }],
  ])("rejects %s with 400 validation_failed", async (_label, body) => {
    const alice = await buildMember(ctx, acme.team.id);
    const api = client(ctx.app, { apiKey: acme.apiKey });
    const reply = await api.put(`/api/support/members/${alice.member.id}/availability`, body);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("validation_failed");
    expect((await api.get(`/api/support/members/${alice.member.id}`)).body.member.availability).toBe("available");
  });
});

describe("another team's members", () => {
  let globex: BuiltTeam;
  let aliceId: string;

  beforeEach(async () => {
    globex = await buildTeam(ctx, { name: "Globex" });
    aliceId = (await buildMember(ctx, acme.team.id, { name: "Alice" })).member.id;
  });

  it("lists only the caller's own team", async () => {
    expect(await memberIds(globex.apiKey)).toEqual([globex.owner.id]);
  });

  it("returns 404 when reading a member of another team", async () => {
    const reply = await client(ctx.app, { apiKey: globex.apiKey }).get(`/api/support/members/${aliceId}`);
    expect(reply.status).toBe(404);
    expect(reply.body.error.code).toBe("not_found");
  });

  it("returns 404 when changing, removing or re-inviting a member of another team, and changes nothing", async () => {
    const api = client(ctx.app, { apiKey: globex.apiKey });
    const replies = [
      await api.patch(`/api/support/members/${aliceId}`, { name: "Hacked", role: "admin" }),
      await api.put(`/api/support/members/${aliceId}/availability`, { status: "offline" }),
      await api.post(`/api/support/members/${aliceId}/invite`),
      await api.delete(`/api/support/members/${aliceId}`),
    ];
    expect(replies.map((r) => [r.status, r.body.error.code])).toEqual(Array(4).fill([404, "not_found"]));
    const alice = await client(ctx.app, { apiKey: acme.apiKey }).get(`/api/support/members/${aliceId}`);
    expect(alice.body.member).toMatchObject({ name: "Alice", role: "member", availability: "available" });
  });

  it("returns 409 email_taken when inviting an address that belongs to another team", async () => {
    const reply = await client(ctx.app, { apiKey: globex.apiKey }).post("/api/support/members", { email: acme.owner.email, name: "Jane" });
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe("email_taken");
  });
});
