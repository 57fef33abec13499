import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildTeam, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";

let ctx: TestContext;
let acme: BuiltTeam;
let api: ReturnType<typeof client>;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx, { name: "Acme Corp" });
  api = client(ctx.app, { apiKey: acme.apiKey });
});
afterEach(() => ctx.close());

const CONTACTS = "/api/support/contacts";
const long = (n: number) => "x".repeat(n);
const manyAttributes = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, i]));

/** [what, body, the path details must name] — each breaks exactly one rule of both POST and PATCH. */
const badFields: [string, Record<string, unknown>, string][] = [
  ["an unknown field", { nickname: "Al" }, "nickname"],
  ["a name that is a number", { name: 5 }, "name"],
  ["a name of spaces only", { name: "   " }, "name"],
  ["a name over 200 characters", { name: long(201) }, "name"],
  ["an email that is not an address", { email: "alice-at-example" }, "email"],
  ["an email over 254 characters", { email: `${long(250)}@example.com` }, "email"],
  ["a phone with letters", { phone: "call me maybe" }, "phone"],
  ["a phone too short", { phone: "12" }, "phone"],
  ["attributes that are a list", { attributes: ["plan"] }, "attributes"],
  ["an attribute name with spaces", { attributes: { "my plan": "pro" } }, "attributes"],
  ["an attribute name over 64 characters", { attributes: { [long(65)]: 1 } }, "attributes"],
  ["an attribute value that is an object", { attributes: { plan: { tier: 1 } } }, "attributes.plan"],
  ["an attribute value that is a list", { attributes: { plan: ["a"] } }, "attributes.plan"],
  ["an attribute value over 1000 characters", { attributes: { note: long(1001) } }, "attributes.note"],
  ["more than 100 attributes", { attributes: manyAttributes }, "attributes"],
  ["tags that are a string", { tags: "VIP" }, "tags"],
  ["an empty tag", { tags: ["VIP", " "] }, "tags.1"],
  ["a tag over 50 characters", { tags: [long(51)] }, "tags.0"],
  ["more than 50 tags", { tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }, "tags"],
  ["an unknown key in location", { location: { city: "Lyon", region: "ARA" } }, "location.region"],
  ["a one-letter country", { location: { country: "F" } }, "location.country"],
  ["a city over 100 characters", { location: { city: long(101) } }, "location.city"],
  ["a one-letter language", { language: "f" }, "language"],
  ["a timezone over 64 characters", { timezone: long(65) }, "timezone"],
  ["a location that is a string", { location: "Lyon" }, "location"],
];

function expectInvalid(reply: { status: number; body: any }, path: string) {
  expect(reply.status).toBe(400);
  expect(reply.body.error.code).toBe("validation_failed");
  expect(reply.body.error.details.map((detail: { path: string }) => detail.path)).toContainEqual(expect.stringMatching(new RegExp(`^${path.replaceAll(".", "\\.")}`)));
}

describe("POST /api/support/contacts validation", () => {
  it.each(badFields)("rejects %s with 400 and creates nothing", async (_what, body, path) => {
    expectInvalid(await api.post(CONTACTS, { name: "Valid", ...body }), path);
    expect((await api.get(CONTACTS)).body.data).toEqual([]);
    expect((await api.get("/api/support/tags")).body.data).toEqual([]);
  });

  it("rejects a null attribute value on create (null only removes in an update)", async () => {
    expectInvalid(await api.post(CONTACTS, { attributes: { plan: null } }), "attributes.plan");
  });

  it("rejects null for a field on create", async () => {
    expectInvalid(await api.post(CONTACTS, { name: null }), "name");
  });

  it("rejects a body that is not an object, and malformed JSON", async () => {
    expect((await api.post(CONTACTS, ["Alice"])).status).toBe(400);
    const malformed = await ctx.app.inject({ method: "POST", url: CONTACTS, headers: { "x-api-key": acme.apiKey, "content-type": "application/json" }, payload: "{name:" });
    expect(malformed.statusCode).toBe(400);
    expect((await api.get(CONTACTS)).body.data).toEqual([]);
  });
});

describe("PATCH /api/support/contacts/:id validation", () => {
  it.each(badFields)("rejects %s with 400 and changes nothing, not even the valid fields beside it", async (_what, body, path) => {
    const created = (await api.post(CONTACTS, { name: "Alice", attributes: { plan: "pro" }, tags: ["Keep"] })).body.data;
    expectInvalid(await api.patch(`${CONTACTS}/${created.id}`, { ...(path === "name" ? {} : { name: "Changed" }), ...body }), path);
    expect((await api.get(`${CONTACTS}/${created.id}`)).body.data).toEqual(created);
    expect((await api.get("/api/support/tags")).body.data.map((tag: { name: string }) => tag.name)).toEqual(["Keep"]);
  });

  it("rejects an attribute value that is an object even beside a null removal", async () => {
    const created = (await api.post(CONTACTS, { attributes: { plan: "pro", seats: 3 } })).body.data;
    expectInvalid(await api.patch(`${CONTACTS}/${created.id}`, { attributes: { seats: null, plan: { tier: 1 } } }), "attributes.plan");
    expect((await api.get(`${CONTACTS}/${created.id}`)).body.data.attributes).toEqual({ plan: "pro", seats: 3 });
  });

  it("rejects null for attributes and tags as a whole", async () => {
    const created = (await api.post(CONTACTS, { name: "Alice" })).body.data;
    expectInvalid(await api.patch(`${CONTACTS}/${created.id}`, { attributes: null }), "attributes");
    expectInvalid(await api.patch(`${CONTACTS}/${created.id}`, { tags: null }), "tags");
  });

  it("rejects fields the server owns", async () => {
    const created = (await api.post(CONTACTS, { name: "Alice" })).body.data;
    for (const body of [{ blocked: true }, { id: "contact_other000000000" }, { device: "iPhone" }, { lastSeenAt: "2026-01-01T00:00:00.000Z" }]) {
      expectInvalid(await api.patch(`${CONTACTS}/${created.id}`, body), Object.keys(body)[0] ?? "");
    }
    expect((await api.get(`${CONTACTS}/${created.id}`)).body.data).toEqual(created);
  });
});

describe("GET /api/support/contacts query validation", () => {
  const badQueries: [string, string, string][] = [
    ["a limit of 0", "limit=0", "limit"],
    ["a limit over 100", "limit=101", "limit"],
    ["a limit that is not a number", "limit=ten", "limit"],
    ["a fractional limit", "limit=2.5", "limit"],
    ["blocked that is not true or false", "blocked=yes", "blocked"],
    ["an email filter that is not an address", "email=alice", "email"],
    ["a tag over 50 characters", `tag=${long(51)}`, "tag"],
    ["a search over 200 characters", `q=${long(201)}`, "q"],
    ["a search given twice", "q=a&q=b", "q"],
    ["an unknown parameter", "sort=name", "sort"],
    ["a cursor it never gave", "cursor=bm90LWEtY3Vyc29y", "cursor"],
  ];

  it.each(badQueries)("rejects %s with 400", async (_what, query, path) => {
    expectInvalid(await api.get(`${CONTACTS}?${query}`), path);
  });

  it("treats an empty search as no search", async () => {
    await api.post(CONTACTS, { name: "Alice" });
    expect((await api.get(`${CONTACTS}?q=`)).body.data).toHaveLength(1);
  });
});

describe("GET /api/support/contacts/:id/conversations query validation", () => {
  it.each([
    ["limit=0", "limit"],
    ["limit=101", "limit"],
    ["cursor=garbage", "cursor"],
    ["status=open", "status"],
  ])("rejects %s with 400", async (query, path) => {
    const created = (await api.post(CONTACTS, { name: "Alice" })).body.data;
    expectInvalid(await api.get(`${CONTACTS}/${created.id}/conversations?${query}`), path);
  });
});
