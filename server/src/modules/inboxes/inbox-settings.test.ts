import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildMember, buildTeam, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";

let ctx: TestContext;
let acme: BuiltTeam;
let globex: BuiltTeam;
let api: ReturnType<typeof client>;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx, { name: "Acme Corp" });
  globex = await buildTeam(ctx, { name: "Globex" });
  api = client(ctx.app, { apiKey: acme.apiKey });
});
afterEach(() => ctx.close());

const day = (start: string, end: string) => ({ start, end });

/** [what is wrong, the offending part of the body, the details path that must name it] */
const invalidSettings: [string, () => Record<string, unknown>, string][] = [
  ["an empty name", () => ({ name: "" }), "name"],
  ["a name of spaces only", () => ({ name: "   " }), "name"],
  ["a name over 100 characters", () => ({ name: "x".repeat(101) }), "name"],
  ["a name that is not a string", () => ({ name: 42 }), "name"],
  ["an email that is not an address", () => ({ email: "support at example.com" }), "email"],
  ["an email without a domain", () => ({ email: "support@" }), "email"],
  ["an email shaped like a forwarding address", () => ({ email: "inbox-abcde12345@elsewhere.test" }), "email"],
  ["a colour name instead of #RRGGBB", () => ({ color: "red" }), "color"],
  ["a three-digit colour", () => ({ color: "#FFF" }), "color"],
  ["a colour with non-hex digits", () => ({ color: "#GG0000" }), "color"],
  ["a colour without #", () => ({ color: "3B82F6" }), "color"],
  ["an icon with capitals", () => ({ icon: "Wrench" }), "icon"],
  ["an icon with a space", () => ({ icon: "big wrench" }), "icon"],
  ["an icon starting with a dash", () => ({ icon: "-wrench" }), "icon"],
  ["an icon over 40 characters", () => ({ icon: "w".repeat(41) }), "icon"],
  ["isDefault that is not a boolean", () => ({ isDefault: "yes" }), "isDefault"],
  ["an unknown assignment type", () => ({ assignmentRules: { type: "random" } }), "assignmentRules.type"],
  ["a fallback user that does not exist", () => ({ assignmentRules: { fallbackUserId: "member_doesnotexist00" } }), "assignmentRules.fallbackUserId"],
  ["a fallback user from another team", () => ({ assignmentRules: { fallbackUserId: globex.owner.id } }), "assignmentRules.fallbackUserId"],
  ["a time zone that does not exist", () => ({ workingHours: { timezone: "Mars/Olympus" } }), "workingHours.timezone"],
  ["an empty time zone", () => ({ workingHours: { timezone: "" } }), "workingHours.timezone"],
  ["a bad time zone given through assignmentRules", () => ({ assignmentRules: { workingHours: { timezone: "Mars/Olympus" } } }), "assignmentRules.workingHours.timezone"],
  ["a day that ends before it starts", () => ({ workingHours: { schedule: { monday: day("17:00", "09:00") } } }), "workingHours.schedule.monday"],
  ["a day that ends when it starts", () => ({ workingHours: { schedule: { monday: day("09:00", "09:00") } } }), "workingHours.schedule.monday"],
  ["an hour past 24", () => ({ workingHours: { schedule: { tuesday: day("09:00", "25:00") } } }), "workingHours.schedule.tuesday.end"],
  ["a start hour of 25", () => ({ workingHours: { schedule: { tuesday: day("25:00", "26:00") } } }), "workingHours.schedule.tuesday.start"],
  ["a time without a leading zero", () => ({ workingHours: { schedule: { wednesday: day("9:00", "17:00") } } }), "workingHours.schedule.wednesday.start"],
  ["minutes past 59", () => ({ workingHours: { schedule: { wednesday: day("09:60", "17:00") } } }), "workingHours.schedule.wednesday.start"],
  ["a day without an end", () => ({ workingHours: { schedule: { thursday: { start: "09:00" } } } }), "workingHours.schedule.thursday.end"],
  ["a day that is not a weekday", () => ({ workingHours: { schedule: { funday: day("09:00", "17:00") } } }), "workingHours.schedule.funday"],
  ["an abbreviated weekday", () => ({ workingHours: { schedule: { mon: day("09:00", "17:00") } } }), "workingHours.schedule.mon"],
  ["February 30th as a holiday", () => ({ workingHours: { holidays: ["2024-02-30"] } }), "workingHours.holidays.0"],
  ["a thirteenth month as a holiday", () => ({ workingHours: { holidays: ["2024-13-01"] } }), "workingHours.holidays.0"],
  ["a holiday without zero padding", () => ({ workingHours: { holidays: ["2024-12-25", "2024-1-1"] } }), "workingHours.holidays.1"],
  ["a holiday with a time", () => ({ workingHours: { holidays: ["2024-12-25T00:00:00Z"] } }), "workingHours.holidays.0"],
  ["a negative auto-responder delay", () => ({ autoResponder: { delaySeconds: -1 } }), "autoResponder.delaySeconds"],
  ["a fractional auto-responder delay", () => ({ autoResponder: { delaySeconds: 1.5 } }), "autoResponder.delaySeconds"],
  ["an auto-responder delay over a day", () => ({ autoResponder: { delaySeconds: 86_401 } }), "autoResponder.delaySeconds"],
  ["an auto-responder delay as a string", () => ({ autoResponder: { delaySeconds: "5" } }), "autoResponder.delaySeconds"],
  ["an enabled auto-responder without a message", () => ({ autoResponder: { enabled: true } }), "autoResponder.message"],
  ["an enabled auto-responder with a blank message", () => ({ autoResponder: { enabled: true, message: "   " } }), "autoResponder.message"],
  ["a from address that is not an address", () => ({ emailSettings: { fromAddress: "support" } }), "emailSettings.fromAddress"],
  ["an unknown top-level field", () => ({ priority: "high" }), "priority"],
  ["an unknown field in assignmentRules", () => ({ assignmentRules: { type: "manual", maxOpen: 5 } }), "assignmentRules.maxOpen"],
  ["an unknown field in workingHours", () => ({ workingHours: { enabled: true, days: [] } }), "workingHours.days"],
  ["an unknown field in a schedule day", () => ({ workingHours: { schedule: { monday: { start: "09:00", end: "17:00", lunch: "12:00" } } } }), "workingHours.schedule.monday.lunch"],
  ["an unknown field in autoResponder", () => ({ autoResponder: { subject: "Hi" } }), "autoResponder.subject"],
  ["an unknown field in autoResponder.conditions", () => ({ autoResponder: { conditions: { always: true } } }), "autoResponder.conditions.always"],
  ["an unknown field in emailSettings", () => ({ emailSettings: { signature: "Bye" } }), "emailSettings.signature"],
];

function expectValidationFailure(reply: { status: number; body: any }, path: string) {
  expect(reply.status).toBe(400);
  expect(reply.body.error.code).toBe("validation_failed");
  const paths: string[] = reply.body.error.details.map((detail: { path: string }) => detail.path);
  expect(paths.some((p) => p === path || p.startsWith(`${path}.`))).toBe(true);
}

describe("PUT /api/support/inboxes/:inboxId validation", () => {
  it.each(invalidSettings)("rejects %s with 400 and leaves the inbox unchanged", async (_what, invalid, path) => {
    const before = (await api.get(`/api/support/inboxes/${acme.inbox.id}`)).body.data;
    const eventsBefore = ctx.events.length;
    const reply = await api.put(`/api/support/inboxes/${acme.inbox.id}`, { description: "Changed", color: "#000000", ...invalid() });
    expectValidationFailure(reply, path);
    expect((await api.get(`/api/support/inboxes/${acme.inbox.id}`)).body.data).toEqual(before);
    expect(ctx.events.length).toBe(eventsBefore);
  });
});

describe("POST /api/support/inboxes validation", () => {
  it.each(invalidSettings)("rejects %s with 400 and creates nothing", async (_what, invalid, path) => {
    const eventsBefore = ctx.events.length;
    const reply = await api.post("/api/support/inboxes", { name: "Brand New", ...invalid() });
    expectValidationFailure(reply, path);
    expect((await api.get("/api/support/inboxes")).body.data.map((inbox: { id: string }) => inbox.id)).toEqual([acme.inbox.id]);
    expect(ctx.events.length).toBe(eventsBefore);
  });

  it("rejects a missing name with 400 naming the field", async () => {
    const reply = await api.post("/api/support/inboxes", { description: "No name" });
    expectValidationFailure(reply, "name");
  });

  it("rejects a body that is not an object", async () => {
    const reply = await api.post("/api/support/inboxes", ["Sales"]);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("validation_failed");
  });
});

describe("settings at the edge of what is allowed", () => {
  it("accepts a delay of 0 and of exactly one day", async () => {
    const zero = await api.put(`/api/support/inboxes/${acme.inbox.id}`, { autoResponder: { delaySeconds: 0 } });
    expect(zero.body.data.autoResponder.delaySeconds).toBe(0);
    const day = await api.put(`/api/support/inboxes/${acme.inbox.id}`, { autoResponder: { delaySeconds: 86_400 } });
    expect(day.status).toBe(200);
    expect(day.body.data.autoResponder.delaySeconds).toBe(86_400);
  });

  it("accepts a day ending at 24:00 and a leap day as a holiday", async () => {
    const reply = await api.put(`/api/support/inboxes/${acme.inbox.id}`, { workingHours: { schedule: { saturday: day("00:00", "24:00") }, holidays: ["2024-02-29"] } });
    expect(reply.status).toBe(200);
    expect(reply.body.data.workingHours.schedule.saturday).toEqual(day("00:00", "24:00"));
    expect(reply.body.data.workingHours.holidays).toEqual(["2024-02-29"]);
  });

  it("accepts a disabled auto-responder without a message", async () => {
    const reply = await api.put(`/api/support/inboxes/${acme.inbox.id}`, { autoResponder: { enabled: false, delaySeconds: 10 } });
    expect(reply.status).toBe(200);
  });

  it("accepts enabling an auto-responder whose message was set earlier", async () => {
    await api.put(`/api/support/inboxes/${acme.inbox.id}`, { autoResponder: { message: "Back soon" } });
    const reply = await api.put(`/api/support/inboxes/${acme.inbox.id}`, { autoResponder: { enabled: true } });
    expect(reply.status).toBe(200);
    expect(reply.body.data.autoResponder).toMatchObject({ enabled: true, message: "Back soon" });
  });

  it("accepts any active member of the team as fallback, and null to clear it", async () => {
    const { member } = await buildMember(ctx, acme.team.id);
    const set = await api.put(`/api/support/inboxes/${acme.inbox.id}`, { assignmentRules: { fallbackUserId: member.id } });
    expect(set.body.data.assignmentRules.fallbackUserId).toBe(member.id);
    const cleared = await api.put(`/api/support/inboxes/${acme.inbox.id}`, { assignmentRules: { fallbackUserId: null } });
    expect(cleared.body.data.assignmentRules.fallbackUserId).toBeNull();
  });

  it("refuses a removed member as fallback", async () => {
    const { member } = await buildMember(ctx, acme.team.id);
    expect((await api.delete(`/api/support/members/${member.id}`)).status).toBe(200);
    const reply = await api.put(`/api/support/inboxes/${acme.inbox.id}`, { assignmentRules: { fallbackUserId: member.id } });
    expectValidationFailure(reply, "assignmentRules.fallbackUserId");
  });

  it("accepts every assignment type", async () => {
    for (const type of ["round_robin", "least_busy", "manual"]) {
      const reply = await api.put(`/api/support/inboxes/${acme.inbox.id}`, { assignmentRules: { type } });
      expect(reply.body.data.assignmentRules.type).toBe(type);
    }
  });
});

describe("time zones", () => {
  it("are stored in their canonical spelling", async () => {
    const reply = await api.post("/api/support/inboxes", { name: "Night shift", workingHours: { timezone: "america/new_york" } });
    expect(reply.status).toBe(201);
    expect(reply.body.data.workingHours.timezone).toBe("America/New_York");
    const utc = await api.put(`/api/support/inboxes/${reply.body.data.id}`, { workingHours: { timezone: "utc" } });
    expect(utc.body.data.workingHours.timezone).toBe("UTC");
  });
});
