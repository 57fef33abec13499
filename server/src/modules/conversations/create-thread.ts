import type { CreateThreadBody } from "../../../../protocol/conversation.js";
import type { Tx } from "../../db/database.js";
import type { ConversationRow, InboxRow } from "../../db/schema.js";
import { conflict, invalidField } from "../../errors.js";
import { linkAttachments } from "../attachments/attachment.repo.js";
import { checkUploads } from "../attachments/attach-uploads.js";
import { findOrCreateContact } from "../contacts/find-or-create-contact.js";
import { findDefaultInbox, findInbox } from "../inboxes/inbox.repo.js";
import { getVisibleInbox } from "../inboxes/inbox.policy.js";
import type { Actor } from "../members/actor.js";
import { appendMessage } from "../messages/append-message.js";
import { matchRoutingRule } from "../routing/match-routing-rule.js";
import { listRoutingRules } from "../routing/routing-rule.repo.js";
import { presentRoutingRule } from "../routing/routing-rule.presenter.js";
import { onNewConversation } from "../automation/new-conversation.js";
import { openConversation } from "./open-conversation.js";

/**
 * The inbox a new conversation lands in: the first matching routing rule's, else `fallbackInboxId` (the
 * widget's own inbox), else the team's default.
 */
export async function routeToInbox(tx: Tx, teamId: string, subject: { url?: string | null; attributes?: Record<string, unknown>; message?: string | null }, fallbackInboxId?: string): Promise<InboxRow> {
  const rules = (await listRoutingRules(tx, teamId)).map(presentRoutingRule);
  const routed = matchRoutingRule(rules, subject);
  const inbox =
    (routed ? await findInbox(tx, teamId, routed) : undefined) ?? (fallbackInboxId ? await findInbox(tx, teamId, fallbackInboxId) : undefined) ?? (await findDefaultInbox(tx, teamId));
  if (!inbox) {
    throw conflict("no_inbox", "This team has no inbox to put the conversation in; create one first.");
  }
  return inbox;
}

interface CreateThreadInput {
  tx: Tx;
  actor: Actor;
  teamId: string;
  body: CreateThreadBody;
  now: number;
}

/**
 * POST /threads: a conversation from an API channel (a social network, a form, another tool). The contact
 * is found by id, then email, then phone, or created; the first message is the contact's.
 */
export async function createThread({ tx, actor, teamId, body, now }: CreateThreadInput): Promise<ConversationRow> {
  const attachments = await checkUploads(tx, teamId, body.message.attachmentIds ?? []);
  if (body.message.content.trim() === "" && attachments.length === 0) {
    throw invalidField("message.content", "write something or attach a file");
  }
  const { contact } = await findOrCreateContact(tx, teamId, body.contact, now);
  const inbox = body.inboxId
    ? (await getVisibleInbox(tx, actor, teamId, body.inboxId)).inbox
    : await routeToInbox(tx, teamId, { attributes: JSON.parse(contact.attributes) as Record<string, unknown>, message: body.message.content });
  const conversation = await openConversation(tx, { inbox, contact, channel: "api", subject: body.subject ?? null, now });
  const { message, conversation: updated } = await appendMessage(tx, conversation, { direction: "incoming", authorKind: "contact", content: body.message.content, attachments }, now);
  await linkAttachments(tx, teamId, attachments.map((a) => a.id), conversation.id, message.id);
  return onNewConversation(tx, updated, inbox, body.message.content, now);
}
