import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InboxRow } from "../../db/schema.js";
import { countRows, listAll, patchThread, startThread, type Api } from "../../../test/conversation-fixtures.js";
import { buildInbox, buildMember, buildTeam, type BuiltMember, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";

let ctx: TestContext;
let acme: BuiltTeam;
let billing: InboxRow;
let alice: BuiltMember;
let bob: BuiltMember;
let admin: Api;
let threadId: string;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx);
  billing = await buildInbox(ctx, acme.team.id, "Billing");
  alice = await buildMember(ctx, acme.team.id, { name: "Alice Johnson", inboxes: [{ inboxId: acme.inbox.id }] });
  bob = await buildMember(ctx, acme.team.id, { name: "Bob Martin", inboxes: [{ inboxId: acme.inbox.id }, { inboxId: billing.id }] });
  admin = client(ctx.app, { apiKey: acme.apiKey });
  threadId = (await startThread(admin, { contact: { email: "dana@example.com", name: "Dana" }, message: { content: "My order is late" } })).id;
});
afterEach(() => ctx.close());

const THREAD = () => `/api/support/threads/${threadId}`;

async function activity(): Promise<string[]> {
  const reply = await admin.get(`${THREAD()}/messages?limit=100`);
  return reply.body.messages.filter((m: { direction: string }) => m.direction === "activity").map((m: { content: string }) => m.content);
}

async function notificationsOf(memberId: string) {
  return ctx.database.db.selectFrom("notifications").selectAll().where("member_id", "=", memberId).execute();
}

describe("PATCH /threads/:id assigning", () => {
  it("assigns to a member of the inbox with an activity line, an event and a notification for the assignee", async () => {
    const thread = await patchThread(admin, threadId, { assignedToMemberId: alice.member.id });
    expect(thread.assignedToMemberId).toBe(alice.member.id);
    expect(await activity()).toEqual(["Jane Smith assigned this to Alice Johnson"]);
    const event = ctx.events.find((e) => e.name === "conversation.assigned");
    expect(event?.payload).toMatchObject({ conversationId: threadId, memberId: alice.member.id, previousMemberId: null, actorId: acme.owner.id });
    const notifications = await notificationsOf(alice.member.id);
    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({ kind: "assigned", conversation_id: threadId, actor_member_id: acme.owner.id, read_at: null });
  });

  it("says 'themselves' and notifies nobody when a member takes a conversation", async () => {
    await patchThread(client(ctx.app, { apiKey: alice.apiKey }), threadId, { assignedToMemberId: alice.member.id });
    expect(await activity()).toEqual(["Alice Johnson assigned this to themselves"]);
    expect(await notificationsOf(alice.member.id)).toHaveLength(0);
  });

  it("rejects a member who does not belong to the conversation's inbox, changing nothing", async () => {
    const outsider = await buildMember(ctx, acme.team.id, { name: "Olga", inboxes: [{ inboxId: billing.id }] });
    const reply = await admin.patch(THREAD(), { assignedToMemberId: outsider.member.id });
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({ code: "validation_failed", details: [{ path: "assignedToMemberId" }] });
    expect((await admin.get(THREAD())).body.thread.assignedToMemberId).toBeNull();
    expect(await activity()).toEqual([]);
  });

  it("rejects another team's member and an id that is nobody's", async () => {
    const other = await buildTeam(ctx, { name: "Globex" });
    for (const memberId of [other.owner.id, "member_nobodyhasthis"]) {
      const reply = await admin.patch(THREAD(), { assignedToMemberId: memberId });
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe("validation_failed");
    }
    expect((await admin.get(THREAD())).body.thread.assignedToMemberId).toBeNull();
    expect(await countRows(ctx, "notifications")).toBe(0);
  });

  it("unassigns with an activity line and a conversation.assigned event to nobody", async () => {
    await patchThread(admin, threadId, { assignedToMemberId: alice.member.id });
    const thread = await patchThread(admin, threadId, { assignedToMemberId: null });
    expect(thread.assignedToMemberId).toBeNull();
    expect(await activity()).toEqual(["Jane Smith assigned this to Alice Johnson", "Jane Smith unassigned this"]);
    expect(ctx.events.filter((e) => e.name === "conversation.assigned").at(-1)?.payload).toMatchObject({ memberId: null, previousMemberId: alice.member.id });
  });

  it("writes nothing when the assignee does not change", async () => {
    await patchThread(admin, threadId, { assignedToMemberId: alice.member.id });
    const messages = await countRows(ctx, "messages");
    await patchThread(admin, threadId, { assignedToMemberId: alice.member.id });
    expect(await countRows(ctx, "messages")).toBe(messages);
    expect(await notificationsOf(alice.member.id)).toHaveLength(1);
  });
});

describe("PATCH /threads/:id status", () => {
  it("closes: sets closedAt, moves it to Closed, and reopening clears closedAt", async () => {
    ctx.clock.advance(3_600_000);
    const closed = await patchThread(admin, threadId, { status: "closed" });
    expect(closed).toMatchObject({ status: "closed", closedAt: new Date(ctx.clock.now()).toISOString() });
    expect((await listAll(admin, "inboxView=closed")).map((t) => t.id)).toEqual([threadId]);
    expect(await listAll(admin, "inboxView=open")).toEqual([]);

    const reopened = await patchThread(admin, threadId, { status: "open" });
    expect(reopened).toMatchObject({ status: "open", closedAt: null });
    expect(await listAll(admin, "inboxView=closed")).toEqual([]);
    expect(await activity()).toEqual(["Jane Smith closed this", "Jane Smith reopened this"]);
  });

  it("marks pending: out of Open, still in All", async () => {
    const thread = await patchThread(admin, threadId, { status: "pending" });
    expect(thread.status).toBe("pending");
    expect(await listAll(admin, "inboxView=open")).toEqual([]);
    expect((await listAll(admin, "inboxView=all")).map((t) => t.id)).toEqual([threadId]);
    expect(await activity()).toEqual(["Jane Smith marked this as pending"]);
  });
});

describe("PATCH /threads/:id transfer", () => {
  it("moves to another inbox keeping an assignee who belongs to it", async () => {
    await patchThread(admin, threadId, { assignedToMemberId: bob.member.id });
    const thread = await patchThread(admin, threadId, { inboxId: billing.id });
    expect(thread).toMatchObject({ inboxId: billing.id, assignedToMemberId: bob.member.id });
    expect((await activity()).at(-1)).toBe("Jane Smith moved this from Support to Billing");
  });

  it("moves to another inbox dropping an assignee who does not belong to it", async () => {
    await patchThread(admin, threadId, { assignedToMemberId: alice.member.id });
    const thread = await patchThread(admin, threadId, { inboxId: billing.id });
    expect(thread).toMatchObject({ inboxId: billing.id, assignedToMemberId: null });
    expect((await activity()).slice(1)).toEqual(["Jane Smith moved this from Support to Billing", "Jane Smith unassigned this"]);
    expect((await client(ctx.app, { apiKey: alice.apiKey }).get(THREAD())).status).toBe(404);
  });

  it("moves and assigns in one request to a member of the new inbox", async () => {
    const thread = await patchThread(admin, threadId, { inboxId: billing.id, assignedToMemberId: bob.member.id });
    expect(thread).toMatchObject({ inboxId: billing.id, assignedToMemberId: bob.member.id });
  });

  it("rejects moving and assigning to a member of the old inbox only", async () => {
    const reply = await admin.patch(THREAD(), { inboxId: billing.id, assignedToMemberId: alice.member.id });
    expect(reply.status).toBe(400);
    expect((await admin.get(THREAD())).body.thread).toMatchObject({ inboxId: acme.inbox.id, assignedToMemberId: null });
  });

  it("answers 404 for an inbox of another team", async () => {
    const other = await buildTeam(ctx, { name: "Globex" });
    const reply = await admin.patch(THREAD(), { inboxId: other.inbox.id });
    expect(reply.status).toBe(404);
    expect((await admin.get(THREAD())).body.thread.inboxId).toBe(acme.inbox.id);
  });
});

describe("PATCH /threads/:id tags", () => {
  it("replaces the list, creating unknown tags, and the tag filter finds the conversation", async () => {
    const tagsBefore = await countRows(ctx, "tags", acme.team.id);
    expect((await patchThread(admin, threadId, { tags: ["urgent", "Refund"] })).tags).toEqual(["urgent", "Refund"]);
    expect(await countRows(ctx, "tags", acme.team.id)).toBe(tagsBefore + 2);
    expect((await listAll(admin, "filter[tags][0]=refund")).map((t) => t.id)).toEqual([threadId]);

    expect((await patchThread(admin, threadId, { tags: ["vip"] })).tags).toEqual(["vip"]);
    expect(await listAll(admin, "filter[tags][0]=refund")).toEqual([]);
    expect((await listAll(admin, "filter[tags][0]=VIP")).map((t) => t.id)).toEqual([threadId]);
    expect((await patchThread(admin, threadId, { tags: [] })).tags).toEqual([]);
    expect(await countRows(ctx, "conversation_tags", acme.team.id)).toBe(0);
  });

  it("reuses an existing tag whatever the case, without duplicates", async () => {
    await patchThread(admin, threadId, { tags: ["Refund"] });
    const tags = await countRows(ctx, "tags", acme.team.id);
    expect((await patchThread(admin, threadId, { tags: ["refund", "REFUND "] })).tags).toEqual(["Refund"]);
    expect(await countRows(ctx, "tags", acme.team.id)).toBe(tags);
  });
});

describe("PATCH /threads/:id spam", () => {
  it("moves it into Spam and back out, with activity lines", async () => {
    await patchThread(admin, threadId, { spam: true });
    expect((await listAll(admin, "inboxView=spam")).map((t) => t.id)).toEqual([threadId]);
    expect(await listAll(admin, "inboxView=all")).toEqual([]);
    expect(await listAll(admin, "inboxView=unassigned")).toEqual([]);
    const back = await patchThread(admin, threadId, { spam: false });
    expect(back.spam).toBe(false);
    expect(await listAll(admin, "inboxView=spam")).toEqual([]);
    expect((await listAll(admin, "inboxView=unassigned")).map((t) => t.id)).toEqual([threadId]);
    expect(await activity()).toEqual(["Jane Smith marked this as spam", "Jane Smith marked this as not spam"]);
  });
});

describe("PATCH /threads/:id with an invalid body", () => {
  const invalid: [string, unknown][] = [
    ["an unknown field", { assignedToMemberId: null, priority: "high" }],
    ["a status that does not exist", { status: "done", tags: ["x"] }],
    ["tags that are not a list", { tags: "vip" }],
    ["an empty tag", { tags: ["ok", " "] }],
    ["spam that is not a boolean", { spam: "yes" }],
    ["a snooze time that is not a time", { snoozedUntil: "tomorrow" }],
    ["a valid change next to an assignee outside the inbox", { tags: ["kept-out"], status: "closed", spam: true, assignedToMemberId: "OUTSIDER" }],
  ];
  for (const [what, body] of invalid) {
    it(`rejects ${what} with 400 and changes nothing`, async () => {
      const outsider = await buildMember(ctx, acme.team.id, { name: "Olga", inboxes: [{ inboxId: billing.id }] });
      const before = (await admin.get(THREAD())).body.thread;
      const messages = await admin.get(`${THREAD()}/messages`);
      const [tags, events] = [await countRows(ctx, "tags"), ctx.events.length];
      const payload = JSON.parse(JSON.stringify(body).replace("OUTSIDER", outsider.member.id));
      ctx.clock.advance(60_000);
      const reply = await admin.patch(THREAD(), payload);
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe("validation_failed");
      expect((await admin.get(THREAD())).body.thread).toEqual(before);
      expect((await admin.get(`${THREAD()}/messages`)).body).toEqual(messages.body);
      expect(await countRows(ctx, "tags")).toBe(tags);
      expect(ctx.events.length).toBe(events);
    });
  }
});
