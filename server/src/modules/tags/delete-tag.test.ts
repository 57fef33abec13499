import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NewContact, NewConversation } from "../../db/schema.js";
import { newId } from "../../lib/ids.js";
import { buildMember, buildTeam, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";
import { TAG_REMOVAL_BATCH } from "./delete-tag.js";

let ctx: TestContext;
let acme: BuiltTeam;
let api: ReturnType<typeof client>;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx, { name: "Acme Corp" });
  api = client(ctx.app, { apiKey: acme.apiKey });
});
afterEach(() => ctx.close());

const TAGS = "/api/support/tags";
const T0 = "2026-03-02T15:00:00.000Z";
const T1 = "2026-03-02T15:05:00.000Z";

const eventsNamed = (name: string) => ctx.events.filter((event) => event.name === name);

async function createTag(name: string, caller = api): Promise<{ id: string; name: string }> {
  const reply = await caller.post(TAGS, { name });
  expect(reply.status).toBe(201);
  return reply.body.data;
}

async function tagIds(caller = api): Promise<string[]> {
  return ((await caller.get(TAGS)).body.data as { id: string }[]).map((tag) => tag.id);
}

// Conversations and contacts are written here directly, with the columns of schema.ts, so that tag deletion
// is tested against the rows other modules will write.
let conversationNumber = 0;

function contactRow(teamId: string, tagIds: string[]): NewContact {
  const now = ctx.clock.now();
  return {
    id: newId("contact"),
    team_id: teamId,
    name: "Visitor",
    email: null,
    phone: null,
    attributes: "{}",
    tags: JSON.stringify(tagIds),
    city: null,
    country: null,
    device: null,
    os: null,
    browser: null,
    language: null,
    timezone: null,
    blocked: 0,
    first_seen_at: now,
    last_seen_at: now,
    created_at: now,
    updated_at: now,
  };
}

function conversationRow(teamId: string, inboxId: string, contactId: string, tagIds: string[]): NewConversation {
  const now = ctx.clock.now();
  conversationNumber += 1;
  return {
    id: newId("conv"),
    team_id: teamId,
    number: conversationNumber,
    inbox_id: inboxId,
    contact_id: contactId,
    channel: "api",
    status: "open",
    bucket: "unassigned",
    assigned_to_member_id: null,
    subject: null,
    source_url: null,
    handled_by_bot: 0,
    spam: 0,
    snoozed_until: null,
    tags: JSON.stringify(tagIds),
    incoming_count: 1,
    message_count: 1,
    last_message_id: null,
    last_message_preview: null,
    last_message_direction: null,
    last_message_at: now,
    last_activity_at: now,
    first_response_at: null,
    closed_at: null,
    closed_by: null,
    csat_rating: null,
    csat_comment: null,
    csat_at: null,
    created_at: now,
    updated_at: now,
  };
}

/** Inserts contacts with these tag lists (JSON array and join rows); returns their ids. */
async function insertContacts(teamId: string, tagLists: string[][]): Promise<string[]> {
  const rows = tagLists.map((tagIds) => contactRow(teamId, tagIds));
  for (let i = 0; i < rows.length; i += 200) {
    await ctx.database.db.insertInto("contacts").values(rows.slice(i, i + 200)).execute();
  }
  const joins = rows.flatMap((row, i) => (tagLists[i] ?? []).map((tagId) => ({ team_id: teamId, contact_id: row.id, tag_id: tagId })));
  for (let i = 0; i < joins.length; i += 500) {
    await ctx.database.db.insertInto("contact_tags").values(joins.slice(i, i + 500)).execute();
  }
  return rows.map((row) => row.id);
}

/** Inserts conversations of one contact with these tag lists (JSON array and join rows); returns their ids. */
async function insertConversations(team: BuiltTeam, tagLists: string[][]): Promise<string[]> {
  const [contactId] = await insertContacts(team.team.id, [[]]);
  const rows = tagLists.map((tagIds) => conversationRow(team.team.id, team.inbox.id, contactId ?? "", tagIds));
  for (let i = 0; i < rows.length; i += 100) {
    await ctx.database.db.insertInto("conversations").values(rows.slice(i, i + 100)).execute();
  }
  const joins = rows.flatMap((row, i) => (tagLists[i] ?? []).map((tagId) => ({ team_id: team.team.id, conversation_id: row.id, tag_id: tagId })));
  for (let i = 0; i < joins.length; i += 500) {
    await ctx.database.db.insertInto("conversation_tags").values(joins.slice(i, i + 500)).execute();
  }
  return rows.map((row) => row.id);
}

async function conversationTags(ids: string[]): Promise<Record<string, { tags: string[]; updatedAt: number }>> {
  const rows = await ctx.database.db.selectFrom("conversations").select(["id", "tags", "updated_at"]).where("id", "in", ids).execute();
  return Object.fromEntries(rows.map((row) => [row.id, { tags: JSON.parse(row.tags) as string[], updatedAt: row.updated_at }]));
}

async function contactTags(ids: string[]): Promise<Record<string, { tags: string[]; updatedAt: number }>> {
  const rows = await ctx.database.db.selectFrom("contacts").select(["id", "tags", "updated_at"]).where("id", "in", ids).execute();
  return Object.fromEntries(rows.map((row) => [row.id, { tags: JSON.parse(row.tags) as string[], updatedAt: row.updated_at }]));
}

async function conversationJoinRows(): Promise<string[]> {
  const rows = await ctx.database.db.selectFrom("conversation_tags").select(["conversation_id", "tag_id"]).execute();
  return rows.map((row) => `${row.conversation_id}:${row.tag_id}`).sort();
}

async function contactJoinRows(): Promise<string[]> {
  const rows = await ctx.database.db.selectFrom("contact_tags").select(["contact_id", "tag_id"]).execute();
  return rows.map((row) => `${row.contact_id}:${row.tag_id}`).sort();
}

describe("DELETE /api/support/tags/:tagId on tagged conversations and contacts", () => {
  it("takes the tag off every conversation and contact that has it, keeping their other tags in order", async () => {
    const vip = await createTag("VIP");
    const billing = await createTag("Billing");
    const urgent = await createTag("Urgent");
    const [c1, c2, c3, c4] = await insertConversations(acme, [[vip.id, billing.id, urgent.id], [billing.id], [vip.id, urgent.id], []]);
    const [p1, p2, p3] = await insertContacts(acme.team.id, [[billing.id, vip.id], [billing.id], [urgent.id]]);
    const all = [c1, c2, c3, c4].map(String);
    const contacts = [p1, p2, p3].map(String);
    ctx.clock.set(T1);

    expect((await api.delete(`${TAGS}/${billing.id}`)).status).toBe(204);

    const at0 = Date.parse(T0);
    const at1 = Date.parse(T1);
    expect(await conversationTags(all)).toEqual({
      [String(c1)]: { tags: [vip.id, urgent.id], updatedAt: at1 },
      [String(c2)]: { tags: [], updatedAt: at1 },
      [String(c3)]: { tags: [vip.id, urgent.id], updatedAt: at0 },
      [String(c4)]: { tags: [], updatedAt: at0 },
    });
    expect(await contactTags(contacts)).toEqual({
      [String(p1)]: { tags: [vip.id], updatedAt: at1 },
      [String(p2)]: { tags: [], updatedAt: at1 },
      [String(p3)]: { tags: [urgent.id], updatedAt: at0 },
    });
    expect(await conversationJoinRows()).toEqual([`${c1}:${vip.id}`, `${c1}:${urgent.id}`, `${c3}:${vip.id}`, `${c3}:${urgent.id}`].sort());
    expect(await contactJoinRows()).toEqual([`${p1}:${vip.id}`, `${p3}:${urgent.id}`].sort());
    expect(eventsNamed("tag.deleted")[0]?.payload).toMatchObject({ tagId: billing.id, conversations: 2, contacts: 2 });
  });

  it(`stays correct for more rows than one batch of ${TAG_REMOVAL_BATCH}`, async () => {
    const vip = await createTag("VIP");
    const keep = await createTag("Keep");
    const count = TAG_REMOVAL_BATCH * 2 + 37;
    const lists = Array.from({ length: count }, (_, i) => (i % 3 === 0 ? [keep.id, vip.id] : [vip.id]));
    const conversations = await insertConversations(acme, lists);
    const contacts = await insertContacts(acme.team.id, lists);

    expect((await api.delete(`${TAGS}/${vip.id}`)).status).toBe(204);

    const after = await conversationTags(conversations);
    expect(Object.keys(after)).toHaveLength(count);
    conversations.forEach((id, i) => expect(after[id]?.tags).toEqual(i % 3 === 0 ? [keep.id] : []));
    const afterContacts = await contactTags(contacts);
    contacts.forEach((id, i) => expect(afterContacts[id]?.tags).toEqual(i % 3 === 0 ? [keep.id] : []));
    const keepCount = lists.filter((list) => list.includes(keep.id)).length;
    expect(await conversationJoinRows()).toHaveLength(keepCount);
    expect((await conversationJoinRows()).every((row) => row.endsWith(`:${keep.id}`))).toBe(true);
    expect(await contactJoinRows()).toHaveLength(keepCount);
    expect(eventsNamed("tag.deleted")[0]?.payload).toMatchObject({ conversations: count, contacts: count });
  });

  it("leaves another team's conversations and contacts alone", async () => {
    const globex = await buildTeam(ctx, { name: "Globex" });
    const globexApi = client(ctx.app, { apiKey: globex.apiKey });
    const acmeVip = await createTag("VIP");
    const globexVip = await createTag("VIP", globexApi);
    const [acmeConversation] = await insertConversations(acme, [[acmeVip.id]]);
    const [globexConversation] = await insertConversations(globex, [[globexVip.id]]);
    const [globexContact] = await insertContacts(globex.team.id, [[globexVip.id]]);

    expect((await api.delete(`${TAGS}/${acmeVip.id}`)).status).toBe(204);

    const ids = [String(acmeConversation), String(globexConversation)];
    expect(await conversationTags(ids)).toEqual({ [ids[0] ?? ""]: expect.objectContaining({ tags: [] }), [ids[1] ?? ""]: expect.objectContaining({ tags: [globexVip.id] }) });
    expect(await contactTags([String(globexContact)])).toEqual({ [String(globexContact)]: expect.objectContaining({ tags: [globexVip.id] }) });
    expect(await conversationJoinRows()).toEqual([`${globexConversation}:${globexVip.id}`]);
    expect(await tagIds(globexApi)).toEqual([globexVip.id]);
  });

  it("changes nothing when a plain member is refused", async () => {
    const vip = await createTag("VIP");
    const [conversation] = await insertConversations(acme, [[vip.id]]);
    const member = client(ctx.app, { apiKey: (await buildMember(ctx, acme.team.id)).apiKey });
    expect((await member.delete(`${TAGS}/${vip.id}`)).status).toBe(403);
    expect((await conversationTags([String(conversation)]))[String(conversation)]?.tags).toEqual([vip.id]);
    expect(await conversationJoinRows()).toEqual([`${conversation}:${vip.id}`]);
  });

  it("changes nothing when another team tries to delete the tag", async () => {
    const globex = await buildTeam(ctx, { name: "Globex" });
    const tag = await createTag("Billing");
    const [conversation] = await insertConversations(acme, [[tag.id]]);
    const [contact] = await insertContacts(acme.team.id, [[tag.id]]);
    const reply = await client(ctx.app, { apiKey: globex.apiKey }).delete(`${TAGS}/${tag.id}`);
    expect(reply.status).toBe(404);
    expect(await tagIds()).toEqual([tag.id]);
    expect((await conversationTags([String(conversation)]))[String(conversation)]?.tags).toEqual([tag.id]);
    expect((await contactTags([String(contact)]))[String(contact)]?.tags).toEqual([tag.id]);
    expect(await conversationJoinRows()).toEqual([`${conversation}:${tag.id}`]);
    expect(await contactJoinRows()).toEqual([`${contact}:${tag.id}`]);
    expect(eventsNamed("tag.deleted")).toEqual([]);
  });
});
