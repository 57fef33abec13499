import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildConversationMix, countRows, listAll, MIX, patchThread, startThread, type Api, type ConversationMix, type MixName } from "../../../test/conversation-fixtures.js";
import { buildTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";
import { RARE_TAG_LIMIT, setRareTagLimit } from "./conversation.repo.js";

let ctx: TestContext;
let mix: ConversationMix;
let admin: Api;

beforeEach(async () => {
  ctx = await createTestContext();
  mix = await buildConversationMix(ctx);
  admin = client(ctx.app, { apiKey: mix.acme.apiKey });
});
afterEach(() => ctx.close());

const sorted = (names: readonly string[]) => [...names].sort();

async function names(query: string): Promise<MixName[]> {
  return sorted((await listAll(admin, query)).map((thread) => mix.nameOf(thread.id))) as MixName[];
}

describe("seed 003's filters on GET /threads", () => {
  it("filter[assignedToMemberIds][0]…[1] returns the conversations of any of the members", async () => {
    expect(await names(`filter[assignedToMemberIds][0]=${mix.alice.member.id}&filter[assignedToMemberIds][1]=${mix.carol.member.id}`)).toEqual(sorted(["aA", "pA", "cA", "bC", "bcC"]));
  });

  it("filter[assignedToMemberIds][0] alone narrows to one member, and combines with inboxView=default", async () => {
    expect(await names(`filter[assignedToMemberIds][0]=${mix.bob.member.id}`)).toEqual(sorted(["aB", "bB"]));
    expect(await names(`filter[assignedToMemberIds][0]=${mix.alice.member.id}&inboxView=default`)).toEqual(["aA"]);
  });

  it("filter[assignedToMemberIds] with an unknown member id matches nothing", async () => {
    expect(await names("filter[assignedToMemberIds][0]=member_doesnotexist")).toEqual([]);
  });

  it("filter[noAssignee]=true returns the unassigned ones, false the assigned ones", async () => {
    expect(await names("filter[noAssignee]=true")).toEqual(sorted(["u1", "u2", "sz", "cU", "bot", "bu", "bp"]));
    expect(await names("filter[noAssignee]=false")).toEqual(sorted(["aA", "aB", "aO", "pA", "cA", "bC", "bB", "bcC"]));
  });

  it("filter[inboxIds][0] narrows to an inbox; two indices mean either", async () => {
    expect(await names(`filter[inboxIds][0]=${mix.billing.id}`)).toEqual(sorted(["bu", "bC", "bB", "bcC", "bp"]));
    expect(await names(`filter[inboxIds][0]=${mix.billing.id}&filter[inboxIds][1]=${mix.support.id}`)).toHaveLength(15);
  });

  it("filter[status] narrows to one status", async () => {
    expect(await names("filter[status]=pending")).toEqual(sorted(["pA", "bp"]));
    expect(await names("filter[status]=snoozed")).toEqual(["sz"]);
    expect(await names("filter[status]=closed")).toEqual(sorted(["cA", "cU", "bcC"]));
    expect(await names("filter[status]=open")).toEqual(sorted(["u1", "u2", "aA", "aB", "aO", "bot", "bu", "bC", "bB"]));
  });

  it("filter[tags][0] matches any of the tags, whatever their case", async () => {
    expect(await names("filter[tags][0]=vip")).toEqual(sorted(["u1", "bu"]));
    expect(await names("filter[tags][0]=VIP&filter[tags][1]=billing%20question")).toEqual(sorted(["u1", "bu", "aA"]));
    expect(await names("filter[tags][0]=no-such-tag")).toEqual([]);
  });

  it("filter[tags] finds the same conversations when the tags are common (walked by activity) as when rare (read from the tag)", async () => {
    const queries = ["filter[tags][0]=vip", "filter[tags][0]=VIP&filter[tags][1]=billing%20question", "filter[tags][0]=vip&inboxView=open", "filter[tags][0]=billing%20question&inboxView=default"];
    const rare = [];
    for (const query of queries) {
      rare.push(await listAll(admin, query, 1));
    }
    expect(rare[0]).toHaveLength(2);
    setRareTagLimit(0);
    try {
      for (const [i, query] of queries.entries()) {
        expect(await listAll(admin, query, 1)).toEqual(rare[i]);
      }
      // A tag taken off a conversation stops matching it on both paths (the row's list and the join rows).
      await patchThread(admin, mix.id.u1, { tags: [] });
      expect(await names("filter[tags][0]=vip")).toEqual(["bu"]);
    } finally {
      setRareTagLimit(RARE_TAG_LIMIT);
    }
    expect(await names("filter[tags][0]=vip")).toEqual(["bu"]);
  });

  it("filter[channel] narrows to a channel", async () => {
    expect(await names("filter[channel]=widget")).toEqual(["u2"]);
    expect(await names("filter[channel]=email")).toEqual(["cU"]);
    expect(await names("filter[channel]=api")).toHaveLength(13);
  });

  it("filter[contactId] returns that contact's conversations in every inbox", async () => {
    expect(await names(`filter[contactId]=${mix.contactX}`)).toEqual(sorted(["u1", "bu"]));
  });

  it("filter[createdAt] takes datetimes (inclusive) and bare dates, a bare `to` meaning the whole day", async () => {
    // Created every 6 hours from 2026-03-02 15:00 UTC: March 3rd holds aA 03:00, aB 09:00, aO 15:00 and pA 21:00.
    expect(await names("filter[createdAt][from]=2026-03-03&filter[createdAt][to]=2026-03-03")).toEqual(sorted(["aA", "aB", "aO", "pA"]));
    expect(await names("filter[createdAt][to]=2026-03-03T09:00:00.000Z")).toEqual(sorted(["u1", "u2", "aA", "aB"]));
    expect(await names("filter[createdAt][from]=2026-03-06T03:00:00Z")).toEqual(sorted(["bB", "bcC", "bp"]));
    expect(await names("filter[createdAt][from]=2026-03-06T04:00:00%2B01:00")).toEqual(sorted(["bB", "bcC", "bp"]));
  });

  it("filter[closedAt] narrows by when a conversation was closed", async () => {
    expect(await names("filter[closedAt][from]=2026-03-11")).toEqual(sorted(["cU", "bcC"]));
    expect(await names("filter[closedAt][to]=2026-03-11")).toEqual(sorted(["cA", "cU"]));
    expect(await names("filter[closedAt][from]=2026-03-10T09:00:00Z&filter[closedAt][to]=2026-03-12T00:00:00Z")).toEqual(["cU"]);
    expect(await names("inboxView=spam&filter[closedAt][to]=2026-03-10")).toEqual(["spc"]);
  });

  it("combines filters: every filter narrows", async () => {
    expect(await names(`filter[inboxIds][0]=${mix.support.id}&filter[noAssignee]=true&filter[status]=open`)).toEqual(sorted(["u1", "u2", "bot"]));
    expect(await names(`inboxView=closed&filter[assignedToMemberIds][0]=${mix.carol.member.id}&filter[inboxIds][0]=${mix.billing.id}`)).toEqual(["bcC"]);
  });
});

describe("bad filters", () => {
  const bad: [string, string][] = [
    ["an unknown filter key", "filter[priority]=high"],
    ["an unknown query parameter", "sort=oldest"],
    ["a status that does not exist", "filter[status]=done"],
    ["a non-boolean noAssignee", "filter[noAssignee]=yes"],
    ["a date that is not a date", "filter[createdAt][from]=yesterday"],
    ["an impossible date", "filter[closedAt][to]=2026-13-45"],
    ["an unknown key inside a range", "filter[createdAt][after]=2026-03-01"],
    ["a channel that does not exist", "filter[channel]=fax"],
    ["limit 0", "limit=0"],
    ["limit 101", "limit=101"],
    ["a limit that is not a number", "limit=ten"],
    ["a garbage cursor", "cursor=garbage"],
    ["a cursor of the wrong shape", `cursor=${Buffer.from(JSON.stringify({ at: 1 })).toString("base64url")}`],
  ];
  for (const [what, query] of bad) {
    it(`answers 400 validation_failed for ${what}`, async () => {
      const reply = await admin.get(`/api/support/threads?${query}`);
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe("validation_failed");
    });
  }

  it("accepts limit 1 and limit 100", async () => {
    expect((await admin.get("/api/support/threads?limit=1")).body.threads).toHaveLength(1);
    expect((await admin.get("/api/support/threads?limit=100")).body.threads).toHaveLength(15);
  });
});

describe("keyset pagination", () => {
  it("walks every conversation of a view exactly once, newest first, for any page size", async () => {
    const whole = (await admin.get("/api/support/threads?limit=100")).body.threads.map((t: { id: string }) => t.id);
    for (const limit of [1, 2, 4, 5, 7, 15]) {
      const pages: string[][] = [];
      let cursor: string | null = null;
      do {
        const reply: { status: number; body: any } = await admin.get(`/api/support/threads?limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
        expect(reply.status).toBe(200);
        expect(reply.body.threads.length).toBeLessThanOrEqual(limit);
        pages.push(reply.body.threads.map((t: { id: string }) => t.id));
        cursor = reply.body.nextCursor;
      } while (cursor);
      expect(pages.flat()).toEqual(whole);
      expect(pages).toHaveLength(Math.ceil(15 / limit));
    }
  });

  it("walks a filtered list page by page", async () => {
    const walked = await listAll(admin, `filter[inboxIds][0]=${mix.support.id}`, 3);
    expect(sorted(walked.map((t) => mix.nameOf(t.id)))).toEqual(sorted(MIX.filter((n) => !["sp", "spc", "bu", "bC", "bB", "bcC", "bp"].includes(n))));
  });

  it("breaks ties between conversations with the same last activity without skipping or repeating", async () => {
    const other = await buildTeam(ctx, { name: "Tied Inc" });
    const api = client(ctx.app, { apiKey: other.apiKey });
    for (let i = 0; i < 9; i += 1) {
      await startThread(api, { contact: { email: `tie${i}@example.com` }, message: { content: `same instant ${i}` } });
    }
    const walked = await listAll(api, "", 2);
    expect(walked).toHaveLength(9);
    expect(new Set(walked.map((t) => t.id)).size).toBe(9);
    expect(await countRows(ctx, "conversations", other.team.id)).toBe(9);
  });

  it("pages conversations of several buckets with the same last activity in one order", async () => {
    const other = await buildTeam(ctx, { name: "Tied Buckets Inc" });
    const api = client(ctx.app, { apiKey: other.apiKey });
    const made: string[] = [];
    for (let i = 0; i < 9; i += 1) {
      made.push((await startThread(api, { contact: { email: `bucket${i}@example.com` }, message: { content: `tied ${i}` } })).id);
    }
    // Three buckets of three, every conversation at one instant: only the id orders them.
    const bucketOf = ["unassigned", "pending", "closed"] as const;
    for (const [i, id] of made.entries()) {
      const bucket = bucketOf[i % 3]!;
      await ctx.database.db.updateTable("conversations").set({ last_activity_at: 1_700_000_000_000, bucket, status: bucket === "unassigned" ? "open" : bucket }).where("id", "=", id).execute();
    }
    const newestFirst = [...made].sort().reverse();
    for (const limit of [1, 2, 4]) {
      expect((await listAll(api, "inboxView=all", limit)).map((t) => t.id)).toEqual(newestFirst);
    }
    expect((await listAll(api, "inboxView=open", 2)).map((t) => t.id)).toEqual(newestFirst.filter((id) => made.indexOf(id) % 3 === 0));
  });

  it("gives nextCursor null on the last page", async () => {
    const reply = await admin.get("/api/support/threads?limit=15");
    expect(reply.body.threads).toHaveLength(15);
    expect(reply.body.nextCursor).toBeNull();
  });
});
