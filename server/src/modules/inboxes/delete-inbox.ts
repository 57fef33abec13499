import { recordEvent, type Tx } from "../../db/database.js";
import type { InboxRow } from "../../db/schema.js";
import { conflict } from "../../errors.js";
import { requireRole, type Actor } from "../members/actor.js";
import { countInboxes, deleteInboxRow, getInbox } from "./inbox.repo.js";

/** Deletes an inbox (owners and admins); the default one only when it is the last. Its routing rules go with it. */
export async function deleteInbox({ tx, actor, teamId, inboxId }: { tx: Tx; actor: Actor; teamId: string; inboxId: string }): Promise<InboxRow> {
  requireRole(actor, "admin", "Only owners and admins can delete inboxes.");
  const inbox = await getInbox(tx, teamId, inboxId);
  if (inbox.is_default === 1 && (await countInboxes(tx, teamId)) > 1) {
    throw conflict("default_inbox", "This is the default inbox; make another inbox the default before deleting it.");
  }
  await deleteInboxRow(tx, teamId, inboxId);
  recordEvent(tx, { name: "inbox.deleted", teamId, inboxId, payload: { inboxId } });
  return inbox;
}
