import type { Tx } from "../../db/database.js";
import { prepared } from "../../db/prepared.js";
import type { InboxMemberRow, InboxRow, MemberRow } from "../../db/schema.js";
import { notFound } from "../../errors.js";

/** Inserts an inbox row. */
export function insertInbox(tx: Tx, row: InboxRow): Promise<InboxRow> {
  return tx.insertInto("inboxes").values(row).returningAll().executeTakeFirstOrThrow();
}

/** An inbox of the team, or undefined (every widget request reads its visitor's inbox: prepared). */
export async function findInbox(tx: Tx, teamId: string, inboxId: string): Promise<InboxRow | undefined> {
  const [row] = await inboxQuery(tx, { teamId, inboxId });
  return row;
}

const inboxQuery = prepared<{ teamId: string; inboxId: string }, InboxRow>((db, param) => db.selectFrom("inboxes").selectAll().where("team_id", "=", param("teamId")).where("id", "=", param("inboxId")));

/** An inbox of the team; 404 otherwise. */
export async function getInbox(tx: Tx, teamId: string, inboxId: string): Promise<InboxRow> {
  const inbox = await findInbox(tx, teamId, inboxId);
  if (!inbox) {
    throw notFound("Inbox");
  }
  return inbox;
}

/** The team's inboxes, default first then by name. */
export function listInboxes(tx: Tx, teamId: string): Promise<InboxRow[]> {
  return tx.selectFrom("inboxes").selectAll().where("team_id", "=", teamId).orderBy("is_default", "desc").orderBy("name_key").orderBy("id").execute();
}

/** The inboxes a member belongs to, with their inbox role, in the same order as listInboxes. */
export function listInboxesOfMember(tx: Tx, teamId: string, memberId: string): Promise<(InboxRow & { inbox_role: string })[]> {
  return tx
    .selectFrom("inboxes")
    .innerJoin("inbox_members", (join) => join.onRef("inbox_members.inbox_id", "=", "inboxes.id").on("inbox_members.member_id", "=", memberId))
    .selectAll("inboxes")
    .select("inbox_members.role as inbox_role")
    .where("inboxes.team_id", "=", teamId)
    .orderBy("inboxes.is_default", "desc")
    .orderBy("inboxes.name_key")
    .orderBy("inboxes.id")
    .execute();
}

/** The team's default inbox, if any. */
export function findDefaultInbox(tx: Tx, teamId: string): Promise<InboxRow | undefined> {
  return tx.selectFrom("inboxes").selectAll().where("team_id", "=", teamId).where("is_default", "=", 1).executeTakeFirst();
}

/** How many inboxes the team has. */
export async function countInboxes(tx: Tx, teamId: string): Promise<number> {
  const row = await tx
    .selectFrom("inboxes")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("team_id", "=", teamId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The team's inbox with this name (case-insensitive), if any. */
export function findInboxByNameKey(tx: Tx, teamId: string, nameKey: string): Promise<InboxRow | undefined> {
  return tx.selectFrom("inboxes").selectAll().where("team_id", "=", teamId).where("name_key", "=", nameKey).executeTakeFirst();
}

/** Any team's inbox with this email address: addresses are unique across the installation because mail is routed by them. */
export function findInboxByEmail(tx: Tx, email: string): Promise<Pick<InboxRow, "id" | "team_id"> | undefined> {
  return tx.selectFrom("inboxes").select(["id", "team_id"]).where("email", "=", email).executeTakeFirst();
}

/** Updates an inbox of the team. */
export function updateInboxRow(tx: Tx, teamId: string, inboxId: string, patch: Partial<InboxRow>): Promise<InboxRow> {
  return tx.updateTable("inboxes").set(patch).where("team_id", "=", teamId).where("id", "=", inboxId).returningAll().executeTakeFirstOrThrow();
}

/** Takes the default flag off whichever inbox of the team has it. */
export async function clearDefaultInbox(tx: Tx, teamId: string, now: number): Promise<void> {
  await tx.updateTable("inboxes").set({ is_default: 0, updated_at: now }).where("team_id", "=", teamId).where("is_default", "=", 1).execute();
}

/** Deletes an inbox; its memberships and routing rules cascade. */
export async function deleteInboxRow(tx: Tx, teamId: string, inboxId: string): Promise<void> {
  await tx.deleteFrom("inboxes").where("team_id", "=", teamId).where("id", "=", inboxId).execute();
}

/** Clears fallbackUserId wherever it names a member who is leaving. */
export async function clearFallbackMember(tx: Tx, teamId: string, memberId: string, now: number): Promise<void> {
  const inboxes = await tx
    .selectFrom("inboxes")
    .select(["id", "settings"])
    .where("team_id", "=", teamId)
    .where("settings", "like", `%${memberId}%`)
    .execute();
  for (const inbox of inboxes) {
    const settings = JSON.parse(inbox.settings) as { assignmentRules?: { fallbackUserId?: string | null } };
    if (settings.assignmentRules?.fallbackUserId === memberId) {
      settings.assignmentRules.fallbackUserId = null;
      await tx.updateTable("inboxes").set({ settings: JSON.stringify(settings), updated_at: now }).where("id", "=", inbox.id).execute();
    }
  }
}

export type InboxMemberWithMember = InboxMemberRow & Pick<MemberRow, "name" | "email" | "availability">;

/** The inbox's members with their names, oldest membership first. */
export function listInboxMembers(tx: Tx, teamId: string, inboxId: string): Promise<InboxMemberWithMember[]> {
  return tx
    .selectFrom("inbox_members")
    .innerJoin("members", "members.id", "inbox_members.member_id")
    .selectAll("inbox_members")
    .select(["members.name", "members.email", "members.availability"])
    .where("inbox_members.team_id", "=", teamId)
    .where("inbox_members.inbox_id", "=", inboxId)
    .where("members.removed_at", "is", null)
    .orderBy("inbox_members.created_at")
    .orderBy("inbox_members.member_id")
    .execute();
}

/** One membership with the member's name, or undefined. */
export function findInboxMember(tx: Tx, teamId: string, inboxId: string, memberId: string): Promise<InboxMemberWithMember | undefined> {
  return tx
    .selectFrom("inbox_members")
    .innerJoin("members", "members.id", "inbox_members.member_id")
    .selectAll("inbox_members")
    .select(["members.name", "members.email", "members.availability"])
    .where("inbox_members.team_id", "=", teamId)
    .where("inbox_members.inbox_id", "=", inboxId)
    .where("inbox_members.member_id", "=", memberId)
    .where("members.removed_at", "is", null)
    .executeTakeFirst();
}

/** The member's role in the inbox, or undefined when they do not belong to it. */
export async function findInboxRole(tx: Tx, inboxId: string, memberId: string): Promise<string | undefined> {
  const row = await tx.selectFrom("inbox_members").select("role").where("inbox_id", "=", inboxId).where("member_id", "=", memberId).executeTakeFirst();
  return row?.role;
}

/** Adds a membership, or changes its role when it exists. */
export async function upsertInboxMember(tx: Tx, row: InboxMemberRow): Promise<void> {
  await tx
    .insertInto("inbox_members")
    .values(row)
    .onConflict((oc) => oc.columns(["inbox_id", "member_id"]).doUpdateSet((eb) => ({ role: eb.ref("excluded.role") })))
    .execute();
}

/** Removes one membership. */
export async function deleteInboxMember(tx: Tx, teamId: string, inboxId: string, memberId: string): Promise<void> {
  await tx.deleteFrom("inbox_members").where("team_id", "=", teamId).where("inbox_id", "=", inboxId).where("member_id", "=", memberId).execute();
}

/** Removes a member from every inbox of the team. */
export async function removeMemberFromAllInboxes(tx: Tx, teamId: string, memberId: string): Promise<void> {
  await tx.deleteFrom("inbox_members").where("team_id", "=", teamId).where("member_id", "=", memberId).execute();
}
