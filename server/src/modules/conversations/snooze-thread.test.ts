import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { countRows, listAll, patchThread, postMessage, startThread, type Api } from "../../../test/conversation-fixtures.js";
import { buildTeam, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";

let ctx: TestContext;
let acme: BuiltTeam;
let admin: Api;
let threadId: string;

const HOUR = 3_600_000;
const at = (ms: number) => new Date(ms).toISOString();

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx);
  admin = client(ctx.app, { apiKey: acme.apiKey });
  threadId = (await startThread(admin, { contact: { email: "dana@example.com" }, message: { content: "Call me back tomorrow" } })).id;
});
afterEach(() => ctx.close());

const THREAD = () => `/api/support/threads/${threadId}`;
const thread = async () => (await admin.get(THREAD())).body.thread;

async function messageContents(): Promise<string[]> {
  return (await admin.get(`${THREAD()}/messages?limit=100`)).body.messages.map((m: { content: string }) => m.content);
}

describe("snoozing with PATCH /threads/:id", () => {
  it("snoozes until a future time: status snoozed, out of Open, with an activity line", async () => {
    const until = ctx.clock.now() + 2 * HOUR;
    const snoozed = await patchThread(admin, threadId, { status: "snoozed", snoozedUntil: at(until) });
    expect(snoozed).toMatchObject({ status: "snoozed", snoozedUntil: at(until) });
    expect(await listAll(admin, "inboxView=open")).toEqual([]);
    expect((await listAll(admin, "filter[status]=snoozed")).map((t) => t.id)).toEqual([threadId]);
    expect((await messageContents()).at(-1)).toBe("Jane Smith snoozed this until 2026-03-02 17:00 UTC");
  });

  it("takes snoozedUntil alone to mean status snoozed", async () => {
    const until = ctx.clock.now() + HOUR;
    expect(await patchThread(admin, threadId, { snoozedUntil: at(until) })).toMatchObject({ status: "snoozed", snoozedUntil: at(until) });
  });

  const rejected: [string, (now: number) => Record<string, unknown>][] = [
    ["a snooze time in the past", (now) => ({ status: "snoozed", snoozedUntil: at(now - 1) })],
    ["a snooze time equal to now", (now) => ({ snoozedUntil: at(now) })],
    ["status snoozed without a time", () => ({ status: "snoozed" })],
    ["a snooze time with another status", (now) => ({ status: "closed", snoozedUntil: at(now + HOUR) })],
    ["a snooze time that is not a date", () => ({ snoozedUntil: "in two hours" })],
  ];
  for (const [what, body] of rejected) {
    it(`rejects ${what} with 400 and changes nothing`, async () => {
      const before = await thread();
      const [messages, jobs] = [await countRows(ctx, "messages"), await countRows(ctx, "jobs")];
      const reply = await admin.patch(THREAD(), body(ctx.clock.now()));
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe("validation_failed");
      expect(await thread()).toEqual(before);
      expect(await countRows(ctx, "messages")).toBe(messages);
      expect(await countRows(ctx, "jobs")).toBe(jobs);
    });
  }

  it("rejects clearing the time of a snoozed conversation without a new status", async () => {
    await patchThread(admin, threadId, { snoozedUntil: at(ctx.clock.now() + HOUR) });
    const reply = await admin.patch(THREAD(), { snoozedUntil: null });
    expect(reply.status).toBe(400);
    expect((await thread()).status).toBe("snoozed");
  });

  it("ends a snooze by a status change, clearing snoozedUntil and the wake-up", async () => {
    await patchThread(admin, threadId, { snoozedUntil: at(ctx.clock.now() + HOUR) });
    expect(await patchThread(admin, threadId, { status: "open" })).toMatchObject({ status: "open", snoozedUntil: null });
    ctx.clock.advance(2 * HOUR);
    await ctx.worker.runDue();
    expect((await messageContents()).filter((c) => c.startsWith("Snooze ended"))).toEqual([]);
  });
});

describe("the snooze wake-up job", () => {
  it("does nothing before the time and reopens the conversation once the clock passes it", async () => {
    const until = ctx.clock.now() + 2 * HOUR;
    await patchThread(admin, threadId, { status: "snoozed", snoozedUntil: at(until) });

    ctx.clock.advance(HOUR);
    await ctx.worker.runDue();
    expect((await thread()).status).toBe("snoozed");

    ctx.clock.set(until + 1_000);
    expect(await ctx.worker.runDue()).toBe(1);
    expect(await thread()).toMatchObject({ status: "open", snoozedUntil: null });
    expect((await messageContents()).at(-1)).toBe("Snooze ended: the conversation is open again");
    expect((await listAll(admin, "inboxView=unassigned")).map((t) => t.id)).toEqual([threadId]);
    expect(await ctx.worker.runDue()).toBe(0);
  });

  it("wakes at the latest time when the snooze is moved later", async () => {
    const first = ctx.clock.now() + HOUR;
    await patchThread(admin, threadId, { snoozedUntil: at(first) });
    await patchThread(admin, threadId, { snoozedUntil: at(first + 3 * HOUR) });
    ctx.clock.set(first + 1_000);
    await ctx.worker.runDue();
    expect((await thread()).status).toBe("snoozed");
    ctx.clock.set(first + 3 * HOUR + 1_000);
    await ctx.worker.runDue();
    expect((await thread()).status).toBe("open");
  });

  it("is pre-empted by a message from the contact, which reopens the conversation at once; the job then does nothing", async () => {
    const until = ctx.clock.now() + 2 * HOUR;
    await patchThread(admin, threadId, { status: "snoozed", snoozedUntil: at(until) });
    ctx.clock.advance(HOUR);
    await postMessage(admin, threadId, { content: "Actually, I'm free now", direction: "incoming" });
    expect(await thread()).toMatchObject({ status: "open", snoozedUntil: null });
    expect((await messageContents()).slice(-2)).toEqual(["The contact wrote: conversation is open again (was snoozed).", "Actually, I'm free now"]);

    const messages = await countRows(ctx, "messages");
    await patchThread(admin, threadId, { status: "pending" });
    ctx.clock.set(until + 1_000);
    await ctx.worker.runDue();
    expect((await thread()).status).toBe("pending");
    expect(await countRows(ctx, "messages")).toBe(messages + 1);
  });

  it("still wakes a conversation snoozed again after the contact interrupted the first snooze", async () => {
    const first = ctx.clock.now() + HOUR;
    await patchThread(admin, threadId, { snoozedUntil: at(first) });
    await postMessage(admin, threadId, { content: "one more thing", direction: "incoming" });
    const second = first + 5 * HOUR;
    await patchThread(admin, threadId, { snoozedUntil: at(second) });
    ctx.clock.set(first + 1_000);
    await ctx.worker.runDue();
    expect((await thread()).status).toBe("snoozed");
    ctx.clock.set(second + 1_000);
    await ctx.worker.runDue();
    expect((await thread()).status).toBe("open");
  });
});
