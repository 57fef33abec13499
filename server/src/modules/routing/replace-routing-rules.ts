import type { RoutingCondition } from "../../../../protocol/routing.js";
import { recordEvent, type Tx } from "../../db/database.js";
import type { RoutingRuleRow } from "../../db/schema.js";
import { invalidField } from "../../errors.js";
import { newId } from "../../lib/ids.js";
import { requireRole, type Actor } from "../members/actor.js";
import { listInboxes } from "../inboxes/inbox.repo.js";
import { listRoutingRules, replaceRoutingRuleRows } from "./routing-rule.repo.js";

interface ReplaceInput {
  tx: Tx;
  actor: Actor;
  teamId: string;
  rules: { id?: string | undefined; condition: RoutingCondition; inboxId: string }[];
  now: number;
}

/** Replaces the team's ordered routing rules (owners and admins); every inboxId must be one of the team's inboxes. */
export async function replaceRoutingRules({ tx, actor, teamId, rules, now }: ReplaceInput): Promise<RoutingRuleRow[]> {
  requireRole(actor, "admin", "Only owners and admins can change routing rules.");
  const inboxIds = new Set((await listInboxes(tx, teamId)).map((inbox) => inbox.id));
  const existing = new Map((await listRoutingRules(tx, teamId)).map((rule) => [rule.id, rule]));
  const seen = new Set<string>();
  const rows = rules.map((rule, position): RoutingRuleRow => {
    if (!inboxIds.has(rule.inboxId)) {
      throw invalidField(`routingRules.${position}.inboxId`, "no inbox of this team has this id");
    }
    // A rule keeps its id when the client sends it back; unknown or repeated ids get a new one.
    const keep = rule.id !== undefined && existing.has(rule.id) && !seen.has(rule.id);
    const id = keep && rule.id ? rule.id : newId("rule");
    seen.add(id);
    return { id, team_id: teamId, position, condition: JSON.stringify(rule.condition), inbox_id: rule.inboxId, created_at: existing.get(id)?.created_at ?? now };
  });
  await replaceRoutingRuleRows(tx, teamId, rows);
  recordEvent(tx, { name: "routing_rules.updated", teamId, payload: { count: rows.length } });
  return rows;
}
