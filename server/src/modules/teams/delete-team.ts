import type { Tx } from "../../db/database.js";
import { invalidField } from "../../errors.js";
import { scheduleFileDeletion, storageKeysOfTeam } from "../attachments/forget-files.js";
import { requireRole, type Actor } from "../members/actor.js";
import { deleteTeamRow, getTeam } from "./team.repo.js";

/** Deletes the team and everything it owns, stored files included (owners only); the caller must repeat the team's name to confirm. */
export async function deleteTeam({ tx, actor, teamId, confirmName, now }: { tx: Tx; actor: Actor; teamId: string; confirmName: string; now: number }): Promise<void> {
  requireRole(actor, "owner", "Only an owner can delete the team.");
  const team = await getTeam(tx, teamId);
  if (confirmName !== team.name) {
    throw invalidField("confirm", "type the team's exact name to confirm deletion");
  }
  await scheduleFileDeletion(tx, await storageKeysOfTeam(tx, teamId), now);
  await deleteTeamRow(tx, teamId);
}
