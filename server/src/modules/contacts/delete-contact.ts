import { recordEvent, type Tx } from "../../db/database.js";
import { cancelJob } from "../../jobs/job.repo.js";
import { scheduleFileDeletion, storageKeysOfContact } from "../attachments/forget-files.js";
import type { Contact } from "../../../../protocol/contact.js";
import { applyCountChange } from "../conversations/counts.repo.js";
import { wakeKey } from "../conversations/update-conversation.js";
import { requireRole, type Actor } from "../members/actor.js";
import { loadTagNames } from "../tags/tag.repo.js";
import { presentContact } from "./contact.presenter.js";
import { deleteContactRow, deleteConversationsOfContact, getContact, listConversationsOfContact } from "./contact.repo.js";

interface DeleteContactInput {
  tx: Tx;
  actor: Actor;
  teamId: string;
  contactId: string;
  now: number;
}

/**
 * Deletes a contact with all of their conversations (owners and admins); messages, tags, read state and
 * attachment rows cascade (their files are removed by a job once this commits). Each conversation leaves its view count and is announced as deleted, so open
 * clients drop it and adjust badges. Answers the contact as it was.
 */
export async function deleteContact({ tx, actor, teamId, contactId, now }: DeleteContactInput): Promise<Contact> {
  requireRole(actor, "admin", "Only owners and admins can delete contacts.");
  const contact = await getContact(tx, teamId, contactId);
  const presented = presentContact(contact, await loadTagNames(tx, teamId));
  const conversations = await listConversationsOfContact(tx, teamId, contactId);
  for (const conversation of conversations) {
    const before = { inbox_id: conversation.inbox_id, bucket: conversation.bucket, assigned_to_member_id: conversation.assigned_to_member_id };
    await applyCountChange(tx, teamId, before, undefined);
    if (conversation.status === "snoozed") {
      await cancelJob(tx, wakeKey(conversation.id), now);
    }
    recordEvent(tx, { name: "conversation.deleted", teamId, inboxId: conversation.inbox_id, payload: { conversationId: conversation.id, contactId, counts: { before, after: null } } });
  }
  await scheduleFileDeletion(tx, await storageKeysOfContact(tx, teamId, contactId), now);
  await deleteConversationsOfContact(tx, teamId, contactId);
  await deleteContactRow(tx, teamId, contactId);
  recordEvent(tx, { name: "contact.deleted", teamId, payload: { contact: presented, conversationsDeleted: conversations.length, actorId: actor.memberId } });
  return presented;
}
