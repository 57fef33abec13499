import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { postMessage, startThread, type Api } from "../../../test/conversation-fixtures.js";
import { buildTeam, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";

let ctx: TestContext;
let acme: BuiltTeam;
let api: Api;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx, { name: "Acme Corp" });
  api = client(ctx.app, { apiKey: acme.apiKey });
});
afterEach(() => ctx.close());

let contacts = 0;

/** A new conversation (with a new contact) whose first message is `content`. */
async function thread(content: string, extra: Record<string, unknown> = {}): Promise<any> {
  contacts += 1;
  return startThread(api, { contact: { email: `customer${contacts}@example.com`, name: `Customer ${contacts}` }, message: { content }, ...extra });
}

function searchUrl(q: string, params: Record<string, string | number> = {}): string {
  const pairs = Object.entries({ q, ...params }).map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`);
  return `/api/support/search?${pairs.join("&")}`;
}

/** GET /search; fails the test unless it answers 200. Returns `data`. */
async function search(q: string, params: Record<string, string | number> = {}): Promise<any> {
  const reply = await api.get(searchUrl(q, params));
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.data;
}

const messageIds = async (q: string, params?: Record<string, string | number>) => ((await search(q, params)).messages as { id: string }[]).map((hit) => hit.id);

describe("GET /api/support/search: messages", () => {
  it("finds a message by a rare word and says where it is", async () => {
    const conv = await thread("Where is my zanzibar order? It has been two weeks.");
    await thread("Something else entirely");
    const data = await search("zanzibar");
    expect(data.messages).toEqual([
      {
        id: expect.stringMatching(/^msg_/),
        conversationId: conv.id,
        conversationNumber: conv.number,
        inboxId: acme.inbox.id,
        direction: "incoming",
        createdAt: "2026-03-02T15:00:00.000Z",
        snippet: "Where is my <mark>zanzibar</mark> order? It has been two weeks.",
      },
    ]);
  });

  it("requires every word (AND), in any order", async () => {
    const both = await thread("Please refund the duplicate invoice");
    await thread("Please refund me");
    await thread("Send me the invoice");
    expect((await search("invoice refund")).messages.map((hit: any) => hit.conversationId)).toEqual([both.id]);
  });

  it("matches the last word as the start of a word, and only the last", async () => {
    const conv = await thread("The invoice was charged twice");
    expect((await search("invo")).messages.map((hit: any) => hit.conversationId)).toEqual([conv.id]);
    expect((await search("invo")).messages[0].snippet).toBe("The <mark>invoice</mark> was charged twice");
    expect((await search("charg invoice")).messages).toEqual([]);
    expect((await search("voice")).messages).toEqual([]);
  });

  it("ranks a better match first", async () => {
    const strong = await thread("Refund, refund: I want a refund");
    const weak = await thread(`Hello team, ${"I have been using the product for a while and ".repeat(4)}maybe a refund would be fair.`);
    const ranked = (await search("refund")).messages.map((hit: any) => hit.conversationId);
    expect(ranked).toEqual([strong.id, weak.id]);
  });

  it("returns the best `limit` matches, best first, each with its own conversation, however new they are", async () => {
    const strong = await thread("Refund, refund: I want a refund");
    const middling = await thread("A refund, then another refund please");
    for (let i = 0; i < 3; i += 1) {
      await thread(`Hello team, ${"I have been using the product for a while and ".repeat(4)}maybe a refund would be fair (${i}).`);
    }
    const hits = (await search("refund", { limit: 2 })).messages;
    expect(hits.map((hit: any) => [hit.conversationId, hit.conversationNumber])).toEqual([
      [strong.id, strong.number],
      [middling.id, middling.number],
    ]);
  });

  it("keeps emoji and any script intact in storage and in the snippet", async () => {
    const content = "Grüße aus Köln 😀👍🏽 👩‍👩‍👧 東京 ✓ naïve «quoted» 🇯🇵";
    const conv = await thread(content);
    const stored = await api.get(`/api/support/threads/${conv.id}/messages`);
    expect(stored.body.messages[0].content).toBe(content);
    expect((await search("köln")).messages[0].snippet).toBe("Grüße aus <mark>Köln</mark> 😀👍🏽 👩‍👩‍👧 東京 ✓ naïve «quoted» 🇯🇵");
    expect((await search("東京")).messages[0].snippet).toBe("Grüße aus Köln 😀👍🏽 👩‍👩‍👧 <mark>東京</mark> ✓ naïve «quoted» 🇯🇵");
    expect((await search("😀 grüße")).messages).toHaveLength(1);
  });

  it("finds accented text by the accented word and by the plain word, on both databases", async () => {
    await thread("Le café était froid");
    expect((await search("café")).messages[0].snippet).toBe("Le <mark>café</mark> était froid");
    expect((await search("CAFÉ")).messages).toHaveLength(1);
    expect((await search("cafe")).messages).toHaveLength(1);
  });

  it("finds words inside email addresses, URLs and markup, on both databases", async () => {
    await thread("Write to alice@example.com or see https://acme.test/pricing and <b>bold</b> 3.5 offers");
    for (const word of ["example", "pricing", "bold", "offers"]) {
      expect((await search(word)).messages, word).toHaveLength(1);
    }
  });

  it("finds plain text by the accented word on both databases", async () => {
    await thread("The cafe was closed");
    expect((await search("café")).messages[0].snippet).toBe("The <mark>cafe</mark> was closed");
  });

  it("escapes markup in a message, leaving only <mark> tags", async () => {
    await thread(`Look: <b>bold</b> & <script>alert("pwned")</script> quokka`);
    const snippet: string = (await search("quokka")).messages[0].snippet;
    expect(snippet).toBe("Look: &lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; <mark>quokka</mark>");
    expect((await search("bold quokka")).messages[0].snippet).toBe("Look: &lt;b&gt;<mark>bold</mark>&lt;/b&gt; &amp; &lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; <mark>quokka</mark>");
    expect(snippet.replace(/<\/?mark>/g, "")).not.toMatch(/[<>]/);
  });

  it("reads FTS and tsquery syntax as plain words and never fails on it", async () => {
    const orMessage = await thread("foo or bar, said the engineer");
    await thread("foo alone");
    const nearMessage = await thread("Standing NEAR a b-list celebrity and friends");
    expect((await search('foo" OR "bar')).messages.map((hit: any) => hit.conversationId)).toEqual([orMessage.id]);
    expect((await search("NEAR(a b)")).messages.map((hit: any) => hit.conversationId)).toEqual([nearMessage.id]);
    expect((await search("AND")).messages.map((hit: any) => hit.conversationId)).toEqual([nearMessage.id]);
    const hostile = ['foo"', "foo*", "-foo", "^foo", "content:foo", "foo NOT bar", "(foo", "{content}: foo", "foo'':*", "a & b | !c <-> d:*", "\\foo\\", "'", "foo' | 'bar", "NEAR/2(foo bar)", "foo + bar"];
    for (const q of hostile) {
      const reply = await api.get(searchUrl(q));
      expect([200, 400], `${q}: ${JSON.stringify(reply.body)}`).toContain(reply.status);
      if (reply.status === 400) {
        expect(reply.body.error.code).toBe("validation_failed");
      }
    }
  });

  it("answers a query of punctuation alone with 400 validation_failed", async () => {
    for (const q of ["*", '"', "( )", "!!! ???", "😀👍", "   "]) {
      const reply = await api.get(searchUrl(q));
      expect(reply.status, q).toBe(400);
      expect(reply.body.error).toMatchObject({ code: "validation_failed", details: [{ path: "q" }] });
    }
  });
});

describe("GET /api/support/search: parameters", () => {
  it("returns at most `limit` of each kind: 20 unless asked, never more than 50", async () => {
    const conv = await thread("walrus number 0");
    for (let i = 1; i < 22; i += 1) {
      await postMessage(api, conv.id, { content: `walrus number ${i}` });
    }
    expect(await messageIds("walrus")).toHaveLength(20);
    expect(await messageIds("walrus", { limit: 5 })).toHaveLength(5);
    expect(await messageIds("walrus", { limit: 50 })).toHaveLength(22);
  });

  it("narrows to one kind with `type`, answering the others empty", async () => {
    await thread("A narwhal question", { subject: "Narwhal tusks", contact: { email: "narwhal@example.com", name: "Nora Narwhal" } });
    const all = await search("narwhal");
    expect([all.messages.length, all.contacts.length, all.conversations.length]).toEqual([1, 1, 1]);
    for (const type of ["messages", "contacts", "conversations"] as const) {
      const data = await search("narwhal", { type });
      expect(Object.entries(data).map(([kind, list]) => [kind, (list as unknown[]).length])).toEqual(
        ["messages", "contacts", "conversations"].map((kind) => [kind, kind === type ? 1 : 0]),
      );
    }
  });

  it.each([
    ["no q", "/api/support/search"],
    ["an empty q", "/api/support/search?q="],
    ["a q over 200 characters", `/api/support/search?q=${"a".repeat(201)}`],
    ["limit 0", "/api/support/search?q=x&limit=0"],
    ["limit 51", "/api/support/search?q=x&limit=51"],
    ["an unknown type", "/api/support/search?q=x&type=tags"],
    ["an unknown parameter", "/api/support/search?q=x&sort=date"],
    ["two q", "/api/support/search?q=x&q=y"],
  ])("rejects %s with 400 validation_failed", async (_what, url) => {
    const reply = await api.get(url);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("validation_failed");
  });

  it("accepts a q of exactly 200 characters", async () => {
    expect((await api.get(searchUrl("ab ".repeat(66) + "ab"))).status).toBe(200);
  });

  it("needs a signed-in caller", async () => {
    const reply = await client(ctx.app).get(searchUrl("anything"));
    expect(reply.status).toBe(401);
  });
});
