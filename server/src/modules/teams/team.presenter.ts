import type { Team } from "../../../../protocol/team.js";
import type { Plan } from "../../../../protocol/enums.js";
import type { TeamRow } from "../../db/schema.js";
import { iso } from "../../lib/time.js";

/** The team as seed 003 documents it: `{ id, name, createdAt, plan }`. */
export function presentTeam(row: TeamRow): Team {
  return { id: row.id, name: row.name, createdAt: iso(row.created_at), plan: row.plan as Plan };
}
