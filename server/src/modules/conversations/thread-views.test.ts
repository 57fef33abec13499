import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildConversationMix, listAll, MIX, patchThread, type Api, type ConversationMix, type MixName } from "../../../test/conversation-fixtures.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";

let ctx: TestContext;
let mix: ConversationMix;
let admin: Api;

beforeEach(async () => {
  ctx = await createTestContext();
  mix = await buildConversationMix(ctx);
  admin = client(ctx.app, { apiKey: mix.acme.apiKey });
});
afterEach(() => ctx.close());

const sorted = (names: readonly MixName[]) => [...names].sort();

async function viewNames(api: Api, view: string | undefined): Promise<MixName[]> {
  const threads = await listAll(api, view === undefined ? "" : `inboxView=${view}`);
  return threads.map((thread) => mix.nameOf(thread.id));
}

const OPEN: MixName[] = ["u1", "u2", "aA", "aB", "aO", "bu", "bC", "bB"];
const CLOSED: MixName[] = ["cA", "cU", "bcC"];
const ALL: MixName[] = MIX.filter((name) => name !== "sp" && name !== "spc");

describe("GET /threads?inboxView=… as an admin", () => {
  const expected: Record<string, MixName[]> = {
    unassigned: ["u1", "u2", "bu"],
    mine: ["aO"],
    open: OPEN,
    automated: ["bot"],
    all: ALL,
    closed: CLOSED,
    spam: ["sp", "spc"],
    default: [...OPEN, "bot"],
    archived: CLOSED,
    "": ALL,
  };
  for (const [view, names] of Object.entries(expected)) {
    it(`returns exactly the ${view || "empty (= all)"} view's conversations`, async () => {
      expect(sorted(await viewNames(admin, view))).toEqual(sorted(names));
    });
  }

  it("returns every conversation but spam when inboxView is omitted", async () => {
    expect(sorted(await viewNames(admin, undefined))).toEqual(sorted(ALL));
  });

  it("rejects a view that does not exist", async () => {
    const reply = await admin.get("/api/support/threads?inboxView=everything");
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("validation_failed");
  });
});

describe("GET /threads?inboxView=… as a member of Support only", () => {
  const expected: Record<string, MixName[]> = {
    unassigned: ["u1", "u2"],
    mine: ["aA"],
    open: ["u1", "u2", "aA", "aB", "aO"],
    automated: ["bot"],
    all: ["u1", "u2", "aA", "aB", "aO", "pA", "sz", "cA", "cU", "bot"],
    closed: ["cA", "cU"],
    spam: ["sp", "spc"],
    default: ["u1", "u2", "aA", "aB", "aO", "bot"],
    archived: ["cA", "cU"],
  };
  for (const [view, names] of Object.entries(expected)) {
    it(`returns exactly the ${view} view of the inboxes Alice belongs to`, async () => {
      const alice = client(ctx.app, { apiKey: mix.alice.apiKey });
      expect(sorted(await viewNames(alice, view))).toEqual(sorted(names));
    });
  }

  it("shows the Mine view of a member in two inboxes across both", async () => {
    const bob = client(ctx.app, { apiKey: mix.bob.apiKey });
    expect(sorted(await viewNames(bob, "mine"))).toEqual(sorted(["aB", "bB"]));
  });
});

describe("the order of a list", () => {
  it("puts the newest activity first", async () => {
    expect(await viewNames(admin, "all")).toEqual([...ALL].reverse());
  });

  it("moves a conversation to the top when a new message arrives in it", async () => {
    ctx.clock.advance(60_000);
    const posted = await admin.post(`/api/support/threads/${mix.id.cA}/messages`, { content: "Any news?", direction: "incoming" });
    expect(posted.status).toBe(201);
    const names = await viewNames(admin, "all");
    expect(names[0]).toBe("cA");
    expect(names.slice(1)).toEqual([...ALL].reverse().filter((name) => name !== "cA"));
  });

  it("keeps the order when a conversation only changes state (no new message)", async () => {
    ctx.clock.advance(60_000);
    await patchThread(admin, mix.id.u1, { status: "pending" });
    expect(await viewNames(admin, "all")).toEqual([...ALL].reverse());
  });
});

describe("GET /conversations, the same resource under its other name", () => {
  it("lists the same conversations keyed conversations, with nextCursor", async () => {
    const threads = await admin.get("/api/support/threads?inboxView=open&limit=100");
    const conversations = await admin.get("/api/support/conversations?inboxView=open&limit=100");
    expect(conversations.status).toBe(200);
    expect(Object.keys(conversations.body).sort()).toEqual(["conversations", "nextCursor"]);
    expect(conversations.body.conversations).toEqual(threads.body.threads);
  });

  it("answers one conversation keyed conversation, equal to the thread", async () => {
    const thread = await admin.get(`/api/support/threads/${mix.id.aA}`);
    const conversation = await admin.get(`/api/support/conversations/${mix.id.aA}`);
    expect(conversation.status).toBe(200);
    expect(Object.keys(conversation.body)).toEqual(["conversation"]);
    expect(conversation.body.conversation).toEqual(thread.body.thread);
  });

  it("applies seed 003's filters under /conversations too", async () => {
    const reply = await admin.get(`/api/support/conversations?filter[assignedToMemberIds][0]=${mix.carol.member.id}&inboxView=default`);
    expect(reply.status).toBe(200);
    expect(reply.body.conversations.map((c: { id: string }) => mix.nameOf(c.id))).toEqual(["bC"]);
  });

  it("changes a conversation through PATCH /conversations/:id and answers keyed conversation", async () => {
    const reply = await admin.patch(`/api/support/conversations/${mix.id.u2}`, { assignedToMemberId: mix.alice.member.id });
    expect(reply.status).toBe(200);
    expect(reply.body.conversation).toMatchObject({ id: mix.id.u2, assignedToMemberId: mix.alice.member.id });
    expect((await admin.get(`/api/support/threads/${mix.id.u2}`)).body.thread.assignedToMemberId).toBe(mix.alice.member.id);
  });
});
