import type { Channel, ConversationStatus, Thread, View } from "../api/types.js";

/** The sidebar's views, in order. */
export const SIDEBAR_VIEWS = [
  { id: "unassigned", label: "Unassigned" },
  { id: "mine", label: "Mine" },
  { id: "open", label: "Open" },
  { id: "automated", label: "Automated" },
  { id: "all", label: "All" },
  { id: "closed", label: "Closed" },
  { id: "spam", label: "Spam" },
] as const satisfies readonly { id: View; label: string }[];

export type SidebarView = (typeof SIDEBAR_VIEWS)[number]["id"];

export function isSidebarView(value: string | undefined): value is SidebarView {
  return SIDEBAR_VIEWS.some((view) => view.id === value);
}

/** The list's filters, kept in the URL's query string. */
export interface ListFilters {
  inboxId?: string;
  /** A member id, or "none" for unassigned. */
  assignee?: string;
  tag?: string;
  status?: ConversationStatus;
  channel?: Channel;
  /** Closed between these dates (YYYY-MM-DD), for the Closed view. */
  from?: string;
  to?: string;
}

const FILTER_KEYS = ["inboxId", "assignee", "tag", "status", "channel", "from", "to"] as const;

export function filtersFromSearch(search: URLSearchParams): ListFilters {
  const filters: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value = search.get(key);
    if (value) {
      filters[key] = value;
    }
  }
  return filters;
}

export function searchFromFilters(filters: ListFilters): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value) {
      params.set(key, value);
    }
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The path of a view, optionally with an open conversation, keeping the filters. */
export function viewPath(view: SidebarView, conversationId?: string | null, filters: ListFilters = {}): string {
  return `/inbox/${view}${conversationId ? `/${conversationId}` : ""}${searchFromFilters(filters)}`;
}

/** GET /threads query parameters in the documented filter[...] syntax. */
export function listQuery(view: SidebarView, filters: ListFilters): Record<string, string | readonly string[]> {
  const query: Record<string, string | readonly string[]> = { inboxView: view };
  if (filters.inboxId) {
    query["filter[inboxIds]"] = [filters.inboxId];
  }
  if (filters.assignee === "none") {
    query["filter[noAssignee]"] = "true";
  } else if (filters.assignee) {
    query["filter[assignedToMemberIds]"] = [filters.assignee];
  }
  if (filters.tag) {
    query["filter[tags]"] = [filters.tag];
  }
  if (filters.status) {
    query["filter[status]"] = filters.status;
  }
  if (filters.channel) {
    query["filter[channel]"] = filters.channel;
  }
  if (filters.from) {
    query["filter[closedAt][from]"] = filters.from;
  }
  if (filters.to) {
    query["filter[closedAt][to]"] = filters.to;
  }
  return query;
}

type Bucket = "spam" | "closed" | "pending" | "snoozed" | "automated" | "unassigned" | "assigned";

/** Where the server files a conversation (server/src/modules/conversations/buckets.ts). */
export function bucketOf(thread: Pick<Thread, "spam" | "status" | "handledByBot" | "assignedToMemberId">): Bucket {
  if (thread.spam) {
    return "spam";
  }
  if (thread.status !== "open") {
    return thread.status;
  }
  if (thread.handledByBot) {
    return "automated";
  }
  return thread.assignedToMemberId === null ? "unassigned" : "assigned";
}

const VIEW_BUCKETS: Record<SidebarView, readonly Bucket[]> = {
  unassigned: ["unassigned"],
  mine: ["assigned"],
  open: ["unassigned", "assigned"],
  automated: ["automated"],
  all: ["unassigned", "assigned", "automated", "pending", "snoozed", "closed"],
  closed: ["closed"],
  spam: ["spam"],
};

const DAY_MS = 86_400_000;

/** Whether a conversation belongs in a view with filters, as the server would decide; for live updates. */
export function threadMatches(thread: Thread, view: SidebarView, filters: ListFilters, memberId: string): boolean {
  if (!VIEW_BUCKETS[view].includes(bucketOf(thread))) {
    return false;
  }
  if (view === "mine" && thread.assignedToMemberId !== memberId) {
    return false;
  }
  if (filters.inboxId && thread.inboxId !== filters.inboxId) {
    return false;
  }
  if (filters.assignee === "none" ? thread.assignedToMemberId !== null : filters.assignee && thread.assignedToMemberId !== filters.assignee) {
    return false;
  }
  if (filters.tag && !thread.tags.includes(filters.tag)) {
    return false;
  }
  if ((filters.status && thread.status !== filters.status) || (filters.channel && thread.channel !== filters.channel)) {
    return false;
  }
  if (filters.from || filters.to) {
    const closedAt = thread.closedAt ? Date.parse(thread.closedAt) : NaN;
    if (Number.isNaN(closedAt) || (filters.from && closedAt < Date.parse(filters.from)) || (filters.to && closedAt > Date.parse(filters.to) + DAY_MS - 1)) {
      return false;
    }
  }
  return true;
}

/** Newest activity first, as GET /threads orders them. */
export function compareThreads(a: Thread, b: Thread): number {
  return b.lastActivityAt.localeCompare(a.lastActivityAt) || b.id.localeCompare(a.id);
}

/** Which conversation an event is about, if any. */
export function conversationIdOf(data: Record<string, unknown>): string | undefined {
  const conversation = data.conversation as { id?: string } | undefined;
  const message = data.message as { conversationId?: string } | undefined;
  return conversation?.id ?? (typeof data.conversationId === "string" ? data.conversationId : undefined) ?? message?.conversationId;
}
