import type { Plan } from "../../../../protocol/enums.js";
import { recordEvent, type Tx } from "../../db/database.js";
import type { TeamRow } from "../../db/schema.js";
import { requireRole, type Actor } from "../members/actor.js";
import { presentTeam } from "./team.presenter.js";
import { getTeam, updateTeamRow } from "./team.repo.js";

interface UpdateTeamInput {
  tx: Tx;
  actor: Actor;
  teamId: string;
  patch: { name?: string | undefined; plan?: Plan | undefined };
  now: number;
}

/** Renames the team (admins) or changes its plan (owners only: the plan is billing). */
export async function updateTeam({ tx, actor, teamId, patch, now }: UpdateTeamInput): Promise<TeamRow> {
  requireRole(actor, "admin", "Only owners and admins can change the team.");
  if (patch.plan !== undefined) {
    requireRole(actor, "owner", "Only an owner can change the plan.");
  }
  const current = await getTeam(tx, teamId);
  const changes = { ...(patch.name !== undefined ? { name: patch.name } : {}), ...(patch.plan !== undefined ? { plan: patch.plan } : {}) };
  if (Object.keys(changes).length === 0) {
    return current;
  }
  const team = await updateTeamRow(tx, teamId, changes, now);
  recordEvent(tx, { name: "team.updated", teamId, payload: { team: presentTeam(team) } });
  return team;
}
