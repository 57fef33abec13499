import type { TeamRole } from "../../../../protocol/enums.js";
import { recordEvent, type Tx } from "../../db/database.js";
import { lockName } from "../../db/locks.js";
import type { MemberRow } from "../../db/schema.js";
import { conflict } from "../../errors.js";
import { hashSecret, newSecret } from "../../lib/crypto.js";
import { newId } from "../../lib/ids.js";
import { DAY } from "../../lib/time.js";
import { requireRole, type Actor } from "./actor.js";
import { findActiveMemberByEmail, getMember, insertMember, updateMemberRow } from "./member.repo.js";
import { presentMember } from "./member.presenter.js";

export const INVITE_TTL = 7 * DAY;

interface InviteInput {
  tx: Tx;
  actor: Actor;
  teamId: string;
  email: string;
  name: string;
  role: TeamRole;
  now: number;
}

/** Adds a member who sets their own password through a one-time invite link; returns the link's token once. */
export async function inviteMember({ tx, actor, teamId, email, name, role, now }: InviteInput): Promise<{ member: MemberRow; inviteToken: string }> {
  requireRole(actor, "admin");
  if (role === "owner") {
    requireRole(actor, "owner", "Only an owner can add another owner.");
  }
  await lockName(tx, `member-email:${email}`);
  if (await findActiveMemberByEmail(tx, email)) {
    throw conflict("email_taken", "A member with this email address already exists.");
  }
  const inviteToken = newSecret();
  const member = await insertMember(tx, {
    id: newId("member"),
    team_id: teamId,
    email,
    name,
    role,
    availability: "available",
    password_hash: null,
    invite_token_hash: hashSecret(inviteToken),
    invite_expires_at: now + INVITE_TTL,
    created_at: now,
    updated_at: now,
    removed_at: null,
  });
  recordEvent(tx, { name: "member.created", teamId, payload: { member: presentMember(member) } });
  return { member, inviteToken };
}

/** Issues a fresh invite link for a member who has not accepted yet; the old link stops working. */
export async function reissueInvite({ tx, actor, teamId, memberId, now }: { tx: Tx; actor: Actor; teamId: string; memberId: string; now: number }): Promise<{ member: MemberRow; inviteToken: string }> {
  requireRole(actor, "admin");
  const target = await getMember(tx, teamId, memberId);
  if (target.password_hash !== null) {
    throw conflict("invitation_accepted", "This member has already accepted the invitation.");
  }
  if (target.role === "owner") {
    requireRole(actor, "owner", "Only an owner can invite another owner.");
  }
  const inviteToken = newSecret();
  const member = await updateMemberRow(tx, teamId, memberId, { invite_token_hash: hashSecret(inviteToken), invite_expires_at: now + INVITE_TTL, updated_at: now });
  return { member, inviteToken };
}
