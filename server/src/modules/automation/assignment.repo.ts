import type { Tx } from "../../db/database.js";

/** Members of an inbox who take automatic assignments now: active and available, in the order they joined it. */
export async function listAssignableMembers(tx: Tx, teamId: string, inboxId: string): Promise<{ id: string; name: string }[]> {
  return tx
    .selectFrom("inbox_members")
    .innerJoin("members", "members.id", "inbox_members.member_id")
    .select(["members.id", "members.name"])
    .where("inbox_members.team_id", "=", teamId)
    .where("inbox_members.inbox_id", "=", inboxId)
    .where("members.removed_at", "is", null)
    .where("members.availability", "=", "available")
    .orderBy("inbox_members.created_at")
    .orderBy("members.id")
    .execute();
}

/** Who got the inbox's last round-robin conversation. */
export async function findLastAssigned(tx: Tx, inboxId: string): Promise<string | null> {
  const row = await tx.selectFrom("inbox_assignment_state").select("last_member_id").where("inbox_id", "=", inboxId).executeTakeFirst();
  return row?.last_member_id ?? null;
}

/** Remembers who got the inbox's last round-robin conversation. */
export async function saveLastAssigned(tx: Tx, teamId: string, inboxId: string, memberId: string, now: number): Promise<void> {
  await tx
    .insertInto("inbox_assignment_state")
    .values({ inbox_id: inboxId, team_id: teamId, last_member_id: memberId, updated_at: now })
    .onConflict((oc) => oc.column("inbox_id").doUpdateSet({ last_member_id: memberId, updated_at: now }))
    .execute();
}
