import type { Insertable } from "kysely";
import type { VisitorsTable } from "../../server/src/db/schema.js";
import { openDatasetDatabase, type BenchDataset } from "../lib/dataset.js";
import { Prng } from "../lib/prng.js";
import { apiKeyRow, contactRow, inboxMemberRow, inboxRow, insertRows, memberRow, visitorRow } from "../lib/rows.js";

/** What the socket scenarios connect with. */
export interface SocketTeam {
  /** Widget visitors' tokens (for the auth frame). */
  visitorTokens: string[];
  /** Agents' API keys: agent i is the only member of the inbox visitor i writes to. */
  agentKeys: string[];
}

/**
 * Adds to the dataset's large team `visitors` widget visitors and, with `pairs`, as many inboxes each with one
 * agent (a member's API key) and one visitor, so agent i sees exactly visitor i's conversation.
 */
export async function addSocketTeam(dataset: BenchDataset, options: { visitors: number; pairs: boolean }): Promise<SocketTeam> {
  const database = openDatasetDatabase(dataset, 2);
  const prng = new Prng(99, options.visitors);
  const teamId = dataset.team.id;
  const now = Date.now();
  const visitorTokens: string[] = [];
  const agentKeys: string[] = [];
  try {
    await database.transaction(async (tx) => {
      const inboxes = options.pairs ? Array.from({ length: options.visitors }, (_, i) => inboxRow(prng, teamId, `Pair ${i + 1}`, false, now)) : [];
      await insertRows(tx, "inboxes", inboxes);
      const members = inboxes.map((_, i) => memberRow(prng, teamId, "member", `Pair Agent ${i + 1}`, `pair${i + 1}@${teamId.toLowerCase()}.bench.test`, null, now));
      await insertRows(tx, "members", members);
      await insertRows(tx, "inbox_members", members.map((member, i) => inboxMemberRow(teamId, inboxes[i]?.id as string, member.id, "agent", now)));
      const keys = members.map((member) => apiKeyRow(prng, teamId, member.id, "member", now));
      await insertRows(tx, "api_keys", keys.map((key) => key.row));
      agentKeys.push(...keys.map((key) => key.secret));
      const contacts = Array.from({ length: options.visitors }, () => contactRow(prng.id("contact"), teamId, { name: "Socket Visitor" }, now));
      await insertRows(tx, "contacts", contacts);
      const visitors: Insertable<VisitorsTable>[] = [];
      contacts.forEach((contact, i) => {
        const inboxId = inboxes[i]?.id ?? dataset.team.inboxIds[0] ?? "";
        const visitor = visitorRow(prng, teamId, inboxId, contact.id, now);
        visitors.push(visitor.row);
        visitorTokens.push(visitor.token);
      });
      await insertRows(tx, "visitors", visitors);
    });
  } finally {
    await database.close();
  }
  return { visitorTokens, agentKeys };
}
