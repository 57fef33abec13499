import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InboxRow } from "../../db/schema.js";
import { buildInbox, buildMember, buildTeam, type BuiltMember, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";

let ctx: TestContext;
let acme: BuiltTeam;
let sales: InboxRow;
let alice: BuiltMember;
let api: ReturnType<typeof client>;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx);
  sales = await buildInbox(ctx, acme.team.id, "Sales");
  alice = await buildMember(ctx, acme.team.id, { name: "Alice", inboxes: [{ inboxId: acme.inbox.id }, { inboxId: sales.id }] });
  api = client(ctx.app, { apiKey: acme.apiKey });
});
afterEach(() => ctx.close());

async function assignedConversation(inboxId: string, status?: "closed" | "pending"): Promise<string> {
  const created = await api.post("/api/support/threads", { inboxId, contact: { name: "Visitor" }, message: { content: "Hello" } });
  const id = created.body.thread.id as string;
  await api.patch(`/api/support/threads/${id}`, { assignedToMemberId: alice.member.id, ...(status ? { status } : {}) });
  return id;
}

const assigneeOf = async (id: string) => (await api.get(`/api/support/threads/${id}`)).body.thread.assignedToMemberId as string | null;

describe("when a member leaves", () => {
  it("unassigns their unfinished conversations when removed from the team, keeping closed ones on record", async () => {
    const open = await assignedConversation(acme.inbox.id);
    const pending = await assignedConversation(sales.id, "pending");
    const closed = await assignedConversation(sales.id, "closed");
    expect((await api.delete(`/api/support/members/${alice.member.id}`)).status).toBe(200);
    expect(await assigneeOf(open)).toBeNull();
    expect(await assigneeOf(pending)).toBeNull();
    expect(await assigneeOf(closed)).toBe(alice.member.id);
    const lines = (await api.get(`/api/support/threads/${open}/messages`)).body.messages.map((m: { content: string }) => m.content);
    expect(lines).toContain("Alice left the team: unassigned");
    expect((await api.get("/api/support/conversations/counts")).body.data).toMatchObject({ unassigned: 1, pending: 1, closed: 1 });
  });

  it("unassigns only that inbox's conversations when removed from one inbox", async () => {
    const inSupport = await assignedConversation(acme.inbox.id);
    const inSales = await assignedConversation(sales.id);
    expect((await api.delete(`/api/support/inboxes/${sales.id}/members/${alice.member.id}`)).status).toBe(204);
    expect(await assigneeOf(inSales)).toBeNull();
    expect(await assigneeOf(inSupport)).toBe(alice.member.id);
    expect((await client(ctx.app, { apiKey: alice.apiKey }).get("/api/support/conversations/counts")).body.data).toMatchObject({ mine: 1 });
  });
});

describe("deleting a team", () => {
  it("deletes its conversations and messages with it and leaves other teams alone", async () => {
    const globex = await buildTeam(ctx, { name: "Globex" });
    await assignedConversation(acme.inbox.id);
    await client(ctx.app, { apiKey: globex.apiKey }).post("/api/support/threads", { contact: { name: "Other" }, message: { content: "Hi" } });
    const owner = await buildMember(ctx, acme.team.id, { role: "owner" });
    const reply = await client(ctx.app, { apiKey: owner.apiKey }).delete("/api/support/team", { confirm: "Acme Corp" });
    expect(reply.status).toBe(204);
    const left = await ctx.database.db.selectFrom("conversations").select("team_id").execute();
    expect(left.map((row) => row.team_id)).toEqual([globex.team.id]);
    const messages = await ctx.database.db.selectFrom("messages").select("team_id").distinct().execute();
    expect(messages.map((row) => row.team_id)).toEqual([globex.team.id]);
  });
});
