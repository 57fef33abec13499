import type { Notification } from "../../../../protocol/notification.js";
import type { NotificationRow } from "../../db/schema.js";
import { iso, isoOrNull } from "../../lib/time.js";

/** A notification as its member sees it. */
export function presentNotification(row: NotificationRow): Notification {
  return {
    id: row.id,
    kind: row.kind as Notification["kind"],
    conversationId: row.conversation_id,
    messageId: row.message_id,
    actorMemberId: row.actor_member_id,
    createdAt: iso(row.created_at),
    readAt: isoOrNull(row.read_at),
  };
}
