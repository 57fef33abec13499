import { sql } from "kysely";
import { recordEvent, type Tx } from "../../db/database.js";
import type { InboxRow } from "../../db/schema.js";
import { conflict, invalidField } from "../../errors.js";
import { recountInbox } from "../conversations/counts.repo.js";
import { requireRole, type Actor } from "../members/actor.js";
import { countInboxes, deleteInboxRow, findInbox, getInbox } from "./inbox.repo.js";

interface DeleteInboxInput {
  tx: Tx;
  actor: Actor;
  teamId: string;
  inboxId: string;
  /** Where the inbox's conversations go; required when it has any. */
  moveConversationsTo?: string | undefined;
  now: number;
}

/**
 * Deletes an inbox (owners and admins); the default one only when it is the last. Its routing rules go with
 * it. Conversations are never deleted with an inbox: they move to `moveConversationsTo` (assignees who do not
 * belong there are unassigned), and without it an inbox that has conversations is not deleted.
 */
export async function deleteInbox({ tx, actor, teamId, inboxId, moveConversationsTo, now }: DeleteInboxInput): Promise<InboxRow> {
  requireRole(actor, "admin", "Only owners and admins can delete inboxes.");
  const inbox = await getInbox(tx, teamId, inboxId);
  if (inbox.is_default === 1 && (await countInboxes(tx, teamId)) > 1) {
    throw conflict("default_inbox", "This is the default inbox; make another inbox the default before deleting it.");
  }
  const held = await tx.selectFrom("conversations").select((eb) => eb.fn.countAll<number>().as("n")).where("team_id", "=", teamId).where("inbox_id", "=", inboxId).executeTakeFirstOrThrow();
  if (Number(held.n) > 0) {
    if (!moveConversationsTo) {
      throw conflict("inbox_not_empty", `This inbox holds ${Number(held.n)} conversation(s); say where they go with ?moveConversationsTo=<inboxId>.`, { conversations: Number(held.n) });
    }
    const target = moveConversationsTo === inboxId ? undefined : await findInbox(tx, teamId, moveConversationsTo);
    if (!target) {
      throw invalidField("moveConversationsTo", "must be another inbox of this team");
    }
    const stillMembers = tx.selectFrom("inbox_members").select("member_id").where("inbox_id", "=", target.id);
    await tx
      .updateTable("conversations")
      .set({
        assigned_to_member_id: null,
        bucket: sql<string>`case when bucket = 'assigned' then 'unassigned' else bucket end`,
        updated_at: now,
      })
      .where("team_id", "=", teamId)
      .where("inbox_id", "=", inboxId)
      .where("assigned_to_member_id", "is not", null)
      .where("assigned_to_member_id", "not in", stillMembers)
      .execute();
    await tx.updateTable("conversations").set({ inbox_id: target.id, updated_at: now }).where("team_id", "=", teamId).where("inbox_id", "=", inboxId).execute();
    await recountInbox(tx, teamId, target.id);
    recordEvent(tx, { name: "inbox.conversations_moved", teamId, inboxId: target.id, payload: { fromInboxId: inboxId, toInboxId: target.id, count: Number(held.n) } });
  }
  await deleteInboxRow(tx, teamId, inboxId);
  recordEvent(tx, { name: "inbox.deleted", teamId, inboxId, payload: { inboxId } });
  return inbox;
}
