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

interface Listed {
  id: string;
  name: string | null;
  email: string | null;
  lastSeenAt: string;
}

async function create(body: Record<string, unknown>): Promise<Listed> {
  const reply = await api.post(CONTACTS, body);
  expect(reply.status).toBe(201);
  return reply.body.data;
}

async function names(query: string): Promise<(string | null)[]> {
  const reply = await api.get(`${CONTACTS}?${query}`);
  expect(reply.status).toBe(200);
  return reply.body.data.map((contact: Listed) => contact.name);
}

/** Walks every page of a listing; fails on a page that repeats an id. */
async function walk(query: string, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const reply: { status: number; body: { data: Listed[]; nextCursor: string | null } } = await api.get(`${CONTACTS}?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
    expect(reply.status).toBe(200);
    expect(reply.body.data.length).toBeLessThanOrEqual(limit);
    ids.push(...reply.body.data.map((contact) => contact.id));
    cursor = reply.body.nextCursor;
    pages += 1;
  } while (cursor !== null && pages < 50);
  expect(new Set(ids).size).toBe(ids.length);
  return { ids, pages };
}

describe("GET /api/support/contacts search", () => {
  beforeEach(async () => {
    await create({ name: "Alice Martin", email: "alice@example.com", phone: "+1 555 0100" });
    ctx.clock.advance(1000);
    await create({ name: "Natalia Ortiz", email: "nat@globex.test", phone: "+44 20 7946 0958" });
    ctx.clock.advance(1000);
    await create({ name: "Bob Stone", email: "bob@globex.test" });
    ctx.clock.advance(1000);
    await create({ phone: "+33 1 23 45 01 00" });
  });

  it("matches a substring of the name in any case", async () => {
    expect(await names("q=ALI")).toEqual(["Natalia Ortiz", "Alice Martin"]);
    expect(await names("q=stone")).toEqual(["Bob Stone"]);
  });

  it("matches a substring of the email address", async () => {
    expect(await names("q=%40GLOBEX")).toEqual(["Bob Stone", "Natalia Ortiz"]);
  });

  it("matches a substring of the phone number", async () => {
    expect(await names("q=01%2000")).toEqual([null]);
    expect(await names("q=555")).toEqual(["Alice Martin"]);
  });

  it("trims the search and finds nothing for a string no contact has", async () => {
    expect(await names("q=%20%20bob%20")).toEqual(["Bob Stone"]);
    expect(await names("q=zzz")).toEqual([]);
  });

  it("takes % _ and \\ literally, not as wildcards", async () => {
    await create({ name: "100% Cotton" });
    await create({ name: "snake_case" });
    await create({ name: "back\\slash" });
    expect(await names("q=%25")).toEqual(["100% Cotton"]);
    expect(await names("q=_")).toEqual(["snake_case"]);
    expect(await names("q=e_c")).toEqual(["snake_case"]);
    expect(await names("q=%5C")).toEqual(["back\\slash"]);
    expect(await names("q=a%25")).toEqual([]);
  });

  it("folds ASCII case only, alike on both databases", async () => {
    await create({ name: "Émile Zola" });
    expect(await names(`q=${encodeURIComponent("ÉMILE")}`)).toEqual(["Émile Zola"]);
    expect(await names(`q=${encodeURIComponent("Émile")}`)).toEqual(["Émile Zola"]);
    expect(await names(`q=${encodeURIComponent("émile")}`)).toEqual([]);
  });
});

describe("GET /api/support/contacts filters", () => {
  let alice: Listed;
  let bob: Listed;
  let carol: Listed;

  beforeEach(async () => {
    alice = await create({ name: "Alice", email: "alice@example.com", tags: ["VIP", "Beta"] });
    ctx.clock.advance(1000);
    bob = await create({ name: "Bob", email: "bob@example.com", tags: ["vip"] });
    ctx.clock.advance(1000);
    carol = await create({ name: "Carol", email: "carol@example.com" });
    expect((await api.post(`${CONTACTS}/${bob.id}/block`)).status).toBe(200);
  });

  it("narrows to blocked or unblocked contacts", async () => {
    expect(await names("blocked=true")).toEqual(["Bob"]);
    expect(await names("blocked=false")).toEqual(["Carol", "Alice"]);
  });

  it("narrows to a tag by name in any case, and to nothing for a tag the team does not have", async () => {
    expect(await names("tag=VIP")).toEqual(["Bob", "Alice"]);
    expect(await names("tag=beta")).toEqual(["Alice"]);
    expect(await names("tag=Unknown")).toEqual([]);
  });

  it("finds one contact by exact email, given in any case", async () => {
    expect(await names("email=CAROL@example.com")).toEqual(["Carol"]);
    expect(await names("email=carol@example.co")).toEqual([]);
  });

  it("combines filters and search, every one narrowing", async () => {
    expect(await names("tag=vip&blocked=false")).toEqual(["Alice"]);
    expect(await names("tag=vip&q=bo")).toEqual(["Bob"]);
    expect(await names("blocked=false&q=example&email=alice@example.com")).toEqual(["Alice"]);
    expect(await names("blocked=true&email=alice@example.com")).toEqual([]);
    expect(carol.id).not.toBe(alice.id);
  });
});

describe("GET /api/support/contacts pagination", () => {
  /** 30 contacts, three per millisecond-distinct last-seen time so ties are broken by id. */
  async function seedThirty(): Promise<void> {
    for (let i = 0; i < 30; i += 1) {
      if (i % 3 === 0) {
        ctx.clock.advance(60_000);
      }
      await create({ name: `Contact ${String(i).padStart(2, "0")}`, tags: i % 2 === 0 ? ["Even"] : [] });
    }
  }

  it("answers 25 by default with a cursor to the rest", async () => {
    await seedThirty();
    const first = await api.get(CONTACTS);
    expect(first.body.data).toHaveLength(25);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await api.get(`${CONTACTS}?cursor=${first.body.nextCursor}`);
    expect(second.body.data).toHaveLength(5);
    expect(second.body.nextCursor).toBeNull();
  });

  it("walks every contact once, last seen first, in pages of any size", async () => {
    await seedThirty();
    const all: Listed[] = (await api.get(`${CONTACTS}?limit=100`)).body.data;
    expect(all).toHaveLength(30);
    const seen = all.map((contact) => Date.parse(contact.lastSeenAt));
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    for (const limit of [1, 3, 7, 10, 29, 30]) {
      const { ids, pages } = await walk("", limit);
      expect(ids).toEqual(all.map((contact) => contact.id));
      expect(pages).toBe(Math.ceil(30 / limit));
    }
  });

  it("pages through a filtered listing without gaps or repeats", async () => {
    await seedThirty();
    const even: Listed[] = (await api.get(`${CONTACTS}?tag=even&limit=100`)).body.data;
    expect(even).toHaveLength(15);
    expect((await walk("tag=even", 4)).ids).toEqual(even.map((contact) => contact.id));
    const search: Listed[] = (await api.get(`${CONTACTS}?q=contact%201&limit=100`)).body.data;
    expect(search.map((contact) => contact.name).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `Contact 1${i}`));
    expect((await walk("q=contact%201", 3)).ids).toEqual(search.map((contact) => contact.id));
  });

  it("moves a contact to the front when it is seen again", async () => {
    const old = await create({ name: "Old friend", email: "old@example.com" });
    ctx.clock.advance(60_000);
    await create({ name: "Newer" });
    ctx.clock.advance(60_000);
    await api.post("/api/support/threads", { contact: { email: "old@example.com" }, message: { content: "Back again" } });
    const listed: Listed[] = (await api.get(CONTACTS)).body.data;
    expect(listed.map((contact) => contact.id)[0]).toBe(old.id);
  });
});
