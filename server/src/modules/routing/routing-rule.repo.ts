import type { Tx } from "../../db/database.js";
import type { RoutingRuleRow } from "../../db/schema.js";

/** The team's routing rules in evaluation order. */
export function listRoutingRules(tx: Tx, teamId: string): Promise<RoutingRuleRow[]> {
  return tx.selectFrom("routing_rules").selectAll().where("team_id", "=", teamId).orderBy("position").execute();
}

/** Replaces the team's whole ordered list. */
export async function replaceRoutingRuleRows(tx: Tx, teamId: string, rows: RoutingRuleRow[]): Promise<void> {
  await tx.deleteFrom("routing_rules").where("team_id", "=", teamId).execute();
  if (rows.length > 0) {
    await tx.insertInto("routing_rules").values(rows).execute();
  }
}
