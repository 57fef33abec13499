import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildMember, buildTeam, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";
import { defaultTagColor } from "./tag.repo.js";

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
const TAG_ID = /^tag_[A-Za-z0-9]{16}$/;

const eventsNamed = (name: string) => ctx.events.filter((event) => event.name === name);

async function createTag(name: string, color?: string, caller = api): Promise<{ id: string; name: string; color: string }> {
  const reply = await caller.post(TAGS, color === undefined ? { name } : { name, color });
  expect(reply.status).toBe(201);
  return reply.body.data;
}

async function tagList(caller = api): Promise<{ id: string; name: string; color: string; createdAt: string; updatedAt: string }[]> {
  const reply = await caller.get(TAGS);
  expect(reply.status).toBe(200);
  return reply.body.data;
}

async function memberApi(role: "member" | "admin" = "member") {
  return client(ctx.app, { apiKey: (await buildMember(ctx, acme.team.id, { role })).apiKey });
}

describe("GET /api/support/tags", () => {
  it("answers an empty list in the data envelope before any tag exists", async () => {
    const reply = await api.get(TAGS);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ data: [] });
  });

  it("lists every tag of the team by name regardless of case, in the exact shape", async () => {
    const zeta = await createTag("zeta", "#111111");
    const alpha = await createTag("Alpha", "#222222");
    const beta = await createTag("beta", "#333333");
    const reply = await api.get(TAGS);
    expect(reply.body).toEqual({
      data: [
        { id: alpha.id, name: "Alpha", color: "#222222", createdAt: T0, updatedAt: T0 },
        { id: beta.id, name: "beta", color: "#333333", createdAt: T0, updatedAt: T0 },
        { id: zeta.id, name: "zeta", color: "#111111", createdAt: T0, updatedAt: T0 },
      ],
    });
  });

  it("is open to plain members", async () => {
    await createTag("VIP");
    const member = await memberApi();
    expect((await tagList(member)).map((tag) => tag.name)).toEqual(["VIP"]);
  });

  it("answers 401 without credentials", async () => {
    const reply = await client(ctx.app).get(TAGS);
    expect(reply.status).toBe(401);
  });
});

describe("POST /api/support/tags", () => {
  it("creates a tag with the default colour of its name and answers 201 { data }", async () => {
    const reply = await api.post(TAGS, { name: "Billing" });
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({ data: { id: expect.stringMatching(TAG_ID), name: "Billing", color: defaultTagColor("Billing"), createdAt: T0, updatedAt: T0 } });
    expect(await tagList()).toEqual([reply.body.data]);
  });

  it("keeps a colour given as #RRGGBB", async () => {
    const reply = await api.post(TAGS, { name: "Urgent", color: "#ef4444" });
    expect(reply.status).toBe(201);
    expect(reply.body.data.color).toBe("#ef4444");
  });

  it("stores the name trimmed, with inner runs of whitespace made one space", async () => {
    const tag = await createTag("  VIP \t  customer  ");
    expect(tag.name).toBe("VIP customer");
  });

  it("accepts a 50-character name and keeps emoji and other scripts", async () => {
    expect((await createTag("x".repeat(50))).name).toHaveLength(50);
    expect((await createTag("🔥 Priorität — 優先")).name).toBe("🔥 Priorität — 優先");
  });

  it("records tag.created", async () => {
    const tag = await createTag("Billing", "#123456");
    expect(eventsNamed("tag.created")).toEqual([
      expect.objectContaining({ teamId: acme.team.id, payload: expect.objectContaining({ tag: { id: tag.id, name: "Billing", color: "#123456", createdAt: T0, updatedAt: T0 }, actorId: acme.owner.id }) }),
    ]);
  });

  it("lets a plain member create a tag", async () => {
    const reply = await (await memberApi()).post(TAGS, { name: "Feedback" });
    expect(reply.status).toBe(201);
    expect((await tagList()).map((tag) => tag.name)).toEqual(["Feedback"]);
  });

  it.each(["billing", "BILLING", "  Billing  ", "bIlLiNg"])("refuses %j with 409 name_taken when Billing exists, adding nothing", async (name) => {
    const billing = await createTag("Billing");
    const reply = await api.post(TAGS, { name });
    expect(reply.status).toBe(409);
    expect(reply.body).toEqual({ error: { code: "name_taken", message: expect.any(String) } });
    expect(await tagList()).toEqual([expect.objectContaining({ id: billing.id, name: "Billing" })]);
  });

  it("treats names differing only in inner spacing as the same", async () => {
    await createTag("VIP customer");
    const reply = await api.post(TAGS, { name: "vip    CUSTOMER" });
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe("name_taken");
  });
});

describe("POST /api/support/tags validation", () => {
  const invalid: [string, unknown, string][] = [
    ["no name", {}, "name"],
    ["an empty name", { name: "" }, "name"],
    ["a blank name", { name: "   \n " }, "name"],
    ["a 51-character name", { name: "x".repeat(51) }, "name"],
    ["a name that is a number", { name: 42 }, "name"],
    ["a null name", { name: null }, "name"],
    ["a name with U+0000", { name: "bad\u0000tag" }, "name"],
    ["a colour name", { name: "A", color: "red" }, "color"],
    ["a 3-digit colour", { name: "A", color: "#FFF" }, "color"],
    ["a colour without #", { name: "A", color: "3B82F6" }, "color"],
    ["a colour with non-hex digits", { name: "A", color: "#GG0000" }, "color"],
    ["a colour with alpha", { name: "A", color: "#3B82F6FF" }, "color"],
    ["a null colour", { name: "A", color: null }, "color"],
    ["an unknown field", { name: "A", parentId: "tag_x" }, "parentId"],
  ];

  it.each(invalid)("rejects %s with 400 validation_failed naming the field, creating nothing", async (_what, body, path) => {
    const reply = await api.post(TAGS, body);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("validation_failed");
    expect(reply.body.error.details[0].path).toBe(path);
    expect(await tagList()).toEqual([]);
    expect(eventsNamed("tag.created")).toEqual([]);
  });
});

describe("PATCH /api/support/tags/:tagId", () => {
  it("renames and recolours a tag (admin), advancing updatedAt only", async () => {
    const tag = await createTag("Billing", "#111111");
    ctx.clock.set(T1);
    const reply = await api.patch(`${TAGS}/${tag.id}`, { name: " Invoices ", color: "#222222" });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ data: { id: tag.id, name: "Invoices", color: "#222222", createdAt: T0, updatedAt: T1 } });
    expect(await tagList()).toEqual([reply.body.data]);
  });

  it("changes only the fields given", async () => {
    const tag = await createTag("Billing", "#111111");
    expect((await api.patch(`${TAGS}/${tag.id}`, { color: "#abcdef" })).body.data).toMatchObject({ name: "Billing", color: "#abcdef" });
    expect((await api.patch(`${TAGS}/${tag.id}`, { name: "Payments" })).body.data).toMatchObject({ name: "Payments", color: "#abcdef" });
  });

  it("records tag.updated, and nothing when nothing changes", async () => {
    const tag = await createTag("Billing", "#111111");
    await api.patch(`${TAGS}/${tag.id}`, { name: "Billing", color: "#111111" });
    await api.patch(`${TAGS}/${tag.id}`, {});
    expect(eventsNamed("tag.updated")).toEqual([]);
    await api.patch(`${TAGS}/${tag.id}`, { color: "#999999" });
    expect(eventsNamed("tag.updated")).toEqual([expect.objectContaining({ payload: expect.objectContaining({ tag: expect.objectContaining({ id: tag.id, color: "#999999" }) }) })]);
  });

  it("lets a tag change the case of its own name", async () => {
    const tag = await createTag("billing");
    const reply = await api.patch(`${TAGS}/${tag.id}`, { name: "Billing" });
    expect(reply.status).toBe(200);
    expect(reply.body.data.name).toBe("Billing");
  });

  it("refuses another tag's name in any case with 409 name_taken, changing nothing", async () => {
    await createTag("Billing");
    const sales = await createTag("Sales", "#111111");
    const reply = await api.patch(`${TAGS}/${sales.id}`, { name: "BILLING", color: "#222222" });
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe("name_taken");
    expect((await tagList()).map((tag) => [tag.name, tag.color])).toEqual([
      ["Billing", defaultTagColor("Billing")],
      ["Sales", "#111111"],
    ]);
  });

  it("refuses plain members with 403, keeping the tag", async () => {
    const tag = await createTag("Billing", "#111111");
    const reply = await (await memberApi()).patch(`${TAGS}/${tag.id}`, { name: "Renamed" });
    expect(reply.status).toBe(403);
    expect(reply.body.error.code).toBe("forbidden");
    expect((await tagList())[0]).toMatchObject({ name: "Billing", color: "#111111" });
  });

  it("lets a team admin change a tag", async () => {
    const tag = await createTag("Billing");
    const reply = await (await memberApi("admin")).patch(`${TAGS}/${tag.id}`, { name: "Invoices" });
    expect(reply.status).toBe(200);
    expect(reply.body.data.name).toBe("Invoices");
  });

  it("answers 404 for an unknown tag", async () => {
    const reply = await api.patch(`${TAGS}/tag_doesnotexist0000`, { name: "X" });
    expect(reply.status).toBe(404);
    expect(reply.body).toEqual({ error: { code: "not_found", message: expect.any(String) } });
  });

  const invalid: [string, unknown, string][] = [
    ["an empty name", { name: "" }, "name"],
    ["a 51-character name", { name: "y".repeat(51) }, "name"],
    ["a null name", { name: null }, "name"],
    ["a bad colour", { color: "blue" }, "color"],
    ["an unknown field", { name: "Ok", id: "tag_other" }, "id"],
  ];

  it.each(invalid)("rejects %s with 400 validation_failed, changing nothing", async (_what, body, path) => {
    const tag = await createTag("Billing", "#111111");
    const reply = await api.patch(`${TAGS}/${tag.id}`, body);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("validation_failed");
    expect(reply.body.error.details[0].path).toBe(path);
    expect(await tagList()).toEqual([{ id: tag.id, name: "Billing", color: "#111111", createdAt: T0, updatedAt: T0 }]);
  });
});

describe("DELETE /api/support/tags/:tagId", () => {
  it("deletes a tag (admin), answers 204 without a body and records tag.deleted", async () => {
    const billing = await createTag("Billing");
    const sales = await createTag("Sales");
    const reply = await api.delete(`${TAGS}/${billing.id}`);
    expect(reply.status).toBe(204);
    expect(reply.body).toBeUndefined();
    expect((await tagList()).map((tag) => tag.id)).toEqual([sales.id]);
    expect(eventsNamed("tag.deleted")).toEqual([
      expect.objectContaining({ teamId: acme.team.id, payload: expect.objectContaining({ tagId: billing.id, name: "Billing", conversations: 0, contacts: 0, actorId: acme.owner.id }) }),
    ]);
  });

  it("refuses plain members with 403, keeping the tag", async () => {
    const tag = await createTag("Billing");
    const reply = await (await memberApi()).delete(`${TAGS}/${tag.id}`);
    expect(reply.status).toBe(403);
    expect(reply.body.error.code).toBe("forbidden");
    expect((await tagList()).map((row) => row.id)).toEqual([tag.id]);
  });

  it("lets a team admin delete a tag", async () => {
    const tag = await createTag("Billing");
    expect((await (await memberApi("admin")).delete(`${TAGS}/${tag.id}`)).status).toBe(204);
    expect(await tagList()).toEqual([]);
  });

  it("answers 404 for an unknown or already deleted tag", async () => {
    const tag = await createTag("Billing");
    expect((await api.delete(`${TAGS}/${tag.id}`)).status).toBe(204);
    const again = await api.delete(`${TAGS}/${tag.id}`);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe("not_found");
  });

  it("frees the name for a new tag", async () => {
    const tag = await createTag("Billing");
    await api.delete(`${TAGS}/${tag.id}`);
    const again = await createTag("billing");
    expect(again.id).not.toBe(tag.id);
  });
});

describe("tags across teams", () => {
  let globex: BuiltTeam;
  let globexApi: ReturnType<typeof client>;

  beforeEach(async () => {
    globex = await buildTeam(ctx, { name: "Globex" });
    globexApi = client(ctx.app, { apiKey: globex.apiKey });
  });

  it("never lists another team's tags", async () => {
    await createTag("Billing");
    await createTag("VIP");
    expect(await tagList(globexApi)).toEqual([]);
    const own = await createTag("Own", undefined, globexApi);
    expect(await tagList(globexApi)).toEqual([expect.objectContaining({ id: own.id })]);
  });

  it("lets two teams each have a tag of the same name", async () => {
    const acmeTag = await createTag("Billing");
    const globexTag = await createTag("billing", undefined, globexApi);
    expect(globexTag.id).not.toBe(acmeTag.id);
  });

  it("returns 404 when the tag to change belongs to another team, changing nothing", async () => {
    const tag = await createTag("Billing", "#111111");
    const reply = await globexApi.patch(`${TAGS}/${tag.id}`, { name: "Hijacked", color: "#000000" });
    expect(reply.status).toBe(404);
    expect(reply.body.error.code).toBe("not_found");
    expect(await tagList()).toEqual([{ id: tag.id, name: "Billing", color: "#111111", createdAt: T0, updatedAt: T0 }]);
  });

  it("returns 404 when the tag to delete belongs to another team, keeping it", async () => {
    const tag = await createTag("Billing");
    const reply = await globexApi.delete(`${TAGS}/${tag.id}`);
    expect(reply.status).toBe(404);
    expect(reply.body.error.code).toBe("not_found");
    expect((await tagList()).map((row) => row.id)).toEqual([tag.id]);
    expect(eventsNamed("tag.deleted")).toEqual([]);
  });
});

describe("the tags API documentation", () => {
  it("publishes every tags endpoint and the Tag schema in the OpenAPI document", async () => {
    const doc = (await ctx.app.inject({ method: "GET", url: "/api/openapi.json" })).json<any>();
    expect(Object.keys(doc.paths["/api/support/tags"]).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/api/support/tags/{tagId}"]).sort()).toEqual(["delete", "patch"]);
    expect(doc.components.schemas.Tag.required.sort()).toEqual(["color", "createdAt", "id", "name", "updatedAt"]);
    const body = doc.paths["/api/support/tags"].post.requestBody.content["application/json"].schema;
    expect(body).toMatchObject({ required: ["name"], additionalProperties: false, properties: { name: { minLength: 1, maxLength: 50 } } });
  });
});
