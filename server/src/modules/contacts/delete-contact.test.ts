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

const eventsNamed = (name: string) => ctx.events.filter((event) => event.name === name);

async function startThread(email: string, content = "Hello"): Promise<{ id: string; contactId: string }> {
  const reply = await api.post("/api/support/threads", { contact: { email }, message: { content } });
  expect(reply.status).toBe(201);
  return reply.body.thread;
}

async function counts(): Promise<Record<string, number>> {
  return (await api.get("/api/support/conversations/counts")).body.data;
}

async function messagesOf(conversationIds: string[]): Promise<number> {
  const row = await ctx.database.db.selectFrom("messages").select((eb) => eb.fn.countAll<number>().as("n")).where("conversation_id", "in", conversationIds).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe("DELETE /api/support/contacts/:id", () => {
  it("deletes the contact with every conversation and message of theirs and answers the contact as it was", async () => {
    const first = await startThread("leaving@example.com");
    const second = await startThread("leaving@example.com", "Second");
    await api.post(`/api/support/threads/${second.id}/messages`, { content: "Our answer" });
    const kept = await startThread("staying@example.com");
    const contact = (await api.patch(`${CONTACTS}/${first.contactId}`, { name: "Leaving", tags: ["Churned"] })).body.data;
    expect(await messagesOf([first.id, second.id])).toBeGreaterThan(0);

    const reply = await api.delete(`${CONTACTS}/${first.contactId}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ data: contact });
    expect((await api.get(`${CONTACTS}/${first.contactId}`)).status).toBe(404);
    for (const id of [first.id, second.id]) {
      expect((await api.get(`/api/support/threads/${id}`)).status).toBe(404);
    }
    expect(await messagesOf([first.id, second.id])).toBe(0);
    expect((await api.get(`/api/support/threads/${kept.id}`)).status).toBe(200);
    expect((await api.get(CONTACTS)).body.data.map((c: { email: string }) => c.email)).toEqual(["staying@example.com"]);
    const threads = (await api.get("/api/support/threads")).body.threads.map((t: { id: string }) => t.id);
    expect(threads).toEqual([kept.id]);
  });

  it("takes the deleted conversations out of every view count", async () => {
    const open = await startThread("leaving@example.com");
    const mine = await startThread("leaving@example.com", "Assigned");
    await api.patch(`/api/support/threads/${mine.id}`, { assignedToMemberId: acme.owner.id });
    const closed = await startThread("leaving@example.com", "Closed");
    await api.patch(`/api/support/threads/${closed.id}`, { status: "closed" });
    const pending = await startThread("leaving@example.com", "Pending");
    await api.patch(`/api/support/threads/${pending.id}`, { status: "pending" });
    await startThread("staying@example.com");
    expect(await counts()).toMatchObject({ unassigned: 2, mine: 1, open: 3, closed: 1, pending: 1, all: 5 });

    await api.delete(`${CONTACTS}/${open.contactId}`);
    expect(await counts()).toEqual({ unassigned: 1, mine: 0, open: 1, automated: 0, all: 1, closed: 0, spam: 0, pending: 0, snoozed: 0 });
  });

  it("takes a blocked contact's conversations out of the Spam count", async () => {
    const conversation = await startThread("spammer@example.com");
    await api.post(`${CONTACTS}/${conversation.contactId}/block`);
    await startThread("spammer@example.com", "More");
    expect((await counts()).spam).toBe(2);
    await api.delete(`${CONTACTS}/${conversation.contactId}`);
    expect((await counts()).spam).toBe(0);
  });

  it("cancels the wake-up of a snoozed conversation it deletes", async () => {
    const conversation = await startThread("leaving@example.com");
    await api.patch(`/api/support/threads/${conversation.id}`, { status: "snoozed", snoozedUntil: "2026-03-03T09:00:00.000Z" });
    expect((await counts()).snoozed).toBe(1);
    await api.delete(`${CONTACTS}/${conversation.contactId}`);
    expect((await counts()).snoozed).toBe(0);
    const pending = await ctx.database.db.selectFrom("jobs").select("id").where("dedupe_key", "=", `wake:${conversation.id}`).where("finished_at", "is", null).execute();
    expect(pending).toEqual([]);
  });

  it("deletes a contact without conversations, leaving its tags to the team", async () => {
    const contact = (await api.post(CONTACTS, { name: "Solo", tags: ["Lead"] })).body.data;
    expect((await api.delete(`${CONTACTS}/${contact.id}`)).body).toEqual({ data: contact });
    expect((await api.get("/api/support/tags")).body.data.map((tag: { name: string }) => tag.name)).toEqual(["Lead"]);
    expect((await api.get(`${CONTACTS}?tag=lead`)).body.data).toEqual([]);
  });

  it("records conversation.deleted for each conversation and contact.deleted", async () => {
    const first = await startThread("leaving@example.com");
    ctx.clock.advance(1000);
    const second = await startThread("leaving@example.com", "Again");
    const reply = await api.delete(`${CONTACTS}/${first.contactId}`);
    expect(eventsNamed("conversation.deleted").map((event) => [event.inboxId, event.payload.conversationId])).toEqual([
      [acme.inbox.id, first.id],
      [acme.inbox.id, second.id],
    ]);
    expect(eventsNamed("conversation.deleted")[0]?.payload).toMatchObject({ contactId: first.contactId, counts: { before: { inbox_id: acme.inbox.id, bucket: "unassigned" }, after: null } });
    expect(eventsNamed("contact.deleted")).toEqual([expect.objectContaining({ teamId: acme.team.id, payload: { contact: reply.body.data, conversationsDeleted: 2, actorId: acme.owner.id } })]);
  });

  it("answers 404 for a contact that does not exist or is already deleted", async () => {
    const contact = (await api.post(CONTACTS, { name: "Once" })).body.data;
    expect((await api.delete(`${CONTACTS}/${contact.id}`)).status).toBe(200);
    const again = await api.delete(`${CONTACTS}/${contact.id}`);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe("not_found");
  });
});

describe("DELETE /api/support/contacts/:id roles", () => {
  it("refuses a plain member with 403 and deletes nothing", async () => {
    const conversation = await startThread("keep@example.com");
    const { apiKey } = await buildMember(ctx, acme.team.id, { inboxes: [{ inboxId: acme.inbox.id, role: "admin" }] });
    const reply = await client(ctx.app, { apiKey }).delete(`${CONTACTS}/${conversation.contactId}`);
    expect(reply.status).toBe(403);
    expect(reply.body.error.code).toBe("forbidden");
    expect((await api.get(`${CONTACTS}/${conversation.contactId}`)).status).toBe(200);
    expect((await api.get(`/api/support/threads/${conversation.id}`)).status).toBe(200);
    expect((await counts()).unassigned).toBe(1);
    expect(eventsNamed("contact.deleted")).toEqual([]);
  });

  it("lets a team admin delete", async () => {
    const contact = (await api.post(CONTACTS, { name: "Gone" })).body.data;
    const { apiKey } = await buildMember(ctx, acme.team.id, { role: "admin" });
    expect((await client(ctx.app, { apiKey }).delete(`${CONTACTS}/${contact.id}`)).status).toBe(200);
  });
});
