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

/** A team member who administers Sales and is an agent in Support. */
async function salesAdmin() {
  const built = await buildMember(ctx, acme.team.id, { role: "member", inboxes: [{ inboxId: sales.id, role: "admin" }, { inboxId: acme.inbox.id, role: "agent" }] });
  return { ...built, api: client(ctx.app, { apiKey: built.apiKey }) };
}

describe("which inboxes a caller sees", () => {
  it("lists only the inboxes a member belongs to", async () => {
    const { api: memberApi } = await salesAdmin();
    const reply = await memberApi.get("/api/support/inboxes");
    expect(reply.status).toBe(200);
    expect(reply.body.data.map((inbox: { id: string }) => inbox.id).sort()).toEqual([acme.inbox.id, sales.id].sort());
  });

  it("lists nothing for a member of no inbox", async () => {
    const { apiKey } = await buildMember(ctx, acme.team.id);
    expect((await client(ctx.app, { apiKey }).get("/api/support/inboxes")).body.data).toEqual([]);
  });

  it("lists every inbox for a team admin who belongs to none", async () => {
    const { apiKey } = await buildMember(ctx, acme.team.id, { role: "admin" });
    const reply = await client(ctx.app, { apiKey }).get("/api/support/inboxes");
    expect(reply.body.data.map((inbox: { id: string }) => inbox.id).sort()).toEqual([acme.inbox.id, sales.id, billing.id].sort());
  });

  it("answers 404 to a member asking for an inbox they do not belong to", async () => {
    const { api: memberApi } = await salesAdmin();
    const reply = await memberApi.get(`/api/support/inboxes/${billing.id}`);
    expect(reply.status).toBe(404);
    expect(reply.body.error.code).toBe("not_found");
  });
});

describe("identitySecret", () => {
  it("is shown to team admins in the list and on each inbox", async () => {
    const list = await api.get("/api/support/inboxes");
    for (const inbox of list.body.data) {
      expect(inbox.identitySecret).toEqual(expect.any(String));
    }
    expect((await api.get(`/api/support/inboxes/${billing.id}`)).body.data.identitySecret).toEqual(expect.any(String));
  });

  it("is shown to an inbox admin on their inbox and hidden on an inbox where they are an agent", async () => {
    const { api: memberApi } = await salesAdmin();
    expect((await memberApi.get(`/api/support/inboxes/${sales.id}`)).body.data.identitySecret).toEqual(expect.any(String));
    const asAgent = await memberApi.get(`/api/support/inboxes/${acme.inbox.id}`);
    expect(asAgent.status).toBe(200);
    expect(asAgent.body.data).not.toHaveProperty("identitySecret");
  });

  it("is shown in a member's list exactly on the inboxes they administer", async () => {
    const { api: memberApi } = await salesAdmin();
    const list = await memberApi.get("/api/support/inboxes");
    const byId = new Map(list.body.data.map((inbox: { id: string }) => [inbox.id, inbox]));
    expect(byId.get(sales.id)).toHaveProperty("identitySecret");
    expect(byId.get(acme.inbox.id)).not.toHaveProperty("identitySecret");
  });

  it("differs between inboxes", async () => {
    const list = await api.get("/api/support/inboxes");
    expect(new Set(list.body.data.map((inbox: { identitySecret: string }) => inbox.identitySecret)).size).toBe(3);
  });
});

describe("who may change inboxes", () => {
  it("refuses a team member creating an inbox (403)", async () => {
    const { api: memberApi } = await salesAdmin();
    const reply = await memberApi.post("/api/support/inboxes", { name: "Mine" });
    expect(reply.status).toBe(403);
    expect(reply.body.error.code).toBe("forbidden");
    expect((await api.get("/api/support/inboxes")).body.data).toHaveLength(3);
  });

  it("refuses a team member deleting an inbox, even one they administer (403)", async () => {
    const { api: memberApi } = await salesAdmin();
    const reply = await memberApi.delete(`/api/support/inboxes/${sales.id}`);
    expect(reply.status).toBe(403);
    expect((await api.get(`/api/support/inboxes/${sales.id}`)).status).toBe(200);
  });

  it("lets an inbox admin change their inbox with PUT and PATCH", async () => {
    const { api: memberApi } = await salesAdmin();
    const put = await memberApi.put(`/api/support/inboxes/${sales.id}`, { description: "Pre-sales questions" });
    expect(put.status).toBe(200);
    expect(put.body.data.description).toBe("Pre-sales questions");
    const patch = await memberApi.patch(`/api/support/inboxes/${sales.id}`, { color: "#F59E0B" });
    expect(patch.status).toBe(200);
    expect(patch.body.data).toMatchObject({ description: "Pre-sales questions", color: "#F59E0B" });
  });

  it("answers 403 to an inbox admin changing an inbox where they are only an agent", async () => {
    const { api: memberApi } = await salesAdmin();
    const reply = await memberApi.put(`/api/support/inboxes/${acme.inbox.id}`, { name: "Taken over" });
    expect(reply.status).toBe(403);
    expect((await api.get(`/api/support/inboxes/${acme.inbox.id}`)).body.data.name).toBe("Support");
  });

  it("answers 404 to an inbox admin changing an inbox they do not belong to", async () => {
    const { api: memberApi } = await salesAdmin();
    const reply = await memberApi.put(`/api/support/inboxes/${billing.id}`, { name: "Taken over" });
    expect(reply.status).toBe(404);
    expect((await api.get(`/api/support/inboxes/${billing.id}`)).body.data.name).toBe("Billing");
  });

  it("lets a team admin who belongs to no inbox create, change and delete inboxes", async () => {
    const { apiKey } = await buildMember(ctx, acme.team.id, { role: "admin" });
    const adminApi = client(ctx.app, { apiKey });
    const created = await adminApi.post("/api/support/inboxes", { name: "Partners" });
    expect(created.status).toBe(201);
    expect((await adminApi.put(`/api/support/inboxes/${created.body.data.id}`, { icon: "handshake" })).status).toBe(200);
    expect((await adminApi.delete(`/api/support/inboxes/${created.body.data.id}`)).status).toBe(200);
  });

  it("refuses an inbox admin moving the team's default to their inbox (403), leaving the default where it was", async () => {
    const { api: memberApi } = await salesAdmin();
    const reply = await memberApi.put(`/api/support/inboxes/${sales.id}`, { isDefault: true });
    expect(reply.status).toBe(403);
    expect((await api.get(`/api/support/inboxes/${acme.inbox.id}`)).body.data.isDefault).toBe(true);
    expect((await api.get(`/api/support/inboxes/${sales.id}`)).body.data.isDefault).toBe(false);
  });

  it("answers 401 without credentials", async () => {
    expect((await client(ctx.app).get("/api/support/inboxes")).status).toBe(401);
    expect((await client(ctx.app).post("/api/support/inboxes", { name: "Anon" })).status).toBe(401);
  });
});

describe("inboxes across teams", () => {
  let globex: BuiltTeam;
  let globexApi: ReturnType<typeof client>;

  beforeEach(async () => {
    globex = await buildTeam(ctx, { name: "Globex" });
    globexApi = client(ctx.app, { apiKey: globex.apiKey });
  });

  it("never lists another team's inboxes", async () => {
    const reply = await globexApi.get("/api/support/inboxes");
    expect(reply.body.data.map((inbox: { id: string }) => inbox.id)).toEqual([globex.inbox.id]);
  });

  it("answers 404 to another team's admin for GET, PUT, PATCH and DELETE, and changes nothing", async () => {
    const before = (await api.get(`/api/support/inboxes/${sales.id}`)).body.data;
    const eventsBefore = ctx.events.length;
    expect((await globexApi.get(`/api/support/inboxes/${sales.id}`)).status).toBe(404);
    expect((await globexApi.put(`/api/support/inboxes/${sales.id}`, { name: "Hijacked", isDefault: true })).status).toBe(404);
    expect((await globexApi.patch(`/api/support/inboxes/${sales.id}`, { color: "#000000" })).status).toBe(404);
    expect((await globexApi.delete(`/api/support/inboxes/${sales.id}`)).status).toBe(404);
    expect((await globexApi.delete(`/api/support/inboxes/${acme.inbox.id}`)).status).toBe(404);
    expect((await api.get(`/api/support/inboxes/${sales.id}`)).body.data).toEqual(before);
    expect((await api.get("/api/support/inboxes")).body.data).toHaveLength(3);
    expect(ctx.events.length).toBe(eventsBefore);
  });

  it("keeps each team's default inbox when the other team moves its own", async () => {
    const partners = await globexApi.post("/api/support/inboxes", { name: "Partners", isDefault: true });
    expect(partners.body.data.isDefault).toBe(true);
    expect((await api.get(`/api/support/inboxes/${acme.inbox.id}`)).body.data.isDefault).toBe(true);
  });
});
