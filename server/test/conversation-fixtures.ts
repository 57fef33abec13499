import { expect } from "vitest";
import type { InboxRow } from "../src/db/schema.js";
import { recountInbox } from "../src/modules/conversations/counts.repo.js";
import { buildInbox, buildMember, buildTeam, type BuiltMember, type BuiltTeam } from "./factories.js";
import { client } from "./http.js";
import type { TestContext } from "./test-context.js";

export type Api = ReturnType<typeof client>;

/** Tables whose rows the tests count to prove that nothing was (or exactly one thing was) written. */
type CountedTable = "conversations" | "messages" | "contacts" | "notifications" | "tags" | "conversation_tags" | "idempotency_keys" | "jobs";

/** How many rows a table holds, for one team when teamId is given. */
export async function countRows(ctx: TestContext, table: CountedTable, teamId?: string): Promise<number> {
  let query = ctx.database.db.selectFrom(table as "conversations").select((eb) => eb.fn.countAll<number>().as("n"));
  if (teamId !== undefined) {
    query = query.where("team_id", "=", teamId);
  }
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}

/** POST /threads as this caller; fails the test unless it answers 201. Returns the thread. */
export async function startThread(api: Api, body: Record<string, unknown>): Promise<any> {
  const reply = await api.post("/api/support/threads", body);
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body.thread;
}

/** PATCH /threads/:id; fails the test unless it answers 200. Returns the thread. */
export async function patchThread(api: Api, id: string, body: Record<string, unknown>): Promise<any> {
  const reply = await api.patch(`/api/support/threads/${id}`, body);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.thread;
}

/** POST /threads/:id/messages; fails the test unless it answers 201. Returns the message. */
export async function postMessage(api: Api, id: string, body: Record<string, unknown>): Promise<any> {
  const reply = await api.post(`/api/support/threads/${id}/messages`, body);
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body.message;
}

/** Every thread of a list query, walking nextCursor (the query must not carry its own cursor). */
export async function listAll(api: Api, query: string, limit = 100): Promise<any[]> {
  const out: any[] = [];
  let cursor: string | null = null;
  do {
    const url: string = `/api/support/threads?${query}${query ? "&" : ""}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const reply = await api.get(url);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    out.push(...reply.body.threads);
    cursor = reply.body.nextCursor;
  } while (cursor);
  return out;
}

/** Names of the mix's conversations, in the order they were created (6 hours apart from 2026-03-02 15:00 UTC). */
export const MIX = ["u1", "u2", "aA", "aB", "aO", "pA", "sz", "cA", "cU", "sp", "spc", "bot", "bu", "bC", "bB", "bcC", "bp"] as const;
export type MixName = (typeof MIX)[number];

export interface ConversationMix {
  acme: BuiltTeam;
  support: InboxRow;
  billing: InboxRow;
  /** Support agent. */
  alice: BuiltMember;
  /** Agent of Support and Billing. */
  bob: BuiltMember;
  /** Billing agent only. */
  carol: BuiltMember;
  /** The contact of u1 and bu. */
  contactX: string;
  /** Conversation id by name. */
  id: Record<MixName, string>;
  /** Conversation name by id. */
  nameOf: (threadId: string) => MixName;
}

/**
 * Seventeen conversations over two inboxes, made through the API (the bot flag and two channels set in
 * the database, as nothing else can set them yet):
 *
 * | name | inbox | state | assignee | other |
 * | u1 | Support | open | — | tag vip, contact X |
 * | u2 | Support | open | — | channel widget |
 * | aA aB aO | Support | open | alice, bob, owner | aA tag Billing Question |
 * | pA | Support | pending | alice | |
 * | sz | Support | snoozed | — | |
 * | cA | Support | closed 2026-03-10 08:00 | alice | |
 * | cU | Support | closed 2026-03-11 23:30 | — | channel email |
 * | sp | Support | open, spam | — | |
 * | spc | Support | closed 2026-03-10 10:00, spam | alice | |
 * | bot | Support | open, handled by the bot | — | |
 * | bu | Billing | open | — | tag vip, contact X |
 * | bC bB | Billing | open | carol, bob | |
 * | bcC | Billing | closed 2026-03-12 00:30 | carol | |
 * | bp | Billing | pending | — | |
 */
export async function buildConversationMix(ctx: TestContext): Promise<ConversationMix> {
  const acme = await buildTeam(ctx);
  const support = acme.inbox;
  const billing = await buildInbox(ctx, acme.team.id, "Billing");
  const alice = await buildMember(ctx, acme.team.id, { name: "Alice Johnson", inboxes: [{ inboxId: support.id }] });
  const bob = await buildMember(ctx, acme.team.id, { name: "Bob Martin", inboxes: [{ inboxId: support.id }, { inboxId: billing.id }] });
  const carol = await buildMember(ctx, acme.team.id, { name: "Carol White", inboxes: [{ inboxId: billing.id }] });
  const api = client(ctx.app, { apiKey: acme.apiKey });

  const id = {} as Record<MixName, string>;
  let contactX = "";
  for (const name of MIX) {
    const inboxId = name.startsWith("b") && name !== "bot" ? billing.id : support.id;
    const contact = name === "u1" || name === "bu" ? { email: "x@example.com", name: "Xavier" } : { email: `${name.toLowerCase()}@example.com` };
    const thread = await startThread(api, { inboxId, subject: `about ${name}`, contact, message: { content: `Hello from ${name}` } });
    id[name] = thread.id;
    if (name === "u1") {
      contactX = thread.contactId;
    }
    ctx.clock.advance(6 * 3_600_000);
  }

  ctx.clock.set("2026-03-10T08:00:00.000Z");
  await patchThread(api, id.cA, { assignedToMemberId: alice.member.id, status: "closed" });
  ctx.clock.set("2026-03-10T10:00:00.000Z");
  await patchThread(api, id.spc, { assignedToMemberId: alice.member.id, status: "closed", spam: true });
  ctx.clock.set("2026-03-11T23:30:00.000Z");
  await patchThread(api, id.cU, { status: "closed" });
  ctx.clock.set("2026-03-12T00:30:00.000Z");
  await patchThread(api, id.bcC, { assignedToMemberId: carol.member.id, status: "closed" });
  ctx.clock.set("2026-03-12T09:00:00.000Z");
  await patchThread(api, id.u1, { tags: ["vip"] });
  await patchThread(api, id.bu, { tags: ["VIP"] });
  await patchThread(api, id.aA, { assignedToMemberId: alice.member.id, tags: ["Billing Question"] });
  await patchThread(api, id.aB, { assignedToMemberId: bob.member.id });
  await patchThread(api, id.aO, { assignedToMemberId: acme.owner.id });
  await patchThread(api, id.pA, { assignedToMemberId: alice.member.id, status: "pending" });
  await patchThread(api, id.sz, { status: "snoozed", snoozedUntil: "2026-04-01T00:00:00.000Z" });
  await patchThread(api, id.sp, { spam: true });
  await patchThread(api, id.bC, { assignedToMemberId: carol.member.id });
  await patchThread(api, id.bB, { assignedToMemberId: bob.member.id });
  await patchThread(api, id.bp, { status: "pending" });

  await ctx.database.transaction(async (tx) => {
    await tx.updateTable("conversations").set({ channel: "widget" }).where("id", "=", id.u2).execute();
    await tx.updateTable("conversations").set({ channel: "email" }).where("id", "=", id.cU).execute();
    // No bot exists yet: mark one conversation as the bot's, and rebuild the counters as a bot hand-off would keep them.
    await tx.updateTable("conversations").set({ handled_by_bot: 1, bucket: "automated" }).where("id", "=", id.bot).execute();
    await recountInbox(tx, acme.team.id, support.id);
  });

  const byId = new Map(Object.entries(id).map(([name, threadId]) => [threadId, name as MixName]));
  const nameOf = (threadId: string): MixName => {
    const name = byId.get(threadId);
    if (!name) {
      throw new Error(`${threadId} is not a conversation of the mix`);
    }
    return name;
  };
  return { acme, support, billing, alice, bob, carol, contactX, id, nameOf };
}
