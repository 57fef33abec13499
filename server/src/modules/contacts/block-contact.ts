import { recordEvent, type Tx } from "../../db/database.js";
import type { ContactRow } from "../../db/schema.js";
import type { Actor } from "../members/actor.js";
import { appendActivity } from "../messages/append-message.js";
import { saveConversation } from "../conversations/save-conversation.js";
import { loadTagNames } from "../tags/tag.repo.js";
import { presentContact } from "./contact.presenter.js";
import { getContact, listConversationsOfContact, updateContactRow } from "./contact.repo.js";

interface BlockInput {
  tx: Tx;
  actor: Actor;
  teamId: string;
  contactId: string;
  now: number;
}

/**
 * Blocks a contact (any member: it is a spam action agents take). Every conversation of theirs not yet in
 * Spam moves there with an activity line, through saveConversation so view counts follow; new ones start
 * there (openConversation). Blocking again sweeps conversations someone marked "not spam" meanwhile.
 */
export async function blockContact({ tx, actor, teamId, contactId, now }: BlockInput): Promise<ContactRow> {
  const before = await getContact(tx, teamId, contactId);
  const me = { id: actor.memberId, name: actor.name };
  const contact = before.blocked === 1 ? before : await updateContactRow(tx, teamId, contactId, { blocked: 1, updated_at: now });
  let moved = 0;
  for (const conversation of await listConversationsOfContact(tx, teamId, contactId)) {
    if (conversation.spam === 0) {
      const after = await saveConversation(tx, conversation, { spam: 1 }, now);
      await appendActivity(tx, after, `${me.name} blocked this contact`, now, { memberId: me.id, name: me.name });
      moved += 1;
    }
  }
  if (before.blocked === 0) {
    recordEvent(tx, { name: "contact.blocked", teamId, payload: { contact: presentContact(contact, await loadTagNames(tx, teamId)), conversationsMoved: moved, actorId: me.id } });
  }
  return contact;
}

/**
 * Unblocks a contact (any member) and takes their conversations out of Spam with an activity line. A contact
 * who is not blocked is left as is, so unblocking twice does not undo a later "mark as spam".
 */
export async function unblockContact({ tx, actor, teamId, contactId, now }: BlockInput): Promise<ContactRow> {
  const before = await getContact(tx, teamId, contactId);
  if (before.blocked === 0) {
    return before;
  }
  const me = { id: actor.memberId, name: actor.name };
  const contact = await updateContactRow(tx, teamId, contactId, { blocked: 0, updated_at: now });
  let moved = 0;
  for (const conversation of await listConversationsOfContact(tx, teamId, contactId)) {
    if (conversation.spam === 1) {
      const after = await saveConversation(tx, conversation, { spam: 0 }, now);
      await appendActivity(tx, after, `${me.name} unblocked this contact`, now, { memberId: me.id, name: me.name });
      moved += 1;
    }
  }
  recordEvent(tx, { name: "contact.unblocked", teamId, payload: { contact: presentContact(contact, await loadTagNames(tx, teamId)), conversationsMoved: moved, actorId: me.id } });
  return contact;
}
