import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InboxRow } from "../../db/schema.js";
import { buildInbox, buildMember, buildTeam, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";

let ctx: TestContext;
let acme: BuiltTeam;
let sales: InboxRow;
let billing: InboxRow;
let api: ReturnType<typeof client>;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx, { name: "Acme Corp" });
  sales = await buildInbox(ctx, acme.team.id, "Sales");
  billing = await buildInbox(ctx, acme.team.id, "Billing");
  api = client(ctx.app, { apiKey: acme.apiKey });
});
afterEach(() => ctx.close());

const T0 = "2026-03-02T15:00:00.000Z";
const CONV_ID = /^conv_[A-Za-z0-9]{16}$/;

interface HistoryLine {
  id: string;
  inboxId: string;
  startedAt: string;
}

async function startThread(inboxId: string, subject?: string, email = "alice@example.com"): Promise<{ id: string; number: number; contactId: string }> {
  const reply = await api.post("/api/support/threads", { inboxId, ...(subject ? { subject } : {}), contact: { email }, message: { content: "Hello" } });
  expect(reply.status).toBe(201);
  return reply.body.thread;
}

const historyPath = (contactId: string, query = "") => `/api/support/contacts/${contactId}/conversations${query ? `?${query}` : ""}`;

async function history(contactId: string, caller = api, query = ""): Promise<{ data: HistoryLine[]; nextCursor: string | null }> {
  const reply = await caller.get(historyPath(contactId, query));
  expect(reply.status).toBe(200);
  return reply.body;
}

describe("GET /api/support/contacts/:id/conversations", () => {
  it("lists the contact's conversations newest first in the exact shape, with duration for closed ones", async () => {
    const first = await startThread(acme.inbox.id, "Order #1");
    ctx.clock.advance(90_000);
    await api.patch(`/api/support/threads/${first.id}`, { status: "closed" });
    ctx.clock.advance(60_000);
    const second = await startThread(sales.id);
    await startThread(billing.id, undefined, "someone-else@example.com");

    const body = await history(first.contactId);
    expect(body).toEqual({
      data: [
        { id: expect.stringMatching(CONV_ID), number: second.number, inboxId: sales.id, channel: "api", status: "open", subject: null, startedAt: "2026-03-02T15:02:30.000Z", endedAt: null, durationSeconds: null, lastMessageAt: "2026-03-02T15:02:30.000Z" },
        { id: first.id, number: first.number, inboxId: acme.inbox.id, channel: "api", status: "closed", subject: "Order #1", startedAt: T0, endedAt: "2026-03-02T15:01:30.000Z", durationSeconds: 90, lastMessageAt: T0 },
      ],
      nextCursor: null,
    });
    expect(body.data[0]?.id).toBe(second.id);
  });

  it("drops the end and duration when a closed conversation is reopened", async () => {
    const conversation = await startThread(acme.inbox.id);
    ctx.clock.advance(30_000);
    await api.patch(`/api/support/threads/${conversation.id}`, { status: "closed" });
    ctx.clock.advance(30_000);
    await api.post(`/api/support/threads/${conversation.id}/messages`, { content: "It broke again", direction: "incoming" });
    const line = (await history(conversation.contactId)).data.find((entry) => entry.id === conversation.id);
    expect(line).toMatchObject({ status: "open", endedAt: null, durationSeconds: null, lastMessageAt: "2026-03-02T15:01:00.000Z" });
  });

  it("keeps spam conversations in a blocked contact's history", async () => {
    const conversation = await startThread(acme.inbox.id);
    await api.post(`/api/support/contacts/${conversation.contactId}/block`);
    expect((await history(conversation.contactId)).data.map((line) => line.id)).toEqual([conversation.id]);
  });

  it("answers an empty page for a contact without conversations", async () => {
    const contact = (await api.post("/api/support/contacts", { name: "New" })).body.data;
    expect(await history(contact.id)).toEqual({ data: [], nextCursor: null });
  });

  it("answers 404 for a contact that does not exist", async () => {
    const reply = await api.get(historyPath("contact_doesnotexist0000"));
    expect(reply.status).toBe(404);
    expect(reply.body.error.code).toBe("not_found");
  });
});

describe("GET /api/support/contacts/:id/conversations visibility", () => {
  it("shows a member only the conversations of inboxes they belong to", async () => {
    const inSupport = await startThread(acme.inbox.id);
    ctx.clock.advance(1000);
    const inSales = await startThread(sales.id);
    ctx.clock.advance(1000);
    await startThread(billing.id);
    const { apiKey } = await buildMember(ctx, acme.team.id, { inboxes: [{ inboxId: sales.id }, { inboxId: acme.inbox.id }] });
    const member = client(ctx.app, { apiKey });
    expect((await history(inSupport.contactId, member)).data.map((line) => line.id)).toEqual([inSales.id, inSupport.id]);
    expect((await api.get(historyPath(inSupport.contactId))).body.data).toHaveLength(3);
  });

  it("shows a member of no inbox the contact but none of their conversations", async () => {
    const conversation = await startThread(billing.id);
    const { apiKey } = await buildMember(ctx, acme.team.id);
    const member = client(ctx.app, { apiKey });
    expect((await member.get(`/api/support/contacts/${conversation.contactId}`)).status).toBe(200);
    expect(await history(conversation.contactId, member)).toEqual({ data: [], nextCursor: null });
  });

  it("shows team admins every inbox's conversations", async () => {
    const conversation = await startThread(billing.id);
    const { apiKey } = await buildMember(ctx, acme.team.id, { role: "admin" });
    expect((await history(conversation.contactId, client(ctx.app, { apiKey }))).data.map((line) => line.id)).toEqual([conversation.id]);
  });
});

describe("GET /api/support/contacts/:id/conversations pagination", () => {
  /** Walks every page; fails on a page that repeats an id. */
  async function walk(contactId: string, limit: number, caller = api): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 50; page += 1) {
      const body = await history(contactId, caller, `limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
      expect(body.data.length).toBeLessThanOrEqual(limit);
      ids.push(...body.data.map((line) => line.id));
      cursor = body.nextCursor;
      if (cursor === null) {
        break;
      }
    }
    expect(new Set(ids).size).toBe(ids.length);
    return ids;
  }

  it("walks every conversation once, also when several started in the same millisecond", async () => {
    let contactId = "";
    for (let i = 0; i < 11; i += 1) {
      if (i % 4 === 0) {
        ctx.clock.advance(60_000);
      }
      contactId = (await startThread([acme.inbox.id, sales.id, billing.id][i % 3] ?? acme.inbox.id)).contactId;
    }
    const all = (await history(contactId, api, "limit=100")).data;
    expect(all).toHaveLength(11);
    const started = all.map((line) => Date.parse(line.startedAt));
    expect(started).toEqual([...started].sort((a, b) => b - a));
    for (const limit of [1, 2, 4, 11]) {
      expect(await walk(contactId, limit)).toEqual(all.map((line) => line.id));
    }
    const first = await history(contactId);
    expect(first.data).toHaveLength(11);
    expect(first.nextCursor).toBeNull();
  });

  it("pages through only the visible conversations for a member", async () => {
    let contactId = "";
    for (let i = 0; i < 9; i += 1) {
      ctx.clock.advance(1000);
      contactId = (await startThread(i % 3 === 0 ? sales.id : billing.id)).contactId;
    }
    const { apiKey } = await buildMember(ctx, acme.team.id, { inboxes: [{ inboxId: sales.id }] });
    const member = client(ctx.app, { apiKey });
    const ids = await walk(contactId, 2, member);
    expect(ids).toHaveLength(3);
    const all = (await history(contactId, api, "limit=100")).data;
    expect(ids).toEqual(all.filter((line) => line.inboxId === sales.id).map((line) => line.id));
  });
});
