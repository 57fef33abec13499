import { recordEvent, type Tx } from "../../db/database.js";
import type { NotificationRow } from "../../db/schema.js";
import { newId } from "../../lib/ids.js";

interface NewNotification {
  teamId: string;
  memberId: string;
  kind: "mention" | "assigned";
  conversationId: string | null;
  messageId: string | null;
  actorMemberId: string | null;
  now: number;
}

/** Records a notification for one member (an @mention, an assignment) and the event that delivers it live. */
export async function insertNotification(tx: Tx, input: NewNotification): Promise<NotificationRow> {
  const row = await tx
    .insertInto("notifications")
    .values({
      id: newId("ntf"),
      team_id: input.teamId,
      member_id: input.memberId,
      kind: input.kind,
      conversation_id: input.conversationId,
      message_id: input.messageId,
      actor_member_id: input.actorMemberId,
      created_at: input.now,
      read_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  recordEvent(tx, { name: "notification.created", teamId: input.teamId, payload: { notificationId: row.id, memberId: input.memberId, kind: input.kind, conversationId: input.conversationId, messageId: input.messageId } });
  return row;
}

/** A member's notifications, newest first (only unread ones when asked). */
export function listNotifications(tx: Tx, teamId: string, memberId: string, limit: number, before?: { at: number; id: string }, unreadOnly = false): Promise<NotificationRow[]> {
  let query = tx.selectFrom("notifications").selectAll().where("team_id", "=", teamId).where("member_id", "=", memberId);
  if (unreadOnly) {
    query = query.where("read_at", "is", null);
  }
  if (before) {
    query = query.where((eb) => eb.or([eb("created_at", "<", before.at), eb.and([eb("created_at", "=", before.at), eb("id", "<", before.id)])]));
  }
  return query.orderBy("created_at", "desc").orderBy("id", "desc").limit(limit).execute();
}

/** Marks a member's notifications read (all, or the ones given). */
export async function markNotificationsRead(tx: Tx, teamId: string, memberId: string, now: number, ids?: string[]): Promise<void> {
  let query = tx.updateTable("notifications").set({ read_at: now }).where("team_id", "=", teamId).where("member_id", "=", memberId).where("read_at", "is", null);
  if (ids) {
    query = query.where("id", "in", ids);
  }
  await query.execute();
}

/** How many unread notifications a member has. */
export async function countUnreadNotifications(tx: Tx, teamId: string, memberId: string): Promise<number> {
  const row = await tx
    .selectFrom("notifications")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("team_id", "=", teamId)
    .where("member_id", "=", memberId)
    .where("read_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
