import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listAll, startThread, type Api } from "../../../test/conversation-fixtures.js";
import { buildMember, buildTeam, type BuiltMember, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";

// Several requests about one conversation at the same moment, as a busy inbox produces them. On PostgreSQL
// they really run in parallel; on SQLite they queue for the write lock. Either way nothing may be lost.

let ctx: TestContext;
let acme: BuiltTeam;
let alice: BuiltMember;
let bob: BuiltMember;
let admin: Api;
let threadId: string;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx);
  alice = await buildMember(ctx, acme.team.id, { name: "Alice Johnson", inboxes: [{ inboxId: acme.inbox.id }] });
  bob = await buildMember(ctx, acme.team.id, { name: "Bob Martin", inboxes: [{ inboxId: acme.inbox.id }] });
  admin = client(ctx.app, { apiKey: acme.apiKey });
  threadId = (await startThread(admin, { contact: { email: "dana@example.com" }, message: { content: "first" } })).id;
});
afterEach(() => ctx.close());

const THREAD = () => `/api/support/threads/${threadId}`;

async function expectCountsMatchViews(api: Api) {
  const counts = (await api.get("/api/support/conversations/counts")).body.data;
  const size = async (query: string) => (await listAll(api, query)).length;
  expect(counts).toEqual({
    unassigned: await size("inboxView=unassigned"),
    mine: await size("inboxView=mine"),
    open: await size("inboxView=open"),
    automated: await size("inboxView=automated"),
    all: await size("inboxView=all"),
    closed: await size("inboxView=closed"),
    spam: await size("inboxView=spam"),
    pending: await size("filter[status]=pending"),
    snoozed: await size("filter[status]=snoozed"),
  });
}

describe("concurrent writes to one conversation", () => {
  it("counts every one of five messages the contact sends at once as unread", async () => {
    const replies = await Promise.all([1, 2, 3, 4, 5].map((i) => admin.post(`${THREAD()}/messages`, { content: `burst ${i}`, direction: "incoming" })));
    expect(replies.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    const seqs = (await admin.get(`${THREAD()}/messages`)).body.messages.map((m: { seq: number }) => m.seq);
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await admin.get(THREAD())).body.thread.unreadCount).toBe(6);
  });

  it("keeps the view counts right when several changes to one conversation race", async () => {
    const [asAlice, asBob] = [client(ctx.app, { apiKey: alice.apiKey }), client(ctx.app, { apiKey: bob.apiKey })];
    const replies = await Promise.all([
      admin.patch(THREAD(), { assignedToMemberId: alice.member.id }),
      admin.patch(THREAD(), { assignedToMemberId: bob.member.id }),
      admin.patch(THREAD(), { status: "closed" }),
      admin.patch(THREAD(), { status: "pending" }),
      admin.patch(THREAD(), { spam: true }),
    ]);
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    for (const api of [admin, asAlice, asBob]) {
      await expectCountsMatchViews(api);
    }
  });

  it("lets only one of three members replying at once take an unassigned conversation", async () => {
    const [asAlice, asBob] = [client(ctx.app, { apiKey: alice.apiKey }), client(ctx.app, { apiKey: bob.apiKey })];
    const replies = await Promise.all([asAlice, asBob, admin].map((api, i) => api.post(`${THREAD()}/messages`, { content: `mine ${i}` })));
    expect(replies.map((r) => r.status)).toEqual([201, 201, 201]);
    const messages = (await admin.get(`${THREAD()}/messages`)).body.messages;
    const takes = messages.filter((m: { content: string }) => m.content.endsWith("replied and took this conversation"));
    expect(takes).toHaveLength(1);
    const assignee = (await admin.get(THREAD())).body.thread.assignedToMemberId;
    expect(takes[0].author.id).toBe(assignee);
    for (const api of [admin, asAlice, asBob]) {
      await expectCountsMatchViews(api);
    }
  });

  it("gives five conversations created at once the numbers 1 to 5 after the first", async () => {
    const replies = await Promise.all([1, 2, 3, 4, 5].map((i) => admin.post("/api/support/threads", { contact: { email: `p${i}@example.com` }, message: { content: "hi" } })));
    expect(replies.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(replies.map((r) => r.body.thread.number).sort()).toEqual([2, 3, 4, 5, 6]);
    await expectCountsMatchViews(admin);
  });
});

describe("concurrent messages to many conversations", () => {
  it("numbers each conversation's messages in turn and keeps the counts right, with refused requests among them", async () => {
    const others = await Promise.all([1, 2, 3, 4, 5].map((i) => startThread(admin, { contact: { email: `contact${i}@example.com` }, message: { content: "first" } })));
    const ids = [threadId, ...others.map((thread) => thread.id)];
    const posts = ids.flatMap((id) => [1, 2, 3].map((n) => admin.post(`/api/support/threads/${id}/messages`, { content: `burst ${n}`, direction: "incoming" })));
    const refused = [
      admin.post(`${THREAD()}/messages`, { content: "with an upload nobody made", attachmentIds: ["att_missing"] }),
      admin.post("/api/support/threads/conv_missing/messages", { content: "to nowhere" }),
      client(ctx.app, { apiKey: (await buildTeam(ctx, { name: "Other" })).apiKey }).post(`${THREAD()}/messages`, { content: "from another team" }),
    ];
    const replies = await Promise.all([...posts, ...refused]);
    expect(replies.map((reply) => reply.status)).toEqual([...posts.map(() => 201), 400, 404, 404]);
    for (const id of ids) {
      const messages = (await admin.get(`/api/support/threads/${id}/messages`)).body.messages as { seq: number; content: string }[];
      expect(messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
      expect(messages.map((m) => m.content).sort()).toEqual(["burst 1", "burst 2", "burst 3", "first"]);
      expect((await admin.get(`/api/support/threads/${id}`)).body.thread.unreadCount).toBe(4);
    }
    await expectCountsMatchViews(admin);
  });
});
