import type { CreateMessageBody, MessageDirection } from "../../../../protocol/conversation.js";
import { recordEvent, type Tx } from "../../db/database.js";
import type { ConversationRow } from "../../db/schema.js";
import { invalidField } from "../../errors.js";
import { linkAttachments } from "../attachments/attachment.repo.js";
import { checkUploads } from "../attachments/attach-uploads.js";
import { getVisibleConversationForUpdate } from "../conversations/conversation.policy.js";
import { saveConversation } from "../conversations/save-conversation.js";
import { findInboxRole, listInboxMembers } from "../inboxes/inbox.repo.js";
import { roleAtLeast, type Actor } from "../members/actor.js";
import { listMembers } from "../members/member.repo.js";
import { appendActivity, appendMessage } from "./append-message.js";
import type { MessageWithAuthor } from "./message.repo.js";
import { findMentions } from "./mentions.js";
import { insertNotification } from "../notifications/notification.repo.js";

interface CreateMessageInput {
  tx: Tx;
  actor: Actor;
  teamId: string;
  conversationId: string;
  body: CreateMessageBody;
  now: number;
}

/** Members who may see a conversation of this inbox: owners and admins, and the inbox's members. */
async function membersWhoSee(tx: Tx, teamId: string, inboxId: string) {
  const [all, inInbox] = await Promise.all([listMembers(tx, teamId), listInboxMembers(tx, teamId, inboxId)]);
  const inboxMemberIds = new Set(inInbox.map((row) => row.member_id));
  return all.filter((member) => roleAtLeast(member.role as Actor["role"], "admin") || inboxMemberIds.has(member.id));
}

/**
 * POST /threads/:id/messages. A member's reply (outgoing, the default), a private note (`private: true`,
 * never shown to the contact, may @mention members), or — from an integration — what the contact wrote
 * (`direction: 'incoming'`). Replying to an unassigned conversation assigns it to the replier (seed 001)
 * and takes it over from the bot.
 */
export async function createMessage({ tx, actor, teamId, conversationId, body, now }: CreateMessageInput): Promise<{ message: MessageWithAuthor; conversation: ConversationRow }> {
  // Every path below changes the conversation (updateConversationRow) before it writes anything else, and
  // the refusals that follow do not depend on the row: a recent copy will do (lockConversation).
  let conversation = await getVisibleConversationForUpdate(tx, actor, teamId, conversationId, { recent: true });
  const me = { id: actor.memberId, name: actor.name };
  if (body.private && body.direction === "incoming") {
    throw invalidField("direction", "a private note is written by a member, not the contact");
  }
  const attachments = await checkUploads(tx, teamId, body.attachmentIds ?? []);
  if (body.content.trim() === "" && attachments.length === 0) {
    throw invalidField("content", "write something or attach a file");
  }
  const direction: MessageDirection = body.private ? "note" : (body.direction ?? "outgoing");

  if (direction === "outgoing") {
    const takeOver: Partial<ConversationRow> = {};
    if (conversation.handled_by_bot === 1) {
      takeOver.handled_by_bot = 0;
    }
    if (conversation.assigned_to_member_id === null && conversation.spam === 0 && (await findInboxRole(tx, conversation.inbox_id, me.id))) {
      takeOver.assigned_to_member_id = me.id;
    }
    if (Object.keys(takeOver).length > 0) {
      const before = conversation;
      conversation = await saveConversation(tx, conversation, takeOver, now);
      if (takeOver.assigned_to_member_id) {
        recordEvent(tx, { name: "conversation.assigned", teamId, inboxId: conversation.inbox_id, payload: { conversationId, memberId: me.id, previousMemberId: before.assigned_to_member_id, actorId: me.id } });
        conversation = await appendActivity(tx, conversation, `${me.name} replied and took this conversation`, now, { memberId: me.id, name: me.name });
      } else {
        conversation = await appendActivity(tx, conversation, `${me.name} took this conversation over from the bot`, now, { memberId: me.id, name: me.name });
      }
    }
  }

  const mentions = direction === "note" ? findMentions(body.content, await membersWhoSee(tx, teamId, conversation.inbox_id)).filter((id) => id !== me.id) : [];
  const author = direction === "incoming" ? { authorKind: "contact" as const } : { authorKind: "member" as const, authorMemberId: me.id, authorName: me.name };
  const result = await appendMessage(tx, conversation, { direction, ...author, content: body.content, attachments, mentions }, now);
  await linkAttachments(tx, teamId, attachments.map((a) => a.id), conversation.id, result.message.id);
  for (const memberId of mentions) {
    await insertNotification(tx, { teamId, memberId, kind: "mention", conversationId, messageId: result.message.id, actorMemberId: me.id, now });
  }
  return result;
}
