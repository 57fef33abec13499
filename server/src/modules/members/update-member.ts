import type { TeamRole } from "../../../../protocol/enums.js";
import { recordEvent, type Tx } from "../../db/database.js";
import { lockName } from "../../db/locks.js";
import type { MemberRow } from "../../db/schema.js";
import { conflict } from "../../errors.js";
import { requireRole, type Actor } from "./actor.js";
import { countOwners, getMember, updateMemberRow } from "./member.repo.js";
import { presentMember } from "./member.presenter.js";

interface UpdateMemberInput {
  tx: Tx;
  actor: Actor;
  teamId: string;
  memberId: string;
  patch: { name?: string | undefined; role?: TeamRole | undefined };
  now: number;
}

/** Renames a member or changes their role; owners are changed only by owners, and a team keeps at least one owner. */
export async function updateMember({ tx, actor, teamId, memberId, patch, now }: UpdateMemberInput): Promise<MemberRow> {
  if (patch.role !== undefined) {
    await lockName(tx, `owners:${teamId}`);
  }
  const target = await getMember(tx, teamId, memberId);
  const self = actor.memberId === memberId;
  if (!self || patch.role !== undefined) {
    requireRole(actor, "admin", "Only admins can change other members or roles.");
  }
  if (!self && target.role === "owner") {
    requireRole(actor, "owner", "Only an owner can change an owner.");
  }
  if (patch.role === "owner" && target.role !== "owner") {
    requireRole(actor, "owner", "Only an owner can make someone an owner.");
  }
  if (target.role === "owner" && patch.role !== undefined && patch.role !== "owner" && (await countOwners(tx, teamId)) <= 1) {
    throw conflict("last_owner", "A team needs at least one owner; make someone else owner first.");
  }
  const changes = { ...(patch.name !== undefined ? { name: patch.name } : {}), ...(patch.role !== undefined ? { role: patch.role } : {}) };
  if (Object.keys(changes).length === 0) {
    return target;
  }
  const member = await updateMemberRow(tx, teamId, memberId, { ...changes, updated_at: now });
  recordEvent(tx, { name: "member.updated", teamId, payload: { member: presentMember(member) } });
  return member;
}
