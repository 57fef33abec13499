import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InboxRow } from "../../db/schema.js";
import { buildInbox, buildMember, buildTeam, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";

let ctx: TestContext;
let acme: BuiltTeam;
let sales: InboxRow;
let billing: InboxRow;
let api: ReturnType<typeof client>;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx, { name: "Acme Corp" });
  sales = await buildInbox(ctx, acme.team.id, "Sales");
  billing = await buildInbox(ctx, acme.team.id, "Billing");
  api = client(ctx.app, { apiKey: acme.apiKey });
});
afterEach(() => ctx.close());

const RULES = "/api/support/routing-rules";

/** Seed 000's three kinds of rule, pointed at this team's inboxes. */
function seedRules() {
  return [
    { condition: { url: { contains: "/pricing" } }, inboxId: sales.id },
    { condition: { userAttribute: { key: "plan", value: "enterprise" } }, inboxId: acme.inbox.id },
    { condition: { message: { contains: ["billing", "payment", "invoice"] } }, inboxId: billing.id },
  ];
}

async function currentRules(): Promise<unknown[]> {
  return (await api.get(RULES)).body.data;
}

describe("GET /api/support/routing-rules", () => {
  it("answers an empty list in the data envelope before any rule is set", async () => {
    const reply = await api.get(RULES);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ data: [] });
  });

  it("lets a team member read the rules", async () => {
    await api.put(RULES, seedRules());
    const { apiKey } = await buildMember(ctx, acme.team.id);
    const reply = await client(ctx.app, { apiKey }).get(RULES);
    expect(reply.status).toBe(200);
    expect(reply.body.data).toHaveLength(3);
  });
});

describe("PUT /api/support/routing-rules", () => {
  it("accepts seed 000's { routingRules } body and round-trips all three condition kinds in order", async () => {
    const reply = await api.put(RULES, { routingRules: seedRules() });
    expect(reply.status).toBe(200);
    const expected = seedRules().map((rule) => ({ id: expect.stringMatching(/^rule_[A-Za-z0-9]{16}$/), ...rule }));
    expect(reply.body.data).toEqual(expected);
    expect(await currentRules()).toEqual(reply.body.data);
  });

  it("accepts a bare array", async () => {
    const reply = await api.put(RULES, seedRules());
    expect(reply.status).toBe(200);
    expect(reply.body.data.map((rule: { inboxId: string }) => rule.inboxId)).toEqual([sales.id, acme.inbox.id, billing.id]);
  });

  it("keeps number and boolean attribute values as given", async () => {
    const rules = [
      { condition: { userAttribute: { key: "seats", value: 50 } }, inboxId: sales.id },
      { condition: { userAttribute: { key: "vip", value: true } }, inboxId: billing.id },
    ];
    const reply = await api.put(RULES, rules);
    expect(reply.body.data.map((rule: { condition: unknown }) => rule.condition)).toEqual(rules.map((rule) => rule.condition));
  });

  it("replaces the whole list, in the new order", async () => {
    await api.put(RULES, seedRules());
    const reversed = [...seedRules()].reverse();
    const reply = await api.put(RULES, reversed);
    expect(reply.body.data.map((rule: { inboxId: string }) => rule.inboxId)).toEqual([billing.id, acme.inbox.id, sales.id]);
    expect((await currentRules()).length).toBe(3);
  });

  it("keeps a rule's id when it is sent back, also after reordering", async () => {
    const first = (await api.put(RULES, seedRules())).body.data;
    const reordered = [first[2], first[0], { condition: { url: { contains: "/docs" } }, inboxId: acme.inbox.id }];
    const reply = await api.put(RULES, { routingRules: reordered });
    expect(reply.status).toBe(200);
    expect(reply.body.data[0]).toEqual(first[2]);
    expect(reply.body.data[1]).toEqual(first[0]);
    expect(reply.body.data[2].id).not.toBe(first[1].id);
    expect(await currentRules()).toEqual(reply.body.data);
  });

  it("gives a new id to a rule sent with an id it never had, or with an id repeated", async () => {
    const first = (await api.put(RULES, seedRules())).body.data;
    const reply = await api.put(RULES, [
      { ...seedRules()[0], id: "rule_neverexisted00" },
      first[1],
      { ...first[1], inboxId: sales.id },
    ]);
    expect(reply.status).toBe(200);
    const ids = reply.body.data.map((rule: { id: string }) => rule.id);
    expect(ids[0]).not.toBe("rule_neverexisted00");
    expect(ids[1]).toBe(first[1].id);
    expect(new Set(ids).size).toBe(3);
  });

  it("clears every rule given an empty list", async () => {
    await api.put(RULES, seedRules());
    const reply = await api.put(RULES, { routingRules: [] });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toEqual([]);
    expect(await currentRules()).toEqual([]);
  });

  it("records routing_rules.updated", async () => {
    await api.put(RULES, seedRules());
    expect(ctx.events.find((e) => e.name === "routing_rules.updated")).toMatchObject({ teamId: acme.team.id, payload: { count: 3 } });
  });

  it("rejects an unknown inboxId with 400 naming the rule and keeps the previous list", async () => {
    const before = (await api.put(RULES, seedRules())).body.data;
    const reply = await api.put(RULES, [...seedRules(), { condition: { url: { contains: "/jobs" } }, inboxId: "inbox_doesnotexist00" }]);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("validation_failed");
    expect(reply.body.error.details[0].path).toMatch(/^(routingRules\.)?3\.inboxId$/);
    expect(await currentRules()).toEqual(before);
  });

  it("removes an inbox's rules when the inbox is deleted, keeping the others in order", async () => {
    await api.put(RULES, [...seedRules(), { condition: { url: { contains: "/checkout" } }, inboxId: sales.id }]);
    expect((await api.delete(`/api/support/inboxes/${billing.id}`)).status).toBe(200);
    const rules = (await currentRules()) as { inboxId: string; condition: unknown }[];
    expect(rules.map((rule) => rule.inboxId)).toEqual([sales.id, acme.inbox.id, sales.id]);
    expect(rules.map((rule) => rule.condition)).toEqual([{ url: { contains: "/pricing" } }, { userAttribute: { key: "plan", value: "enterprise" } }, { url: { contains: "/checkout" } }]);
  });

  it("refuses team members (403) and inbox admins alike, keeping the list", async () => {
    const before = (await api.put(RULES, seedRules())).body.data;
    const member = await buildMember(ctx, acme.team.id, { inboxes: [{ inboxId: sales.id, role: "admin" }] });
    const reply = await client(ctx.app, { apiKey: member.apiKey }).put(RULES, [{ condition: { url: { contains: "/" } }, inboxId: sales.id }]);
    expect(reply.status).toBe(403);
    expect(reply.body.error.code).toBe("forbidden");
    expect(await currentRules()).toEqual(before);
  });

  it("lets a team admin replace the rules", async () => {
    const { apiKey } = await buildMember(ctx, acme.team.id, { role: "admin" });
    const reply = await client(ctx.app, { apiKey }).put(RULES, seedRules());
    expect(reply.status).toBe(200);
  });
});

describe("PUT /api/support/routing-rules validation", () => {
  const malformed: [string, unknown][] = [
    ["two kinds in one condition", { url: { contains: "/pricing" }, message: { contains: ["price"] } }],
    ["an empty condition", {}],
    ["an unknown condition kind", { referrer: { contains: "google" } }],
    ["an empty keyword list", { message: { contains: [] } }],
    ["an empty keyword", { message: { contains: ["billing", " "] } }],
    ["keywords given as a string", { message: { contains: "billing" } }],
    ["an empty url fragment", { url: { contains: "" } }],
    ["an unknown key inside url", { url: { contains: "/pricing", exact: true } }],
    ["an attribute without a value", { userAttribute: { key: "plan" } }],
    ["an attribute with an empty key", { userAttribute: { key: "", value: "enterprise" } }],
    ["an attribute value that is an object", { userAttribute: { key: "plan", value: { name: "enterprise" } } }],
    ["an unknown key inside userAttribute", { userAttribute: { key: "plan", value: "x", op: "eq" } }],
  ];

  it.each(malformed)("rejects %s with 400 and keeps the previous list", async (_what, condition) => {
    const before = (await api.put(RULES, seedRules())).body.data;
    for (const body of [[{ condition, inboxId: sales.id }], { routingRules: [{ condition, inboxId: sales.id }] }]) {
      const reply = await api.put(RULES, body);
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe("validation_failed");
    }
    expect(await currentRules()).toEqual(before);
  });

  it("names the rule's condition in details.path when a condition matches no kind", async () => {
    const reply = await api.put(RULES, { routingRules: [seedRules()[0], { condition: { url: { contains: "/a" }, message: { contains: ["b"] } }, inboxId: sales.id }] });
    expect(reply.status).toBe(400);
    expect(reply.body.error.details.map((detail: { path: string }) => detail.path)).toContainEqual(expect.stringMatching(/^(routingRules\.)?1\.condition/));
  });

  it("rejects unknown fields on a rule and beside routingRules", async () => {
    const onRule = await api.put(RULES, [{ ...seedRules()[0], priority: 1 }]);
    expect(onRule.status).toBe(400);
    expect(onRule.body.error.details[0].path).toBe("routingRules.0.priority");
    const beside = await api.put(RULES, { routingRules: seedRules(), fallbackInboxId: sales.id });
    expect(beside.status).toBe(400);
    expect(beside.body.error.details[0].path).toBe("fallbackInboxId");
    expect(await currentRules()).toEqual([]);
  });

  it("rejects a rule without an inboxId", async () => {
    const reply = await api.put(RULES, [{ condition: { url: { contains: "/pricing" } } }]);
    expect(reply.status).toBe(400);
    expect(await currentRules()).toEqual([]);
  });
});

describe("routing rules across teams", () => {
  let globex: BuiltTeam;
  let globexApi: ReturnType<typeof client>;

  beforeEach(async () => {
    globex = await buildTeam(ctx, { name: "Globex" });
    globexApi = client(ctx.app, { apiKey: globex.apiKey });
  });

  it("never shows another team's rules", async () => {
    await api.put(RULES, seedRules());
    expect((await globexApi.get(RULES)).body.data).toEqual([]);
  });

  it("rejects another team's inboxId with 400, keeping both teams' rules", async () => {
    const acmeRules = (await api.put(RULES, seedRules())).body.data;
    const globexRules = (await globexApi.put(RULES, [{ condition: { url: { contains: "/" } }, inboxId: globex.inbox.id }])).body.data;
    const reply = await globexApi.put(RULES, [{ condition: { url: { contains: "/pricing" } }, inboxId: sales.id }]);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("validation_failed");
    expect((await globexApi.get(RULES)).body.data).toEqual(globexRules);
    expect(await currentRules()).toEqual(acmeRules);
  });

  it("leaves a team's rules alone when another team replaces its own, even sending the first team's rule ids", async () => {
    const acmeRules = (await api.put(RULES, seedRules())).body.data;
    const reply = await globexApi.put(RULES, [{ id: acmeRules[0].id, condition: { url: { contains: "/x" } }, inboxId: globex.inbox.id }]);
    expect(reply.status).toBe(200);
    expect(reply.body.data[0].id).not.toBe(acmeRules[0].id);
    await globexApi.put(RULES, []);
    expect(await currentRules()).toEqual(acmeRules);
  });
});
