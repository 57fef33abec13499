import type { Tx } from "../../db/database.js";
import type { MemberRow, MemberUpdate, NewMember } from "../../db/schema.js";
import { notFound } from "../../errors.js";

/** Inserts a member row. */
export function insertMember(tx: Tx, row: NewMember): Promise<MemberRow> {
  return tx.insertInto("members").values(row).returningAll().executeTakeFirstOrThrow();
}

/** An active (not removed) member of the team, or undefined. */
export function findMember(tx: Tx, teamId: string, memberId: string): Promise<MemberRow | undefined> {
  return tx.selectFrom("members").selectAll().where("team_id", "=", teamId).where("id", "=", memberId).where("removed_at", "is", null).executeTakeFirst();
}

/** An active member of the team; 404 otherwise (another team's ids included). */
export async function getMember(tx: Tx, teamId: string, memberId: string): Promise<MemberRow> {
  const member = await findMember(tx, teamId, memberId);
  if (!member) {
    throw notFound("Member");
  }
  return member;
}

/** Active members of the team, oldest first. */
export function listMembers(tx: Tx, teamId: string): Promise<MemberRow[]> {
  return tx.selectFrom("members").selectAll().where("team_id", "=", teamId).where("removed_at", "is", null).orderBy("created_at").orderBy("id").execute();
}

/** The active member with this email address in any team (emails are stored lowercased). */
export function findActiveMemberByEmail(tx: Tx, email: string): Promise<MemberRow | undefined> {
  return tx.selectFrom("members").selectAll().where("email", "=", email).where("removed_at", "is", null).executeTakeFirst();
}

/** The active member holding this invite token hash. */
export function findMemberByInvite(tx: Tx, inviteTokenHash: string): Promise<MemberRow | undefined> {
  return tx.selectFrom("members").selectAll().where("invite_token_hash", "=", inviteTokenHash).where("removed_at", "is", null).executeTakeFirst();
}

/** Updates a member of the team and returns the new row. */
export function updateMemberRow(tx: Tx, teamId: string, memberId: string, patch: MemberUpdate): Promise<MemberRow> {
  return tx.updateTable("members").set(patch).where("team_id", "=", teamId).where("id", "=", memberId).returningAll().executeTakeFirstOrThrow();
}

/** How many active owners the team has. */
export async function countOwners(tx: Tx, teamId: string): Promise<number> {
  const row = await tx
    .selectFrom("members")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("team_id", "=", teamId)
    .where("role", "=", "owner")
    .where("removed_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The team's first owner, who acts for team-level tools such as the CLI. */
export function findFirstOwner(tx: Tx, teamId: string): Promise<MemberRow | undefined> {
  return tx.selectFrom("members").selectAll().where("team_id", "=", teamId).where("role", "=", "owner").where("removed_at", "is", null).orderBy("created_at").limit(1).executeTakeFirst();
}
