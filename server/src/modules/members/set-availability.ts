import type { Availability } from "../../../../protocol/enums.js";
import { recordEvent, type Tx } from "../../db/database.js";
import type { MemberRow } from "../../db/schema.js";
import { requireRole, type Actor } from "./actor.js";
import { getMember, updateMemberRow } from "./member.repo.js";

/** Stores a member's availability and records member.availability_changed when it changes; no permission check. */
export async function applyAvailability(tx: Tx, teamId: string, memberId: string, status: Availability, now: number): Promise<MemberRow> {
  const target = await getMember(tx, teamId, memberId);
  if (target.availability === status) {
    return target;
  }
  const member = await updateMemberRow(tx, teamId, memberId, { availability: status, updated_at: now });
  recordEvent(tx, { name: "member.availability_changed", teamId, payload: { memberId, availability: status } });
  return member;
}

interface SetAvailabilityInput {
  tx: Tx;
  actor: Actor;
  teamId: string;
  memberId: string;
  status: Availability;
  now: number;
}

/** Sets whether a member takes automatic assignments: members set their own, admins anyone's. */
export async function setAvailability({ tx, actor, teamId, memberId, status, now }: SetAvailabilityInput): Promise<MemberRow> {
  if (actor.memberId !== memberId) {
    requireRole(actor, "admin", "Only admins can set another member's availability.");
  }
  return applyAvailability(tx, teamId, memberId, status, now);
}
