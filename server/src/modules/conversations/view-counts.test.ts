import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildConversationMix, listAll, patchThread, postMessage, startThread, type Api, type ConversationMix } from "../../../test/conversation-fixtures.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";

let ctx: TestContext;
let mix: ConversationMix;
let admin: Api;
let alice: Api;
let bob: Api;
let carol: Api;

beforeEach(async () => {
  ctx = await createTestContext();
  mix = await buildConversationMix(ctx);
  admin = client(ctx.app, { apiKey: mix.acme.apiKey });
  alice = client(ctx.app, { apiKey: mix.alice.apiKey });
  bob = client(ctx.app, { apiKey: mix.bob.apiKey });
  carol = client(ctx.app, { apiKey: mix.carol.apiKey });
});
afterEach(() => ctx.close());

/** The sizes of the views the caller sees, found by listing them (inboxId narrows to one inbox). */
async function viewSizes(api: Api, inboxId?: string) {
  const scope = inboxId ? `filter[inboxIds][0]=${inboxId}&` : "";
  const size = async (query: string) => (await listAll(api, `${scope}${query}`)).length;
  return {
    unassigned: await size("inboxView=unassigned"),
    mine: await size("inboxView=mine"),
    open: await size("inboxView=open"),
    automated: await size("inboxView=automated"),
    all: await size("inboxView=all"),
    closed: await size("inboxView=closed"),
    spam: await size("inboxView=spam"),
    pending: await size("inboxView=all&filter[status]=pending"),
    snoozed: await size("inboxView=all&filter[status]=snoozed"),
  };
}

async function counts(api: Api, inboxId?: string) {
  const reply = await api.get(`/api/support/conversations/counts${inboxId ? `?inboxId=${inboxId}` : ""}`);
  expect(reply.status).toBe(200);
  return reply.body.data;
}

/** Every caller's counts equal the sizes of their views, for the whole team and for each inbox. */
async function expectCountsMatchViews(after = "the seeded mix") {
  for (const api of [admin, alice, bob, carol]) {
    expect(await counts(api), `after ${after}`).toEqual(await viewSizes(api));
    for (const inboxId of [mix.support.id, mix.billing.id]) {
      const hidden = (api === alice && inboxId === mix.billing.id) || (api === carol && inboxId === mix.support.id);
      expect(await counts(api, inboxId), `after ${after}, one inbox`).toEqual(hidden ? ZERO : await viewSizes(api, inboxId));
    }
  }
}

const ZERO = { unassigned: 0, mine: 0, open: 0, automated: 0, all: 0, closed: 0, spam: 0, pending: 0, snoozed: 0 };

describe("GET /conversations/counts", () => {
  it("gives an admin the sizes of the team's views", async () => {
    expect(await counts(admin)).toEqual({ unassigned: 3, mine: 1, open: 8, automated: 1, all: 15, closed: 3, spam: 2, pending: 2, snoozed: 1 });
    expect(await counts(admin)).toEqual(await viewSizes(admin));
  });

  it("gives a member of one inbox the sizes of that inbox's views only", async () => {
    expect(await counts(alice)).toEqual({ unassigned: 2, mine: 1, open: 5, automated: 1, all: 10, closed: 2, spam: 2, pending: 1, snoozed: 1 });
    expect(await counts(alice)).toEqual(await viewSizes(alice));
    expect(await counts(carol)).toEqual({ unassigned: 1, mine: 1, open: 3, automated: 0, all: 5, closed: 1, spam: 0, pending: 1, snoozed: 0 });
    expect(await counts(carol)).toEqual(await viewSizes(carol));
  });

  it("answers zeros for an inbox the member does not belong to", async () => {
    expect(await counts(alice, mix.billing.id)).toEqual(ZERO);
    expect(await counts(carol, mix.support.id)).toEqual(ZERO);
  });

  it("is the same under /threads/counts", async () => {
    const reply = await bob.get("/api/support/threads/counts");
    expect(reply.status).toBe(200);
    expect(reply.body.data).toEqual(await counts(bob));
  });

  it("matches the views for every caller and inbox on the seeded mix", async () => {
    await expectCountsMatchViews();
  });

  it("keeps matching the views through assign, close, reopen, snooze, spam and transfer", async () => {
    const steps: [string, () => Promise<unknown>][] = [
      ["assign", () => patchThread(admin, mix.id.u1, { assignedToMemberId: mix.alice.member.id })],
      ["reassign", () => patchThread(alice, mix.id.u1, { assignedToMemberId: mix.bob.member.id })],
      ["unassign", () => patchThread(admin, mix.id.aB, { assignedToMemberId: null })],
      ["close", () => patchThread(bob, mix.id.bB, { status: "closed" })],
      ["reopen", () => patchThread(admin, mix.id.cA, { status: "open" })],
      ["pending", () => patchThread(alice, mix.id.aA, { status: "pending" })],
      ["snooze", () => patchThread(admin, mix.id.u2, { status: "snoozed", snoozedUntil: "2026-05-01T00:00:00.000Z" })],
      ["spam", () => patchThread(admin, mix.id.bu, { spam: true })],
      ["not spam", () => patchThread(admin, mix.id.spc, { spam: false })],
      ["transfer keeping the assignee", () => patchThread(admin, mix.id.aB, { inboxId: mix.billing.id, assignedToMemberId: mix.bob.member.id })],
      ["transfer dropping the assignee", () => patchThread(admin, mix.id.cA, { inboxId: mix.billing.id })],
      ["transfer and assign", () => patchThread(admin, mix.id.bp, { inboxId: mix.support.id, assignedToMemberId: mix.alice.member.id, status: "open" })],
      ["a reply takes an unassigned conversation", () => postMessage(bob, mix.id.u2, { content: "on it" })],
      ["the contact writes to a snoozed one", () => postMessage(admin, mix.id.sz, { content: "hello?", direction: "incoming" })],
      ["the contact writes to a closed one", () => postMessage(admin, mix.id.bcC, { content: "again", direction: "incoming" })],
      ["a new conversation", () => startThread(admin, { inboxId: mix.billing.id, contact: { email: "new@example.com" }, message: { content: "new" } })],
    ];
    for (const [label, step] of steps) {
      ctx.clock.advance(60_000);
      await step();
      await expectCountsMatchViews(label);
    }
  });

  it("keeps matching when the snooze wake-up job reopens a conversation", async () => {
    ctx.clock.set("2026-04-01T00:00:01.000Z");
    expect(await ctx.worker.runDue()).toBeGreaterThanOrEqual(1);
    expect((await admin.get(`/api/support/threads/${mix.id.sz}`)).body.thread.status).toBe("open");
    expect((await counts(admin)).snoozed).toBe(0);
    await expectCountsMatchViews();
  });
});
