import type { PatchThreadBody } from "../../../../protocol/conversation.js";
import { recordEvent, type Tx } from "../../db/database.js";
import type { ConversationRow } from "../../db/schema.js";
import { invalidField } from "../../errors.js";
import { cancelJob, enqueueJob } from "../../jobs/job.repo.js";
import { findInbox, findInboxRole, getInbox } from "../inboxes/inbox.repo.js";
import type { Actor } from "../members/actor.js";
import { findMember, getMember } from "../members/member.repo.js";
import { appendActivity } from "../messages/append-message.js";
import { insertNotification } from "../notifications/notification.repo.js";
import { ensureTags } from "../tags/tag.repo.js";
import { getVisibleConversationForUpdate } from "./conversation.policy.js";
import { replaceConversationTags } from "./conversation.repo.js";
import { saveConversation } from "./save-conversation.js";

export const WAKE_JOB = "conversation.wake";
export const wakeKey = (conversationId: string) => `wake:${conversationId}`;

interface UpdateInput {
  tx: Tx;
  actor: Actor;
  teamId: string;
  conversationId: string;
  patch: PatchThreadBody;
  now: number;
}

function describeWhen(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/**
 * PATCH /threads/:id: assign or unassign, change status (snooze with a time), transfer to another inbox,
 * replace tags, mark spam. Every change of assignee, inbox, status or spam leaves an activity line; all of
 * it is validated before anything is written.
 */
export async function updateConversation({ tx, actor, teamId, conversationId, patch, now }: UpdateInput): Promise<ConversationRow> {
  const before = await getVisibleConversationForUpdate(tx, actor, teamId, conversationId);
  const me = { id: actor.memberId, name: actor.name };
  const who = { memberId: me.id, name: me.name };
  const changes: Partial<ConversationRow> = {};
  const lines: string[] = [];

  let inboxId = before.inbox_id;
  if (patch.inboxId !== undefined && patch.inboxId !== before.inbox_id) {
    const [from, to] = [await findInbox(tx, teamId, before.inbox_id), await getInbox(tx, teamId, patch.inboxId)];
    inboxId = to.id;
    changes.inbox_id = to.id;
    lines.push(`${me.name} moved this from ${from?.name ?? "another inbox"} to ${to.name}`);
  }

  let assignee = patch.assignedToMemberId !== undefined ? patch.assignedToMemberId : before.assigned_to_member_id;
  if (patch.assignedToMemberId === undefined && assignee !== null && inboxId !== before.inbox_id && !(await findInboxRole(tx, inboxId, assignee))) {
    // Transferred to an inbox the assignee is not in: the conversation waits there unassigned.
    assignee = null;
  }
  if (patch.assignedToMemberId) {
    const member = await findMember(tx, teamId, patch.assignedToMemberId);
    if (!member) {
      throw invalidField("assignedToMemberId", "no member of this team has this id");
    }
    if (!(await findInboxRole(tx, inboxId, member.id))) {
      throw invalidField("assignedToMemberId", "this member does not belong to the conversation's inbox");
    }
  }
  if (assignee !== before.assigned_to_member_id) {
    changes.assigned_to_member_id = assignee;
    if (assignee === null) {
      lines.push(`${me.name} unassigned this`);
    } else {
      const target = assignee === me.id ? me : await getMember(tx, teamId, assignee);
      lines.push(assignee === me.id ? `${me.name} assigned this to themselves` : `${me.name} assigned this to ${target.name}`);
    }
  }

  const snoozedUntil = patch.snoozedUntil === undefined ? undefined : patch.snoozedUntil === null ? null : Date.parse(patch.snoozedUntil);
  if (snoozedUntil === null && (patch.status ?? before.status) === "snoozed") {
    throw invalidField("snoozedUntil", "a snoozed conversation needs a time; change its status to end the snooze");
  }
  const status = patch.status ?? (snoozedUntil != null ? "snoozed" : before.status);
  if (snoozedUntil != null && status !== "snoozed") {
    throw invalidField("snoozedUntil", "a snooze time goes with status snoozed");
  }
  if (status === "snoozed") {
    const until = snoozedUntil ?? (before.status === "snoozed" ? before.snoozed_until : null);
    if (until === null || until === undefined) {
      throw invalidField("snoozedUntil", "say until when to snooze");
    }
    if (until <= now) {
      throw invalidField("snoozedUntil", "must be in the future");
    }
    if (until !== before.snoozed_until || before.status !== "snoozed") {
      changes.status = "snoozed";
      changes.snoozed_until = until;
      changes.closed_at = null;
      changes.closed_by = null;
      lines.push(`${me.name} snoozed this until ${describeWhen(until)}`);
      await enqueueJob(tx, { kind: WAKE_JOB, teamId, payload: { conversationId }, runAt: until, dedupeKey: wakeKey(conversationId) }, now);
    }
  } else if (status !== before.status) {
    changes.status = status;
    changes.snoozed_until = null;
    if (before.status === "snoozed") {
      await cancelJob(tx, wakeKey(conversationId), now);
    }
    if (status === "closed") {
      changes.closed_at = now;
      changes.closed_by = me.id;
      lines.push(`${me.name} closed this`);
    } else {
      changes.closed_at = null;
      changes.closed_by = null;
      lines.push(status === "pending" ? `${me.name} marked this as pending` : before.status === "closed" ? `${me.name} reopened this` : `${me.name} marked this as open`);
    }
  }

  if (patch.spam !== undefined && (patch.spam ? 1 : 0) !== before.spam) {
    changes.spam = patch.spam ? 1 : 0;
    lines.push(patch.spam ? `${me.name} marked this as spam` : `${me.name} marked this as not spam`);
  }

  if (patch.tags !== undefined) {
    const tags = await ensureTags(tx, teamId, patch.tags, now);
    const ids = tags.map((tag) => tag.id);
    if (JSON.stringify(ids) !== before.tags) {
      changes.tags = JSON.stringify(ids);
      await replaceConversationTags(tx, teamId, conversationId, ids);
    }
  }

  if (Object.keys(changes).length === 0) {
    return before;
  }
  let after = await saveConversation(tx, before, changes, now);
  if (changes.assigned_to_member_id !== undefined) {
    recordEvent(tx, { name: "conversation.assigned", teamId, inboxId: after.inbox_id, payload: { conversationId, memberId: after.assigned_to_member_id, previousMemberId: before.assigned_to_member_id, actorId: me.id } });
    if (after.assigned_to_member_id !== null && after.assigned_to_member_id !== me.id) {
      await insertNotification(tx, { teamId, memberId: after.assigned_to_member_id, kind: "assigned", conversationId, messageId: null, actorMemberId: me.id, now });
    }
  }
  for (const line of lines) {
    after = await appendActivity(tx, after, line, now, who);
  }
  return after;
}
