import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildMember, buildTeam, type BuiltMember, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";

let ctx: TestContext;
let acme: BuiltTeam;
let api: ReturnType<typeof client>;
let sales: BuiltMember;
let support: BuiltMember;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx);
  api = client(ctx.app, { apiKey: acme.apiKey });
  sales = await buildMember(ctx, acme.team.id, { name: "Sam Sales", inboxes: [{ inboxId: acme.inbox.id }] });
  support = await buildMember(ctx, acme.team.id, { name: "Sue Support", inboxes: [{ inboxId: acme.inbox.id }] });
});
afterEach(() => ctx.close());

const rules = () => [
  { memberId: sales.member.id, keywords: ["pricing", "demo", "quote", "buy", "purchase"] },
  { memberId: support.member.id, keywords: ["help", "issue", "problem", "bug", "error", "not working"] },
];

async function newThread(content: string): Promise<string | null> {
  const reply = await api.post("/api/support/threads", { contact: { name: "Visitor" }, message: { content } });
  return reply.body.thread.assignedToMemberId as string | null;
}

describe("keyword routing to members (seed 003's role-based routing)", () => {
  it("stores the ordered rules in either body form and lists them", async () => {
    const saved = await api.put("/api/support/member-routing-rules", { memberRoutingRules: rules() });
    expect(saved.status).toBe(200);
    expect(saved.body.data.map((r: { memberId: string }) => r.memberId)).toEqual([sales.member.id, support.member.id]);
    const bare = await api.put("/api/support/member-routing-rules", rules().reverse());
    expect(bare.body.data[0].memberId).toBe(support.member.id);
    expect((await api.get("/api/support/member-routing-rules")).body.data).toEqual(bare.body.data);
  });

  it("gives a new conversation to the first member whose keyword its first message contains, even with manual assignment", async () => {
    await api.put("/api/support/member-routing-rules", rules());
    expect(await newThread("Can I get a QUOTE for 20 seats?")).toBe(sales.member.id);
    expect(await newThread("The export is not working")).toBe(support.member.id);
    expect(await newThread("Just saying hi")).toBeNull();
  });

  it("skips a member who is away, falling through to the inbox's rule", async () => {
    await api.put("/api/support/member-routing-rules", rules());
    await api.put(`/api/support/members/${sales.member.id}/availability`, { status: "away" });
    expect(await newThread("pricing please")).toBeNull();
    await api.put(`/api/support/inboxes/${acme.inbox.id}`, { assignmentRules: { type: "round_robin" } });
    await api.put(`/api/support/members/${acme.owner.id}/availability`, { status: "away" });
    expect(await newThread("pricing please")).toBe(support.member.id);
  });

  it("refuses members of other teams, bad bodies, and non-admins, changing nothing", async () => {
    await api.put("/api/support/member-routing-rules", rules());
    const globex = await buildTeam(ctx, { name: "Globex" });
    const foreign = await api.put("/api/support/member-routing-rules", [{ memberId: globex.owner.id, keywords: ["x"] }]);
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.details[0].path).toBe("memberRoutingRules.0.memberId");
    expect((await api.put("/api/support/member-routing-rules", [{ memberId: sales.member.id, keywords: [] }])).status).toBe(400);
    expect((await client(ctx.app, { apiKey: sales.apiKey }).put("/api/support/member-routing-rules", [])).status).toBe(403);
    expect((await api.get("/api/support/member-routing-rules")).body.data).toHaveLength(2);
    expect((await client(ctx.app, { apiKey: globex.apiKey }).get("/api/support/member-routing-rules")).body.data).toEqual([]);
  });
});
