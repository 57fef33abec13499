import type { AppContext } from "../../context.js";
import { appendActivity } from "../messages/append-message.js";
import { lockConversation } from "./conversation.repo.js";
import { saveConversation } from "./save-conversation.js";

/**
 * The snooze wake-up job: reopens a conversation whose snooze time has come. Running it twice, late, or
 * after the conversation changed is harmless — it acts only on a conversation still snoozed and due.
 */
export async function wakeSnoozed(context: AppContext, teamId: string, conversationId: string): Promise<void> {
  const now = context.clock.now();
  await context.database.transaction(async (tx) => {
    const conversation = await lockConversation(tx, teamId, conversationId);
    if (!conversation || conversation.status !== "snoozed" || conversation.snoozed_until === null || conversation.snoozed_until > now) {
      return;
    }
    const reopened = await saveConversation(tx, conversation, { status: "open", snoozed_until: null }, now);
    await appendActivity(tx, reopened, "Snooze ended: the conversation is open again", now);
  });
}
