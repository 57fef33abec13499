import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildMember, buildTeam, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";

let ctx: TestContext;
let acme: BuiltTeam;
let api: ReturnType<typeof client>;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx, { name: "Acme Corp" });
  api = client(ctx.app, { apiKey: acme.apiKey });
});
afterEach(() => ctx.close());

const CONTACTS = "/api/support/contacts";
const T1 = "2026-03-02T15:05:00.000Z";

const eventsNamed = (name: string) => ctx.events.filter((event) => event.name === name);

async function startThread(email: string, content = "Buy cheap watches"): Promise<{ id: string; contactId: string; spam: boolean }> {
  const reply = await api.post("/api/support/threads", { contact: { email }, message: { content } });
  expect(reply.status).toBe(201);
  return reply.body.thread;
}

async function counts(caller = api): Promise<Record<string, number>> {
  const reply = await caller.get("/api/support/conversations/counts");
  expect(reply.status).toBe(200);
  return reply.body.data;
}

async function thread(id: string) {
  return (await api.get(`/api/support/threads/${id}`)).body.thread;
}

async function activityLines(id: string): Promise<{ content: string; author: unknown }[]> {
  const messages: { direction: string; content: string; author: unknown }[] = (await api.get(`/api/support/threads/${id}/messages`)).body.messages;
  return messages.filter((message) => message.direction === "activity").map(({ content, author }) => ({ content, author }));
}

describe("POST /api/support/contacts/:id/block", () => {
  it("blocks the contact and moves every conversation of theirs to Spam, the counts following", async () => {
    const first = await startThread("spammer@example.com");
    const second = await startThread("spammer@example.com", "Again");
    const closed = await startThread("spammer@example.com", "Third");
    await api.patch(`/api/support/threads/${closed.id}`, { status: "closed" });
    const bystander = await startThread("customer@example.com", "A real question");
    expect(await counts()).toMatchObject({ unassigned: 3, closed: 1, spam: 0, all: 4 });

    ctx.clock.set(T1);
    const reply = await api.post(`${CONTACTS}/${first.contactId}/block`);
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({ id: first.contactId, email: "spammer@example.com", blocked: true, updatedAt: T1 });
    expect(Object.keys(reply.body)).toEqual(["data"]);
    expect(await counts()).toMatchObject({ unassigned: 1, closed: 0, spam: 3, all: 1 });
    for (const id of [first.id, second.id, closed.id]) {
      expect(await thread(id)).toMatchObject({ spam: true, contact: { blocked: true } });
    }
    expect((await thread(bystander.id)).spam).toBe(false);
    const spamView = (await api.get("/api/support/threads?inboxView=spam")).body.threads.map((t: { id: string }) => t.id);
    expect(spamView.sort()).toEqual([first.id, second.id, closed.id].sort());
  });

  it("writes an activity line naming who blocked in each conversation", async () => {
    const conversation = await startThread("spammer@example.com");
    await api.post(`${CONTACTS}/${conversation.contactId}/block`);
    expect(await activityLines(conversation.id)).toEqual([{ content: "Jane Smith blocked this contact", author: { kind: "member", id: acme.owner.id, name: "Jane Smith" } }]);
  });

  it("takes an assigned conversation out of its assignee's Mine count", async () => {
    const conversation = await startThread("spammer@example.com");
    await api.patch(`/api/support/threads/${conversation.id}`, { assignedToMemberId: acme.owner.id });
    expect(await counts()).toMatchObject({ mine: 1, unassigned: 0 });
    await api.post(`${CONTACTS}/${conversation.contactId}/block`);
    expect(await counts()).toMatchObject({ mine: 0, open: 0, spam: 1 });
  });

  it("records contact.blocked once, with how many conversations moved", async () => {
    const conversation = await startThread("spammer@example.com");
    const reply = await api.post(`${CONTACTS}/${conversation.contactId}/block`);
    expect(eventsNamed("contact.blocked")).toEqual([expect.objectContaining({ teamId: acme.team.id, payload: { contact: reply.body.data, conversationsMoved: 1, actorId: acme.owner.id } })]);
    expect(eventsNamed("conversation.updated").at(-1)).toMatchObject({ payload: { changed: expect.arrayContaining(["spam"]), conversation: { id: conversation.id, spam: true, bucket: "spam" } } });
  });

  it("sends a blocked contact's new conversation straight to Spam", async () => {
    const conversation = await startThread("spammer@example.com");
    await api.post(`${CONTACTS}/${conversation.contactId}/block`);
    const before = await counts();
    const next = await startThread("spammer@example.com", "I am back");
    expect(next).toMatchObject({ contactId: conversation.contactId, spam: true });
    expect(await counts()).toEqual({ ...before, spam: (before.spam ?? 0) + 1 });
  });

  it("blocks a contact made by hand that has no conversations yet", async () => {
    const contact = (await api.post(CONTACTS, { email: "later@example.com" })).body.data;
    expect((await api.post(`${CONTACTS}/${contact.id}/block`)).body.data.blocked).toBe(true);
    expect((await startThread("later@example.com")).spam).toBe(true);
    expect(await counts()).toMatchObject({ spam: 1, unassigned: 0 });
  });

  it("does nothing new when blocking twice, but sweeps a conversation marked not spam meanwhile", async () => {
    const conversation = await startThread("spammer@example.com");
    await api.post(`${CONTACTS}/${conversation.contactId}/block`);
    const again = await api.post(`${CONTACTS}/${conversation.contactId}/block`);
    expect(again.status).toBe(200);
    expect(eventsNamed("contact.blocked")).toHaveLength(1);
    expect(await activityLines(conversation.id)).toHaveLength(1);

    await api.patch(`/api/support/threads/${conversation.id}`, { spam: false });
    expect(await counts()).toMatchObject({ spam: 0, unassigned: 1 });
    await api.post(`${CONTACTS}/${conversation.contactId}/block`);
    expect(await counts()).toMatchObject({ spam: 1, unassigned: 0 });
    expect(eventsNamed("contact.blocked")).toHaveLength(1);
  });

  it("lets a plain member block, even one in no inbox", async () => {
    const conversation = await startThread("spammer@example.com");
    const { apiKey } = await buildMember(ctx, acme.team.id, { name: "Bob Agent" });
    const reply = await client(ctx.app, { apiKey }).post(`${CONTACTS}/${conversation.contactId}/block`);
    expect(reply.status).toBe(200);
    expect((await activityLines(conversation.id))[0]?.content).toBe("Bob Agent blocked this contact");
  });

  it("answers 404 for a contact that does not exist", async () => {
    const reply = await api.post(`${CONTACTS}/contact_doesnotexist0000/block`);
    expect(reply.status).toBe(404);
    expect(reply.body.error.code).toBe("not_found");
  });

  it("takes an empty body or none, and rejects unknown fields without blocking", async () => {
    const contact = (await api.post(CONTACTS, { name: "Quiet" })).body.data;
    const unknown = await api.post(`${CONTACTS}/${contact.id}/block`, { reason: "spam" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: "validation_failed", details: [{ path: "reason" }] });
    expect((await api.get(`${CONTACTS}/${contact.id}`)).body.data.blocked).toBe(false);
    const bare = await ctx.app.inject({ method: "POST", url: `${CONTACTS}/${contact.id}/block`, headers: { "x-api-key": acme.apiKey } });
    expect(bare.statusCode).toBe(200);
    expect((await api.post(`${CONTACTS}/${contact.id}/unblock`, {})).status).toBe(200);
  });
});

describe("POST /api/support/contacts/:id/unblock", () => {
  it("unblocks and takes the contact's conversations out of Spam, restoring the counts", async () => {
    const first = await startThread("spammer@example.com");
    const closed = await startThread("spammer@example.com", "Another");
    await api.patch(`/api/support/threads/${closed.id}`, { status: "closed" });
    const before = await counts();
    await api.post(`${CONTACTS}/${first.contactId}/block`);
    expect(await counts()).not.toEqual(before);

    const reply = await api.post(`${CONTACTS}/${first.contactId}/unblock`);
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({ id: first.contactId, blocked: false });
    expect(await counts()).toEqual(before);
    expect(await thread(first.id)).toMatchObject({ spam: false, status: "open" });
    expect(await thread(closed.id)).toMatchObject({ spam: false, status: "closed" });
    expect((await activityLines(first.id)).map((line) => line.content)).toEqual(["Jane Smith blocked this contact", "Jane Smith unblocked this contact"]);
    expect(eventsNamed("contact.unblocked")).toEqual([expect.objectContaining({ payload: { contact: reply.body.data, conversationsMoved: 2, actorId: acme.owner.id } })]);
  });

  it("lets the contact's next conversation start outside Spam again", async () => {
    const first = await startThread("spammer@example.com");
    await api.post(`${CONTACTS}/${first.contactId}/block`);
    await api.post(`${CONTACTS}/${first.contactId}/unblock`);
    expect((await startThread("spammer@example.com", "Sorry")).spam).toBe(false);
  });

  it("leaves a contact that is not blocked, and its conversations marked spam by hand, as they are", async () => {
    const conversation = await startThread("customer@example.com");
    await api.patch(`/api/support/threads/${conversation.id}`, { spam: true });
    const reply = await api.post(`${CONTACTS}/${conversation.contactId}/unblock`);
    expect(reply.status).toBe(200);
    expect(reply.body.data.blocked).toBe(false);
    expect((await thread(conversation.id)).spam).toBe(true);
    expect(eventsNamed("contact.unblocked")).toEqual([]);
  });

  it("lets a plain member unblock", async () => {
    const conversation = await startThread("spammer@example.com");
    await api.post(`${CONTACTS}/${conversation.contactId}/block`);
    const { apiKey } = await buildMember(ctx, acme.team.id);
    expect((await client(ctx.app, { apiKey }).post(`${CONTACTS}/${conversation.contactId}/unblock`)).status).toBe(200);
    expect((await thread(conversation.id)).spam).toBe(false);
  });

  it("answers 404 for a contact that does not exist", async () => {
    expect((await api.post(`${CONTACTS}/contact_doesnotexist0000/unblock`)).status).toBe(404);
  });
});
