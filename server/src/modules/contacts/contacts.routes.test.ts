import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildMember, buildTeam, type BuiltTeam } from "../../../test/factories.js";
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
const T0 = "2026-03-02T15:00:00.000Z";
const T1 = "2026-03-02T15:05:00.000Z";
const CONTACT_ID = /^contact_[A-Za-z0-9]{16}$/;

const eventsNamed = (name: string) => ctx.events.filter((event) => event.name === name);

const ALICE = {
  name: "Alice Martin",
  email: "Alice@Example.COM",
  phone: "+1 555 0100",
  attributes: { plan: "enterprise", seats: 50, vip: true },
  tags: ["VIP", "Beta tester"],
  location: { city: "Lyon", country: "France" },
  language: "fr",
  timezone: "Europe/Paris",
};

async function create(body: Record<string, unknown> = ALICE, caller = api) {
  const reply = await caller.post(CONTACTS, body);
  expect(reply.status).toBe(201);
  return reply.body.data;
}

async function tagNames(): Promise<string[]> {
  return (await api.get("/api/support/tags")).body.data.map((tag: { name: string }) => tag.name);
}

describe("POST /api/support/contacts", () => {
  it("creates a contact with every field and answers 201 { data } in the exact shape", async () => {
    const reply = await api.post(CONTACTS, ALICE);
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({
      data: {
        id: expect.stringMatching(CONTACT_ID),
        name: "Alice Martin",
        email: "alice@example.com",
        phone: "+1 555 0100",
        attributes: { plan: "enterprise", seats: 50, vip: true },
        tags: ["VIP", "Beta tester"],
        location: { city: "Lyon", country: "France" },
        device: null,
        os: null,
        browser: null,
        language: "fr",
        timezone: "Europe/Paris",
        blocked: false,
        firstSeenAt: T0,
        lastSeenAt: T0,
        createdAt: T0,
        updatedAt: T0,
      },
    });
  });

  it("creates a contact from an empty body with everything empty", async () => {
    const data = await create({});
    expect(data).toMatchObject({ name: null, email: null, phone: null, attributes: {}, tags: [], location: { city: null, country: null }, language: null, timezone: null, blocked: false });
  });

  it("creates the unknown tags it is given and reuses known ones in their team spelling", async () => {
    await api.post("/api/support/tags", { name: "VIP" });
    const data = await create({ name: "Bob", tags: ["vip", "  Churn   risk ", "Churn risk"] });
    expect(data.tags).toEqual(["VIP", "Churn risk"]);
    expect(await tagNames()).toEqual(["Churn risk", "VIP"]);
  });

  it("records contact.created with the presented contact and the actor", async () => {
    const data = await create();
    expect(eventsNamed("contact.created")).toEqual([expect.objectContaining({ teamId: acme.team.id, payload: { contact: data, actorId: acme.owner.id } })]);
  });

  it("lets a plain member create a contact", async () => {
    const { apiKey } = await buildMember(ctx, acme.team.id);
    await create({ name: "Carol" }, client(ctx.app, { apiKey }));
  });
});

describe("GET /api/support/contacts/:id", () => {
  it("answers the contact as it was created", async () => {
    const data = await create();
    const reply = await api.get(`${CONTACTS}/${data.id}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ data });
  });

  it("answers 404 not_found for an id no contact has", async () => {
    const reply = await api.get(`${CONTACTS}/contact_doesnotexist0000`);
    expect(reply.status).toBe(404);
    expect(reply.body.error.code).toBe("not_found");
  });

  it("shows a renamed tag by its new name", async () => {
    const data = await create({ name: "Dan", tags: ["Gold"] });
    const gold = (await api.get("/api/support/tags")).body.data[0];
    await api.patch(`/api/support/tags/${gold.id}`, { name: "Platinum" });
    expect((await api.get(`${CONTACTS}/${data.id}`)).body.data.tags).toEqual(["Platinum"]);
  });
});

describe("GET /api/support/contacts", () => {
  it("answers { data, nextCursor } with the team's contacts, last seen first", async () => {
    const first = await create({ name: "First" });
    ctx.clock.advance(1000);
    const second = await create({ name: "Second" });
    const reply = await api.get(CONTACTS);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ data: [second, first], nextCursor: null });
  });

  it("answers an empty page before any contact exists", async () => {
    expect((await api.get(CONTACTS)).body).toEqual({ data: [], nextCursor: null });
  });

  it("includes contacts that channels created", async () => {
    await api.post("/api/support/threads", { contact: { email: "visitor@example.com", name: "Visitor" }, message: { content: "Hello" } });
    expect((await api.get(CONTACTS)).body.data.map((c: { email: string }) => c.email)).toEqual(["visitor@example.com"]);
  });
});

describe("PATCH /api/support/contacts/:id", () => {
  it("changes the fields given and leaves the others", async () => {
    const data = await create();
    ctx.clock.set(T1);
    const reply = await api.patch(`${CONTACTS}/${data.id}`, { name: "Alice M.", phone: "+33 1 23 45 67 89", location: { city: "Paris" } });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ data: { ...data, name: "Alice M.", phone: "+33 1 23 45 67 89", location: { city: "Paris", country: "France" }, updatedAt: T1 } });
    expect((await api.get(`${CONTACTS}/${data.id}`)).body.data).toEqual(reply.body.data);
  });

  it("clears a field given null", async () => {
    const data = await create();
    const reply = await api.patch(`${CONTACTS}/${data.id}`, { name: null, email: null, phone: null, language: null, timezone: null, location: { city: null, country: null } });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({ name: null, email: null, phone: null, language: null, timezone: null, location: { city: null, country: null } });
  });

  it("merges attributes key by key and removes a key given null", async () => {
    const data = await create();
    const reply = await api.patch(`${CONTACTS}/${data.id}`, { attributes: { plan: "starter", language: "fr", vip: null, missing: null } });
    expect(reply.status).toBe(200);
    expect(reply.body.data.attributes).toEqual({ plan: "starter", seats: 50, language: "fr" });
    const again = await api.patch(`${CONTACTS}/${data.id}`, { attributes: {} });
    expect(again.body.data.attributes).toEqual({ plan: "starter", seats: 50, language: "fr" });
  });

  it("refuses attributes that would exceed 100 after the merge, changing nothing", async () => {
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`a${i}`, i]));
    const data = await create({ attributes: fifty });
    const more = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`b${i}`, i]));
    const reply = await api.patch(`${CONTACTS}/${data.id}`, { attributes: more, name: "Changed" });
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({ code: "validation_failed", details: [{ path: "attributes" }] });
    expect((await api.get(`${CONTACTS}/${data.id}`)).body.data).toEqual(data);
    const swap = { ...Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`a${i}`, null])), ...Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`b${i}`, i])) };
    const swapped = await api.patch(`${CONTACTS}/${data.id}`, { attributes: swap });
    expect(swapped.status).toBe(200); // removals count before the limit
    expect(Object.keys(swapped.body.data.attributes)).toHaveLength(50);
  });

  it("replaces the tags, creating unknown ones, and keeps join rows in step", async () => {
    const data = await create({ name: "Eve", tags: ["Old"] });
    const reply = await api.patch(`${CONTACTS}/${data.id}`, { tags: ["New one", "old", "Another"] });
    expect(reply.status).toBe(200);
    expect(reply.body.data.tags).toEqual(["New one", "Old", "Another"]);
    expect(await tagNames()).toEqual(["Another", "New one", "Old"]);
    expect((await api.get(`${CONTACTS}?tag=another`)).body.data.map((c: { id: string }) => c.id)).toEqual([data.id]);
    const cleared = await api.patch(`${CONTACTS}/${data.id}`, { tags: [] });
    expect(cleared.body.data.tags).toEqual([]);
    expect((await api.get(`${CONTACTS}?tag=old`)).body.data).toEqual([]);
  });

  it("records contact.updated with the fields that changed, and nothing when nothing did", async () => {
    const data = await create();
    await api.patch(`${CONTACTS}/${data.id}`, { name: "Alice Martin", attributes: { plan: "enterprise" } });
    expect(eventsNamed("contact.updated")).toEqual([]);
    const reply = await api.patch(`${CONTACTS}/${data.id}`, { name: "Alice B.", attributes: { plan: "starter" } });
    expect(eventsNamed("contact.updated")).toEqual([expect.objectContaining({ payload: { contact: reply.body.data, changed: ["name", "attributes"], actorId: acme.owner.id } })]);
  });

  it("answers 404 for a contact that does not exist", async () => {
    const reply = await api.patch(`${CONTACTS}/contact_doesnotexist0000`, { name: "X" });
    expect(reply.status).toBe(404);
  });

  it("lets a plain member edit a contact", async () => {
    const data = await create();
    const { apiKey } = await buildMember(ctx, acme.team.id);
    const reply = await client(ctx.app, { apiKey }).patch(`${CONTACTS}/${data.id}`, { name: "By member" });
    expect(reply.status).toBe(200);
    expect(reply.body.data.name).toBe("By member");
  });
});
