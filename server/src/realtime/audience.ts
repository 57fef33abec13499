import type { CountsDelta } from "../../../protocol/realtime.js";
import type { TeamRole } from "../../../protocol/enums.js";
import type { Signal, StoredEvent } from "../events/domain-event.js";
import type { CountedState } from "../modules/conversations/counts.repo.js";

/** What the realtime policy needs to know about a connected member. */
export interface Viewer {
  memberId: string;
  role: TeamRole;
  /** Inboxes the member may see; undefined for owners and admins (all of the team's). */
  inboxIds: ReadonlySet<string> | undefined;
}

const canSeeInbox = (viewer: Viewer, inboxId: string) => viewer.inboxIds === undefined || viewer.inboxIds.has(inboxId);

interface CountsPayload {
  counts?: { before: CountedState | null; after: CountedState | null };
}

/**
 * Whether a member receives an event: the same rule as REST. Inbox events reach those who may see the inbox
 * (for a conversation moved between inboxes, those who could see it before or after); notifications reach
 * their member; API key events reach admins; team-wide events reach everyone in the team.
 */
export function mayReceive(viewer: Viewer, event: StoredEvent): boolean {
  if (event.name.startsWith("notification.")) {
    return event.payload.memberId === viewer.memberId;
  }
  if (event.name.startsWith("inbox_member.") && event.payload.memberId === viewer.memberId) {
    return true; // a member always hears of their own memberships, including losing one
  }
  if (event.name.startsWith("api_key.")) {
    return viewer.role !== "member";
  }
  if (event.inboxId) {
    const before = (event.payload as CountsPayload).counts?.before?.inbox_id;
    return canSeeInbox(viewer, event.inboxId) || (before !== undefined && canSeeInbox(viewer, before));
  }
  return true;
}

/** Which agents' sockets an event may concern: all of them, or those of some inboxes (and owners and admins) and of one member. */
export type AgentAudience = "all" | { inboxIds: readonly string[]; memberId: string | undefined };

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** A superset of the members mayReceive() lets an event reach, as TeamConnections indexes them. */
export function agentsOfEvent(event: StoredEvent): AgentAudience {
  if (event.name.startsWith("notification.")) {
    return { inboxIds: [], memberId: text(event.payload.memberId) };
  }
  if (event.name.startsWith("api_key.") || !event.inboxId) {
    return "all";
  }
  const before = (event.payload as CountsPayload).counts?.before?.inbox_id;
  const inboxIds = before !== undefined && before !== event.inboxId ? [event.inboxId, before] : [event.inboxId];
  return { inboxIds, memberId: event.name.startsWith("inbox_member.") ? text(event.payload.memberId) : undefined };
}

/** The agents a typing signal may concern (AgentConnection.signal has the rule). */
export function agentsOfSignal(signal: Signal): AgentAudience {
  return signal.inboxId ? { inboxIds: [signal.inboxId], memberId: undefined } : "all";
}

/** Events that change what a connected member may see (AgentConnection.applyAccessChange acts on them). */
const ACCESS_EVENTS = new Set(["inbox_member.added", "inbox_member.removed", "member.updated", "member.removed", "api_key.revoked"]);

export const changesAccess = (event: StoredEvent): boolean => ACCESS_EVENTS.has(event.name);

function contributions(viewer: Viewer, state: CountedState | null | undefined): CountsDelta {
  if (!state || !canSeeInbox(viewer, state.inbox_id)) {
    return {};
  }
  switch (state.bucket) {
    case "unassigned":
      return { unassigned: 1, open: 1, all: 1 };
    case "assigned":
      return state.assigned_to_member_id === viewer.memberId ? { mine: 1, open: 1, all: 1 } : { open: 1, all: 1 };
    case "automated":
      return { automated: 1, all: 1 };
    case "pending":
      return { pending: 1, all: 1 };
    case "snoozed":
      return { snoozed: 1, all: 1 };
    case "closed":
      return { closed: 1, all: 1 };
    case "spam":
      return { spam: 1 };
    default:
      return {};
  }
}

/** How an event moves this member's view counts (empty when it does not). */
export function countsDelta(viewer: Viewer, event: StoredEvent): CountsDelta {
  const counts = (event.payload as CountsPayload).counts;
  if (!counts) {
    return {};
  }
  const delta: Record<string, number> = {};
  for (const [view, n] of Object.entries(contributions(viewer, counts.after))) {
    delta[view] = (delta[view] ?? 0) + n;
  }
  for (const [view, n] of Object.entries(contributions(viewer, counts.before))) {
    delta[view] = (delta[view] ?? 0) - n;
  }
  return Object.fromEntries(Object.entries(delta).filter(([, n]) => n !== 0));
}
