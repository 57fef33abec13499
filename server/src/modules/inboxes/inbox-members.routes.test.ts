import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InboxRow, MemberRow } from "../../db/schema.js";
import { buildInbox, buildMember, buildTeam, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";

let ctx: TestContext;
let acme: BuiltTeam;
let sales: InboxRow;
let alice: MemberRow;
let api: ReturnType<typeof client>;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx, { name: "Acme Corp" });
  sales = await buildInbox(ctx, acme.team.id, "Sales");
  alice = (await buildMember(ctx, acme.team.id, { name: "Alice Johnson", email: "alice@acme.test" })).member;
  api = client(ctx.app, { apiKey: acme.apiKey });
});
afterEach(() => ctx.close());

const membersOf = (inboxId: string) => `/api/support/inboxes/${inboxId}/members`;
const availabilityOf = (inboxId: string, userId: string) => `/api/support/inboxes/${inboxId}/members/${userId}/availability`;

describe("GET /api/support/inboxes/:inboxId/members", () => {
  it("lists memberships in seed 000's shape", async () => {
    const reply = await api.get(membersOf(acme.inbox.id));
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      data: [{ userId: acme.owner.id, inboxId: acme.inbox.id, role: "admin", name: "Jane Smith", email: acme.owner.email, availability: "available", createdAt: "2026-03-02T15:00:00.000Z" }],
    });
  });

  it("lets an inbox agent list the members of their inbox", async () => {
    const { apiKey } = await buildMember(ctx, acme.team.id, { inboxes: [{ inboxId: sales.id, role: "agent" }] });
    const reply = await client(ctx.app, { apiKey }).get(membersOf(sales.id));
    expect(reply.status).toBe(200);
    expect(reply.body.data).toHaveLength(1);
  });

  it("answers 404 to a member outside the inbox", async () => {
    const { apiKey } = await buildMember(ctx, acme.team.id);
    expect((await client(ctx.app, { apiKey }).get(membersOf(sales.id))).status).toBe(404);
  });
});

describe("POST /api/support/inboxes/:inboxId/members", () => {
  it("adds a team member with 201 and shows them in the list", async () => {
    ctx.clock.advance(1000);
    const reply = await api.post(membersOf(sales.id), { userId: alice.id, role: "agent" });
    expect(reply.status).toBe(201);
    expect(reply.body.data).toEqual({ userId: alice.id, inboxId: sales.id, role: "agent", name: "Alice Johnson", email: "alice@acme.test", availability: "available", createdAt: "2026-03-02T15:00:01.000Z" });
    const list = await api.get(membersOf(sales.id));
    expect(list.body.data.map((m: { userId: string }) => m.userId)).toEqual([alice.id]);
    expect(ctx.events.find((e) => e.name === "inbox_member.added")).toMatchObject({ inboxId: sales.id, payload: { memberId: alice.id, role: "agent" } });
  });

  it("makes the new member an agent when no role is given", async () => {
    const reply = await api.post(membersOf(sales.id), { userId: alice.id });
    expect(reply.status).toBe(201);
    expect(reply.body.data.role).toBe("agent");
  });

  it("answers 200 and changes the role of an existing membership, keeping when it began", async () => {
    await api.post(membersOf(sales.id), { userId: alice.id, role: "agent" });
    ctx.clock.advance(60_000);
    const reply = await api.post(membersOf(sales.id), { userId: alice.id, role: "admin" });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({ userId: alice.id, role: "admin", createdAt: "2026-03-02T15:00:00.000Z" });
    const list = await api.get(membersOf(sales.id));
    expect(list.body.data).toEqual([expect.objectContaining({ userId: alice.id, role: "admin" })]);
  });

  it("gives the member access to the inbox", async () => {
    const { member, apiKey } = await buildMember(ctx, acme.team.id);
    const memberApi = client(ctx.app, { apiKey });
    expect((await memberApi.get(`/api/support/inboxes/${sales.id}`)).status).toBe(404);
    await api.post(membersOf(sales.id), { userId: member.id, role: "agent" });
    expect((await memberApi.get(`/api/support/inboxes/${sales.id}`)).status).toBe(200);
  });

  it("rejects a userId that is not a member of the team with 400", async () => {
    const unknown = await api.post(membersOf(sales.id), { userId: "member_doesnotexist00", role: "agent" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: "validation_failed", details: [expect.objectContaining({ path: "userId" })] });
    expect((await api.get(membersOf(sales.id))).body.data).toEqual([]);
  });

  it("rejects an unknown role, a missing userId and unknown fields with 400", async () => {
    expect((await api.post(membersOf(sales.id), { userId: alice.id, role: "owner" })).status).toBe(400);
    expect((await api.post(membersOf(sales.id), { role: "agent" })).status).toBe(400);
    expect((await api.post(membersOf(sales.id), { userId: alice.id, role: "agent", canDelete: true })).status).toBe(400);
    expect((await api.get(membersOf(sales.id))).body.data).toEqual([]);
  });

  it("lets an inbox admin add members to their inbox", async () => {
    const { apiKey } = await buildMember(ctx, acme.team.id, { inboxes: [{ inboxId: sales.id, role: "admin" }] });
    const reply = await client(ctx.app, { apiKey }).post(membersOf(sales.id), { userId: alice.id, role: "agent" });
    expect(reply.status).toBe(201);
  });

  it("refuses an inbox agent adding members (403) and a member outside the inbox (404)", async () => {
    const agent = await buildMember(ctx, acme.team.id, { inboxes: [{ inboxId: sales.id, role: "agent" }] });
    expect((await client(ctx.app, { apiKey: agent.apiKey }).post(membersOf(sales.id), { userId: alice.id, role: "admin" })).status).toBe(403);
    const outsider = await buildMember(ctx, acme.team.id);
    expect((await client(ctx.app, { apiKey: outsider.apiKey }).post(membersOf(sales.id), { userId: outsider.member.id, role: "admin" })).status).toBe(404);
    const list = await api.get(membersOf(sales.id));
    expect(list.body.data.map((m: { userId: string }) => m.userId)).toEqual([agent.member.id]);
  });
});

describe("DELETE /api/support/inboxes/:inboxId/members/:userId", () => {
  it("removes the membership with 204, then answers 404", async () => {
    await api.post(membersOf(sales.id), { userId: alice.id, role: "agent" });
    const reply = await api.delete(`${membersOf(sales.id)}/${alice.id}`);
    expect(reply.status).toBe(204);
    expect(reply.body).toBeUndefined();
    expect((await api.get(membersOf(sales.id))).body.data).toEqual([]);
    expect(ctx.events.find((e) => e.name === "inbox_member.removed")).toMatchObject({ inboxId: sales.id, payload: { memberId: alice.id } });
    const again = await api.delete(`${membersOf(sales.id)}/${alice.id}`);
    expect(again.status).toBe(404);
  });

  it("takes the inbox away from the removed member", async () => {
    const { member, apiKey } = await buildMember(ctx, acme.team.id, { inboxes: [{ inboxId: sales.id, role: "agent" }] });
    await api.delete(`${membersOf(sales.id)}/${member.id}`);
    expect((await client(ctx.app, { apiKey }).get(`/api/support/inboxes/${sales.id}`)).status).toBe(404);
  });

  it("refuses an inbox agent removing someone (403)", async () => {
    const agent = await buildMember(ctx, acme.team.id, { inboxes: [{ inboxId: acme.inbox.id, role: "agent" }] });
    const reply = await client(ctx.app, { apiKey: agent.apiKey }).delete(`${membersOf(acme.inbox.id)}/${acme.owner.id}`);
    expect(reply.status).toBe(403);
    expect((await api.get(membersOf(acme.inbox.id))).body.data).toHaveLength(2);
  });
});

describe("PUT /api/support/inboxes/:inboxId/members/:userId/availability", () => {
  it("sets the availability, answers the membership and shows it on the member", async () => {
    await api.post(membersOf(sales.id), { userId: alice.id, role: "agent" });
    const reply = await api.put(availabilityOf(sales.id, alice.id), { status: "away" });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({ userId: alice.id, inboxId: sales.id, role: "agent", availability: "away" });
    const member = await api.get(`/api/support/members/${alice.id}`);
    expect(member.body.member.availability).toBe("away");
    const list = await api.get(membersOf(sales.id));
    expect(list.body.data[0].availability).toBe("away");
    expect(ctx.events.find((e) => e.name === "member.availability_changed")).toMatchObject({ payload: { memberId: alice.id, availability: "away" } });
  });

  it("lets a member set their own", async () => {
    const agent = await buildMember(ctx, acme.team.id, { inboxes: [{ inboxId: sales.id, role: "agent" }] });
    const reply = await client(ctx.app, { apiKey: agent.apiKey }).put(availabilityOf(sales.id, agent.member.id), { status: "offline" });
    expect(reply.status).toBe(200);
    expect(reply.body.data.availability).toBe("offline");
  });

  it("refuses an inbox agent setting another member's (403), leaving it unchanged", async () => {
    const agent = await buildMember(ctx, acme.team.id, { inboxes: [{ inboxId: acme.inbox.id, role: "agent" }] });
    const reply = await client(ctx.app, { apiKey: agent.apiKey }).put(availabilityOf(acme.inbox.id, acme.owner.id), { status: "offline" });
    expect(reply.status).toBe(403);
    expect((await api.get(`/api/support/members/${acme.owner.id}`)).body.member.availability).toBe("available");
  });

  it("lets an inbox admin set an agent's", async () => {
    const admin = await buildMember(ctx, acme.team.id, { inboxes: [{ inboxId: sales.id, role: "admin" }] });
    const agent = await buildMember(ctx, acme.team.id, { inboxes: [{ inboxId: sales.id, role: "agent" }] });
    const reply = await client(ctx.app, { apiKey: admin.apiKey }).put(availabilityOf(sales.id, agent.member.id), { status: "away" });
    expect(reply.status).toBe(200);
    expect((await api.get(`/api/support/members/${agent.member.id}`)).body.member.availability).toBe("away");
  });

  it("refuses an inbox admin who is not a team admin setting an owner's or admin's availability (403)", async () => {
    const inboxAdmin = await buildMember(ctx, acme.team.id, { role: "member", inboxes: [{ inboxId: acme.inbox.id, role: "admin" }] });
    const teamAdmin = await buildMember(ctx, acme.team.id, { role: "admin", inboxes: [{ inboxId: acme.inbox.id }] });
    const asInboxAdmin = client(ctx.app, { apiKey: inboxAdmin.apiKey });
    for (const target of [acme.owner.id, teamAdmin.member.id]) {
      const reply = await asInboxAdmin.put(`/api/support/inboxes/${acme.inbox.id}/members/${target}/availability`, { status: "away" });
      expect(reply.status).toBe(403);
      expect((await client(ctx.app, { apiKey: acme.apiKey }).get(`/api/support/members/${target}`)).body.member.availability).toBe("available");
    }
  });

  it("answers 404 for a user who is not in the inbox", async () => {
    const reply = await api.put(availabilityOf(sales.id, alice.id), { status: "away" });
    expect(reply.status).toBe(404);
    expect((await api.get(`/api/support/members/${alice.id}`)).body.member.availability).toBe("available");
  });

  it("rejects an unknown status and unknown fields with 400", async () => {
    const bad = await api.put(availabilityOf(acme.inbox.id, acme.owner.id), { status: "busy" });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "validation_failed", details: [expect.objectContaining({ path: "status" })] });
    expect((await api.put(availabilityOf(acme.inbox.id, acme.owner.id), { status: "away", until: "tomorrow" })).status).toBe(400);
    expect((await api.put(availabilityOf(acme.inbox.id, acme.owner.id), {})).status).toBe(400);
    expect((await api.get(`/api/support/members/${acme.owner.id}`)).body.member.availability).toBe("available");
  });
});

describe("inbox members across teams", () => {
  let globex: BuiltTeam;
  let globexApi: ReturnType<typeof client>;

  beforeEach(async () => {
    globex = await buildTeam(ctx, { name: "Globex" });
    globexApi = client(ctx.app, { apiKey: globex.apiKey });
    await api.post(membersOf(sales.id), { userId: alice.id, role: "agent" });
  });

  it("answers 404 to another team's admin on every members endpoint of an inbox, and changes nothing", async () => {
    const before = (await api.get(membersOf(sales.id))).body.data;
    const eventsBefore = ctx.events.length;
    expect((await globexApi.get(membersOf(sales.id))).status).toBe(404);
    expect((await globexApi.post(membersOf(sales.id), { userId: globex.owner.id, role: "admin" })).status).toBe(404);
    expect((await globexApi.post(membersOf(sales.id), { userId: alice.id, role: "admin" })).status).toBe(404);
    expect((await globexApi.delete(`${membersOf(sales.id)}/${alice.id}`)).status).toBe(404);
    expect((await globexApi.put(availabilityOf(sales.id, alice.id), { status: "offline" })).status).toBe(404);
    expect((await api.get(membersOf(sales.id))).body.data).toEqual(before);
    expect((await api.get(`/api/support/members/${alice.id}`)).body.member.availability).toBe("available");
    expect(ctx.events.length).toBe(eventsBefore);
  });

  it("refuses to add another team's member to an inbox (400)", async () => {
    const reply = await globexApi.post(membersOf(globex.inbox.id), { userId: alice.id, role: "agent" });
    expect(reply.status).toBe(400);
    expect((await globexApi.get(membersOf(globex.inbox.id))).body.data.map((m: { userId: string }) => m.userId)).toEqual([globex.owner.id]);
  });

  it("answers 404 when another team's member is named in one's own inbox", async () => {
    expect((await globexApi.delete(`${membersOf(globex.inbox.id)}/${alice.id}`)).status).toBe(404);
    expect((await globexApi.put(availabilityOf(globex.inbox.id, alice.id), { status: "offline" })).status).toBe(404);
    expect((await api.get(`/api/support/members/${alice.id}`)).body.member.availability).toBe("available");
  });
});
