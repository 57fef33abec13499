import type { RoutingCondition, RoutingRule } from "../../../../protocol/routing.js";
import type { RoutingRuleRow } from "../../db/schema.js";

/** A rule as seed 000 writes it: `{ condition, inboxId }`, with its id. */
export function presentRoutingRule(row: RoutingRuleRow): RoutingRule {
  return { id: row.id, condition: JSON.parse(row.condition) as RoutingCondition, inboxId: row.inbox_id };
}
