import type { Tx } from "../../db/database.js";

/** Marks members as connected to this process until `expiresAt`. */
export async function renewPresence(tx: Tx, processId: string, members: { memberId: string; teamId: string }[], expiresAt: number): Promise<void> {
  if (members.length === 0) {
    return;
  }
  await tx
    .insertInto("presence")
    .values(members.map((m) => ({ member_id: m.memberId, team_id: m.teamId, process_id: processId, expires_at: expiresAt })))
    .onConflict((oc) => oc.columns(["member_id", "process_id"]).doUpdateSet({ expires_at: expiresAt }))
    .execute();
}

/** This process no longer holds a socket for the member. */
export async function dropPresence(tx: Tx, processId: string, memberId: string): Promise<void> {
  await tx.deleteFrom("presence").where("process_id", "=", processId).where("member_id", "=", memberId).execute();
}

/** Whether any process holds a fresh socket for the member. */
export async function isOnline(tx: Tx, memberId: string, now: number): Promise<boolean> {
  const row = await tx.selectFrom("presence").select("member_id").where("member_id", "=", memberId).where("expires_at", ">", now).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** The team's members who are online now. */
export async function onlineMemberIds(tx: Tx, teamId: string, now: number): Promise<Set<string>> {
  const rows = await tx.selectFrom("presence").select("member_id").distinct().where("team_id", "=", teamId).where("expires_at", ">", now).execute();
  return new Set(rows.map((row) => row.member_id));
}

/**
 * Removes rows that ran out (a process that died without saying goodbye) and returns the members left
 * with no fresh row anywhere: they have just gone offline.
 */
export async function sweepPresence(tx: Tx, now: number): Promise<{ memberId: string; teamId: string }[]> {
  const expired = await tx.selectFrom("presence").select(["member_id", "team_id"]).where("expires_at", "<=", now).execute();
  if (expired.length === 0) {
    return [];
  }
  await tx.deleteFrom("presence").where("expires_at", "<=", now).execute();
  const ids = [...new Set(expired.map((row) => row.member_id))];
  const stillOnline = new Set((await tx.selectFrom("presence").select("member_id").where("member_id", "in", ids).execute()).map((row) => row.member_id));
  const gone = new Map<string, string>();
  for (const row of expired) {
    if (!stillOnline.has(row.member_id)) {
      gone.set(row.member_id, row.team_id);
    }
  }
  return [...gone].map(([memberId, teamId]) => ({ memberId, teamId }));
}
