import { recordEvent, type Tx } from "../../db/database.js";
import { lockName } from "../../db/locks.js";
import type { MemberRow } from "../../db/schema.js";
import { conflict } from "../../errors.js";
import { revokeApiKeysOfMember } from "../api-keys/api-key.repo.js";
import { deleteSessionsOfMember } from "../auth/session.repo.js";
import { clearFallbackMember, removeMemberFromAllInboxes } from "../inboxes/inbox.repo.js";
import { unassignMemberConversations } from "../conversations/unassign-member.js";
import { requireRole, type Actor } from "./actor.js";
import { countOwners, getMember, updateMemberRow } from "./member.repo.js";

interface RemoveMemberInput {
  tx: Tx;
  actor: Actor;
  teamId: string;
  memberId: string;
  now: number;
}

/** Removes a member: their sessions and API keys stop working at once and they leave every inbox. */
export async function removeMember({ tx, actor, teamId, memberId, now }: RemoveMemberInput): Promise<MemberRow> {
  requireRole(actor, "admin");
  await lockName(tx, `owners:${teamId}`);
  const target = await getMember(tx, teamId, memberId);
  if (target.role === "owner") {
    requireRole(actor, "owner", "Only an owner can remove an owner.");
    if ((await countOwners(tx, teamId)) <= 1) {
      throw conflict("last_owner", "A team needs at least one owner; make someone else owner first.");
    }
  }
  const member = await updateMemberRow(tx, teamId, memberId, { removed_at: now, updated_at: now, invite_token_hash: null, availability: "offline" });
  await deleteSessionsOfMember(tx, memberId);
  await revokeApiKeysOfMember(tx, teamId, memberId, now);
  await unassignMemberConversations(tx, teamId, memberId, `${target.name} left the team: unassigned`, now);
  await removeMemberFromAllInboxes(tx, teamId, memberId);
  await clearFallbackMember(tx, teamId, memberId, now);
  recordEvent(tx, { name: "member.removed", teamId, payload: { memberId } });
  return member;
}
