import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildInbox, buildTeam, type BuiltTeam } from "../../../test/factories.js";
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

async function inboxes(): Promise<{ id: string; name: string; isDefault: boolean }[]> {
  return (await api.get("/api/support/inboxes")).body.data;
}

async function defaults(): Promise<string[]> {
  return (await inboxes()).filter((inbox) => inbox.isDefault).map((inbox) => inbox.id);
}

describe("the default inbox", () => {
  it("is the team's first inbox", async () => {
    expect(await defaults()).toEqual([acme.inbox.id]);
  });

  it("stays where it is when a new inbox is created without isDefault", async () => {
    await api.post("/api/support/inboxes", { name: "Sales", isDefault: false });
    await api.post("/api/support/inboxes", { name: "Billing" });
    expect(await defaults()).toEqual([acme.inbox.id]);
  });

  it("moves to an inbox created with isDefault: true", async () => {
    const sales = await api.post("/api/support/inboxes", { name: "Sales", isDefault: true });
    expect(sales.body.data.isDefault).toBe(true);
    expect(await defaults()).toEqual([sales.body.data.id]);
    expect((await api.get(`/api/support/inboxes/${acme.inbox.id}`)).body.data.isDefault).toBe(false);
  });

  it("moves to another inbox given isDefault: true on it", async () => {
    const sales = await buildInbox(ctx, acme.team.id, "Sales");
    const reply = await api.put(`/api/support/inboxes/${sales.id}`, { isDefault: true });
    expect(reply.status).toBe(200);
    expect(reply.body.data.isDefault).toBe(true);
    expect(await defaults()).toEqual([sales.id]);
  });

  it("stays put when the default is told isDefault: true again", async () => {
    const reply = await api.put(`/api/support/inboxes/${acme.inbox.id}`, { isDefault: true });
    expect(reply.status).toBe(200);
    expect(await defaults()).toEqual([acme.inbox.id]);
  });

  it("cannot be switched off on the current default (409), and the rest of that request is not applied", async () => {
    await buildInbox(ctx, acme.team.id, "Sales");
    const reply = await api.put(`/api/support/inboxes/${acme.inbox.id}`, { isDefault: false, name: "Renamed" });
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe("default_inbox_required");
    expect(await defaults()).toEqual([acme.inbox.id]);
    expect((await api.get(`/api/support/inboxes/${acme.inbox.id}`)).body.data.name).toBe("Support");
    expect(ctx.events.some((e) => e.name === "inbox.updated")).toBe(false);
  });

  it("cannot be deleted while other inboxes exist (409 default_inbox)", async () => {
    const sales = await buildInbox(ctx, acme.team.id, "Sales");
    const reply = await api.delete(`/api/support/inboxes/${acme.inbox.id}`);
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe("default_inbox");
    expect((await inboxes()).map((inbox) => inbox.id)).toEqual([acme.inbox.id, sales.id]);
    expect(ctx.events.some((e) => e.name === "inbox.deleted")).toBe(false);
  });

  it("can be deleted once another inbox has taken the flag", async () => {
    const sales = await buildInbox(ctx, acme.team.id, "Sales");
    await api.put(`/api/support/inboxes/${sales.id}`, { isDefault: true });
    const reply = await api.delete(`/api/support/inboxes/${acme.inbox.id}`);
    expect(reply.status).toBe(200);
    expect(await defaults()).toEqual([sales.id]);
  });

  it("can be deleted when it is the only inbox, and the next inbox created becomes the default", async () => {
    const reply = await api.delete(`/api/support/inboxes/${acme.inbox.id}`);
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({ id: acme.inbox.id, isDefault: true });
    expect(await inboxes()).toEqual([]);
    const next = await api.post("/api/support/inboxes", { name: "Fresh start" });
    expect(next.body.data.isDefault).toBe(true);
  });

  it("is held by exactly one inbox through a series of moves", async () => {
    const sales = await api.post("/api/support/inboxes", { name: "Sales", isDefault: true });
    const billing = await api.post("/api/support/inboxes", { name: "Billing" });
    await api.patch(`/api/support/inboxes/${billing.body.data.id}`, { isDefault: true });
    expect(await defaults()).toEqual([billing.body.data.id]);
    await api.put(`/api/support/inboxes/${acme.inbox.id}`, { isDefault: true });
    expect(await defaults()).toEqual([acme.inbox.id]);
    await api.delete(`/api/support/inboxes/${sales.body.data.id}`);
    expect(await defaults()).toEqual([acme.inbox.id]);
  });
});

describe("inbox names", () => {
  it("are unique in a team regardless of case (409 name_taken)", async () => {
    const reply = await api.post("/api/support/inboxes", { name: "SUPPORT" });
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe("name_taken");
    expect((await inboxes()).length).toBe(1);
  });

  it("are unique regardless of surrounding and repeated spaces", async () => {
    await api.post("/api/support/inboxes", { name: "Technical Support" });
    const reply = await api.post("/api/support/inboxes", { name: "  technical   support " });
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe("name_taken");
  });

  it("cannot be taken by renaming another inbox, which stays unchanged", async () => {
    const sales = await buildInbox(ctx, acme.team.id, "Sales");
    const reply = await api.put(`/api/support/inboxes/${sales.id}`, { name: "support", color: "#000000" });
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe("name_taken");
    expect((await api.get(`/api/support/inboxes/${sales.id}`)).body.data).toMatchObject({ name: "Sales", color: "#3B82F6" });
  });

  it("may repeat across teams", async () => {
    const globex = await buildTeam(ctx, { name: "Globex" });
    const reply = await client(ctx.app, { apiKey: globex.apiKey }).post("/api/support/inboxes", { name: "Sales" });
    expect(reply.status).toBe(201);
    expect((await api.post("/api/support/inboxes", { name: "Sales" })).status).toBe(201);
  });
});

describe("inbox email addresses", () => {
  it("are stored lowercased", async () => {
    const reply = await api.post("/api/support/inboxes", { name: "Sales", email: "Sales@Acme.TEST" });
    expect(reply.body.data.email).toBe("sales@acme.test");
  });

  it("are unique within a team regardless of case (409 email_taken)", async () => {
    await api.post("/api/support/inboxes", { name: "Sales", email: "sales@acme.test" });
    const reply = await api.post("/api/support/inboxes", { name: "Billing", email: "SALES@acme.test" });
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe("email_taken");
    expect((await inboxes()).map((inbox) => inbox.name)).toEqual(["Support", "Sales"]);
  });

  it("are unique across teams, on create and on update", async () => {
    await api.post("/api/support/inboxes", { name: "Sales", email: "sales@acme.test" });
    const globex = await buildTeam(ctx, { name: "Globex" });
    const globexApi = client(ctx.app, { apiKey: globex.apiKey });
    const created = await globexApi.post("/api/support/inboxes", { name: "Sales", email: "sales@acme.test" });
    expect(created.status).toBe(409);
    expect(created.body.error.code).toBe("email_taken");
    const updated = await globexApi.put(`/api/support/inboxes/${globex.inbox.id}`, { email: "sales@acme.test" });
    expect(updated.status).toBe(409);
    expect(updated.body.error.code).toBe("email_taken");
    expect((await globexApi.get(`/api/support/inboxes/${globex.inbox.id}`)).body.data.email).toBeNull();
  });

  it("may be sent again unchanged on the inbox that owns it", async () => {
    const sales = await api.post("/api/support/inboxes", { name: "Sales", email: "sales@acme.test" });
    const reply = await api.put(`/api/support/inboxes/${sales.body.data.id}`, { email: "sales@acme.test", color: "#111111" });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({ email: "sales@acme.test", color: "#111111" });
  });
});
