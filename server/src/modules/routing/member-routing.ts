import type { MemberRoutingRule } from "../../../../protocol/routing.js";
import { recordEvent, type Tx } from "../../db/database.js";
import type { Selectable } from "kysely";
import type { MemberRoutingRulesTable } from "../../db/schema.js";
import { invalidField } from "../../errors.js";
import { newId } from "../../lib/ids.js";
import { requireRole, type Actor } from "../members/actor.js";
import { listMembers } from "../members/member.repo.js";

type Row = Selectable<MemberRoutingRulesTable>;

/** The team's keyword rules for members, in order. */
export function listMemberRoutingRules(tx: Tx, teamId: string): Promise<Row[]> {
  return tx.selectFrom("member_routing_rules").selectAll().where("team_id", "=", teamId).orderBy("position").execute();
}

/** A rule as the API shows it. */
export function presentMemberRoutingRule(row: Row): MemberRoutingRule {
  return { id: row.id, memberId: row.member_id, keywords: JSON.parse(row.keywords) as string[] };
}

/** Replaces the team's ordered keyword rules (owners and admins); every member must be an active member of the team. */
export async function replaceMemberRoutingRules({ tx, actor, teamId, rules, now }: { tx: Tx; actor: Actor; teamId: string; rules: { id?: string | undefined; memberId: string; keywords: string[] }[]; now: number }): Promise<Row[]> {
  requireRole(actor, "admin", "Only owners and admins can change routing rules.");
  const memberIds = new Set((await listMembers(tx, teamId)).map((member) => member.id));
  const existing = new Map((await listMemberRoutingRules(tx, teamId)).map((rule) => [rule.id, rule]));
  const seen = new Set<string>();
  const rows = rules.map((rule, position): Row => {
    if (!memberIds.has(rule.memberId)) {
      throw invalidField(`memberRoutingRules.${position}.memberId`, "no member of this team has this id");
    }
    const keep = rule.id !== undefined && existing.has(rule.id) && !seen.has(rule.id);
    const id = keep && rule.id ? rule.id : newId("rule");
    seen.add(id);
    return { id, team_id: teamId, position, member_id: rule.memberId, keywords: JSON.stringify(rule.keywords), created_at: existing.get(id)?.created_at ?? now };
  });
  await tx.deleteFrom("member_routing_rules").where("team_id", "=", teamId).execute();
  if (rows.length > 0) {
    await tx.insertInto("member_routing_rules").values(rows).execute();
  }
  recordEvent(tx, { name: "member_routing_rules.updated", teamId, payload: { count: rows.length } });
  return rows;
}

/** The members whose keywords the text contains, in rule order (case-insensitive substring, like seed 003's recipe). */
export function membersForText(rules: Row[], text: string): string[] {
  const lower = text.toLowerCase();
  return rules.filter((rule) => (JSON.parse(rule.keywords) as string[]).some((keyword) => lower.includes(keyword.toLowerCase()))).map((rule) => rule.member_id);
}
