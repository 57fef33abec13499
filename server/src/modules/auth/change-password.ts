import type { Database } from "../../db/database.js";
import { AppError } from "../../errors.js";
import { hashPassword, verifyPassword } from "../../lib/passwords.js";
import { getMember, updateMemberRow } from "../members/member.repo.js";
import type { Actor } from "../members/actor.js";
import { deleteSessionsOfMember } from "./session.repo.js";

/** Changes the actor's own password after checking the current one; every other session of theirs ends. */
export async function changePassword(database: Database, input: { actor: Actor; currentPassword: string; newPassword: string; now: number }): Promise<void> {
  const { actor, now } = input;
  const member = await getMember(database.db, actor.teamId, actor.memberId);
  if (!member.password_hash || !(await verifyPassword(member.password_hash, input.currentPassword))) {
    throw new AppError(403, "invalid_credentials", "The current password is not correct.");
  }
  const passwordHash = await hashPassword(input.newPassword);
  await database.transaction(async (tx) => {
    await updateMemberRow(tx, actor.teamId, actor.memberId, { password_hash: passwordHash, updated_at: now });
    await deleteSessionsOfMember(tx, actor.memberId, actor.sessionTokenHash);
  });
}
