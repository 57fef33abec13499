import type { Tx } from "../../db/database.js";
import type { TeamRow } from "../../db/schema.js";
import { notFound } from "../../errors.js";

/** Inserts a new team row. */
export async function insertTeam(tx: Tx, row: { id: string; name: string; plan: string; now: number }): Promise<TeamRow> {
  return tx
    .insertInto("teams")
    .values({ id: row.id, name: row.name, plan: row.plan, created_at: row.now, updated_at: row.now })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The team, or undefined. */
export function findTeam(tx: Tx, teamId: string): Promise<TeamRow | undefined> {
  return tx.selectFrom("teams").selectAll().where("id", "=", teamId).executeTakeFirst();
}

/** The team; 404 when it does not exist. */
export async function getTeam(tx: Tx, teamId: string): Promise<TeamRow> {
  const team = await findTeam(tx, teamId);
  if (!team) {
    throw notFound("Team");
  }
  return team;
}

/** Changes name and/or plan. */
export async function updateTeamRow(tx: Tx, teamId: string, patch: { name?: string; plan?: string }, now: number): Promise<TeamRow> {
  return tx
    .updateTable("teams")
    .set({ ...patch, updated_at: now })
    .where("id", "=", teamId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Deletes the team; every tenant table cascades from it. */
export async function deleteTeamRow(tx: Tx, teamId: string): Promise<void> {
  await tx.deleteFrom("teams").where("id", "=", teamId).execute();
}

/** True when at least one team exists (first-run detection). */
export async function anyTeamExists(tx: Tx): Promise<boolean> {
  const row = await tx.selectFrom("teams").select("id").limit(1).executeTakeFirst();
  return row !== undefined;
}
