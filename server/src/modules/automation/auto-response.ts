import type { AppContext } from "../../context.js";
import { lockConversation } from "../conversations/conversation.repo.js";
import { findInbox } from "../inboxes/inbox.repo.js";
import { parseInboxSettings } from "../inboxes/inbox-settings.js";
import { appendMessage } from "../messages/append-message.js";

/**
 * The auto-responder job: after the inbox's delay, answers the contact with the inbox's message — unless
 * someone on the team has replied meanwhile, the conversation was closed, or the responder was turned off.
 */
export async function sendAutoResponse(context: AppContext, teamId: string, conversationId: string): Promise<void> {
  const now = context.clock.now();
  await context.database.transaction(async (tx) => {
    const conversation = await lockConversation(tx, teamId, conversationId);
    if (!conversation || conversation.outgoing_count > 0 || conversation.status === "closed" || conversation.spam === 1) {
      return;
    }
    const inbox = await findInbox(tx, teamId, conversation.inbox_id);
    const responder = inbox ? parseInboxSettings(inbox.settings).autoResponder : undefined;
    if (!inbox || !responder?.enabled || responder.message.trim() === "") {
      return;
    }
    await appendMessage(tx, conversation, { direction: "outgoing", authorKind: "bot", authorName: inbox.name, content: responder.message }, now);
  });
}
