import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InboxRow } from "../../db/schema.js";
import { countRows, startThread, type Api } from "../../../test/conversation-fixtures.js";
import { buildInbox, buildMember, buildTeam, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";

let ctx: TestContext;
let acme: BuiltTeam;
let billing: InboxRow;
let sales: InboxRow;
let admin: Api;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx);
  billing = await buildInbox(ctx, acme.team.id, "Billing");
  sales = await buildInbox(ctx, acme.team.id, "Sales");
  admin = client(ctx.app, { apiKey: acme.apiKey });
});
afterEach(() => ctx.close());

const say = (content: string) => ({ message: { content } });

describe("POST /threads finds or creates the contact", () => {
  it("finds the contact by id", async () => {
    const first = await startThread(admin, { contact: { email: "dana@example.com", name: "Dana" }, ...say("one") });
    const second = await startThread(admin, { contact: { id: first.contactId }, ...say("two") });
    expect(second.contactId).toBe(first.contactId);
    expect(second.contact).toMatchObject({ id: first.contactId, name: "Dana", email: "dana@example.com" });
    expect(await countRows(ctx, "contacts", acme.team.id)).toBe(1);
  });

  it("rejects a contact id that is not the team's with 400 and creates nothing", async () => {
    const other = await buildTeam(ctx, { name: "Globex" });
    const foreign = await startThread(client(ctx.app, { apiKey: other.apiKey }), { contact: { email: "x@globex.test" }, ...say("hi") });
    for (const id of [foreign.contactId, "contact_doesnotexist"]) {
      const reply = await admin.post("/api/support/threads", { contact: { id }, ...say("hello") });
      expect(reply.status).toBe(400);
    }
    expect(await countRows(ctx, "conversations", acme.team.id)).toBe(0);
    expect(await countRows(ctx, "contacts", acme.team.id)).toBe(0);
  });

  it("finds the contact by email whatever its case", async () => {
    const first = await startThread(admin, { contact: { email: "Dana.Scully@Example.com" }, ...say("one") });
    const second = await startThread(admin, { contact: { email: "dana.scully@EXAMPLE.COM", name: "Dana" }, ...say("two") });
    expect(second.contactId).toBe(first.contactId);
    expect(second.contact.email).toBe("dana.scully@example.com");
  });

  it("finds the contact by phone when there is no email match", async () => {
    const first = await startThread(admin, { contact: { phone: "+1 555 0100", name: "Fox" }, ...say("one") });
    const second = await startThread(admin, { contact: { phone: "+1 555 0100", email: "fox@example.com" }, ...say("two") });
    expect(second.contactId).toBe(first.contactId);
    expect(second.contact).toMatchObject({ name: "Fox", phone: "+1 555 0100", email: "fox@example.com" });
  });

  it("prefers the email match over the phone match", async () => {
    const byEmail = await startThread(admin, { contact: { email: "a@example.com" }, ...say("one") });
    await startThread(admin, { contact: { phone: "+44 20 7946 0000" }, ...say("two") });
    const third = await startThread(admin, { contact: { email: "a@example.com", phone: "+44 20 7946 0000" }, ...say("three") });
    expect(third.contactId).toBe(byEmail.contactId);
  });

  it("creates a new contact when nothing matches", async () => {
    const first = await startThread(admin, { contact: { email: "one@example.com" }, ...say("one") });
    const second = await startThread(admin, { contact: { email: "two@example.com", name: "Two", phone: "+1 555 0199" }, ...say("two") });
    expect(second.contactId).not.toBe(first.contactId);
    expect(second.contact).toEqual({ id: second.contactId, name: "Two", email: "two@example.com", phone: "+1 555 0199", blocked: false });
    expect(await countRows(ctx, "contacts", acme.team.id)).toBe(2);
  });
});

describe("POST /threads picks the inbox", () => {
  beforeEach(async () => {
    const rules = [
      { condition: { message: { contains: ["invoice", "refund"] } }, inboxId: billing.id },
      { condition: { userAttribute: { key: "plan", value: "enterprise" } }, inboxId: sales.id },
    ];
    expect((await admin.put("/api/support/routing-rules", { routingRules: rules })).status).toBe(200);
  });

  it("routes by the first message's keywords", async () => {
    expect((await startThread(admin, { contact: { email: "a@example.com" }, ...say("Where is my INVOICE?") })).inboxId).toBe(billing.id);
  });

  it("routes by a contact attribute given with the thread or already on the contact", async () => {
    expect((await startThread(admin, { contact: { email: "b@example.com", attributes: { plan: "enterprise" } }, ...say("Hello") })).inboxId).toBe(sales.id);
    expect((await startThread(admin, { contact: { email: "b@example.com" }, ...say("Hello again") })).inboxId).toBe(sales.id);
  });

  it("applies the first matching rule in order", async () => {
    expect((await startThread(admin, { contact: { email: "c@example.com", attributes: { plan: "enterprise" } }, ...say("refund please") })).inboxId).toBe(billing.id);
  });

  it("falls back to the default inbox when no rule matches", async () => {
    expect((await startThread(admin, { contact: { email: "d@example.com", attributes: { plan: "starter" } }, ...say("Hello") })).inboxId).toBe(acme.inbox.id);
  });

  it("uses an explicit inboxId over the rules", async () => {
    expect((await startThread(admin, { inboxId: sales.id, contact: { email: "e@example.com" }, ...say("my invoice") })).inboxId).toBe(sales.id);
  });

  it("answers 404 for an explicit inbox the member cannot see, or of another team, creating nothing", async () => {
    const agent = await buildMember(ctx, acme.team.id, { inboxes: [{ inboxId: acme.inbox.id }] });
    const other = await buildTeam(ctx, { name: "Globex" });
    const attempts: [Api, string][] = [
      [client(ctx.app, { apiKey: agent.apiKey }), billing.id],
      [admin, other.inbox.id],
      [admin, "inbox_doesnotexist"],
    ];
    for (const [api, inboxId] of attempts) {
      const reply = await api.post("/api/support/threads", { inboxId, contact: { email: "f@example.com" }, ...say("hi") });
      expect(reply.status).toBe(404);
      expect(reply.body.error.code).toBe("not_found");
    }
    expect(await countRows(ctx, "conversations")).toBe(0);
    expect(await countRows(ctx, "contacts")).toBe(0);
    expect(await countRows(ctx, "messages")).toBe(0);
  });
});

describe("the thread POST /threads answers", () => {
  it("carries every field SPEC §3.1 lists", async () => {
    ctx.clock.set("2026-03-02T15:00:00.000Z");
    const reply = await admin.post("/api/support/threads", { subject: "Broken widget", contact: { email: "g@example.com", name: "Gina", phone: "+1 555 0123" }, ...say("It does not load 😢") });
    expect(reply.status).toBe(201);
    expect(Object.keys(reply.body)).toEqual(["thread"]);
    const thread = reply.body.thread;
    expect(thread).toMatchObject({
      id: expect.stringMatching(/^conv_/),
      number: 1,
      inboxId: acme.inbox.id,
      contactId: expect.stringMatching(/^contact_/),
      contact: { id: thread.contactId, name: "Gina", email: "g@example.com", phone: "+1 555 0123", blocked: false },
      channel: "api",
      status: "open",
      assignedToMemberId: null,
      tags: [],
      subject: "Broken widget",
      createdAt: "2026-03-02T15:00:00.000Z",
      updatedAt: "2026-03-02T15:00:00.000Z",
      closedAt: null,
      firstResponseAt: null,
      lastMessageAt: "2026-03-02T15:00:00.000Z",
      lastMessage: { id: expect.stringMatching(/^msg_/), direction: "incoming", preview: "It does not load 😢" },
      unreadCount: 1,
    });
    const messages = (await admin.get(`/api/support/threads/${thread.id}/messages`)).body.messages;
    expect(messages).toEqual([expect.objectContaining({ id: thread.lastMessage.id, direction: "incoming", author: { kind: "contact", id: null, name: null }, content: "It does not load 😢" })]);
    expect((await admin.get(`/api/support/threads/${thread.id}`)).body.thread).toEqual(thread);
  });

  it("numbers conversations 1, 2, 3 per team, independently of other teams", async () => {
    const other = await buildTeam(ctx, { name: "Globex" });
    const globex = client(ctx.app, { apiKey: other.apiKey });
    const numbers: string[] = [];
    for (const [api, who] of [
      [admin, "acme"],
      [globex, "globex"],
      [admin, "acme"],
      [admin, "acme"],
      [globex, "globex"],
    ] as const) {
      numbers.push(`${who}#${(await startThread(api, { contact: { email: "h@example.com" }, ...say("hi") })).number}`);
    }
    expect(numbers).toEqual(["acme#1", "globex#1", "acme#2", "acme#3", "globex#2"]);
  });

  it("rejects blank first messages, unknown fields and a missing contact with 400, creating nothing", async () => {
    const bodies = [
      { contact: { email: "i@example.com" }, ...say("  ") },
      { contact: { email: "i@example.com" }, ...say("x".repeat(20_001)) },
      { contact: { email: "i@example.com" }, ...say("hi"), priority: "high" },
      { contact: { email: "not-an-email" }, ...say("hi") },
      { contact: { email: "i@example.com", nickname: "i" }, ...say("hi") },
      say("hi"),
    ];
    for (const body of bodies) {
      expect((await admin.post("/api/support/threads", body)).status, JSON.stringify(body).slice(0, 80)).toBe(400);
    }
    expect(await countRows(ctx, "conversations")).toBe(0);
    expect(await countRows(ctx, "contacts")).toBe(0);
  });
});
