import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { countRows, startThread, type Api } from "../../../test/conversation-fixtures.js";
import { buildMember, buildTeam, type BuiltMember, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";

let ctx: TestContext;
let acme: BuiltTeam;
let alice: BuiltMember;
let admin: Api;
let asAlice: Api;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx);
  alice = await buildMember(ctx, acme.team.id, { name: "Alice Johnson", inboxes: [{ inboxId: acme.inbox.id }] });
  admin = client(ctx.app, { apiKey: acme.apiKey });
  asAlice = client(ctx.app, { apiKey: alice.apiKey });
});
afterEach(() => ctx.close());

const THREADS = "/api/support/threads";
const newThread = { subject: "Order", contact: { email: "dana@example.com", name: "Dana" }, message: { content: "Where is my order?" } };
const key = (value: string) => ({ "idempotency-key": value });

async function rows() {
  return { conversations: await countRows(ctx, "conversations"), messages: await countRows(ctx, "messages"), contacts: await countRows(ctx, "contacts") };
}

describe("Idempotency-Key on POST /threads", () => {
  it("answers a retry with the same response, marked replayed, and creates nothing more", async () => {
    const first = await admin.post(THREADS, newThread, key("order-1"));
    expect(first.status).toBe(201);
    expect(first.headers["idempotent-replayed"]).toBe("false");
    const after = await rows();
    expect(after).toEqual({ conversations: 1, messages: 1, contacts: 1 });

    ctx.clock.advance(60_000);
    const retry = await admin.post(THREADS, newThread, key("order-1"));
    expect(retry.status).toBe(201);
    expect(retry.headers["idempotent-replayed"]).toBe("true");
    expect(retry.body).toEqual(first.body);
    expect(await rows()).toEqual(after);
  });

  it("creates a conversation per request without a key", async () => {
    await admin.post(THREADS, newThread);
    await admin.post(THREADS, newThread);
    expect((await rows()).conversations).toBe(2);
  });

  it("answers 409 idempotency_key_reused for the same key with a different body, creating nothing", async () => {
    await admin.post(THREADS, newThread, key("order-1"));
    const before = await rows();
    const reply = await admin.post(THREADS, { ...newThread, message: { content: "Something else" } }, key("order-1"));
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe("idempotency_key_reused");
    expect(await rows()).toEqual(before);
  });

  it("treats the same key from another member as a different request", async () => {
    const mine = await admin.post(THREADS, newThread, key("shared"));
    const theirs = await asAlice.post(THREADS, newThread, key("shared"));
    expect(theirs.status).toBe(201);
    expect(theirs.headers["idempotent-replayed"]).toBe("false");
    expect(theirs.body.thread.id).not.toBe(mine.body.thread.id);
    expect((await rows()).conversations).toBe(2);
  });

  it("creates exactly one conversation for five concurrent requests with one key", async () => {
    const replies = await Promise.all(Array.from({ length: 5 }, () => admin.post(THREADS, newThread, key("burst"))));
    expect(replies.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(replies.map((r) => r.body.thread.id)).size).toBe(1);
    expect(replies.filter((r) => r.headers["idempotent-replayed"] === "false")).toHaveLength(1);
    expect(await rows()).toEqual({ conversations: 1, messages: 1, contacts: 1 });
    expect(await countRows(ctx, "idempotency_keys")).toBe(1);
  });

  it("does not keep the key of a request that failed, so a corrected retry works", async () => {
    const bad = await admin.post(THREADS, { ...newThread, message: { content: "  " } }, key("fix-me"));
    expect(bad.status).toBe(400);
    expect(await countRows(ctx, "idempotency_keys")).toBe(0);
    const good = await admin.post(THREADS, newThread, key("fix-me"));
    expect(good.status).toBe(201);
    expect(good.headers["idempotent-replayed"]).toBe("false");
    expect((await rows()).conversations).toBe(1);
  });
});

describe("Idempotency-Key on POST /threads/:id/messages", () => {
  let threadId: string;
  beforeEach(async () => {
    threadId = (await startThread(admin, newThread)).id;
  });
  const MESSAGES = () => `/api/support/threads/${threadId}/messages`;

  it("answers a retry with the same message, marked replayed, and writes nothing more", async () => {
    const first = await asAlice.post(MESSAGES(), { content: "On it" }, key("reply-1"));
    expect(first.status).toBe(201);
    expect(first.headers["idempotent-replayed"]).toBe("false");
    const after = await rows();
    const retry = await asAlice.post(MESSAGES(), { content: "On it" }, key("reply-1"));
    expect(retry.status).toBe(201);
    expect(retry.headers["idempotent-replayed"]).toBe("true");
    expect(retry.body.message.id).toBe(first.body.message.id);
    expect(retry.body).toEqual(first.body);
    expect(await rows()).toEqual(after);
  });

  it("answers 409 for the same key with a different body or on another conversation", async () => {
    await asAlice.post(MESSAGES(), { content: "On it" }, key("reply-1"));
    const other = (await startThread(admin, { ...newThread, contact: { email: "eve@example.com" } })).id;
    const before = await rows();
    for (const [url, body] of [
      [MESSAGES(), { content: "On it!" }],
      [MESSAGES(), { content: "On it", private: true }],
      [`/api/support/threads/${other}/messages`, { content: "On it" }],
    ] as const) {
      const reply = await asAlice.post(url, body, key("reply-1"));
      expect(reply.status).toBe(409);
      expect(reply.body.error.code).toBe("idempotency_key_reused");
    }
    expect(await rows()).toEqual(before);
  });

  it("treats the same key from another member as a different message", async () => {
    const a = await asAlice.post(MESSAGES(), { content: "Hi" }, key("k"));
    const b = await admin.post(MESSAGES(), { content: "Hi" }, key("k"));
    expect(b.status).toBe(201);
    expect(b.body.message.id).not.toBe(a.body.message.id);
    expect(b.body.message.author.id).toBe(acme.owner.id);
  });

  it("writes exactly one message for five concurrent requests with one key", async () => {
    const before = await countRows(ctx, "messages");
    const replies = await Promise.all(Array.from({ length: 5 }, () => asAlice.post(MESSAGES(), { content: "Only once" }, key("burst"))));
    expect(replies.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(replies.map((r) => r.body.message.id)).size).toBe(1);
    const outgoing = await ctx.database.db.selectFrom("messages").select("id").where("conversation_id", "=", threadId).where("direction", "=", "outgoing").execute();
    expect(outgoing).toHaveLength(1);
    // The reply and the single activity line of its auto-assignment.
    expect(await countRows(ctx, "messages")).toBe(before + 2);
  });

  it("rejects an empty or over-long Idempotency-Key with 400", async () => {
    for (const value of ["", "k".repeat(201)]) {
      const reply = await asAlice.post(MESSAGES(), { content: "x" }, key(value));
      expect(reply.status).toBe(400);
    }
    expect(await countRows(ctx, "messages")).toBe(1);
  });
});
