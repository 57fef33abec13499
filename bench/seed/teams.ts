import type { Insertable } from "kysely";
import type { Tx } from "../../server/src/db/database.js";
import type { TagsTable } from "../../server/src/db/schema.js";
import { defaultTagColor, tagKey } from "../../server/src/modules/tags/tag.repo.js";
import { Prng } from "../lib/prng.js";
import { apiKeyRow, inboxMemberRow, inboxRow, insertRows, memberRow, teamRow } from "../lib/rows.js";
import type { TeamPlan } from "./conversations.js";

const LARGE_INBOXES: [string, number][] = [
  ["Support", 0.4],
  ["Sales", 0.15],
  ["Billing", 0.15],
  ["Technical", 0.15],
  ["VIP", 0.1],
  ["Partners", 0.05],
];
const TAGS = ["billing", "bug", "feature-request", "urgent", "vip", "refund", "shipping", "login", "feedback", "churn-risk", "onboarding", "enterprise", "invoice", "api", "mobile", "integration", "security", "pricing", "outage", "praise"];
const AGENT_NAMES = ["Ada", "Ben", "Chloe", "Dev", "Elif", "Finn", "Gia", "Hugo", "Ivy", "Jack", "Kai", "Lena", "Milo", "Nina", "Omar", "Pia", "Ravi", "Sara", "Theo", "Uma", "Vik", "Wren", "Yara", "Zane", "Ava", "Leo", "Mia", "Oli", "Rui", "Sol"];

export interface SeededTeam {
  plan: TeamPlan;
  name: string;
  apiKey: string;
}

/** A team with inboxes, members (owner, admins, agents in some inboxes), an owner's admin key and tags, written now. */
export async function createTeamWithStaff(
  tx: Tx,
  prng: Prng,
  options: { name: string; inboxes: [string, number][]; agents: number; admins: number; tags: string[]; conversations: number; meanMessages: number; trackWords: boolean; passwordHash: string; now: number },
): Promise<SeededTeam> {
  const { now } = options;
  const teamId = prng.id("team");
  const domain = `${teamId.slice(5).toLowerCase()}.bench.test`;
  await insertRows(tx, "teams", [teamRow(teamId, options.name, now)]);
  const inboxes = options.inboxes.map(([name], i) => inboxRow(prng, teamId, name, i === 0, now));
  await insertRows(tx, "inboxes", inboxes);
  const staff: TeamPlan["members"] = [];
  const memberRows = [];
  const total = 1 + options.admins + options.agents;
  for (let i = 0; i < total; i++) {
    const role = i === 0 ? "owner" : i <= options.admins ? "admin" : "member";
    const name = `${AGENT_NAMES[i % AGENT_NAMES.length]} ${role === "owner" ? "Owner" : `Agent${i}`}`;
    const row = memberRow(prng, teamId, role, name, `${role}${i}@${domain}`, options.passwordHash, now);
    memberRows.push(row);
    // Agents work in one to three inboxes; the owner and admins see every inbox through their role.
    const first = i % inboxes.length;
    const count = role === "member" ? 1 + (i % 3) : 0;
    const inboxIds = Array.from({ length: Math.min(count, inboxes.length) }, (_, k) => inboxes[(first + k) % inboxes.length]?.id as string);
    staff.push({ id: row.id, name, role, inboxIds });
  }
  await insertRows(tx, "members", memberRows);
  const memberships = staff.flatMap((m) => m.inboxIds.map((inboxId) => inboxMemberRow(teamId, inboxId, m.id, "agent", now)));
  // Like createTeam: the owner administers the default inbox.
  memberships.push(inboxMemberRow(teamId, inboxes[0]?.id as string, staff[0]?.id as string, "admin", now));
  await insertRows(tx, "inbox_members", memberships);
  const key = apiKeyRow(prng, teamId, staff[0]?.id as string, "admin", now);
  await insertRows(tx, "api_keys", [key.row]);
  const tags: Insertable<TagsTable>[] = options.tags.map((name) => ({ id: prng.id("tag"), team_id: teamId, name, name_key: tagKey(name), color: defaultTagColor(name), created_at: now, updated_at: now }));
  await insertRows(tx, "tags", tags);
  return {
    name: options.name,
    apiKey: key.secret,
    plan: {
      teamId,
      domain,
      inboxes: inboxes.map((inbox, i) => ({ id: inbox.id, weight: options.inboxes[i]?.[1] ?? 1 })),
      ownerId: staff[0]?.id as string,
      members: staff,
      tagIds: tags.map((tag) => tag.id),
      conversations: options.conversations,
      meanMessages: options.meanMessages,
      trackWords: options.trackWords,
    },
  };
}

/** The large team (most rows) and the small ones; how the conversations are shared between them. */
export async function createTeams(tx: Tx, seed: number, conversations: number, smallTeams: number, meanMessages: number, passwordHash: string, now: number): Promise<{ large: SeededTeam; small: SeededTeam[] }> {
  const prng = new Prng(seed, 1);
  const smallShare = smallTeams > 0 ? Math.floor((conversations * 0.1) / smallTeams) : 0;
  const largeCount = conversations - smallShare * smallTeams;
  const large = await createTeamWithStaff(tx, prng, { name: "Bench Corp", inboxes: LARGE_INBOXES, agents: 27, admins: 2, tags: TAGS, conversations: largeCount, meanMessages, trackWords: true, passwordHash, now });
  const small: SeededTeam[] = [];
  for (let t = 0; t < smallTeams; t++) {
    small.push(
      await createTeamWithStaff(tx, prng, { name: `Small Team ${t + 1}`, inboxes: [["Support", 1]], agents: 2, admins: 0, tags: TAGS.slice(0, 5), conversations: smallShare, meanMessages, trackWords: false, passwordHash, now }),
    );
  }
  return { large, small };
}
