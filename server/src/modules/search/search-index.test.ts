import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startThread, type Api } from "../../../test/conversation-fixtures.js";
import { buildTeam, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";
import { newId } from "../../lib/ids.js";

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
