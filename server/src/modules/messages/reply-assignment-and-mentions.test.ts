import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InboxRow } from "../../db/schema.js";
import { patchThread, postMessage, startThread, type Api } from "../../../test/conversation-fixtures.js";
import { buildInbox, buildMember, buildTeam, type BuiltMember, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";

let ctx: TestContext;
let acme: BuiltTeam;
let billing: InboxRow;
let alice: BuiltMember;
let bob: BuiltMember;
let admin: Api;
let asAlice: Api;
let asBob: Api;
let threadId: string;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx);
  billing = await buildInbox(ctx, acme.team.id, "Billing");
  alice = await buildMember(ctx, acme.team.id, { name: "Alice Johnson", email: "alice@acme.test", inboxes: [{ inboxId: acme.inbox.id }] });
  bob = await buildMember(ctx, acme.team.id, { name: "Bob Martin", email: "bob@acme.test", inboxes: [{ inboxId: acme.inbox.id }] });
  admin = client(ctx.app, { apiKey: acme.apiKey });
  asAlice = client(ctx.app, { apiKey: alice.apiKey });
  asBob = client(ctx.app, { apiKey: bob.apiKey });
  threadId = (await startThread(admin, { contact: { email: "dana@example.com" }, message: { content: "Hello?" } })).id;
});
afterEach(() => ctx.close());

const thread = async () => (await admin.get(`/api/support/threads/${threadId}`)).body.thread;
const contents = async () => (await admin.get(`/api/support/threads/${threadId}/messages`)).body.messages.map((m: { direction: string; content: string }) => `${m.direction}: ${m.content}`);

describe("replying to an unassigned conversation", () => {
  it("assigns it to the member who replied, with an activity line and a conversation.assigned event", async () => {
    await postMessage(asAlice, threadId, { content: "Hi, I'm on it" });
    expect((await thread()).assignedToMemberId).toBe(alice.member.id);
    expect(await contents()).toEqual(["incoming: Hello?", "activity: Alice Johnson replied and took this conversation", "outgoing: Hi, I'm on it"]);
    expect(ctx.events.filter((e) => e.name === "conversation.assigned").map((e) => e.payload)).toEqual([{ conversationId: threadId, memberId: alice.member.id, previousMemberId: null, actorId: alice.member.id }]);
    const mine = await asAlice.get("/api/support/threads?inboxView=mine");
    expect(mine.body.threads.map((t: { id: string }) => t.id)).toEqual([threadId]);
  });

  it("sets firstResponseAt at the first reply only", async () => {
    ctx.clock.advance(90_000);
    const firstAt = new Date(ctx.clock.now()).toISOString();
    await postMessage(asAlice, threadId, { content: "first reply" });
    expect((await thread()).firstResponseAt).toBe(firstAt);
    ctx.clock.advance(90_000);
    await postMessage(asAlice, threadId, { content: "second reply" });
    await postMessage(asBob, threadId, { content: "me too" });
    expect((await thread()).firstResponseAt).toBe(firstAt);
  });

  it("is not taken by a note, which does not set firstResponseAt either", async () => {
    await postMessage(asAlice, threadId, { content: "looking into it", private: true });
    expect(await thread()).toMatchObject({ assignedToMemberId: null, firstResponseAt: null });
    expect(await contents()).toEqual(["incoming: Hello?", "note: looking into it"]);
  });

  it("is not assigned by a reply to someone else's conversation, which keeps its assignee", async () => {
    await patchThread(admin, threadId, { assignedToMemberId: bob.member.id });
    await postMessage(asAlice, threadId, { content: "Bob is away, let me help" });
    expect((await thread()).assignedToMemberId).toBe(bob.member.id);
    expect((await contents()).filter((c: string) => c.includes("took this conversation"))).toEqual([]);
  });

  it("takes a conversation over from the bot when a member replies", async () => {
    await ctx.database.transaction(async (tx) => {
      await tx.updateTable("conversations").set({ handled_by_bot: 1, bucket: "automated" }).where("id", "=", threadId).execute();
      await tx.updateTable("conversation_counts").set({ bucket: "automated" }).where("inbox_id", "=", acme.inbox.id).where("bucket", "=", "unassigned").execute();
    });
    await postMessage(asAlice, threadId, { content: "Human here" });
    expect(await thread()).toMatchObject({ handledByBot: false, assignedToMemberId: alice.member.id });
    expect((await asAlice.get("/api/support/threads?inboxView=automated")).body.threads).toEqual([]);
    expect((await asAlice.get("/api/support/conversations/counts")).body.data).toMatchObject({ automated: 0, mine: 1 });
  });
});

describe("@mentions in notes", () => {
  async function notifications(memberId: string) {
    return ctx.database.db.selectFrom("notifications").selectAll().where("member_id", "=", memberId).execute();
  }

  it("notifies the member named by full name with a mention notification", async () => {
    const note = await postMessage(asBob, threadId, { content: "@Alice Johnson can you check the invoice?", private: true });
    expect(note.mentions).toEqual([alice.member.id]);
    const rows = await notifications(alice.member.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: "mention", conversation_id: threadId, message_id: note.id, actor_member_id: bob.member.id, read_at: null });
    expect(await notifications(bob.member.id)).toEqual([]);
  });

  it("finds several members by name, email and email name, each once", async () => {
    const note = await postMessage(admin, threadId, { content: "@alice and @Bob Martin, also @alice@acme.test again; cc @bob", private: true });
    expect([...note.mentions].sort()).toEqual([alice.member.id, bob.member.id].sort());
    expect(await notifications(alice.member.id)).toHaveLength(1);
    expect(await notifications(bob.member.id)).toHaveLength(1);
  });

  it("notifies nobody who cannot see the conversation's inbox", async () => {
    const olga = await buildMember(ctx, acme.team.id, { name: "Olga Petrova", inboxes: [{ inboxId: billing.id }] });
    const note = await postMessage(asBob, threadId, { content: "@Olga Petrova might know", private: true });
    expect(note.mentions).toEqual([]);
    expect(await notifications(olga.member.id)).toEqual([]);
  });

  it("notifies an admin outside the inbox, who can see every conversation", async () => {
    const ada = await buildMember(ctx, acme.team.id, { role: "admin", name: "Ada Admin" });
    await postMessage(asBob, threadId, { content: "@Ada Admin please approve", private: true });
    expect(await notifications(ada.member.id)).toHaveLength(1);
  });

  it("does not notify the author who mentions themselves, nor anyone from a reply", async () => {
    await postMessage(asBob, threadId, { content: "@Bob Martin reminder to self", private: true });
    await postMessage(asBob, threadId, { content: "@Alice Johnson will follow up" });
    expect(await notifications(bob.member.id)).toEqual([]);
    expect(await notifications(alice.member.id)).toEqual([]);
  });
});
