import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildMember, buildTeam, type BuiltMember, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";

let ctx: TestContext;
let acme: BuiltTeam;
let alice: BuiltMember;
let bob: BuiltMember;
let threadId: string;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx);
  alice = await buildMember(ctx, acme.team.id, { name: "Alice Johnson", inboxes: [{ inboxId: acme.inbox.id }] });
  bob = await buildMember(ctx, acme.team.id, { name: "Bob Stone", inboxes: [{ inboxId: acme.inbox.id }] });
  const created = await client(ctx.app, { apiKey: acme.apiKey }).post("/api/support/threads", { contact: { name: "Visitor" }, message: { content: "Hello" } });
  threadId = created.body.thread.id;
});
afterEach(() => ctx.close());

describe("notifications", () => {
  it("tells a member they were mentioned and assigned, newest first, and marks them read", async () => {
    const asBob = client(ctx.app, { apiKey: bob.apiKey });
    await asBob.post(`/api/support/threads/${threadId}/messages`, { content: "@Alice Johnson can you take this?", private: true });
    ctx.clock.advance(1000);
    await asBob.patch(`/api/support/threads/${threadId}`, { assignedToMemberId: alice.member.id });

    const asAlice = client(ctx.app, { apiKey: alice.apiKey });
    const list = await asAlice.get("/api/support/notifications");
    expect(list.status).toBe(200);
    expect(list.body.unreadCount).toBe(2);
    expect(list.body.data.map((n: { kind: string }) => n.kind)).toEqual(["assigned", "mention"]);
    expect(list.body.data[1]).toMatchObject({ conversationId: threadId, actorMemberId: bob.member.id, readAt: null, messageId: expect.stringMatching(/^msg_/) });

    const one = list.body.data[0].id as string;
    expect((await asAlice.post("/api/support/notifications/read", { ids: [one] })).status).toBe(204);
    expect((await asAlice.get("/api/support/notifications?unread=true")).body.data.map((n: { kind: string }) => n.kind)).toEqual(["mention"]);
    await asAlice.post("/api/support/notifications/read", {});
    expect((await asAlice.get("/api/support/notifications")).body.unreadCount).toBe(0);
  });

  it("shows each member only their own notifications, and marking read touches only theirs", async () => {
    await client(ctx.app, { apiKey: bob.apiKey }).post(`/api/support/threads/${threadId}/messages`, { content: "@Alice Johnson look", private: true });
    const asBob = client(ctx.app, { apiKey: bob.apiKey });
    expect((await asBob.get("/api/support/notifications")).body.data).toEqual([]);
    await asBob.post("/api/support/notifications/read", {});
    expect((await client(ctx.app, { apiKey: alice.apiKey }).get("/api/support/notifications")).body.unreadCount).toBe(1);
  });

  it("pages with a cursor and rejects bad input", async () => {
    const asBob = client(ctx.app, { apiKey: bob.apiKey });
    for (let i = 0; i < 3; i++) {
      await asBob.post(`/api/support/threads/${threadId}/messages`, { content: `@Alice Johnson ping ${i}`, private: true });
      ctx.clock.advance(1000);
    }
    const asAlice = client(ctx.app, { apiKey: alice.apiKey });
    const first = await asAlice.get("/api/support/notifications?limit=2");
    expect(first.body.data).toHaveLength(2);
    const second = await asAlice.get(`/api/support/notifications?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.data).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    expect((await asAlice.get("/api/support/notifications?limit=0")).status).toBe(400);
    expect((await asAlice.post("/api/support/notifications/read", { ids: ["nope"] })).status).toBe(400);
    expect((await asAlice.post("/api/support/notifications/read", { all: true })).status).toBe(400);
  });
});
