import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildMember, buildTeam, type BuiltMember, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";

let ctx: TestContext;
let acme: BuiltTeam;
let api: ReturnType<typeof client>;
let ann: BuiltMember;
let ben: BuiltMember;
let cat: BuiltMember;

const closedAllWeek = { monday: null, tuesday: null, wednesday: null, thursday: null, friday: null, saturday: null, sunday: null };

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx);
  api = client(ctx.app, { apiKey: acme.apiKey });
  // The owner is an inbox admin of Support but set away, so only these three take assignments.
  await api.put(`/api/support/members/${acme.owner.id}/availability`, { status: "away" });
  ann = await buildMember(ctx, acme.team.id, { name: "Ann", inboxes: [{ inboxId: acme.inbox.id }] });
  ctx.clock.advance(1000);
  ben = await buildMember(ctx, acme.team.id, { name: "Ben", inboxes: [{ inboxId: acme.inbox.id }] });
  ctx.clock.advance(1000);
  cat = await buildMember(ctx, acme.team.id, { name: "Cat", inboxes: [{ inboxId: acme.inbox.id }] });
});
afterEach(() => ctx.close());

async function newThread(content = "Hello"): Promise<{ id: string; assignedToMemberId: string | null }> {
  const reply = await api.post("/api/support/threads", { contact: { name: "Visitor" }, message: { content } });
  return reply.body.thread;
}

const messagesOf = async (id: string) => (await api.get(`/api/support/threads/${id}/messages`)).body.messages as { direction: string; content: string; author: { kind: string } }[];

describe("automatic assignment", () => {
  it("assigns nobody with the manual rule (the default)", async () => {
    expect((await newThread()).assignedToMemberId).toBeNull();
  });

  it("hands new conversations round the inbox's available members in turn, skipping those away", async () => {
    await api.put(`/api/support/inboxes/${acme.inbox.id}`, { assignmentRules: { type: "round_robin" } });
    const first = [await newThread(), await newThread(), await newThread(), await newThread()];
    expect(first.map((t) => t.assignedToMemberId)).toEqual([ann.member.id, ben.member.id, cat.member.id, ann.member.id]);
    await api.put(`/api/support/members/${ben.member.id}/availability`, { status: "away" });
    expect((await newThread()).assignedToMemberId).toBe(cat.member.id);
    const lines = (await messagesOf(first[0]!.id)).map((m) => m.content);
    expect(lines).toContain("Assigned to Ann (round robin)");
  });

  it("gives a new conversation to the available member with the fewest open ones", async () => {
    await api.put(`/api/support/inboxes/${acme.inbox.id}`, { assignmentRules: { type: "least_busy" } });
    const one = await newThread();
    const two = await newThread();
    const three = await newThread();
    expect(new Set([one, two, three].map((t) => t.assignedToMemberId))).toEqual(new Set([ann.member.id, ben.member.id, cat.member.id]));
    await api.patch(`/api/support/threads/${two.id}`, { status: "closed" });
    expect((await newThread()).assignedToMemberId).toBe(two.assignedToMemberId);
  });

  it("falls back to the fallback member when no one is available, and to nobody when the fallback is not in the inbox", async () => {
    for (const member of [ann, ben, cat]) {
      await api.put(`/api/support/members/${member.member.id}/availability`, { status: "offline" });
    }
    await api.put(`/api/support/inboxes/${acme.inbox.id}`, { assignmentRules: { type: "round_robin", fallbackUserId: ann.member.id } });
    const thread = await newThread();
    expect(thread.assignedToMemberId).toBe(ann.member.id);
    expect((await messagesOf(thread.id)).map((m) => m.content)).toContain("Assigned to Ann (fallback, no one was available)");
    const outsider = await buildMember(ctx, acme.team.id, { name: "Out" });
    await api.put(`/api/support/inboxes/${acme.inbox.id}`, { assignmentRules: { fallbackUserId: outsider.member.id } });
    expect((await newThread()).assignedToMemberId).toBeNull();
  });

  it("assigns nobody outside working hours and answers with the outside-hours message instead", async () => {
    await api.put(`/api/support/inboxes/${acme.inbox.id}`, { assignmentRules: { type: "round_robin" }, workingHours: { enabled: true, schedule: closedAllWeek }, outsideHoursMessage: "We're closed, back Monday" });
    const thread = await newThread();
    expect(thread.assignedToMemberId).toBeNull();
    const messages = await messagesOf(thread.id);
    expect(messages.at(-1)).toMatchObject({ direction: "outgoing", content: "We're closed, back Monday", author: { kind: "bot" } });
    expect((await api.get(`/api/support/threads/${thread.id}`)).body.thread.firstResponseAt).toBeNull();
  });

  it("leaves a blocked contact's conversation alone", async () => {
    await api.put(`/api/support/inboxes/${acme.inbox.id}`, { assignmentRules: { type: "round_robin" }, workingHours: { enabled: true, schedule: closedAllWeek } });
    const contact = await api.post("/api/support/contacts", { name: "Spammer", email: "spam@spam.test" });
    await api.post(`/api/support/contacts/${contact.body.data.id}/block`, {});
    const reply = await api.post("/api/support/threads", { contact: { id: contact.body.data.id }, message: { content: "buy now" } });
    expect(reply.body.thread).toMatchObject({ spam: true, assignedToMemberId: null });
    expect((await messagesOf(reply.body.thread.id)).map((m) => m.direction)).toEqual(["incoming"]);
  });
});

describe("the auto-responder", () => {
  it("answers after its delay unless someone replied first", async () => {
    await api.put(`/api/support/inboxes/${acme.inbox.id}`, { autoResponder: { enabled: true, message: "Thanks! We reply within 2 hours.", delaySeconds: 5 } });
    const waiting = await newThread();
    const answered = await newThread();
    await api.post(`/api/support/threads/${answered.id}/messages`, { content: "Hi, on it" });
    expect(await ctx.worker.runDue()).toBe(0);
    ctx.clock.advance(5_000);
    expect(await ctx.worker.runDue()).toBe(2);
    expect((await messagesOf(waiting.id)).at(-1)).toMatchObject({ direction: "outgoing", content: "Thanks! We reply within 2 hours.", author: { kind: "bot" } });
    expect((await messagesOf(answered.id)).filter((m) => m.author.kind === "bot")).toEqual([]);
  });

  it("answers only outside working hours when told so", async () => {
    await api.put(`/api/support/inboxes/${acme.inbox.id}`, { autoResponder: { enabled: true, message: "Out of hours", delaySeconds: 0, conditions: { outsideWorkingHours: true } } });
    const inHours = await newThread();
    await ctx.worker.runDue();
    expect((await messagesOf(inHours.id)).filter((m) => m.author.kind === "bot")).toEqual([]);
    await api.put(`/api/support/inboxes/${acme.inbox.id}`, { workingHours: { enabled: true, schedule: closedAllWeek } });
    const outOfHours = await newThread();
    await ctx.worker.runDue();
    // The auto-responder answers, and the outside-hours message does not answer as well.
    expect((await messagesOf(outOfHours.id)).filter((m) => m.author.kind === "bot").map((m) => m.content)).toEqual(["Out of hours"]);
  });
});
