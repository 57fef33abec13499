import type { z } from "zod";
import type { widgetMessageBody } from "../../../../protocol/widget.js";
import type { AppContext } from "../../context.js";
import { widgetCsatOf } from "../../modules/inboxes/inbox-settings.js";
import { newMessageKeys } from "../../modules/messages/message-keys.js";
import { postVisitorMessage } from "../../modules/visitors/visitor-conversations.js";
import { presentVisitorConversation, presentVisitorMessage } from "../../modules/visitors/visitor.presenter.js";
import type { VisitorSession } from "../../modules/visitors/start-visitor-session.js";

export type WidgetMessageBody = z.infer<typeof widgetMessageBody>;

/** A message as the widget shows it, its attachments as links the visitor's browser may open. */
export function withLinks<T extends { attachments: { id: string; url: string }[] }>(message: T, linkFor: (attachmentId: string) => string): T {
  return { ...message, attachments: message.attachments.map((attachment) => ({ ...attachment, url: linkFor(attachment.id) })) };
}

/**
 * The visitor writes, by `POST /api/widget/messages` or on their socket: the message goes into the named
 * conversation, else the visitor's open one, else a new one (routed). The answer is the same both ways.
 */
export async function sendVisitorMessage(context: AppContext, session: VisitorSession, body: WidgetMessageBody, linkFor: (attachmentId: string) => string) {
  // A message to a conversation the visitor names may run beside others (TransactionOptions); a first
  // message opens and routes a conversation, and runs alone.
  const { conversationId, attachmentIds } = body;
  const keys = conversationId ? newMessageKeys(session.inbox.team_id, conversationId, attachmentIds) : undefined;
  const result = await context.database.transaction((tx) => postVisitorMessage(tx, session, { ...body, pageUrl: session.visitor.page_url, now: context.clock.now() }), { keys });
  return { message: withLinks(presentVisitorMessage(result.message), linkFor), conversation: presentVisitorConversation(result.conversation, widgetCsatOf(session.inbox.settings)), created: result.created };
}
