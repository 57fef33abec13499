import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildMember, buildTeam, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";

let ctx: TestContext;
let acme: BuiltTeam;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx);
});
afterEach(() => ctx.close());

describe("a conversation from start to close", () => {
  it("is created by the API channel, answered, assigned by the reply, and closed", async () => {
    const agent = await buildMember(ctx, acme.team.id, { name: "Alice", inboxes: [{ inboxId: acme.inbox.id }] });
    const api = client(ctx.app, { apiKey: acme.apiKey });
    const asAgent = client(ctx.app, { apiKey: agent.apiKey });
    const created = await api.post("/api/support/threads", { subject: "Help", contact: { email: "Bob@Example.com", name: "Bob" }, message: { content: "Hi 👋 my invoice is wrong" } });
    expect(created.status).toBe(201);
    const thread = created.body.thread;
    expect(thread).toMatchObject({ number: 1, inboxId: acme.inbox.id, channel: "api", status: "open", assignedToMemberId: null, subject: "Help", unreadCount: 1 });
    expect(thread.contact).toMatchObject({ email: "bob@example.com", name: "Bob" });
    expect(thread.lastMessage.preview).toBe("Hi 👋 my invoice is wrong");

    const counts = await asAgent.get("/api/support/conversations/counts");
    expect(counts.body.data).toMatchObject({ unassigned: 1, mine: 0, open: 1, all: 1 });

    const reply = await asAgent.post(`/api/support/threads/${thread.id}/messages`, { content: "Let me check" });
    expect(reply.status).toBe(201);
    expect(reply.body.message).toMatchObject({ direction: "outgoing", private: false, author: { kind: "member", id: agent.member.id, name: "Alice" } });

    const after = await asAgent.get(`/api/support/threads/${thread.id}`);
    expect(after.body.thread).toMatchObject({ assignedToMemberId: agent.member.id });
    expect(after.body.thread.firstResponseAt).not.toBeNull();
    expect((await asAgent.get("/api/support/conversations/counts")).body.data).toMatchObject({ unassigned: 0, mine: 1, open: 1 });

    const closed = await asAgent.patch(`/api/support/threads/${thread.id}`, { status: "closed" });
    expect(closed.status).toBe(200);
    expect(closed.body.thread.closedAt).not.toBeNull();
    expect((await asAgent.get("/api/support/conversations/counts")).body.data).toMatchObject({ mine: 0, open: 0, closed: 1, all: 1 });

    const messages = await asAgent.get(`/api/support/threads/${thread.id}/messages`);
    expect(messages.body.messages.map((m: { direction: string }) => m.direction)).toEqual(["incoming", "activity", "outgoing", "activity"]);
    expect(messages.body.messages[3].content).toBe("Alice closed this");

    const archived = await asAgent.get("/api/support/threads?inboxView=archived");
    expect(archived.body.threads.map((t: { id: string }) => t.id)).toEqual([thread.id]);
    const mine = await asAgent.get(`/api/support/threads?filter[assignedToMemberIds][0]=${agent.member.id}&inboxView=default`);
    expect(mine.body.threads).toEqual([]);
  });
});
