import type { View } from "../../../../protocol/conversation.js";

/** The one bucket a conversation is in; views are unions of buckets and counts are kept per bucket. */
export const buckets = ["unassigned", "assigned", "automated", "pending", "snoozed", "closed", "spam"] as const;
export type Bucket = (typeof buckets)[number];

/** Where a conversation belongs, from its state. Spam wins over everything; open splits by bot and assignee. */
export function bucketOf(state: { status: string; spam: number; handled_by_bot: number; assigned_to_member_id: string | null }): Bucket {
  if (state.spam === 1) {
    return "spam";
  }
  switch (state.status) {
    case "closed":
      return "closed";
    case "pending":
      return "pending";
    case "snoozed":
      return "snoozed";
    default:
      if (state.handled_by_bot === 1) {
        return "automated";
      }
      return state.assigned_to_member_id === null ? "unassigned" : "assigned";
  }
}

/** The buckets a view shows; `mine` is `assigned` narrowed to the caller. */
export function bucketsOfView(view: View): readonly Bucket[] {
  switch (view) {
    case "unassigned":
      return ["unassigned"];
    case "mine":
      return ["assigned"];
    case "open":
      return ["unassigned", "assigned"];
    case "automated":
      return ["automated"];
    case "default":
      return ["unassigned", "assigned", "automated"];
    case "closed":
    case "archived":
      return ["closed"];
    case "spam":
      return ["spam"];
    case "all":
      return ["unassigned", "assigned", "automated", "pending", "snoozed", "closed"];
  }
}
