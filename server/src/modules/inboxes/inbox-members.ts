import type { Availability, InboxRole } from "../../../../protocol/enums.js";
import { recordEvent, type Tx } from "../../db/database.js";
import { forbidden, invalidField, notFound } from "../../errors.js";
import { unassignMemberConversations } from "../conversations/unassign-member.js";
import { roleAtLeast, type Actor } from "../members/actor.js";
import { findMember } from "../members/member.repo.js";
import { applyAvailability } from "../members/set-availability.js";
import { deleteInboxMember, findInboxMember, listInboxMembers, upsertInboxMember, type InboxMemberWithMember } from "./inbox.repo.js";
import { getManagedInbox, getVisibleInbox } from "./inbox.policy.js";

/** The members of an inbox the actor may see. */
export async function listMembersOfInbox({ tx, actor, teamId, inboxId }: { tx: Tx; actor: Actor; teamId: string; inboxId: string }): Promise<InboxMemberWithMember[]> {
  await getVisibleInbox(tx, actor, teamId, inboxId);
  return listInboxMembers(tx, teamId, inboxId);
}

interface AddInput {
  tx: Tx;
  actor: Actor;
  teamId: string;
  inboxId: string;
  userId: string;
  role: InboxRole;
  now: number;
}

/** Adds a team member to an inbox, or changes their inbox role; `created` tells which. */
export async function addInboxMember({ tx, actor, teamId, inboxId, userId, role, now }: AddInput): Promise<{ membership: InboxMemberWithMember; created: boolean }> {
  await getManagedInbox(tx, actor, teamId, inboxId);
  if (!(await findMember(tx, teamId, userId))) {
    throw invalidField("userId", "no member of this team has this id");
  }
  const existing = await findInboxMember(tx, teamId, inboxId, userId);
  await upsertInboxMember(tx, { team_id: teamId, inbox_id: inboxId, member_id: userId, role, created_at: existing?.created_at ?? now });
  const membership = await findInboxMember(tx, teamId, inboxId, userId);
  if (!membership) {
    throw new Error("inbox membership vanished after upsert");
  }
  if (!existing || existing.role !== role) {
    recordEvent(tx, { name: existing ? "inbox_member.updated" : "inbox_member.added", teamId, inboxId, payload: { inboxId, memberId: userId, role } });
  }
  return { membership, created: !existing };
}

/** Takes a member out of an inbox. */
export async function removeInboxMember({ tx, actor, teamId, inboxId, userId, now }: { tx: Tx; actor: Actor; teamId: string; inboxId: string; userId: string; now: number }): Promise<void> {
  await getManagedInbox(tx, actor, teamId, inboxId);
  const membership = await findInboxMember(tx, teamId, inboxId, userId);
  if (!membership) {
    throw notFound("Inbox member");
  }
  await unassignMemberConversations(tx, teamId, userId, `${membership.name} left this inbox: unassigned`, now, inboxId);
  await deleteInboxMember(tx, teamId, inboxId, userId);
  recordEvent(tx, { name: "inbox_member.removed", teamId, inboxId, payload: { inboxId, memberId: userId } });
}

interface AvailabilityInput {
  tx: Tx;
  actor: Actor;
  teamId: string;
  inboxId: string;
  userId: string;
  status: Availability;
  now: number;
}

/** Seed 000's availability call: members set their own; inbox admins and team admins set their agents'. */
export async function setInboxMemberAvailability({ tx, actor, teamId, inboxId, userId, status, now }: AvailabilityInput): Promise<InboxMemberWithMember> {
  const access = await getVisibleInbox(tx, actor, teamId, inboxId);
  const membership = await findInboxMember(tx, teamId, inboxId, userId);
  if (!membership) {
    throw notFound("Inbox member");
  }
  if (actor.memberId !== userId) {
    if (!access.canManage) {
      throw forbidden("Only inbox admins and team admins can set another member's availability.");
    }
    // Availability is team-wide: an inbox admin who is not a team admin sets it only for plain members.
    const target = await findMember(tx, teamId, userId);
    if (!roleAtLeast(actor.role, "admin") && target && target.role !== "member") {
      throw forbidden("Only team admins can set the availability of owners and admins.");
    }
  }
  await applyAvailability(tx, teamId, userId, status, now);
  return { ...membership, availability: status };
}
