import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { countRows, patchThread, postMessage, startThread, type Api } from "../../../test/conversation-fixtures.js";
import { buildMember, buildTeam, type BuiltMember, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";

let ctx: TestContext;
let acme: BuiltTeam;
let alice: BuiltMember;
let admin: Api;
let asAlice: Api;
let threadId: string;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx);
  alice = await buildMember(ctx, acme.team.id, { name: "Alice Johnson", inboxes: [{ inboxId: acme.inbox.id }] });
  admin = client(ctx.app, { apiKey: acme.apiKey });
  asAlice = client(ctx.app, { apiKey: alice.apiKey });
  threadId = (await startThread(admin, { contact: { email: "dana@example.com", name: "Dana" }, message: { content: "first" } })).id;
});
afterEach(() => ctx.close());

const MESSAGES = () => `/api/support/threads/${threadId}/messages`;
const thread = async (api: Api = admin) => (await api.get(`/api/support/threads/${threadId}`)).body.thread;

describe("GET /threads/:id/messages", () => {
  it("pages from the newest window back in time, oldest → newest inside each window, every message once", async () => {
    for (let i = 1; i <= 11; i += 1) {
      ctx.clock.advance(1_000);
      await postMessage(admin, threadId, { content: `m${i}`, direction: i % 2 === 0 ? "incoming" : "outgoing" });
    }
    const stored = await ctx.database.db.selectFrom("messages").select(["id", "seq"]).where("conversation_id", "=", threadId).orderBy("seq").execute();
    expect(stored).toHaveLength(13); // first, 11 posted, and the activity line of the auto-assignment

    const windows: { seq: number; id: string }[][] = [];
    let cursor: string | null = null;
    do {
      const reply: { status: number; body: any } = await admin.get(`${MESSAGES()}?limit=5${cursor ? `&cursor=${cursor}` : ""}`);
      expect(reply.status).toBe(200);
      windows.push(reply.body.messages);
      cursor = reply.body.nextCursor;
    } while (cursor);

    expect(windows.map((w) => w.map((m) => m.seq))).toEqual([
      [9, 10, 11, 12, 13],
      [4, 5, 6, 7, 8],
      [1, 2, 3],
    ]);
    expect(
      windows
        .reverse()
        .flat()
        .map((m) => m.id),
    ).toEqual(stored.map((m) => m.id));
  });

  it("answers every message in one window with nextCursor null when it fits", async () => {
    const reply = await admin.get(MESSAGES());
    expect(reply.body).toMatchObject({ nextCursor: null });
    expect(reply.body.messages.map((m: { content: string }) => m.content)).toEqual(["first"]);
  });

  it("rejects a limit of 0 or 101 and a garbage cursor", async () => {
    for (const query of ["limit=0", "limit=101", "cursor=%%%", "cursor=bm90LWpzb24"]) {
      expect((await admin.get(`${MESSAGES()}?${query}`)).status).toBe(400);
    }
  });
});

describe("POST /threads/:id/messages", () => {
  it("writes an outgoing reply by default, authored by the key's member", async () => {
    const message = await postMessage(admin, threadId, { content: "Hello Dana" });
    expect(message).toMatchObject({ conversationId: threadId, direction: "outgoing", private: false, content: "Hello Dana", author: { kind: "member", id: acme.owner.id, name: "Jane Smith" } });
    expect((await thread()).lastMessage).toEqual({ id: message.id, direction: "outgoing", preview: "Hello Dana" });
  });

  it("writes a private note with private: true, listed with private: true, not taken as a reply", async () => {
    const note = await postMessage(admin, threadId, { content: "VIP customer, be nice", private: true });
    expect(note).toMatchObject({ direction: "note", private: true });
    const listed = (await admin.get(MESSAGES())).body.messages;
    expect(listed.map((m: { direction: string; private: boolean }) => [m.direction, m.private])).toEqual([
      ["incoming", false],
      ["note", true],
    ]);
    expect(await thread()).toMatchObject({ assignedToMemberId: null, firstResponseAt: null });
  });

  it("records what the contact wrote with direction: 'incoming', raising the unread count", async () => {
    expect((await thread()).unreadCount).toBe(1);
    const message = await postMessage(admin, threadId, { content: "Are you there?", direction: "incoming" });
    expect(message).toMatchObject({ direction: "incoming", private: false, author: { kind: "contact", id: null } });
    expect(await thread()).toMatchObject({ unreadCount: 2, lastMessage: { id: message.id, direction: "incoming" } });
    expect((await thread(asAlice)).unreadCount).toBe(2);
  });

  it("reopens a closed conversation when the contact writes, with an activity line", async () => {
    await patchThread(admin, threadId, { status: "closed" });
    ctx.clock.advance(60_000);
    await postMessage(admin, threadId, { content: "It broke again", direction: "incoming" });
    expect(await thread()).toMatchObject({ status: "open", closedAt: null });
    const contents = (await admin.get(MESSAGES())).body.messages.map((m: { content: string }) => m.content);
    expect(contents.slice(-2)).toEqual(["The contact wrote again: conversation reopened.", "It broke again"]);
  });

  it("rejects a private note in the incoming direction and writes nothing", async () => {
    const messages = await countRows(ctx, "messages");
    const reply = await admin.post(MESSAGES(), { content: "hmm", private: true, direction: "incoming" });
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("validation_failed");
    expect(await countRows(ctx, "messages")).toBe(messages);
  });

  it("keeps emoji and any Unicode exactly, in the answer, the list, the preview and the database", async () => {
    const content = "👋🏽 Grüße 你好 مرحبا\nZ̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o e\u0301 \u200d👩‍👩‍👧 𝔘𝔫𝔦𝔠𝔬𝔡𝔢";
    const message = await postMessage(admin, threadId, { content });
    expect(message.content).toBe(content);
    expect((await admin.get(MESSAGES())).body.messages.at(-1).content).toBe(content);
    expect((await thread()).lastMessage.preview).toBe(content.replace(/\s+/g, " "));
    const row = await ctx.database.db.selectFrom("messages").select("content").where("id", "=", message.id).executeTakeFirstOrThrow();
    expect(row.content).toBe(content);
  });

  it("cuts the preview at 200 characters, never inside one, with whitespace runs folded first", async () => {
    await postMessage(admin, threadId, { content: "😀".repeat(300) });
    expect((await thread()).lastMessage.preview).toBe("😀".repeat(200));
    await postMessage(admin, threadId, { content: `${"a".repeat(199)}😀😀 and more` });
    expect((await thread()).lastMessage.preview).toBe(`${"a".repeat(199)}😀`);
    await postMessage(admin, threadId, { content: `  ${"word \n\t ".repeat(50)}` });
    expect((await thread()).lastMessage.preview).toBe("word ".repeat(40).trim() + " ");
    await postMessage(admin, threadId, { content: "x".repeat(200) });
    expect((await thread()).lastMessage.preview).toBe("x".repeat(200));
  });

  it("accepts 20000 characters and rejects 20001 with 400, writing nothing", async () => {
    await postMessage(admin, threadId, { content: "a".repeat(20_000) });
    const messages = await countRows(ctx, "messages");
    const reply = await admin.post(MESSAGES(), { content: "a".repeat(20_001) });
    expect(reply.status).toBe(400);
    expect(await countRows(ctx, "messages")).toBe(messages);
  });

  it("rejects blank content without attachments, and unknown fields", async () => {
    const messages = await countRows(ctx, "messages");
    for (const body of [{ content: "" }, { content: "   \n\t " }, { content: "hi", priority: 1 }, { content: "hi", direction: "note" }, {}]) {
      const reply = await admin.post(MESSAGES(), body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
    }
    expect(await countRows(ctx, "messages")).toBe(messages);
    expect(await thread()).toMatchObject({ assignedToMemberId: null });
  });
});

describe("POST /threads/:id/read", () => {
  it("sets the caller's unread count to 0 and nobody else's", async () => {
    await postMessage(admin, threadId, { content: "second", direction: "incoming" });
    const read = await asAlice.post(`/api/support/threads/${threadId}/read`);
    expect(read.status).toBe(200);
    expect(read.body.thread.unreadCount).toBe(0);
    expect((await thread(asAlice)).unreadCount).toBe(0);
    expect((await thread(admin)).unreadCount).toBe(2);

    await postMessage(admin, threadId, { content: "third", direction: "incoming" });
    expect((await thread(asAlice)).unreadCount).toBe(1);
    expect((await thread(admin)).unreadCount).toBe(3);
  });

  it("shows each caller's unread count in lists too", async () => {
    await asAlice.post(`/api/support/threads/${threadId}/read`);
    expect((await asAlice.get("/api/support/threads")).body.threads[0].unreadCount).toBe(0);
    expect((await admin.get("/api/support/threads")).body.threads[0].unreadCount).toBe(1);
  });

  it("does not count the team's own replies and notes as unread", async () => {
    await admin.post(`/api/support/threads/${threadId}/read`);
    await postMessage(asAlice, threadId, { content: "reply" });
    await postMessage(asAlice, threadId, { content: "note", private: true });
    expect((await thread(admin)).unreadCount).toBe(0);
  });
});
