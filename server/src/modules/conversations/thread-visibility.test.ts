import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InboxRow } from "../../db/schema.js";
import { countRows, listAll, postMessage, startThread, type Api } from "../../../test/conversation-fixtures.js";
import { buildInbox, buildMember, buildTeam, type BuiltMember, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";

let ctx: TestContext;
let acme: BuiltTeam;
let billing: InboxRow;
let alice: BuiltMember;
let carol: BuiltMember;
let admin: Api;
let threadId: string;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx);
  billing = await buildInbox(ctx, acme.team.id, "Billing");
  alice = await buildMember(ctx, acme.team.id, { name: "Alice Johnson", inboxes: [{ inboxId: acme.inbox.id }] });
  carol = await buildMember(ctx, acme.team.id, { name: "Carol White", inboxes: [{ inboxId: billing.id }] });
  admin = client(ctx.app, { apiKey: acme.apiKey });
  threadId = (await startThread(admin, { contact: { email: "dana@example.com" }, message: { content: "Secret order details" } })).id;
  await postMessage(admin, threadId, { content: "internal: refund approved", private: true });
});
afterEach(() => ctx.close());

/** Every endpoint that names one conversation, under both resource names. */
function endpoints(id: string): [string, (api: Api) => Promise<{ status: number; body: any }>][] {
  const out: [string, (api: Api) => Promise<{ status: number; body: any }>][] = [];
  for (const base of ["/api/support/threads", "/api/support/conversations"]) {
    out.push(
      [`GET ${base}/:id`, (api) => api.get(`${base}/${id}`)],
      [`PATCH ${base}/:id`, (api) => api.patch(`${base}/${id}`, { status: "closed", tags: ["leak"] })],
      [`PATCH ${base}/:id (assign)`, (api) => api.patch(`${base}/${id}`, { assignedToMemberId: null })],
      [`GET ${base}/:id/messages`, (api) => api.get(`${base}/${id}/messages`)],
      [`POST ${base}/:id/messages`, (api) => api.post(`${base}/${id}/messages`, { content: "hello" })],
      [`POST ${base}/:id/messages (note)`, (api) => api.post(`${base}/${id}/messages`, { content: "hello", private: true })],
      [`POST ${base}/:id/read`, (api) => api.post(`${base}/${id}/read`)],
    );
  }
  return out;
}

async function snapshot() {
  return {
    thread: (await admin.get(`/api/support/threads/${threadId}`)).body.thread,
    messages: await countRows(ctx, "messages"),
    tags: await countRows(ctx, "tags"),
    reads: (await ctx.database.db.selectFrom("conversation_reads").selectAll().execute()).length,
    events: ctx.events.length,
  };
}

describe("a member outside the conversation's inbox", () => {
  it("gets 404 not_found from every endpoint and changes nothing", async () => {
    const asCarol = client(ctx.app, { apiKey: carol.apiKey });
    const before = await snapshot();
    for (const [name, call] of endpoints(threadId)) {
      const reply = await call(asCarol);
      expect(reply.status, name).toBe(404);
      expect(reply.body.error.code, name).toBe("not_found");
      expect(JSON.stringify(reply.body), name).not.toContain("Secret");
    }
    expect(await snapshot()).toEqual(before);
  });

  it("answers exactly like for a conversation that does not exist", async () => {
    const asCarol = client(ctx.app, { apiKey: carol.apiKey });
    const hidden = await asCarol.get(`/api/support/threads/${threadId}`);
    const missing = await asCarol.get("/api/support/threads/conv_doesnotexist0000");
    expect(hidden.body).toEqual(missing.body);
  });

  it("never sees it in any view, filter or count", async () => {
    const asCarol = client(ctx.app, { apiKey: carol.apiKey });
    const billingThread = await startThread(admin, { inboxId: billing.id, contact: { email: "eve@example.com" }, message: { content: "billing" } });
    for (const view of ["unassigned", "mine", "open", "automated", "all", "closed", "spam", "default", "archived", ""]) {
      const ids = (await listAll(asCarol, `inboxView=${view}`)).map((t) => t.id);
      expect(ids, view).not.toContain(threadId);
    }
    expect((await listAll(asCarol, "")).map((t) => t.id)).toEqual([billingThread.id]);
    expect(await listAll(asCarol, `filter[inboxIds][0]=${acme.inbox.id}`)).toEqual([]);
    expect(await listAll(asCarol, `filter[contactId]=${(await admin.get(`/api/support/threads/${threadId}`)).body.thread.contactId}`)).toEqual([]);
    expect((await asCarol.get("/api/support/conversations/counts")).body.data).toMatchObject({ unassigned: 1, open: 1, all: 1 });
    expect((await asCarol.get(`/api/support/conversations/counts?inboxId=${acme.inbox.id}`)).body.data).toMatchObject({ unassigned: 0, open: 0, all: 0 });
  });

  it("loses sight of a conversation transferred out of their inbox and gains one transferred in", async () => {
    const asAlice = client(ctx.app, { apiKey: alice.apiKey });
    const asCarol = client(ctx.app, { apiKey: carol.apiKey });
    expect((await asAlice.get(`/api/support/threads/${threadId}`)).status).toBe(200);
    expect((await admin.patch(`/api/support/threads/${threadId}`, { inboxId: billing.id })).status).toBe(200);
    expect((await asAlice.get(`/api/support/threads/${threadId}`)).status).toBe(404);
    expect((await asCarol.get(`/api/support/threads/${threadId}`)).status).toBe(200);
    expect((await asAlice.get("/api/support/conversations/counts")).body.data.all).toBe(0);
  });
});

describe("another team", () => {
  it("gets 404 for every team A conversation id on every endpoint and changes nothing", async () => {
    const globex = await buildTeam(ctx, { name: "Globex" });
    const asGlobex = client(ctx.app, { apiKey: globex.apiKey });
    const before = await snapshot();
    for (const [name, call] of endpoints(threadId)) {
      const reply = await call(asGlobex);
      expect(reply.status, name).toBe(404);
      expect(JSON.stringify(reply.body), name).not.toContain("Secret");
    }
    expect(await snapshot()).toEqual(before);
  });

  it("never sees team A's conversations in lists or counts, even filtering by team A's ids", async () => {
    const globex = await buildTeam(ctx, { name: "Globex" });
    const asGlobex = client(ctx.app, { apiKey: globex.apiKey });
    const contactId = (await admin.get(`/api/support/threads/${threadId}`)).body.thread.contactId;
    for (const query of ["", "inboxView=spam", `filter[inboxIds][0]=${acme.inbox.id}`, `filter[contactId]=${contactId}`, `filter[assignedToMemberIds][0]=${acme.owner.id}`]) {
      expect(await listAll(asGlobex, query), query).toEqual([]);
    }
    expect((await asGlobex.get("/api/support/conversations/counts")).body.data).toMatchObject({ all: 0, open: 0, unassigned: 0, spam: 0 });
    expect((await asGlobex.get(`/api/support/conversations/counts?inboxId=${acme.inbox.id}`)).body.data).toMatchObject({ all: 0, open: 0 });
  });

  it("cannot move its own conversation into team A's inbox or assign it to team A's member", async () => {
    const globex = await buildTeam(ctx, { name: "Globex" });
    const asGlobex = client(ctx.app, { apiKey: globex.apiKey });
    const theirs = await startThread(asGlobex, { contact: { email: "z@globex.test" }, message: { content: "hi" } });
    expect((await asGlobex.patch(`/api/support/threads/${theirs.id}`, { inboxId: acme.inbox.id })).status).toBe(404);
    expect((await asGlobex.patch(`/api/support/threads/${theirs.id}`, { assignedToMemberId: alice.member.id })).status).toBe(400);
    expect((await admin.get("/api/support/conversations/counts")).body.data.all).toBe(1);
  });
});

describe("notes", () => {
  it("are flagged private in every listing, replies and contact messages are not", async () => {
    await postMessage(admin, threadId, { content: "public reply" });
    await postMessage(admin, threadId, { content: "contact again", direction: "incoming" });
    const messages = (await admin.get(`/api/support/threads/${threadId}/messages`)).body.messages;
    const flags = messages.map((m: { direction: string; private: boolean; content: string }) => [m.content, m.direction, m.private]);
    expect(flags).toEqual([
      ["Secret order details", "incoming", false],
      ["internal: refund approved", "note", true],
      ["Jane Smith replied and took this conversation", "activity", false],
      ["public reply", "outgoing", false],
      ["contact again", "incoming", false],
    ]);
  });

  it("are shown to every member of the inbox, not only their author", async () => {
    const notes = (await client(ctx.app, { apiKey: alice.apiKey }).get(`/api/support/threads/${threadId}/messages`)).body.messages.filter((m: { private: boolean }) => m.private);
    expect(notes.map((m: { content: string }) => m.content)).toEqual(["internal: refund approved"]);
  });

  it("are marked as notes (direction note) when they are the last-message preview", async () => {
    const thread = (await admin.get(`/api/support/threads/${threadId}`)).body.thread;
    expect(thread.lastMessage).toMatchObject({ direction: "note", preview: "internal: refund approved" });
  });
});
