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

const QR = "/api/support/quick-replies";
const T0 = "2026-03-02T15:00:00.000Z";
const T1 = "2026-03-02T15:05:00.000Z";
const QR_ID = /^qr_[A-Za-z0-9]{16}$/;

interface QuickReply {
  id: string;
  shortcut: string;
  title: string;
  content: string;
  createdAt: string;
  updatedAt: string;
}

const eventsNamed = (name: string) => ctx.events.filter((event) => event.name === name);

async function create(shortcut: string, title = `Title of ${shortcut}`, content = `Content of ${shortcut}`, caller = api): Promise<QuickReply> {
  const reply = await caller.post(QR, { shortcut, title, content });
  expect(reply.status).toBe(201);
  return reply.body.data;
}

async function list(query = "", caller = api): Promise<QuickReply[]> {
  const reply = await caller.get(`${QR}${query}`);
  expect(reply.status).toBe(200);
  return reply.body.data;
}

const shortcuts = async (query = "", caller = api) => (await list(query, caller)).map((row) => row.shortcut);

describe("POST /api/support/quick-replies", () => {
  it("creates a quick reply and answers 201 { data } in the exact shape", async () => {
    const reply = await api.post(QR, { shortcut: "refund", title: "Refund policy", content: "We refund within 14 days." });
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({ data: { id: expect.stringMatching(QR_ID), shortcut: "refund", title: "Refund policy", content: "We refund within 14 days.", createdAt: T0, updatedAt: T0 } });
    expect(await list()).toEqual([reply.body.data]);
  });

  it.each([
    ["/Refund", "refund"],
    ["  /REFUND-Policy_2  ", "refund-policy_2"],
    ["Hello", "hello"],
    ["0", "0"],
    ["/a", "a"],
  ])("stores the shortcut %j as %j", async (given, stored) => {
    expect((await create(given)).shortcut).toBe(stored);
  });

  it("keeps the content exactly: emoji, joined emoji, other scripts, combining marks, spaces and line breaks", async () => {
    const content = "  Hola 👋🏽 ¡Gracias! 👨‍👩‍👧 你好 مرحبا Cafe\u0301 🇫🇷\n\n\tFirma — Ana ✨  \r\n";
    const created = await create("hola", "Saludo 👋", content);
    expect(created.content).toBe(content);
    const fetched = await api.get(`${QR}/${created.id}`);
    expect(fetched.body.data.content).toBe(content);
    expect(fetched.body.data.title).toBe("Saludo 👋");
  });

  it("trims the title", async () => {
    expect((await create("thanks", "  Thank you  ")).title).toBe("Thank you");
  });

  it("accepts the longest shortcut, title and content", async () => {
    const reply = await api.post(QR, { shortcut: `/${"a".repeat(40)}`, title: "t".repeat(100), content: "c".repeat(5000) });
    expect(reply.status).toBe(201);
    expect(reply.body.data.shortcut).toBe("a".repeat(40));
  });

  it("records quick_reply.created", async () => {
    const created = await create("refund");
    expect(eventsNamed("quick_reply.created")).toEqual([expect.objectContaining({ teamId: acme.team.id, payload: expect.objectContaining({ quickReply: created, actorId: acme.owner.id }) })]);
  });

  it.each(["refund", "/refund", "REFUND", " /Refund "])("refuses the taken shortcut %j with 409 shortcut_taken, adding nothing", async (shortcut) => {
    const existing = await create("refund");
    const reply = await api.post(QR, { shortcut, title: "Other", content: "Other" });
    expect(reply.status).toBe(409);
    expect(reply.body).toEqual({ error: { code: "shortcut_taken", message: expect.any(String) } });
    expect(await list()).toEqual([existing]);
  });
});

describe("POST /api/support/quick-replies validation", () => {
  const valid = { shortcut: "refund", title: "Refund", content: "We refund." };
  const invalid: [string, Record<string, unknown>, string][] = [
    ["no shortcut", { title: "T", content: "C" }, "shortcut"],
    ["an empty shortcut", { ...valid, shortcut: "" }, "shortcut"],
    ["a shortcut that is only /", { ...valid, shortcut: "/" }, "shortcut"],
    ["a shortcut with two leading slashes", { ...valid, shortcut: "//refund" }, "shortcut"],
    ["a shortcut starting with -", { ...valid, shortcut: "-refund" }, "shortcut"],
    ["a shortcut starting with _", { ...valid, shortcut: "_refund" }, "shortcut"],
    ["a shortcut with a space", { ...valid, shortcut: "re fund" }, "shortcut"],
    ["a shortcut with a dot", { ...valid, shortcut: "re.fund" }, "shortcut"],
    ["a shortcut with a non-ASCII letter", { ...valid, shortcut: "réfund" }, "shortcut"],
    ["a shortcut with an emoji", { ...valid, shortcut: "hi👋" }, "shortcut"],
    ["a 41-character shortcut", { ...valid, shortcut: "a".repeat(41) }, "shortcut"],
    ["a shortcut that is a number", { ...valid, shortcut: 42 }, "shortcut"],
    ["no title", { shortcut: "refund", content: "C" }, "title"],
    ["an empty title", { ...valid, title: "" }, "title"],
    ["a blank title", { ...valid, title: "   " }, "title"],
    ["a 101-character title", { ...valid, title: "t".repeat(101) }, "title"],
    ["a null title", { ...valid, title: null }, "title"],
    ["no content", { shortcut: "refund", title: "T" }, "content"],
    ["an empty content", { ...valid, content: "" }, "content"],
    ["a blank content", { ...valid, content: " \n\t " }, "content"],
    ["a 5001-character content", { ...valid, content: "c".repeat(5001) }, "content"],
    ["a content with U+0000", { ...valid, content: "a\u0000b" }, "content"],
    ["a content that is an array", { ...valid, content: ["a"] }, "content"],
    ["an unknown field", { ...valid, teamId: "team_x" }, "teamId"],
  ];

  it.each(invalid)("rejects %s with 400 validation_failed naming the field, creating nothing", async (_what, body, path) => {
    const reply = await api.post(QR, body);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("validation_failed");
    expect(reply.body.error.details[0].path).toBe(path);
    expect(await list()).toEqual([]);
    expect(eventsNamed("quick_reply.created")).toEqual([]);
  });
});

describe("GET /api/support/quick-replies/:quickReplyId", () => {
  it("returns one quick reply as { data }", async () => {
    const created = await create("refund", "Refund policy", "We refund within 14 days.");
    const reply = await api.get(`${QR}/${created.id}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ data: { id: created.id, shortcut: "refund", title: "Refund policy", content: "We refund within 14 days.", createdAt: T0, updatedAt: T0 } });
  });

  it("answers 404 for an unknown id", async () => {
    const reply = await api.get(`${QR}/qr_doesnotexist00000`);
    expect(reply.status).toBe(404);
    expect(reply.body).toEqual({ error: { code: "not_found", message: expect.any(String) } });
  });
});

describe("PATCH /api/support/quick-replies/:quickReplyId", () => {
  it("changes every field, normalizing the shortcut and advancing updatedAt only", async () => {
    const created = await create("refund");
    ctx.clock.set(T1);
    const reply = await api.patch(`${QR}/${created.id}`, { shortcut: "/Money-Back", title: " Money back ", content: "💸 Done.\n" });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ data: { id: created.id, shortcut: "money-back", title: "Money back", content: "💸 Done.\n", createdAt: T0, updatedAt: T1 } });
    expect(await list()).toEqual([reply.body.data]);
  });

  it("changes only the fields given", async () => {
    const created = await create("refund", "Refund", "Old text");
    const reply = await api.patch(`${QR}/${created.id}`, { content: "New text" });
    expect(reply.body.data).toMatchObject({ shortcut: "refund", title: "Refund", content: "New text" });
  });

  it("records quick_reply.updated, and nothing when nothing changes", async () => {
    const created = await create("refund", "Refund", "Text");
    await api.patch(`${QR}/${created.id}`, {});
    await api.patch(`${QR}/${created.id}`, { shortcut: "/REFUND", title: "Refund", content: "Text" });
    expect(eventsNamed("quick_reply.updated")).toEqual([]);
    const updated = (await api.patch(`${QR}/${created.id}`, { title: "Refunds" })).body.data;
    expect(eventsNamed("quick_reply.updated")).toEqual([expect.objectContaining({ payload: expect.objectContaining({ quickReply: updated }) })]);
  });

  it("keeps its own shortcut written another way", async () => {
    const created = await create("refund");
    const reply = await api.patch(`${QR}/${created.id}`, { shortcut: "/Refund" });
    expect(reply.status).toBe(200);
    expect(reply.body.data.shortcut).toBe("refund");
  });

  it("refuses another reply's shortcut with 409 shortcut_taken, changing nothing", async () => {
    await create("refund");
    const other = await create("thanks");
    const reply = await api.patch(`${QR}/${other.id}`, { shortcut: "/Refund", title: "Changed" });
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe("shortcut_taken");
    expect((await api.get(`${QR}/${other.id}`)).body.data).toEqual(other);
  });

  it("answers 404 for an unknown id", async () => {
    const reply = await api.patch(`${QR}/qr_doesnotexist00000`, { title: "X" });
    expect(reply.status).toBe(404);
    expect(reply.body.error.code).toBe("not_found");
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ["a bad shortcut", { shortcut: "no spaces" }, "shortcut"],
    ["an empty title", { title: "" }, "title"],
    ["a blank content", { content: "   " }, "content"],
    ["a too long content", { content: "c".repeat(5001) }, "content"],
    ["a null content", { content: null }, "content"],
    ["an unknown field", { title: "Ok", id: "qr_other" }, "id"],
  ];

  it.each(invalid)("rejects %s with 400 validation_failed, changing nothing", async (_what, body, path) => {
    const created = await create("refund");
    const reply = await api.patch(`${QR}/${created.id}`, body);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("validation_failed");
    expect(reply.body.error.details[0].path).toBe(path);
    expect(await list()).toEqual([created]);
  });
});

describe("DELETE /api/support/quick-replies/:quickReplyId", () => {
  it("deletes a quick reply, answers 204 without a body and records quick_reply.deleted", async () => {
    const refund = await create("refund");
    const thanks = await create("thanks");
    const reply = await api.delete(`${QR}/${refund.id}`);
    expect(reply.status).toBe(204);
    expect(reply.body).toBeUndefined();
    expect(await list()).toEqual([thanks]);
    expect((await api.get(`${QR}/${refund.id}`)).status).toBe(404);
    expect(eventsNamed("quick_reply.deleted")).toEqual([expect.objectContaining({ teamId: acme.team.id, payload: expect.objectContaining({ quickReplyId: refund.id, shortcut: "refund" }) })]);
  });

  it("answers 404 for an unknown or already deleted id", async () => {
    const refund = await create("refund");
    await api.delete(`${QR}/${refund.id}`);
    const again = await api.delete(`${QR}/${refund.id}`);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe("not_found");
  });

  it("frees the shortcut", async () => {
    const refund = await create("refund");
    await api.delete(`${QR}/${refund.id}`);
    expect((await create("/Refund")).id).not.toBe(refund.id);
  });
});

describe("quick replies for plain members (SPEC §4)", () => {
  it("lets a member in no inbox list, read, create, change and delete them", async () => {
    const member = client(ctx.app, { apiKey: (await buildMember(ctx, acme.team.id)).apiKey });
    const mine = await create("mine", "Mine", "Mine", member);
    const owners = await create("owners");
    expect(await shortcuts("", member)).toEqual(["mine", "owners"]);
    expect((await member.get(`${QR}/${owners.id}`)).status).toBe(200);
    expect((await member.patch(`${QR}/${owners.id}`, { title: "Changed by a member" })).status).toBe(200);
    expect((await member.delete(`${QR}/${mine.id}`)).status).toBe(204);
    expect(await list()).toEqual([expect.objectContaining({ id: owners.id, title: "Changed by a member" })]);
  });

  it("answers 401 without credentials", async () => {
    expect((await client(ctx.app).get(QR)).status).toBe(401);
    expect((await client(ctx.app).post(QR, { shortcut: "x", title: "x", content: "x" })).status).toBe(401);
  });
});

describe("quick replies across teams", () => {
  let globex: BuiltTeam;
  let globexApi: ReturnType<typeof client>;

  beforeEach(async () => {
    globex = await buildTeam(ctx, { name: "Globex" });
    globexApi = client(ctx.app, { apiKey: globex.apiKey });
  });

  it("never lists or finds another team's quick replies", async () => {
    await create("refund", "Refund policy", "We refund.");
    expect(await list("", globexApi)).toEqual([]);
    expect(await list("?q=refund", globexApi)).toEqual([]);
    expect(await list("?q=policy", globexApi)).toEqual([]);
    const own = await create("other", "Other", "Other", globexApi);
    expect(await list("", globexApi)).toEqual([own]);
  });

  it("lets two teams use the same shortcut", async () => {
    const acmeReply = await create("refund", "Acme refund", "Acme");
    const globexReply = await create("/Refund", "Globex refund", "Globex", globexApi);
    expect(globexReply.id).not.toBe(acmeReply.id);
    expect(await list("?q=refund")).toEqual([acmeReply]);
    expect(await list("?q=refund", globexApi)).toEqual([globexReply]);
  });

  it("returns 404 for another team's quick reply on GET, PATCH and DELETE, changing nothing", async () => {
    const created = await create("refund", "Refund policy", "We refund.");
    for (const reply of [await globexApi.get(`${QR}/${created.id}`), await globexApi.patch(`${QR}/${created.id}`, { title: "Hijacked" }), await globexApi.delete(`${QR}/${created.id}`)]) {
      expect(reply.status).toBe(404);
      expect(reply.body).toEqual({ error: { code: "not_found", message: expect.any(String) } });
    }
    expect(await list()).toEqual([created]);
    expect(eventsNamed("quick_reply.updated")).toEqual([]);
    expect(eventsNamed("quick_reply.deleted")).toEqual([]);
  });

  it("does not count another team's shortcut as taken on PATCH", async () => {
    await create("refund", "Acme", "Acme");
    const globexReply = await create("other", "Other", "Other", globexApi);
    const reply = await globexApi.patch(`${QR}/${globexReply.id}`, { shortcut: "refund" });
    expect(reply.status).toBe(200);
    expect(reply.body.data.shortcut).toBe("refund");
  });
});

describe("the quick replies API documentation", () => {
  it("publishes every quick replies endpoint and the QuickReply schema in the OpenAPI document", async () => {
    const doc = (await ctx.app.inject({ method: "GET", url: "/api/openapi.json" })).json<any>();
    expect(Object.keys(doc.paths["/api/support/quick-replies"]).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/api/support/quick-replies/{quickReplyId}"]).sort()).toEqual(["delete", "get", "patch"]);
    expect(doc.components.schemas.QuickReply.required.sort()).toEqual(["content", "createdAt", "id", "shortcut", "title", "updatedAt"]);
    const query = doc.paths["/api/support/quick-replies"].get.parameters.map((parameter: { name: string; in: string }) => `${parameter.in}:${parameter.name}`);
    expect(query.sort()).toEqual(["query:limit", "query:q"]);
    const body = doc.paths["/api/support/quick-replies"].post.requestBody.content["application/json"].schema;
    expect(body).toMatchObject({ required: ["shortcut", "title", "content"], additionalProperties: false, properties: { content: { minLength: 1, maxLength: 5000 } } });
  });
});
