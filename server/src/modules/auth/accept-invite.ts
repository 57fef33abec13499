import { recordEvent, type Database, type Tx } from "../../db/database.js";
import { presentMember } from "../members/member.presenter.js";
import type { MemberRow, TeamRow } from "../../db/schema.js";
import { AppError } from "../../errors.js";
import { hashSecret } from "../../lib/crypto.js";
import { hashPassword } from "../../lib/passwords.js";
import { findMemberByInvite, updateMemberRow } from "../members/member.repo.js";
import { getTeam } from "../teams/team.repo.js";
import { createSession, type SessionContext } from "./create-session.js";

function invalidInvite(): AppError {
  return new AppError(404, "invite_not_found", "This invitation link is not valid or has expired. Ask an admin for a new one.");
}

/** The member and team an unexpired invite token belongs to. */
export async function findInvite(tx: Tx, token: string, now: number): Promise<{ member: MemberRow; team: TeamRow }> {
  const member = await findMemberByInvite(tx, hashSecret(token));
  if (!member || member.invite_expires_at === null || member.invite_expires_at <= now) {
    throw invalidInvite();
  }
  return { member, team: await getTeam(tx, member.team_id) };
}

/** Sets the invited member's password, spends the token, and signs them in. */
export async function acceptInvite(database: Database, input: { token: string; password: string; name?: string | undefined } & SessionContext): Promise<{ member: MemberRow; token: string }> {
  await findInvite(database.db, input.token, input.now);
  const passwordHash = await hashPassword(input.password);
  return database.transaction(async (tx) => {
    // Looked up again inside the transaction so a token can be spent only once.
    const { member } = await findInvite(tx, input.token, input.now);
    const updated = await updateMemberRow(tx, member.team_id, member.id, {
      password_hash: passwordHash,
      invite_token_hash: null,
      invite_expires_at: null,
      ...(input.name ? { name: input.name } : {}),
      updated_at: input.now,
    });
    recordEvent(tx, { name: "member.updated", teamId: updated.team_id, payload: { member: presentMember(updated) } });
    const token = await createSession(tx, updated, input);
    return { member: updated, token };
  });
}
