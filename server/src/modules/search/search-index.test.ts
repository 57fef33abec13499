import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startThread, type Api } from "../../../test/conversation-fixtures.js";
import { buildTeam, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";
import { sql } from "kysely";
import type { Tx } from "../../db/database.js";
import { newId } from "../../lib/ids.js";
import { lockConversation } from "../conversations/conversation.repo.js";
import { appendMessage } from "../messages/append-message.js";

let ctx: TestContext;
let acme: BuiltTeam;
let api: Api;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx, { name: "Acme Corp" });
  api = client(ctx.app, { apiKey: acme.apiKey });
});
afterEach(() => ctx.close());

async function search(q: string, params: Record<string, string> = {}): Promise<any> {
  const query = Object.entries({ q, ...params }).map(([key, value]) => `${key}=${encodeURIComponent(value)}`);
  const reply = await api.get(`/api/support/search?${query.join("&")}`);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.data;
}

describe("search: contacts", () => {
  beforeEach(async () => {
    await startThread(api, { contact: { email: "bart.quigley@example.org", name: "Bartholomew Quigley", phone: "+1 555-010-0199" }, message: { content: "Hi" } });
    await startThread(api, { contact: { email: "pat@example.net", name: "Pat Ng", phone: "+15550100177" }, message: { content: "Hello" } });
  });

  const emails = async (q: string) => ((await search(q, { type: "contacts" })).contacts as { email: string }[]).map((hit) => hit.email);

  it("finds a contact by the start of a name, with the name highlighted", async () => {
    const hits = (await search("barth")).contacts;
    expect(hits).toEqual([
      {
        id: expect.stringMatching(/^contact_/),
        name: "Bartholomew Quigley",
        email: "bart.quigley@example.org",
        phone: "+1 555-010-0199",
        highlight: { name: "<mark>Bartholomew</mark> Quigley", email: "bart.quigley@example.org", phone: "+1 555-010-0199" },
      },
    ]);
  });

  it("finds a contact by the start of an email address, and by all of it", async () => {
    expect(await emails("bart.quig")).toEqual(["bart.quigley@example.org"]);
    expect(await emails("bart.quigley@example.org")).toEqual(["bart.quigley@example.org"]);
    expect((await search("bart.quig")).contacts[0].highlight.email).toBe("<mark>bart</mark>.<mark>quigley</mark>@example.org");
  });

  it("finds a contact by the start of a phone number, written as stored or in groups", async () => {
    expect(await emails("+1 555-010")).toEqual(["bart.quigley@example.org"]);
    expect(await emails("0199")).toEqual(["bart.quigley@example.org"]);
    expect(await emails("+1555")).toEqual(["pat@example.net"]);
    expect((await search("+1 555-01")).contacts[0].highlight.phone).toBe("+<mark>1</mark> <mark>555</mark>-<mark>010</mark>-<mark>0199</mark>");
  });

  it("keeps the index in step with rows inserted, changed and deleted directly", async () => {
    const now = ctx.clock.now();
    const id = newId("contact");
    const location = { city: null, country: null, device: null, os: null, browser: null, language: null, timezone: null };
    const base = { attributes: "{}", tags: "[]", blocked: 0, first_seen_at: now, last_seen_at: now, created_at: now, updated_at: now, ...location };
    await ctx.database.transaction((tx) => tx.insertInto("contacts").values({ id, team_id: acme.team.id, name: "Ottoline Vexley", email: "ovex@example.com", phone: null, ...base }).execute());
    expect(await emails("vexley")).toEqual(["ovex@example.com"]);
    await ctx.database.transaction((tx) => tx.updateTable("contacts").set({ name: "Ottoline Wrenfield", email: "owren@example.com" }).where("id", "=", id).execute());
    expect(await emails("vexley")).toEqual([]);
    expect(await emails("ovex")).toEqual([]);
    expect(await emails("wrenf")).toEqual(["owren@example.com"]);
    await ctx.database.transaction((tx) => tx.deleteFrom("contacts").where("id", "=", id).execute());
    expect(await emails("wrenf")).toEqual([]);
  });
});

describe("search: conversations", () => {
  it("finds a conversation by its subject, highlighted", async () => {
    const conv = await startThread(api, { subject: `Quarterly "reconciliation" & mismatch <urgent>`, contact: { email: "x@example.com" }, message: { content: "See subject" } });
    await startThread(api, { subject: "Something else", contact: { email: "y@example.com" }, message: { content: "Nothing here" } });
    expect((await search("reconcil")).conversations).toEqual([
      {
        id: conv.id,
        number: conv.number,
        inboxId: acme.inbox.id,
        subject: `Quarterly "reconciliation" & mismatch <urgent>`,
        status: "open",
        highlight: "Quarterly &quot;<mark>reconciliation</mark>&quot; &amp; mismatch &lt;urgent&gt;",
      },
    ]);
  });

  it("keeps the index in step with subjects changed directly", async () => {
    const conv = await startThread(api, { subject: "Broken widget", contact: { email: "x@example.com" }, message: { content: "Hi" } });
    const setSubject = (subject: string | null) => ctx.database.transaction((tx) => tx.updateTable("conversations").set({ subject }).where("id", "=", conv.id).execute());
    await setSubject("Flickering lamp");
    expect((await search("widget")).conversations).toEqual([]);
    expect((await search("flicker")).conversations.map((hit: any) => hit.id)).toEqual([conv.id]);
    await setSubject(null);
    expect((await search("flicker")).conversations).toEqual([]);
  });
});

describe("search: messages changed directly", () => {
  it("finds an edited message by its new words only, and a deleted one no more", async () => {
    const conv = await startThread(api, { contact: { email: "x@example.com" }, message: { content: "The parcel never arrived" } });
    const where = () => ctx.database.db.selectFrom("messages").select("id").where("conversation_id", "=", conv.id).executeTakeFirstOrThrow();
    const { id } = await where();
    expect((await search("parcel")).messages.map((hit: any) => hit.id)).toEqual([id]);
    await ctx.database.transaction((tx) => tx.updateTable("messages").set({ content: "The package never arrived" }).where("id", "=", id).execute());
    expect((await search("parcel")).messages).toEqual([]);
    expect((await search("package")).messages).toMatchObject([{ id, snippet: "The <mark>package</mark> never arrived" }]);
    await ctx.database.transaction((tx) => tx.deleteFrom("messages").where("id", "=", id).execute());
    expect((await search("package")).messages).toEqual([]);
  });
});

describe("search: messages are indexed when their transaction commits", () => {
  const messageIds = async (q: string) => ((await search(q)).messages as { id: string }[]).map((hit) => hit.id).sort();
  const pendingCount = async (tx: Tx) => Number((await sql<{ n: number }>`select count(*) as n from messages_fts_pending`.execute(tx)).rows[0]?.n);
  const integrityCheck = () => sql`insert into messages_fts (messages_fts, rank) values ('integrity-check', 1)`.execute(ctx.database.db);

  async function add(tx: Tx, conversationId: string, content: string): Promise<string> {
    const conversation = await lockConversation(tx, acme.team.id, conversationId);
    const { message } = await appendMessage(tx, conversation!, { direction: "incoming", authorKind: "contact", content }, ctx.clock.now());
    return message.id;
  }

  it("indexes what a transaction wrote, edited and deleted, as it stands at commit", async () => {
    const conv = await startThread(api, { contact: { email: "x@example.com" }, message: { content: "First words" } });
    const kept = await ctx.database.transaction(async (tx) => {
      const id = await add(tx, conv.id, "The courier lost my umbrella");
      const dropped = await add(tx, conv.id, "A passing remark about zeppelins");
      await tx.updateTable("messages").set({ content: "The courier found my umbrella and my galoshes" }).where("id", "=", id).execute();
      await tx.deleteFrom("messages").where("id", "=", dropped).execute();
      if (ctx.database.dialect === "sqlite") {
        // Noted, not yet in the index: nothing is written to it until the end of the transaction.
        expect(await pendingCount(tx)).toBe(1);
        const found = await sql<{ n: number }>`select count(*) as n from messages_fts where messages_fts match 'umbrella'`.execute(tx);
        expect(Number(found.rows[0]?.n)).toBe(0);
      }
      return id;
    });
    expect(await messageIds("galoshes")).toEqual([kept]);
    expect(await messageIds("lost")).toEqual([]);
    expect(await messageIds("zeppelins")).toEqual([]);
    expect(await messageIds("first")).toHaveLength(1);
    if (ctx.database.dialect === "sqlite") {
      expect(await pendingCount(ctx.database.db)).toBe(0);
      await integrityCheck();
    }
  });

  it("edits and deletes a message indexed by an earlier transaction", async () => {
    const conv = await startThread(api, { contact: { email: "x@example.com" }, message: { content: "Hello" } });
    const first = await ctx.database.transaction((tx) => add(tx, conv.id, "My kettle whistles off key"));
    const second = await ctx.database.transaction((tx) => add(tx, conv.id, "My toaster hums along"));
    await ctx.database.transaction(async (tx) => {
      await tx.updateTable("messages").set({ content: "My kettle sings in tune" }).where("id", "=", first).execute();
      await tx.deleteFrom("messages").where("id", "=", second).execute();
    });
    expect(await messageIds("kettle")).toEqual([first]);
    expect(await messageIds("whistles")).toEqual([]);
    expect(await messageIds("toaster")).toEqual([]);
    if (ctx.database.dialect === "sqlite") {
      await integrityCheck();
    }
  });

  it("leaves nothing of a failed transaction in a group, and indexes the others", async () => {
    const convs = await Promise.all(["a", "b", "c"].map((name) => startThread(api, { contact: { email: `${name}@example.com` }, message: { content: "Hi" } })));
    const results = await Promise.allSettled([
      ctx.database.transaction((tx) => add(tx, convs[0].id, "Marmalade for breakfast")),
      ctx.database.transaction(async (tx) => {
        await add(tx, convs[1].id, "Marmalade that never was");
        throw new Error("refused after writing");
      }),
      ctx.database.transaction((tx) => add(tx, convs[2].id, "Marmalade again")),
    ]);
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const kept = results.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
    expect(await messageIds("marmalade")).toEqual(kept.sort());
    expect(await messageIds("never")).toEqual([]);
    if (ctx.database.dialect === "sqlite") {
      expect(await pendingCount(ctx.database.db)).toBe(0);
      await integrityCheck();
    }
  });
});
