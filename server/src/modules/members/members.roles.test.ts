import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildMember, buildTeam, TEST_PASSWORD, type BuiltMember, type BuiltTeam } from "../../../test/factories.js";
import { client, sessionCookieFrom } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";

let ctx: TestContext;
let acme: BuiltTeam;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx, { name: "Acme Corp" });
});
afterEach(() => ctx.close());

/** Reads a member through the owner's key, so a refused request can be shown to have changed nothing. */
const readMember = async (id: string) => (await client(ctx.app, { apiKey: acme.apiKey }).get(`/api/support/members/${id}`)).body.member;
const memberCount = async () => (await client(ctx.app, { apiKey: acme.apiKey }).get("/api/support/members")).body.members.length as number;

async function signIn(email: string): Promise<string> {
  const reply = await client(ctx.app).post("/api/auth/signin", { email, password: TEST_PASSWORD });
  expect(reply.status).toBe(200);
  return sessionCookieFrom(reply);
}

describe("a plain member", () => {
  let me: BuiltMember;
  let colleague: BuiltMember;

  beforeEach(async () => {
    me = await buildMember(ctx, acme.team.id, { name: "Mo" });
    colleague = await buildMember(ctx, acme.team.id, { name: "Colleague" });
  });

  it("cannot invite anyone", async () => {
    const reply = await client(ctx.app, { apiKey: me.apiKey }).post("/api/support/members", { email: "friend@acme.test", name: "Friend" });
    expect(reply.status).toBe(403);
    expect(reply.body.error.code).toBe("forbidden");
    expect(await memberCount()).toBe(3);
  });

  it("cannot rename another member", async () => {
    const reply = await client(ctx.app, { apiKey: me.apiKey }).patch(`/api/support/members/${colleague.member.id}`, { name: "Renamed" });
    expect(reply.status).toBe(403);
    expect((await readMember(colleague.member.id)).name).toBe("Colleague");
  });

  it("cannot change their own role", async () => {
    const reply = await client(ctx.app, { apiKey: me.apiKey }).patch(`/api/support/members/${me.member.id}`, { role: "admin" });
    expect(reply.status).toBe(403);
    expect((await readMember(me.member.id)).role).toBe("member");
  });

  it("can rename themselves", async () => {
    const reply = await client(ctx.app, { apiKey: me.apiKey }).patch(`/api/support/members/${me.member.id}`, { name: "Maurice" });
    expect(reply.status).toBe(200);
    expect(reply.body.member).toMatchObject({ id: me.member.id, name: "Maurice", role: "member" });
    expect(ctx.events.filter((e) => e.name === "member.updated")).toHaveLength(1);
  });

  it("cannot remove anyone or re-issue an invite", async () => {
    const api = client(ctx.app, { apiKey: me.apiKey });
    expect((await api.delete(`/api/support/members/${colleague.member.id}`)).status).toBe(403);
    expect((await api.post(`/api/support/members/${colleague.member.id}/invite`)).status).toBe(403);
    expect(await memberCount()).toBe(3);
  });

  it("sets their own availability but not another member's", async () => {
    const api = client(ctx.app, { apiKey: me.apiKey });
    const own = await api.put(`/api/support/members/${me.member.id}/availability`, { status: "away" });
    expect(own.status).toBe(200);
    expect(own.body.member.availability).toBe("away");
    const other = await api.put(`/api/support/members/${colleague.member.id}/availability`, { status: "offline" });
    expect(other.status).toBe(403);
    expect((await readMember(colleague.member.id)).availability).toBe("available");
  });
});

describe("an admin", () => {
  let admin: BuiltMember;

  beforeEach(async () => {
    admin = await buildMember(ctx, acme.team.id, { role: "admin" });
  });

  it("invites members and admins", async () => {
    const api = client(ctx.app, { apiKey: admin.apiKey });
    expect((await api.post("/api/support/members", { email: "m@acme.test", name: "M", role: "member" })).status).toBe(201);
    expect((await api.post("/api/support/members", { email: "a@acme.test", name: "A", role: "admin" })).status).toBe(201);
  });

  it("cannot invite an owner", async () => {
    const reply = await client(ctx.app, { apiKey: admin.apiKey }).post("/api/support/members", { email: "o@acme.test", name: "O", role: "owner" });
    expect(reply.status).toBe(403);
    expect(await memberCount()).toBe(2);
  });

  it("cannot rename, demote or remove an owner", async () => {
    const api = client(ctx.app, { apiKey: admin.apiKey });
    expect((await api.patch(`/api/support/members/${acme.owner.id}`, { name: "Demoted" })).status).toBe(403);
    expect((await api.patch(`/api/support/members/${acme.owner.id}`, { role: "member" })).status).toBe(403);
    expect((await api.delete(`/api/support/members/${acme.owner.id}`)).status).toBe(403);
    expect(await readMember(acme.owner.id)).toMatchObject({ name: "Jane Smith", role: "owner" });
  });

  it("cannot make anyone an owner, themselves included", async () => {
    const other = await buildMember(ctx, acme.team.id);
    const api = client(ctx.app, { apiKey: admin.apiKey });
    expect((await api.patch(`/api/support/members/${other.member.id}`, { role: "owner" })).status).toBe(403);
    expect((await api.patch(`/api/support/members/${admin.member.id}`, { role: "owner" })).status).toBe(403);
    expect((await readMember(other.member.id)).role).toBe("member");
    expect((await readMember(admin.member.id)).role).toBe("admin");
  });

  it("cannot re-issue the invite of a pending owner", async () => {
    const owner = await buildMember(ctx, acme.team.id, { role: "owner" });
    const invited = await client(ctx.app, { apiKey: owner.apiKey }).post("/api/support/members", { email: "o@acme.test", name: "O", role: "owner" });
    expect(invited.status).toBe(201);
    const reply = await client(ctx.app, { apiKey: admin.apiKey }).post(`/api/support/members/${invited.body.member.id}/invite`);
    expect(reply.status).toBe(403);
  });

  it("changes and removes another admin", async () => {
    const other = await buildMember(ctx, acme.team.id, { role: "admin" });
    const api = client(ctx.app, { apiKey: admin.apiKey });
    expect((await api.patch(`/api/support/members/${other.member.id}`, { role: "member" })).body.member.role).toBe("member");
    expect((await api.delete(`/api/support/members/${other.member.id}`)).status).toBe(200);
  });

  it("gets no owner rights from an owner's admin-role API key", async () => {
    const other = await buildMember(ctx, acme.team.id);
    // acme.apiKey belongs to the owner but has the admin role.
    const reply = await client(ctx.app, { apiKey: acme.apiKey }).patch(`/api/support/members/${other.member.id}`, { role: "owner" });
    expect(reply.status).toBe(403);
  });
});

describe("an owner", () => {
  let owner: BuiltMember;

  beforeEach(async () => {
    owner = await buildMember(ctx, acme.team.id, { role: "owner" });
  });

  it("invites another owner", async () => {
    const reply = await client(ctx.app, { apiKey: owner.apiKey }).post("/api/support/members", { email: "o@acme.test", name: "O", role: "owner" });
    expect(reply.status).toBe(201);
    expect(reply.body.member.role).toBe("owner");
  });

  it("makes a member an owner", async () => {
    const other = await buildMember(ctx, acme.team.id);
    const reply = await client(ctx.app, { apiKey: owner.apiKey }).patch(`/api/support/members/${other.member.id}`, { role: "owner" });
    expect(reply.status).toBe(200);
    expect(reply.body.member.role).toBe("owner");
  });

  it("demotes and removes another owner while one remains", async () => {
    const api = client(ctx.app, { apiKey: owner.apiKey });
    expect((await api.patch(`/api/support/members/${acme.owner.id}`, { role: "admin" })).body.member.role).toBe("admin");
    const third = await buildMember(ctx, acme.team.id, { role: "owner" });
    expect((await api.delete(`/api/support/members/${third.member.id}`)).status).toBe(200);
  });

  it("cannot demote the last owner", async () => {
    const api = client(ctx.app, { apiKey: owner.apiKey });
    await api.patch(`/api/support/members/${acme.owner.id}`, { role: "admin" });
    const reply = await api.patch(`/api/support/members/${owner.member.id}`, { role: "admin" });
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe("last_owner");
    expect((await readMember(owner.member.id)).role).toBe("owner");
  });

  it("cannot remove the last owner", async () => {
    const api = client(ctx.app, { apiKey: owner.apiKey });
    await api.patch(`/api/support/members/${acme.owner.id}`, { role: "admin" });
    const reply = await api.delete(`/api/support/members/${owner.member.id}`);
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe("last_owner");
    expect((await readMember(owner.member.id)).role).toBe("owner");
  });

  it("keeps one owner when the last two owners remove each other at the same time", async () => {
    const api = client(ctx.app, { apiKey: owner.apiKey });
    await api.patch(`/api/support/members/${acme.owner.id}`, { role: "admin" });
    const second = await buildMember(ctx, acme.team.id, { role: "owner" });
    // Open the pool's connections first, so both removals really run side by side on PostgreSQL.
    await Promise.all([1, 2, 3, 4].map(() => api.get("/api/support/members")));
    const replies = await Promise.all([
      api.delete(`/api/support/members/${second.member.id}`),
      client(ctx.app, { apiKey: second.apiKey }).delete(`/api/support/members/${owner.member.id}`),
    ]);
    // The loser answers 409 last_owner, or 401 when its own removal committed first.
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    const members = (await client(ctx.app, { apiKey: acme.apiKey }).get("/api/support/members")).body.members as { role: string }[];
    expect(members.filter((m) => m.role === "owner")).toHaveLength(1);
  });

  it("cannot demote themselves through a session when they are the only owner", async () => {
    await client(ctx.app, { apiKey: owner.apiKey }).delete(`/api/support/members/${acme.owner.id}`);
    const cookie = await signIn(owner.member.email);
    const reply = await client(ctx.app, { cookie }).patch(`/api/support/members/${owner.member.id}`, { role: "member" });
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe("last_owner");
  });
});

describe("DELETE /api/support/members/:id", () => {
  let alice: BuiltMember;

  beforeEach(async () => {
    alice = await buildMember(ctx, acme.team.id, { name: "Alice", email: "alice@acme.test", inboxes: [{ inboxId: acme.inbox.id }] });
  });

  it("returns the removed member and records member.removed", async () => {
    const reply = await client(ctx.app, { apiKey: acme.apiKey }).delete(`/api/support/members/${alice.member.id}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      member: { id: alice.member.id, email: "alice@acme.test", name: "Alice", role: "member", availability: "offline", createdAt: "2026-03-02T15:00:00.000Z", invitationPending: false, online: false },
    });
    expect(ctx.events.filter((e) => e.name === "member.removed")).toEqual([expect.objectContaining({ teamId: acme.team.id, payload: expect.objectContaining({ memberId: alice.member.id }) })]);
  });

  it("takes the member out of the team: list, read and a second removal", async () => {
    const api = client(ctx.app, { apiKey: acme.apiKey });
    await api.delete(`/api/support/members/${alice.member.id}`);
    expect((await api.get("/api/support/members")).body.members.map((m: { id: string }) => m.id)).toEqual([acme.owner.id]);
    expect((await api.get(`/api/support/members/${alice.member.id}`)).status).toBe(404);
    expect((await api.delete(`/api/support/members/${alice.member.id}`)).status).toBe(404);
  });

  it("makes the member's API key answer 401 at once", async () => {
    expect((await client(ctx.app, { apiKey: alice.apiKey }).get("/api/support/members")).status).toBe(200);
    await client(ctx.app, { apiKey: acme.apiKey }).delete(`/api/support/members/${alice.member.id}`);
    const reply = await client(ctx.app, { apiKey: alice.apiKey }).get("/api/support/members");
    expect(reply.status).toBe(401);
    expect(reply.body.error.code).toBe("unauthenticated");
  });

  it("ends the member's sessions and refuses their password", async () => {
    const cookie = await signIn("alice@acme.test");
    expect((await client(ctx.app, { cookie }).get("/api/auth/me")).status).toBe(200);
    await client(ctx.app, { apiKey: acme.apiKey }).delete(`/api/support/members/${alice.member.id}`);
    expect((await client(ctx.app, { cookie }).get("/api/auth/me")).status).toBe(401);
    expect((await client(ctx.app, { cookie }).get("/api/support/members")).status).toBe(401);
    const again = await client(ctx.app).post("/api/auth/signin", { email: "alice@acme.test", password: TEST_PASSWORD });
    expect(again.status).toBe(401);
  });

  it("removes the member from every inbox's member list", async () => {
    const api = client(ctx.app, { apiKey: acme.apiKey });
    const before = await api.get(`/api/support/inboxes/${acme.inbox.id}/members`);
    expect(before.body.data.map((m: { userId: string }) => m.userId)).toContain(alice.member.id);
    await api.delete(`/api/support/members/${alice.member.id}`);
    const after = await api.get(`/api/support/inboxes/${acme.inbox.id}/members`);
    expect(after.body.data.map((m: { userId: string }) => m.userId)).toEqual([acme.owner.id]);
  });

  it("lets the removed member's email address be invited again", async () => {
    const api = client(ctx.app, { apiKey: acme.apiKey });
    await api.delete(`/api/support/members/${alice.member.id}`);
    const reply = await api.post("/api/support/members", { email: "alice@acme.test", name: "Alice returns" });
    expect(reply.status).toBe(201);
    expect(reply.body.member).toMatchObject({ email: "alice@acme.test", invitationPending: true });
    expect(reply.body.member.id).not.toBe(alice.member.id);
  });

  it("makes a removed invitee's invite link stop working", async () => {
    const api = client(ctx.app, { apiKey: acme.apiKey });
    const invited = await api.post("/api/support/members", { email: "bob@acme.test", name: "Bob" });
    const token = String(invited.body.inviteUrl).split("/").pop() ?? "";
    await api.delete(`/api/support/members/${invited.body.member.id}`);
    const reply = await client(ctx.app).get(`/api/auth/invites/${token}`);
    expect(reply.status).toBe(404);
    expect(reply.body.error.code).toBe("invite_not_found");
  });
});
