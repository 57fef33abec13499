import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildMember, buildTeam, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";

let ctx: TestContext;
let acme: BuiltTeam;
let globex: BuiltTeam;
let acmeApi: ReturnType<typeof client>;
let globexApi: ReturnType<typeof client>;
let theirs: { contactId: string; conversationId: string };

const CONTACTS = "/api/support/contacts";

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx, { name: "Acme Corp" });
  globex = await buildTeam(ctx, { name: "Globex" });
  acmeApi = client(ctx.app, { apiKey: acme.apiKey });
  globexApi = client(ctx.app, { apiKey: globex.apiKey });
  const reply = await globexApi.post("/api/support/threads", { contact: { email: "shared@example.com", name: "Shared Name" }, message: { content: "Hi Globex" } });
  expect(reply.status).toBe(201);
  theirs = { contactId: reply.body.thread.contactId, conversationId: reply.body.thread.id };
  await globexApi.patch(`${CONTACTS}/${theirs.contactId}`, { tags: ["VIP"] });
});
afterEach(() => ctx.close());

/** Every contacts endpoint that names one contact, as [method, path, body]. */
const oneContactCalls = (id: string): ["get" | "patch" | "delete" | "post", string, unknown][] => [
  ["get", `${CONTACTS}/${id}`, undefined],
  ["patch", `${CONTACTS}/${id}`, { name: "Hijacked", attributes: { owned: true } }],
  ["post", `${CONTACTS}/${id}/block`, {}],
  ["post", `${CONTACTS}/${id}/unblock`, {}],
  ["get", `${CONTACTS}/${id}/conversations`, undefined],
  ["delete", `${CONTACTS}/${id}`, undefined],
];

async function call(caller: ReturnType<typeof client>, [method, path, body]: ["get" | "patch" | "delete" | "post", string, unknown]) {
  return method === "get" ? caller.get(path) : method === "delete" ? caller.delete(path) : caller[method](path, body);
}

describe("contacts across teams", () => {
  it("answers 404 not_found on every endpoint for another team's contact, and changes nothing there", async () => {
    const before = (await globexApi.get(`${CONTACTS}/${theirs.contactId}`)).body.data;
    const countsBefore = (await globexApi.get("/api/support/conversations/counts")).body.data;
    for (const request of oneContactCalls(theirs.contactId)) {
      const reply = await call(acmeApi, request);
      expect(reply.status, `${request[0]} ${request[1]}`).toBe(404);
      expect(reply.body.error.code).toBe("not_found");
    }
    expect((await globexApi.get(`${CONTACTS}/${theirs.contactId}`)).body.data).toEqual(before);
    expect((await globexApi.get(`/api/support/threads/${theirs.conversationId}`)).body.thread).toMatchObject({ spam: false });
    expect((await globexApi.get("/api/support/conversations/counts")).body.data).toEqual(countsBefore);
    expect(ctx.events.filter((event) => event.teamId === globex.team.id && event.name.startsWith("contact."))).toEqual([expect.objectContaining({ name: "contact.updated" })]);
  });

  it("answers the same 404 to another team's plain member", async () => {
    const { apiKey } = await buildMember(ctx, acme.team.id, { inboxes: [{ inboxId: acme.inbox.id }] });
    const member = client(ctx.app, { apiKey });
    for (const request of oneContactCalls(theirs.contactId).filter(([method]) => method !== "delete")) {
      expect((await call(member, request)).status, `${request[0]} ${request[1]}`).toBe(404);
    }
  });

  it("never lists another team's contacts, whatever the search or filter", async () => {
    await acmeApi.post(CONTACTS, { name: "Our own", tags: ["VIP"] });
    for (const query of ["", "q=shared", "email=shared@example.com", "tag=VIP", "blocked=false", "limit=100"]) {
      const names = (await acmeApi.get(`${CONTACTS}?${query}`)).body.data.map((contact: { name: string }) => contact.name);
      expect(names, query).not.toContain("Shared Name");
    }
    expect((await acmeApi.get(`${CONTACTS}?email=shared@example.com`)).body.data).toEqual([]);
  });

  it("keeps each team's history to its own conversations when both know the same address", async () => {
    const ours = (await acmeApi.post("/api/support/threads", { contact: { email: "shared@example.com" }, message: { content: "Hi Acme" } })).body.thread;
    expect(ours.contactId).not.toBe(theirs.contactId);
    const history = (await acmeApi.get(`${CONTACTS}/${ours.contactId}/conversations`)).body.data.map((line: { id: string }) => line.id);
    expect(history).toEqual([ours.id]);
    const theirHistory = (await globexApi.get(`${CONTACTS}/${theirs.contactId}/conversations`)).body.data.map((line: { id: string }) => line.id);
    expect(theirHistory).toEqual([theirs.conversationId]);
  });

  it("blocks only the team's own contact when both teams know the same address", async () => {
    const ours = (await acmeApi.post("/api/support/threads", { contact: { email: "shared@example.com" }, message: { content: "Hi Acme" } })).body.thread;
    await acmeApi.post(`${CONTACTS}/${ours.contactId}/block`);
    expect((await globexApi.get(`${CONTACTS}/${theirs.contactId}`)).body.data.blocked).toBe(false);
    const next = (await globexApi.post("/api/support/threads", { contact: { email: "shared@example.com" }, message: { content: "Again" } })).body.thread;
    expect(next.spam).toBe(false);
  });
});

describe("contacts roles", () => {
  it("answers 401 on every endpoint without credentials", async () => {
    const anonymous = client(ctx.app);
    for (const request of [...oneContactCalls(theirs.contactId), ["get", CONTACTS, undefined] as const, ["post", CONTACTS, { name: "X" }] as const]) {
      const reply = await call(anonymous, request as ["get" | "patch" | "delete" | "post", string, unknown]);
      expect(reply.status, `${request[0]} ${request[1]}`).toBe(401);
    }
  });

  it("lets a plain member of no inbox list, read, create, edit, block, unblock and read history", async () => {
    const { apiKey } = await buildMember(ctx, globex.team.id);
    const member = client(ctx.app, { apiKey });
    expect((await member.get(CONTACTS)).body.data.map((contact: { id: string }) => contact.id)).toEqual([theirs.contactId]);
    expect((await member.post(CONTACTS, { name: "Made by member" })).status).toBe(201);
    for (const request of oneContactCalls(theirs.contactId).filter(([method]) => method !== "delete")) {
      expect((await call(member, request)).status, `${request[0]} ${request[1]}`).toBe(200);
    }
    expect((await member.delete(`${CONTACTS}/${theirs.contactId}`)).status).toBe(403);
  });

  it("lets another owner of the team delete", async () => {
    const { apiKey } = await buildMember(ctx, globex.team.id, { role: "owner" });
    expect((await client(ctx.app, { apiKey }).delete(`${CONTACTS}/${theirs.contactId}`)).status).toBe(200);
  });
});
