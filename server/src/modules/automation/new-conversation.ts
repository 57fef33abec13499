import { recordEvent, type Tx } from "../../db/database.js";
import { lockName } from "../../db/locks.js";
import type { ConversationRow, InboxRow } from "../../db/schema.js";
import { enqueueJob } from "../../jobs/job.repo.js";
import { openCountsOfMembers } from "../conversations/counts.repo.js";
import { saveConversation } from "../conversations/save-conversation.js";
import { parseInboxSettings, type InboxSettings } from "../inboxes/inbox-settings.js";
import { isWithinWorkingHours } from "../inboxes/working-hours.js";
import { findInboxRole } from "../inboxes/inbox.repo.js";
import { findMember } from "../members/member.repo.js";
import { appendActivity, appendMessage } from "../messages/append-message.js";
import { findLastAssigned, listAssignableMembers, saveLastAssigned } from "./assignment.repo.js";
import { leastBusy, nextInTurn } from "./choose-assignee.js";

export const AUTO_RESPONSE_JOB = "conversation.auto_response";

/**
 * The inbox's assignment rule for a new conversation (SPEC §2.2): round robin or least busy among the
 * inbox's available members, the fallback member when none is available, nobody with `manual`, and — with
 * working hours on — only inside them.
 */
async function autoAssign(tx: Tx, conversation: ConversationRow, inbox: InboxRow, settings: InboxSettings, now: number): Promise<ConversationRow> {
  const rule = settings.assignmentRules;
  if (rule.type === "manual" || conversation.assigned_to_member_id !== null || conversation.spam === 1 || conversation.handled_by_bot === 1) {
    return conversation;
  }
  if (settings.workingHours.enabled && !isWithinWorkingHours(settings.workingHours, now)) {
    return conversation;
  }
  // Concurrent new conversations of one inbox take turns, so round robin hands out each turn once.
  await lockName(tx, `assign:${inbox.id}`);
  const candidates = await listAssignableMembers(tx, inbox.team_id, inbox.id);
  let chosen =
    rule.type === "round_robin" ? nextInTurn(candidates, await findLastAssigned(tx, inbox.id)) : leastBusy(candidates, await openCountsOfMembers(tx, inbox.team_id, candidates.map((c) => c.id)));
  let how = rule.type === "round_robin" ? "round robin" : "least busy";
  if (!chosen && rule.fallbackUserId) {
    const fallback = await findMember(tx, inbox.team_id, rule.fallbackUserId);
    // The fallback must be able to see the conversation: only when they belong to the inbox.
    if (fallback && (await findInboxRole(tx, inbox.id, fallback.id))) {
      chosen = { id: fallback.id, name: fallback.name };
      how = "fallback, no one was available";
    }
  }
  if (!chosen) {
    return conversation;
  }
  if (rule.type === "round_robin") {
    await saveLastAssigned(tx, inbox.team_id, inbox.id, chosen.id, now);
  }
  const assigned = await saveConversation(tx, conversation, { assigned_to_member_id: chosen.id }, now);
  recordEvent(tx, { name: "conversation.assigned", teamId: inbox.team_id, inboxId: inbox.id, payload: { conversationId: conversation.id, memberId: chosen.id, previousMemberId: null, actorId: null, rule: rule.type } });
  return appendActivity(tx, assigned, `Assigned to ${chosen.name} (${how})`, now);
}

/**
 * What happens when a contact starts a conversation: automatic assignment, then either the auto-responder
 * (after its delay, unless an agent answers first) or, outside working hours, the outside-hours message.
 * Blocked contacts (Spam) get none of it.
 */
export async function onNewConversation(tx: Tx, conversation: ConversationRow, inbox: InboxRow, now: number): Promise<ConversationRow> {
  if (conversation.spam === 1) {
    return conversation;
  }
  const settings = parseInboxSettings(inbox.settings);
  let current = await autoAssign(tx, conversation, inbox, settings, now);
  const open = isWithinWorkingHours(settings.workingHours, now);
  const responder = settings.autoResponder;
  const responds = responder.enabled && responder.message.trim() !== "" && (!responder.conditions.outsideWorkingHours || !open);
  if (responds) {
    await enqueueJob(tx, { kind: AUTO_RESPONSE_JOB, teamId: inbox.team_id, payload: { conversationId: conversation.id }, runAt: now + responder.delaySeconds * 1000, dedupeKey: `auto-response:${conversation.id}` }, now);
  } else if (!open && settings.outsideHoursMessage) {
    const { conversation: answered } = await appendMessage(tx, current, { direction: "outgoing", authorKind: "bot", authorName: inbox.name, content: settings.outsideHoursMessage }, now);
    current = answered;
  }
  return current;
}
