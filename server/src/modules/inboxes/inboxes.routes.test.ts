import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildInbox, buildMember, buildTeam, type BuiltTeam } from "../../../test/factories.js";
import { identityHash } from "../visitors/identify-visitor.js";
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

const nineToFive = { start: "09:00", end: "17:00" };

/** Every setting of SPEC §2.2, none left at its default, in seed 000's spelling. */
function everySetting(fallbackUserId: string) {
  return {
    name: "Technical Support",
    description: "Technical issues and questions",
    email: "support@example.com",
    isDefault: false,
    color: "#10B981",
    icon: "wrench",
    assignmentRules: { type: "round_robin", fallbackUserId },
    autoResponder: { enabled: true, message: "Thanks for reaching out! We typically respond within 2 hours.", delaySeconds: 5, conditions: { outsideWorkingHours: true } },
    workingHours: {
      enabled: true,
      timezone: "America/New_York",
      schedule: { monday: nineToFive, tuesday: nineToFive, wednesday: nineToFive, thursday: nineToFive, friday: { start: "10:00", end: "16:30" }, saturday: null, sunday: null },
      holidays: ["2024-01-01", "2024-12-25"],
    },
    outsideHoursMessage: "We're currently offline. We'll respond when we're back online tomorrow at 9 AM EST.",
    emailSettings: { replyByEmail: false, fromAddress: "support@example.com", fromName: "Support Team" },
  };
}

function expectedInbox(body: ReturnType<typeof everySetting>) {
  const { workingHours, assignmentRules, ...rest } = body;
  return { ...rest, workingHours, assignmentRules: { ...assignmentRules, workingHours } };
}

describe("POST /api/support/inboxes", () => {
  it("creates an inbox with 201 in the data envelope", async () => {
    const reply = await api.post("/api/support/inboxes", { name: "Sales" });
    expect(reply.status).toBe(201);
    expect(reply.body.data).toMatchObject({ name: "Sales", isDefault: false, createdAt: "2026-03-02T15:00:00.000Z", updatedAt: "2026-03-02T15:00:00.000Z" });
    expect(reply.body.data.id).toMatch(/^inbox_[A-Za-z0-9]{16}$/);
  });

  it("returns every setting of SPEC §2.2 exactly as sent, on create and on a later GET", async () => {
    const body = everySetting(acme.owner.id);
    const created = await api.post("/api/support/inboxes", body);
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject(expectedInbox(body));
    const fetched = await api.get(`/api/support/inboxes/${created.body.data.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body.data).toMatchObject(expectedInbox(body));
  });

  it("gives each inbox its own forwarding address and website token", async () => {
    const sales = await api.post("/api/support/inboxes", { name: "Sales" });
    const billing = await api.post("/api/support/inboxes", { name: "Billing" });
    const support = await api.get(`/api/support/inboxes/${acme.inbox.id}`);
    const inboxes = [sales.body.data, billing.body.data, support.body.data];
    for (const inbox of inboxes) {
      expect(inbox.forwardingAddress).toMatch(/^inbox-[a-z0-9]{10}@mail\.parley\.test$/);
      expect(inbox.websiteToken).toEqual(expect.any(String));
      expect(inbox.websiteToken.length).toBeGreaterThanOrEqual(16);
    }
    expect(new Set(inboxes.map((inbox) => inbox.forwardingAddress)).size).toBe(3);
    expect(new Set(inboxes.map((inbox) => inbox.websiteToken)).size).toBe(3);
  });

  it("records inbox.created with the new inbox's id", async () => {
    const reply = await api.post("/api/support/inboxes", { name: "Sales" });
    const event = ctx.events.find((e) => e.name === "inbox.created" && e.inboxId === reply.body.data.id);
    expect(event).toMatchObject({ teamId: acme.team.id, payload: { inboxId: reply.body.data.id, name: "Sales" } });
  });
});

describe("GET /api/support/inboxes", () => {
  it("lists every inbox of the team for an admin, default first", async () => {
    await buildInbox(ctx, acme.team.id, "Billing");
    await buildInbox(ctx, acme.team.id, "Sales");
    const reply = await api.get("/api/support/inboxes");
    expect(reply.status).toBe(200);
    expect(reply.body.data.map((inbox: { name: string }) => inbox.name)).toEqual(["Support", "Billing", "Sales"]);
    expect(reply.body.data[0]).toMatchObject({ id: acme.inbox.id, isDefault: true });
  });
});

describe("GET /api/support/inboxes/:inboxId", () => {
  it("returns the inbox in the data envelope", async () => {
    const reply = await api.get(`/api/support/inboxes/${acme.inbox.id}`);
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({ id: acme.inbox.id, name: "Support", isDefault: true });
  });

  it("answers 404 for an unknown id", async () => {
    const reply = await api.get("/api/support/inboxes/inbox_doesnotexist00");
    expect(reply.status).toBe(404);
    expect(reply.body.error.code).toBe("not_found");
  });
});

describe.each(["put", "patch"] as const)("%s /api/support/inboxes/:inboxId", (method) => {
  const update = (inboxId: string, body: unknown) => api[method](`/api/support/inboxes/${inboxId}`, body);

  it("changes only the fields it names", async () => {
    const before = (await api.get(`/api/support/inboxes/${acme.inbox.id}`)).body.data;
    ctx.clock.advance(60_000);
    const reply = await update(acme.inbox.id, { color: "#EF4444" });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toEqual({ ...before, color: "#EF4444", updatedAt: "2026-03-02T15:01:00.000Z" });
  });

  it("changes Monday alone when the schedule names only Monday", async () => {
    const reply = await update(acme.inbox.id, { workingHours: { schedule: { monday: { start: "08:00", end: "12:00" } } } });
    expect(reply.status).toBe(200);
    expect(reply.body.data.workingHours.schedule).toEqual({
      monday: { start: "08:00", end: "12:00" },
      tuesday: nineToFive,
      wednesday: nineToFive,
      thursday: nineToFive,
      friday: nineToFive,
      saturday: null,
      sunday: null,
    });
    expect(reply.body.data.workingHours).toMatchObject({ enabled: false, timezone: "UTC", holidays: [] });
  });

  it("closes a day given null and opens a closed one given hours", async () => {
    const reply = await update(acme.inbox.id, { workingHours: { schedule: { friday: null, saturday: { start: "10:00", end: "14:00" } } } });
    expect(reply.body.data.workingHours.schedule).toMatchObject({ thursday: nineToFive, friday: null, saturday: { start: "10:00", end: "14:00" }, sunday: null });
  });

  it("merges nested objects field by field", async () => {
    await update(acme.inbox.id, {
      assignmentRules: { type: "least_busy", fallbackUserId: acme.owner.id },
      autoResponder: { enabled: true, message: "Hi there", delaySeconds: 30, conditions: { outsideWorkingHours: true } },
      emailSettings: { replyByEmail: false, fromAddress: "help@acme.test", fromName: "Acme Help" },
      workingHours: { enabled: true, timezone: "Europe/Paris", holidays: ["2026-12-25"] },
    });
    const reply = await update(acme.inbox.id, {
      assignmentRules: { type: "round_robin" },
      autoResponder: { delaySeconds: 60 },
      emailSettings: { fromName: "Acme Support" },
      workingHours: { timezone: "Asia/Tokyo" },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.data.assignmentRules).toMatchObject({ type: "round_robin", fallbackUserId: acme.owner.id });
    expect(reply.body.data.autoResponder).toEqual({ enabled: true, message: "Hi there", delaySeconds: 60, conditions: { outsideWorkingHours: true } });
    expect(reply.body.data.emailSettings).toEqual({ replyByEmail: false, fromAddress: "help@acme.test", fromName: "Acme Support" });
    expect(reply.body.data.workingHours).toMatchObject({ enabled: true, timezone: "Asia/Tokyo", holidays: ["2026-12-25"] });
  });

  it("replaces the holiday list rather than appending to it", async () => {
    await update(acme.inbox.id, { workingHours: { holidays: ["2026-01-01", "2026-12-25"] } });
    const reply = await update(acme.inbox.id, { workingHours: { holidays: ["2026-07-14"] } });
    expect(reply.body.data.workingHours.holidays).toEqual(["2026-07-14"]);
  });

  it("accepts assignmentRules.workingHours as the inbox's workingHours and shows it in both places", async () => {
    const reply = await update(acme.inbox.id, { assignmentRules: { type: "round_robin", workingHours: { enabled: true, timezone: "America/New_York", schedule: { sunday: { start: "12:00", end: "18:00" } } } } });
    expect(reply.status).toBe(200);
    const { workingHours, assignmentRules } = reply.body.data;
    expect(workingHours).toMatchObject({ enabled: true, timezone: "America/New_York", schedule: { monday: nineToFive, sunday: { start: "12:00", end: "18:00" } } });
    expect(assignmentRules).toEqual({ type: "round_robin", fallbackUserId: null, workingHours });
    const fetched = await api.get(`/api/support/inboxes/${acme.inbox.id}`);
    expect(fetched.body.data.workingHours).toEqual(workingHours);
  });

  it("rejects workingHours given both at the top level and inside assignmentRules, changing nothing", async () => {
    const before = (await api.get(`/api/support/inboxes/${acme.inbox.id}`)).body.data;
    const reply = await update(acme.inbox.id, { name: "Renamed", workingHours: { enabled: true }, assignmentRules: { workingHours: { timezone: "Europe/Paris" } } });
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({ code: "validation_failed", details: [expect.objectContaining({ path: expect.stringContaining("workingHours") })] });
    expect((await api.get(`/api/support/inboxes/${acme.inbox.id}`)).body.data).toEqual(before);
  });

  it("renames an inbox, including to another spelling of its own name", async () => {
    const renamed = await update(acme.inbox.id, { name: "Help Desk" });
    expect(renamed.body.data.name).toBe("Help Desk");
    const recased = await update(acme.inbox.id, { name: "HELP DESK" });
    expect(recased.status).toBe(200);
    expect(recased.body.data.name).toBe("HELP DESK");
  });

  it("clears nullable fields given null", async () => {
    await update(acme.inbox.id, { email: "help@acme.test", emailSettings: { fromAddress: "help@acme.test", fromName: "Help" } });
    const reply = await update(acme.inbox.id, { description: null, email: null, outsideHoursMessage: null, emailSettings: { fromAddress: null, fromName: null } });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({ description: null, email: null, outsideHoursMessage: null, emailSettings: { fromAddress: null, fromName: null } });
  });

  it("records inbox.updated", async () => {
    await update(acme.inbox.id, { name: "Help Desk" });
    expect(ctx.events.find((e) => e.name === "inbox.updated")).toMatchObject({ teamId: acme.team.id, inboxId: acme.inbox.id, payload: { inboxId: acme.inbox.id, name: "Help Desk" } });
  });

  it("answers 404 for an unknown id", async () => {
    const reply = await update("inbox_doesnotexist00", { color: "#000000" });
    expect(reply.status).toBe(404);
  });
});

describe("DELETE /api/support/inboxes/:inboxId", () => {
  it("returns the deleted inbox and forgets it", async () => {
    const sales = await buildInbox(ctx, acme.team.id, "Sales");
    const reply = await api.delete(`/api/support/inboxes/${sales.id}`);
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({ id: sales.id, name: "Sales", isDefault: false });
    expect((await api.get(`/api/support/inboxes/${sales.id}`)).status).toBe(404);
    expect((await api.get("/api/support/inboxes")).body.data.map((inbox: { id: string }) => inbox.id)).toEqual([acme.inbox.id]);
    expect((await api.delete(`/api/support/inboxes/${sales.id}`)).status).toBe(404);
  });

  it("records inbox.deleted", async () => {
    const sales = await buildInbox(ctx, acme.team.id, "Sales");
    await api.delete(`/api/support/inboxes/${sales.id}`);
    expect(ctx.events.find((e) => e.name === "inbox.deleted")).toMatchObject({ teamId: acme.team.id, inboxId: sales.id, payload: { inboxId: sales.id } });
  });

  it("frees the name and email address for a new inbox", async () => {
    const first = await api.post("/api/support/inboxes", { name: "Sales", email: "sales@acme.test" });
    await api.delete(`/api/support/inboxes/${first.body.data.id}`);
    const again = await api.post("/api/support/inboxes", { name: "Sales", email: "sales@acme.test" });
    expect(again.status).toBe(201);
  });
});

describe("POST /api/support/inboxes/:inboxId/identity-secret", () => {
  it("replaces the secret for an inbox admin; only the new one verifies a visitor", async () => {
    const before = (await api.get(`/api/support/inboxes/${acme.inbox.id}`)).body.data.identitySecret as string;
    const rotated = await api.post(`/api/support/inboxes/${acme.inbox.id}/identity-secret`);
    expect(rotated.status).toBe(200);
    const after = rotated.body.data.identitySecret as string;
    expect(after).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(after).not.toBe(before);
    expect((await api.get(`/api/support/inboxes/${acme.inbox.id}`)).body.data.identitySecret).toBe(after);

    await api.put(`/api/support/inboxes/${acme.inbox.id}`, { widget: { identityVerification: true } });
    const session = await client(ctx.app).post("/api/widget/session", { websiteToken: acme.inbox.website_token });
    const visitor = (hash: string) => client(ctx.app).post("/api/widget/identify", { userId: "u1", hash }, { "x-visitor-token": session.body.visitorToken as string });
    expect((await visitor(identityHash(before, "u1"))).status).toBe(403);
    expect((await visitor(identityHash(after, "u1"))).status).toBe(200);
  });

  it("is refused to an agent of the inbox (403) and to another team (404), changing nothing", async () => {
    const before = (await api.get(`/api/support/inboxes/${acme.inbox.id}`)).body.data.identitySecret as string;
    const agent = await buildMember(ctx, acme.team.id, { role: "member", inboxes: [{ inboxId: acme.inbox.id, role: "agent" }] });
    expect((await client(ctx.app, { apiKey: agent.apiKey }).post(`/api/support/inboxes/${acme.inbox.id}/identity-secret`)).status).toBe(403);
    const globex = await buildTeam(ctx, { name: "Globex" });
    expect((await client(ctx.app, { apiKey: globex.apiKey }).post(`/api/support/inboxes/${acme.inbox.id}/identity-secret`)).status).toBe(404);
    expect((await api.get(`/api/support/inboxes/${acme.inbox.id}`)).body.data.identitySecret).toBe(before);
  });
});
