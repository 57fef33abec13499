import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InboxRow } from "../../db/schema.js";
import { patchThread, postMessage, startThread, type Api } from "../../../test/conversation-fixtures.js";
import { buildInbox, buildMember, buildTeam, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";
import { getConversation } from "../conversations/conversation.repo.js";
import { appendActivity } from "../messages/append-message.js";

let ctx: TestContext;
let acme: BuiltTeam;
let sales: InboxRow;
let billing: InboxRow;
let owner: Api;
/** A member of Sales only. */
let alice: Api;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx, { name: "Acme Corp" });
  sales = await buildInbox(ctx, acme.team.id, "Sales");
  billing = await buildInbox(ctx, acme.team.id, "Billing");
  owner = client(ctx.app, { apiKey: acme.apiKey });
  alice = client(ctx.app, { apiKey: (await buildMember(ctx, acme.team.id, { inboxes: [{ inboxId: sales.id }] })).apiKey });
});
afterEach(() => ctx.close());

let contacts = 0;

async function thread(api: Api, inboxId: string, content: string, extra: Record<string, unknown> = {}): Promise<any> {
  contacts += 1;
  return startThread(api, { inboxId, contact: { email: `visitor${contacts}@example.com`, name: `Visitor ${contacts}` }, message: { content }, ...extra });
}

async function search(api: Api, q: string, params: Record<string, string | number> = {}): Promise<any> {
  const query = Object.entries({ q, ...params }).map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`);
  const reply = await api.get(`/api/support/search?${query.join("&")}`);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.data;
}

const inboxesOf = (hits: { inboxId: string }[]) => [...new Set(hits.map((hit) => hit.inboxId))];

describe("search: notes and activity lines", () => {
  it("finds private notes for a member of the inbox", async () => {
    const conv = await thread(owner, sales.id, "Hello");
    await postMessage(owner, conv.id, { content: "Internal: the pomegranate discount is approved", private: true });
    const hits = (await search(alice, "pomegranate")).messages;
    expect(hits).toMatchObject([{ conversationId: conv.id, direction: "note", snippet: "Internal: the <mark>pomegranate</mark> discount is approved" }]);
  });

  it("never returns activity lines", async () => {
    const conv = await thread(owner, sales.id, "Hello");
    await ctx.database.transaction(async (tx) => appendActivity(tx, await getConversation(tx, acme.team.id, conv.id), "Zeppelin assigned this to Bob", ctx.clock.now()));
    const lines = await ctx.database.db.selectFrom("messages").select("content").where("conversation_id", "=", conv.id).where("direction", "=", "activity").execute();
    expect(lines.map((line) => line.content)).toContain("Zeppelin assigned this to Bob");
    expect((await search(owner, "zeppelin")).messages).toEqual([]);
  });

  it("includes the messages of conversations marked as spam", async () => {
    const conv = await thread(owner, sales.id, "Cheap kumquat pills");
    await patchThread(owner, conv.id, { spam: true });
    expect((await search(owner, "kumquat")).messages.map((hit: any) => hit.conversationId)).toEqual([conv.id]);
    expect((await search(alice, "kumquat")).messages.map((hit: any) => hit.conversationId)).toEqual([conv.id]);
  });
});

describe("search: inboxes", () => {
  it("never shows a member the messages or conversations of an inbox they are not in; contacts are team-wide", async () => {
    await thread(owner, sales.id, "marmalade in sales", { subject: "Marmalade order" });
    await thread(owner, billing.id, "marmalade in billing", { subject: "Marmalade invoice", contact: { email: "marm@example.com", name: "Marmalade Fan" } });
    const asOwner = await search(owner, "marmalade");
    expect(inboxesOf(asOwner.messages).sort()).toEqual([sales.id, billing.id].sort());
    expect(inboxesOf(asOwner.conversations).sort()).toEqual([sales.id, billing.id].sort());
    const asAlice = await search(alice, "marmalade");
    expect(inboxesOf(asAlice.messages)).toEqual([sales.id]);
    expect(inboxesOf(asAlice.conversations)).toEqual([sales.id]);
    expect(asAlice.contacts.map((hit: any) => hit.email)).toEqual(["marm@example.com"]);
  });

  it("fills a member's limit with visible results even when better matches sit in other inboxes", async () => {
    for (let i = 0; i < 3; i += 1) {
      await thread(owner, billing.id, "Tangerine!");
    }
    const visible = [await thread(owner, sales.id, "About the tangerine, and a few other things we talked about"), await thread(owner, sales.id, "Another long message that mentions a tangerine only once")];
    expect(inboxesOf((await search(owner, "tangerine", { limit: 2 })).messages)).toEqual([billing.id]);
    const hits = (await search(alice, "tangerine", { limit: 2 })).messages;
    expect(hits.map((hit: any) => hit.conversationId).sort()).toEqual(visible.map((conv) => conv.id).sort());
  });

  it("gives a member their best visible matches in rank order, each with its conversation", async () => {
    await thread(owner, billing.id, "Quince, quince, quince!");
    const weak = await thread(owner, sales.id, `Hello, ${"a long message about other things and ".repeat(4)}one quince.`);
    const strong = await thread(owner, sales.id, "Quince quince please");
    const middling = await thread(owner, sales.id, "About the quince, and a few other things we talked about");
    const hits = (await search(alice, "quince", { limit: 2 })).messages;
    expect(hits.map((hit: any) => [hit.conversationId, hit.conversationNumber, hit.inboxId])).toEqual([
      [strong.id, strong.number, sales.id],
      [middling.id, middling.number, sales.id],
    ]);
    expect((await search(alice, "quince")).messages.map((hit: any) => hit.conversationId)).toEqual([strong.id, middling.id, weak.id]);
  });

  it("narrows messages and conversations to `inboxId`", async () => {
    await thread(owner, sales.id, "papaya here", { subject: "Papaya" });
    await thread(owner, billing.id, "papaya there", { subject: "Papaya" });
    const data = await search(owner, "papaya", { inboxId: billing.id });
    expect(inboxesOf(data.messages)).toEqual([billing.id]);
    expect(inboxesOf(data.conversations)).toEqual([billing.id]);
  });

  it("answers a member's `inboxId` of an inbox they are not in with no messages or conversations", async () => {
    await thread(owner, billing.id, "guava question", { subject: "Guava" });
    const data = await search(alice, "guava", { inboxId: billing.id });
    expect([data.messages, data.conversations]).toEqual([[], []]);
  });

  it("shows a member of no inbox contacts only", async () => {
    await thread(owner, sales.id, "lychee", { subject: "Lychee", contact: { email: "lychee@example.com", name: "Lychee Lover" } });
    const loner = client(ctx.app, { apiKey: (await buildMember(ctx, acme.team.id)).apiKey });
    const data = await search(loner, "lychee");
    expect([data.messages.length, data.conversations.length, data.contacts.length]).toEqual([0, 0, 1]);
  });
});

describe("search across teams", () => {
  it("never returns another team's messages, contacts or conversations", async () => {
    const globex = await buildTeam(ctx, { name: "Globex" });
    const globexApi = client(ctx.app, { apiKey: globex.apiKey });
    const ours = await thread(owner, sales.id, "quince jam", { subject: "Quince", contact: { email: "quince@acme.example", name: "Quince Acme" } });
    const theirs = await thread(globexApi, globex.inbox.id, "quince jam", { subject: "Quince", contact: { email: "quince@globex.example", name: "Quince Globex" } });
    const mine = await search(owner, "quince");
    expect(mine.messages.map((hit: any) => hit.conversationId)).toEqual([ours.id]);
    expect(mine.conversations.map((hit: any) => hit.id)).toEqual([ours.id]);
    expect(mine.contacts.map((hit: any) => hit.email)).toEqual(["quince@acme.example"]);
    const other = await search(globexApi, "quince");
    expect(other.messages.map((hit: any) => hit.conversationId)).toEqual([theirs.id]);
    expect(other.contacts.map((hit: any) => hit.email)).toEqual(["quince@globex.example"]);
    const pointed = await search(owner, "quince", { inboxId: globex.inbox.id });
    expect([pointed.messages, pointed.conversations]).toEqual([[], []]);
  });
});
