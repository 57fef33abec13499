import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InboxRow } from "../../db/schema.js";
import { buildInbox, buildMember, buildTeam, type BuiltMember, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";

let ctx: TestContext;
let acme: BuiltTeam;
let sales: InboxRow;
let billing: InboxRow;
let salesOnly: BuiltMember;
let both: BuiltMember;
let api: ReturnType<typeof client>;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx);
  sales = await buildInbox(ctx, acme.team.id, "Sales");
  billing = await buildInbox(ctx, acme.team.id, "Billing");
  salesOnly = await buildMember(ctx, acme.team.id, { name: "Sam", inboxes: [{ inboxId: sales.id }] });
  both = await buildMember(ctx, acme.team.id, { name: "Bea", inboxes: [{ inboxId: sales.id }, { inboxId: billing.id }] });
  api = client(ctx.app, { apiKey: acme.apiKey });
});
afterEach(() => ctx.close());

async function conversationIn(inboxId: string, assignee?: string): Promise<string> {
  const created = await api.post("/api/support/threads", { inboxId, contact: { name: "Visitor" }, message: { content: "Hello" } });
  const id = created.body.thread.id as string;
  if (assignee) {
    await api.patch(`/api/support/threads/${id}`, { assignedToMemberId: assignee });
  }
  return id;
}

describe("deleting an inbox that holds conversations", () => {
  it("refuses without a destination and changes nothing", async () => {
    await conversationIn(sales.id);
    const reply = await api.delete(`/api/support/inboxes/${sales.id}`);
    expect(reply.status).toBe(409);
    expect(reply.body.error).toMatchObject({ code: "inbox_not_empty", details: { conversations: 1 } });
    expect((await api.get(`/api/support/inboxes/${sales.id}`)).status).toBe(200);
  });

  it("moves the conversations, unassigns those whose assignee is not in the new inbox, and keeps counts right", async () => {
    const keptAssignee = await conversationIn(sales.id, both.member.id);
    const lostAssignee = await conversationIn(sales.id, salesOnly.member.id);
    const unassigned = await conversationIn(sales.id);
    const reply = await api.delete(`/api/support/inboxes/${sales.id}?moveConversationsTo=${billing.id}`);
    expect(reply.status).toBe(200);
    const threads = await api.get(`/api/support/threads?filter[inboxIds][0]=${billing.id}`);
    const byId = new Map(threads.body.threads.map((t: { id: string; assignedToMemberId: string | null }) => [t.id, t.assignedToMemberId]));
    expect(byId).toEqual(
      new Map([
        [keptAssignee, both.member.id],
        [lostAssignee, null],
        [unassigned, null],
      ]),
    );
    const counts = await client(ctx.app, { apiKey: both.apiKey }).get("/api/support/conversations/counts");
    expect(counts.body.data).toMatchObject({ unassigned: 2, mine: 1, open: 3, all: 3 });
    expect((await client(ctx.app, { apiKey: salesOnly.apiKey }).get("/api/support/conversations/counts")).body.data).toMatchObject({ all: 0, mine: 0 });
  });

  it("refuses to move conversations into the inbox being deleted or another team's inbox", async () => {
    await conversationIn(sales.id);
    const globex = await buildTeam(ctx, { name: "Globex" });
    expect((await api.delete(`/api/support/inboxes/${sales.id}?moveConversationsTo=${sales.id}`)).status).toBe(400);
    expect((await api.delete(`/api/support/inboxes/${sales.id}?moveConversationsTo=${globex.inbox.id}`)).status).toBe(400);
    expect((await api.get(`/api/support/inboxes/${sales.id}`)).status).toBe(200);
  });
});
