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
import { listMemberRoutingRules, membersForText } from "../routing/member-routing.js";

export const AUTO_RESPONSE_JOB = "conversation.auto_response";

/**
 * Automatic assignment of a new conversation (SPEC §2.2): keyword rules for members first, then the inbox's
 * rule — round robin or least busy among the
 * inbox's available members, the fallback member when none is available, nobody with `manual`, and — with
 * working hours on — only inside them.
 */
async function autoAssign(tx: Tx, conversation: ConversationRow, inbox: InboxRow, settings: InboxSettings, firstMessage: string, now: number): Promise<ConversationRow> {
  const rule = settings.assignmentRules;
  if (conversation.assigned_to_member_id !== null || conversation.spam === 1 || conversation.handled_by_bot === 1) {
    return conversation;
  }
  if (settings.workingHours.enabled && !isWithinWorkingHours(settings.workingHours, now)) {
    return conversation;
  }
  // Concurrent new conversations of one inbox take turns, so round robin hands out each turn once.
  await lockName(tx, `assign:${inbox.id}`);
  const candidates = await listAssignableMembers(tx, inbox.team_id, inbox.id);
  // Keyword rules for members come first (and work whatever the inbox's rule): the first available one wins.
  const byKeyword = membersForText(await listMemberRoutingRules(tx, inbox.team_id), firstMessage)
    .map((memberId) => candidates.find((candidate) => candidate.id === memberId))
    .find((candidate) => candidate !== undefined);
  if (byKeyword) {
    return giveTo(tx, conversation, inbox, byKeyword, "keyword routing", "keywords", now);
  }
  if (rule.type === "manual") {
    return conversation;
  }
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
  return giveTo(tx, conversation, inbox, chosen, how, rule.type, now);
}

async function giveTo(tx: Tx, conversation: ConversationRow, inbox: InboxRow, member: { id: string; name: string }, how: string, rule: string, now: number): Promise<ConversationRow> {
  const assigned = await saveConversation(tx, conversation, { assigned_to_member_id: member.id }, now);
  recordEvent(tx, { name: "conversation.assigned", teamId: inbox.team_id, inboxId: inbox.id, payload: { conversationId: conversation.id, memberId: member.id, previousMemberId: null, actorId: null, rule } });
  return appendActivity(tx, assigned, `Assigned to ${member.name} (${how})`, now);
}

/**
 * What happens when a contact starts a conversation: automatic assignment, then either the auto-responder
 * (after its delay, unless an agent answers first) or, outside working hours, the outside-hours message.
 * Blocked contacts (Spam) get none of it.
 */
export async function onNewConversation(tx: Tx, conversation: ConversationRow, inbox: InboxRow, firstMessage: string, now: number): Promise<ConversationRow> {
  if (conversation.spam === 1) {
    return conversation;
  }
  const settings = parseInboxSettings(inbox.settings);
  let current = await autoAssign(tx, conversation, inbox, settings, firstMessage, now);
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
