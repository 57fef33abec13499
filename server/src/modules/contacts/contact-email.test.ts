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

async function create(body: Record<string, unknown>, caller = api) {
  const reply = await caller.post(CONTACTS, body);
  expect(reply.status).toBe(201);
  return reply.body.data;
}

function expectEmailTaken(reply: { status: number; body: any }) {
  expect(reply.status).toBe(409);
  expect(reply.body.error.code).toBe("email_taken");
}

describe("contact email addresses are unique in a team", () => {
  it("refuses a second contact with the same address in any case, creating nothing", async () => {
    await create({ name: "Alice", email: "alice@example.com" });
    expectEmailTaken(await api.post(CONTACTS, { name: "Alice again", email: "ALICE@Example.com", tags: ["Fresh"] }));
    expect((await api.get(CONTACTS)).body.data).toHaveLength(1);
    expect((await api.get("/api/support/tags")).body.data).toEqual([]);
  });

  it("refuses an address a channel already gave another contact", async () => {
    await api.post("/api/support/threads", { contact: { email: "visitor@example.com" }, message: { content: "Hi" } });
    expectEmailTaken(await api.post(CONTACTS, { email: "Visitor@example.com" }));
  });

  it("refuses to move a contact onto another contact's address, changing nothing", async () => {
    await create({ name: "Alice", email: "alice@example.com" });
    const bob = await create({ name: "Bob", email: "bob@example.com" });
    expectEmailTaken(await api.patch(`${CONTACTS}/${bob.id}`, { email: "Alice@EXAMPLE.com", name: "Robert", tags: ["Brand new"] }));
    expect((await api.get(`${CONTACTS}/${bob.id}`)).body.data).toEqual(bob);
    expect((await api.get("/api/support/tags")).body.data).toEqual([]);
  });

  it("lets a contact keep or re-case its own address", async () => {
    const alice = await create({ name: "Alice", email: "alice@example.com" });
    const reply = await api.patch(`${CONTACTS}/${alice.id}`, { email: "ALICE@example.com", name: "Alice M." });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({ email: "alice@example.com", name: "Alice M." });
  });

  it("frees an address when its contact clears it or is deleted", async () => {
    const alice = await create({ name: "Alice", email: "alice@example.com" });
    expect((await api.patch(`${CONTACTS}/${alice.id}`, { email: null })).status).toBe(200);
    const bob = await create({ name: "Bob", email: "alice@example.com" });
    expect((await api.delete(`${CONTACTS}/${bob.id}`)).status).toBe(200);
    const carol = await create({ name: "Carol" });
    expect((await api.patch(`${CONTACTS}/${carol.id}`, { email: "alice@example.com" })).body.data.email).toBe("alice@example.com");
  });

  it("allows any number of contacts without an address", async () => {
    await create({ name: "One" });
    await create({ name: "Two" });
    expect((await api.get(CONTACTS)).body.data).toHaveLength(2);
  });

  it("lets two teams each have a contact with the same address", async () => {
    const globex = await buildTeam(ctx, { name: "Globex" });
    const globexApi = client(ctx.app, { apiKey: globex.apiKey });
    const mine = await create({ name: "Alice at Acme", email: "alice@example.com" });
    const theirs = await create({ name: "Alice at Globex", email: "alice@example.com" }, globexApi);
    expect(theirs.id).not.toBe(mine.id);
    const other = await create({ name: "Other at Globex" }, globexApi);
    expect((await globexApi.patch(`${CONTACTS}/${other.id}`, { email: "bob@example.com" })).status).toBe(200);
    expect((await api.post(CONTACTS, { email: "bob@example.com" })).status).toBe(201);
  });

  it("gives exactly one of many concurrent creates the address and email_taken to the rest", async () => {
    const replies = await Promise.all(Array.from({ length: 6 }, (_, i) => api.post(CONTACTS, { name: `Racer ${i}`, email: "race@example.com" })));
    expect(replies.filter((reply) => reply.status === 201)).toHaveLength(1);
    for (const reply of replies.filter((r) => r.status !== 201)) {
      expectEmailTaken(reply);
    }
    expect((await api.get(`${CONTACTS}?email=race@example.com`)).body.data).toHaveLength(1);
  });

  it("gives exactly one of many concurrent address changes the address", async () => {
    const contacts = await Promise.all(Array.from({ length: 5 }, (_, i) => create({ name: `Racer ${i}` })));
    const replies = await Promise.all(contacts.map((contact) => api.patch(`${CONTACTS}/${contact.id}`, { email: "race@example.com" })));
    expect(replies.filter((reply) => reply.status === 200)).toHaveLength(1);
    for (const reply of replies.filter((r) => r.status !== 200)) {
      expectEmailTaken(reply);
    }
  });
});
