import { describe, expect, it } from "vitest";
import type { Thread } from "../api/types.js";
import { queryString } from "../api/client.js";
import { bucketOf, compareThreads, conversationIdOf, listQuery, threadMatches } from "./views.js";

const ME = "member_me";

function thread(patch: Partial<Thread> = {}): Thread {
  return {
    id: "conv_1",
    number: 1,
    inboxId: "inbox_a",
    contactId: "contact_1",
    contact: { id: "contact_1", name: "Ada", email: null, phone: null, blocked: false },
    channel: "widget",
    status: "open",
    assignedToMemberId: null,
    tags: [],
    subject: null,
    sourceUrl: null,
    spam: false,
    handledByBot: false,
    snoozedUntil: null,
    createdAt: "2026-03-02T10:00:00.000Z",
    updatedAt: "2026-03-02T10:00:00.000Z",
    closedAt: null,
    firstResponseAt: null,
    lastMessageAt: null,
    lastActivityAt: "2026-03-02T10:00:00.000Z",
    lastMessage: null,
    unreadCount: 0,
    csat: null,
    ...patch,
  };
}

describe("which view a conversation belongs to", () => {
  it("files conversations in the server's buckets", () => {
    expect(bucketOf(thread())).toBe("unassigned");
    expect(bucketOf(thread({ assignedToMemberId: ME }))).toBe("assigned");
    expect(bucketOf(thread({ handledByBot: true }))).toBe("automated");
    expect(bucketOf(thread({ status: "snoozed", assignedToMemberId: ME }))).toBe("snoozed");
    expect(bucketOf(thread({ status: "closed", spam: true }))).toBe("spam");
  });

  it("puts my open conversations in Mine and Open, not in Unassigned, and never a spam one outside Spam", () => {
    const mine = thread({ assignedToMemberId: ME });
    expect(threadMatches(mine, "mine", {}, ME)).toBe(true);
    expect(threadMatches(mine, "open", {}, ME)).toBe(true);
    expect(threadMatches(mine, "unassigned", {}, ME)).toBe(false);
    expect(threadMatches(mine, "mine", {}, "member_other")).toBe(false);
    const spam = thread({ spam: true });
    expect(["unassigned", "open", "all", "closed"].some((view) => threadMatches(spam, view as "all", {}, ME))).toBe(false);
    expect(threadMatches(spam, "spam", {}, ME)).toBe(true);
  });

  it("applies the filters as the server does, the closing date range including the whole last day", () => {
    const closed = thread({ status: "closed", closedAt: "2026-03-02T23:30:00.000Z", tags: ["vip"], channel: "email", assignedToMemberId: ME });
    expect(threadMatches(closed, "closed", { tag: "vip", channel: "email", assignee: ME, inboxId: "inbox_a" }, ME)).toBe(true);
    expect(threadMatches(closed, "closed", { tag: "billing" }, ME)).toBe(false);
    expect(threadMatches(closed, "closed", { assignee: "none" }, ME)).toBe(false);
    expect(threadMatches(closed, "closed", { inboxId: "inbox_b" }, ME)).toBe(false);
    expect(threadMatches(closed, "closed", { from: "2026-03-02", to: "2026-03-02" }, ME)).toBe(true);
    expect(threadMatches(closed, "closed", { from: "2026-03-03" }, ME)).toBe(false);
    expect(threadMatches(closed, "closed", { to: "2026-03-01" }, ME)).toBe(false);
  });

  it("orders by newest activity, then id, like GET /threads", () => {
    const older = thread({ id: "conv_a", lastActivityAt: "2026-03-02T10:00:00.000Z" });
    const newer = thread({ id: "conv_b", lastActivityAt: "2026-03-02T11:00:00.000Z" });
    const tie = thread({ id: "conv_c", lastActivityAt: "2026-03-02T10:00:00.000Z" });
    expect([older, newer, tie].sort(compareThreads).map((entry) => entry.id)).toEqual(["conv_b", "conv_c", "conv_a"]);
  });

  it("finds the conversation an event is about", () => {
    expect(conversationIdOf({ conversation: { id: "conv_1" } })).toBe("conv_1");
    expect(conversationIdOf({ conversationId: "conv_2" })).toBe("conv_2");
    expect(conversationIdOf({ message: { conversationId: "conv_3" } })).toBe("conv_3");
    expect(conversationIdOf({ memberId: "member_1" })).toBeUndefined();
  });
});

describe("the list's query string", () => {
  it("uses the documented filter[...] syntax", () => {
    const query = queryString({ ...listQuery("closed", { inboxId: "inbox_a", tag: "vip", assignee: "none", from: "2026-03-01", to: "2026-03-02", channel: "email", status: "closed" }), limit: 30 });
    const params = new URLSearchParams(query.slice(1));
    expect(Object.fromEntries(params)).toEqual({
      inboxView: "closed",
      "filter[inboxIds][0]": "inbox_a",
      "filter[noAssignee]": "true",
      "filter[tags][0]": "vip",
      "filter[status]": "closed",
      "filter[channel]": "email",
      "filter[closedAt][from]": "2026-03-01",
      "filter[closedAt][to]": "2026-03-02",
      limit: "30",
    });
    expect(new URLSearchParams(queryString(listQuery("mine", { assignee: "member_x" })).slice(1)).get("filter[assignedToMemberIds][0]")).toBe("member_x");
  });
});
