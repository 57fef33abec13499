import type { Insertable } from "kysely";
import type { ContactsTable, ConversationReadsTable, ConversationsTable, ConversationTagsTable, ContactTagsTable, JobsTable, MessagesTable } from "../../server/src/db/schema.js";
import { bucketOf } from "../../server/src/modules/conversations/buckets.js";
import { WAKE_JOB, wakeKey } from "../../server/src/modules/conversations/update-conversation.js";
import { Prng } from "../lib/prng.js";
import { contactRow } from "../lib/rows.js";
import type { TextWriter } from "./vocabulary.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** What a team's conversations are drawn from. */
export interface TeamPlan {
  teamId: string;
  /** Where the team's contacts' email addresses live. */
  domain: string;
  inboxes: { id: string; weight: number }[];
  ownerId: string;
  members: { id: string; name: string; role: "owner" | "admin" | "member"; inboxIds: string[] }[];
  tagIds: string[];
  conversations: number;
  meanMessages: number;
  /** Count word frequencies (for the search examples) in this team's messages. */
  trackWords: boolean;
}

export interface ConversationRows {
  contacts: Insertable<ContactsTable>[];
  contactTags: Insertable<ContactTagsTable>[];
  conversations: Insertable<ConversationsTable>[];
  conversationTags: Insertable<ConversationTagsTable>[];
  messages: Insertable<MessagesTable>[];
  reads: Insertable<ConversationReadsTable>[];
  jobs: Insertable<JobsTable>[];
}

const FIRST = ["Alice", "Bob", "Carla", "Dmitri", "Emma", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Liam", "Maya", "Noah", "Olga", "Pavel", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wei", "Ximena", "Yusuf", "Zoe"];
const LAST = ["Smith", "Garcia", "Müller", "Rossi", "Nguyen", "Kowalski", "Okafor", "Tanaka", "Dubois", "Silva", "Jensen", "Novak", "Haddad", "Larsen", "Moreau", "Kim"];
const COUNTRIES = ["US", "DE", "FR", "GB", "BR", "IN", "JP", "NL", "ES", "CA"];
const PAGES = ["/", "/pricing", "/checkout", "/account", "/orders", "/help", "/products/widget", "/blog/launch"];

/** FNV-1a of a string: each team draws from its own stream. */
function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  }
  return hash >>> 0;
}

/** The state a conversation ends in, by its age: old ones are mostly closed, new ones often open. */
function drawState(prng: Prng, ageDays: number): { status: string; spam: number; bot: number; assigned: boolean } {
  const [open, pending, snoozed, spam] = ageDays < 2 ? [0.45, 0.1, 0.05, 0.03] : ageDays < 14 ? [0.2, 0.08, 0.06, 0.03] : ageDays < 60 ? [0.06, 0.03, 0.03, 0.02] : [0.015, 0.005, 0.005, 0.015];
  const r = prng.float();
  const isSpam = prng.chance(spam) ? 1 : 0;
  const status = r < open ? "open" : r < open + pending ? "pending" : r < open + pending + snoozed ? "snoozed" : "closed";
  if (status === "open") {
    const kind = prng.weighted([["bot", 0.15], ["unassigned", 0.25], ["assigned", 0.6]] as const);
    return { status, spam: isSpam, bot: kind === "bot" ? 1 : 0, assigned: kind === "assigned" };
  }
  return { status, spam: isSpam, bot: 0, assigned: prng.chance(0.88) };
}

/** Generates a team's conversations in creation order, chunk by chunk, keeping every invariant the product relies on. */
export class ConversationGenerator {
  private readonly prng: Prng;
  private readonly contactIds: string[] = [];
  private readonly inboxWeights: [string, number][];
  private readonly membersOfInbox = new Map<string, TeamPlan["members"]>();

  constructor(
    private readonly plan: TeamPlan,
    private readonly writer: TextWriter,
    seed: number,
    private readonly anchor: number,
  ) {
    this.prng = new Prng(seed, hashString(plan.teamId));
    this.inboxWeights = plan.inboxes.map((inbox) => [inbox.id, inbox.weight]);
    for (const inbox of plan.inboxes) {
      this.membersOfInbox.set(inbox.id, plan.members.filter((m) => m.role !== "member" || m.inboxIds.includes(inbox.id)));
    }
  }

  /** Conversations number from+1 … to (1-based numbers, creation order). */
  chunk(from: number, to: number): ConversationRows {
    const out: ConversationRows = { contacts: [], contactTags: [], conversations: [], conversationTags: [], messages: [], reads: [], jobs: [] };
    for (let i = from; i < to; i++) {
      this.conversation(i, out);
    }
    return out;
  }

  private contactFor(createdAt: number, out: ConversationRows): string {
    const { prng, plan } = this;
    if (this.contactIds.length > 0 && prng.chance(0.3)) {
      return prng.pick(this.contactIds);
    }
    const id = prng.id("contact");
    const first = prng.pick(FIRST);
    const last = prng.pick(LAST);
    const n = this.contactIds.length;
    const tags = prng.chance(0.1) ? [prng.pick(plan.tagIds)] : [];
    out.contacts.push(
      contactRow(
        id,
        plan.teamId,
        {
          name: prng.chance(0.8) ? `${first} ${last}` : null,
          email: prng.chance(0.85) ? `${first}.${last}.${n}@${plan.domain}`.toLowerCase() : null,
          phone: prng.chance(0.3) ? `+1555${String(prng.int(0, 9_999_999)).padStart(7, "0")}` : null,
          country: prng.pick(COUNTRIES),
          browser: prng.pick(["Chrome", "Firefox", "Safari", "Edge"]),
          tags: JSON.stringify(tags),
        },
        createdAt,
      ),
    );
    for (const tagId of tags) {
      out.contactTags.push({ team_id: plan.teamId, contact_id: id, tag_id: tagId });
    }
    this.contactIds.push(id);
    return id;
  }

  private conversation(index: number, out: ConversationRows): void {
    const { prng, plan, anchor, writer } = this;
    const span = 730 * DAY;
    // More conversations recently than two years ago: a growing team.
    const createdAt = Math.round(anchor - span * (1 - Math.sqrt((index + prng.float()) / plan.conversations)));
    const ageDays = (anchor - createdAt) / DAY;
    const state = drawState(prng, ageDays);
    const inboxId = prng.weighted(this.inboxWeights);
    const candidates = this.membersOfInbox.get(inboxId) ?? [];
    // The owner (whose key the benchmarks use) takes a good share of the assigned work.
    const assignee = state.assigned ? (prng.chance(0.12) ? plan.members[0] : prng.pick(candidates)) : undefined;
    const channel = prng.weighted([["widget", 0.5], ["email", 0.35], ["api", 0.15]] as const);
    const contactId = this.contactFor(createdAt, out);
    const id = prng.id("conv");
    const finished = state.status !== "open";
    const duration = Math.min(anchor - createdAt, finished ? prng.exponential(6 * HOUR) + 60_000 : prng.exponential(DAY) + 60_000);

    // Messages: the contact writes first; replies come from the assignee (or the bot), with notes and activity lines.
    const count = Math.max(1, Math.min(60, Math.round(prng.exponential(plan.meanMessages - 1)) + 1));
    let incoming = 0;
    let outgoing = 0;
    let last: Insertable<MessagesTable> | undefined;
    let firstResponseAt: number | null = null;
    for (let seq = 1; seq <= count; seq++) {
      const at = seq === count ? createdAt + Math.round(duration) : createdAt + Math.round((duration * (seq - 1 + prng.float() * 0.9)) / count);
      let direction: string = seq === 1 ? "incoming" : prng.weighted([["incoming", 0.42], ["outgoing", 0.43], ["note", 0.07], ["activity", 0.08]] as const);
      if ((direction === "outgoing" && !assignee && !state.bot) || (direction === "note" && !assignee)) {
        direction = "incoming"; // nobody on the team has answered an unassigned conversation yet
      }
      const author = direction === "incoming" ? { kind: "contact", member: null } : state.bot && direction === "outgoing" ? { kind: "bot", member: null } : { kind: assignee ? "member" : "system", member: assignee?.id ?? null };
      const content = direction === "activity" ? `${assignee?.name ?? "Parley"} ${prng.pick(["assigned this conversation", "added a tag", "changed the priority", "marked this as pending"])}` : writer.message(prng, 18, plan.trackWords);
      const message: Insertable<MessagesTable> = {
        id: prng.id("msg"),
        team_id: plan.teamId,
        conversation_id: id,
        seq,
        direction,
        author_member_id: author.member,
        author_kind: author.kind,
        content,
        attachments: "[]",
        mentions: "[]",
        metadata: null,
        external_id: null,
        created_at: at,
        delivered_at: null,
        read_at: null,
      };
      out.messages.push(message);
      if (direction === "incoming") {
        incoming += 1;
      } else if (direction === "outgoing") {
        outgoing += 1;
        if (author.kind === "member" && firstResponseAt === null) {
          firstResponseAt = at;
        }
      }
      if (direction !== "activity") {
        last = message;
      }
    }
    const lastActivityAt = last?.created_at ?? createdAt;
    const endedAt = createdAt + Math.round(duration);
    const tagCount = prng.weighted([[0, 0.55], [1, 0.3], [2, 0.12], [3, 0.03]] as const);
    const tags = [...new Set(Array.from({ length: tagCount }, () => plan.tagIds[Math.min(plan.tagIds.length - 1, Math.floor(prng.exponential(6)))] as string))];
    const snoozedUntil = state.status === "snoozed" ? anchor + prng.int(400, 1000) * DAY : null;
    const row = {
      id,
      team_id: plan.teamId,
      number: index + 1,
      inbox_id: inboxId,
      contact_id: contactId,
      channel,
      status: state.status,
      bucket: bucketOf({ status: state.status, spam: state.spam, handled_by_bot: state.bot, assigned_to_member_id: assignee?.id ?? null }),
      assigned_to_member_id: assignee?.id ?? null,
      subject: channel === "email" ? writer.message(prng, 5, false).replace(/[.?]$/, "") : null,
      source_url: channel === "widget" ? `https://shop.example.com${prng.pick(PAGES)}` : null,
      handled_by_bot: state.bot,
      spam: state.spam,
      snoozed_until: snoozedUntil,
      tags: JSON.stringify(tags),
      incoming_count: incoming,
      message_count: count,
      last_message_id: last?.id ?? null,
      last_message_preview: last ? last.content.slice(0, 200) : null,
      last_message_direction: last?.direction ?? null,
      last_message_at: last?.created_at ?? null,
      last_activity_at: lastActivityAt,
      first_response_at: firstResponseAt,
      closed_at: state.status === "closed" ? endedAt + 60_000 : null,
      closed_by: state.status === "closed" ? (assignee?.id ?? plan.ownerId) : null,
      csat_rating: state.status === "closed" && channel === "widget" && prng.chance(0.2) ? prng.int(1, 5) : null,
      csat_comment: null,
      csat_at: null as number | null,
      outgoing_count: outgoing,
      contact_read_count: channel === "widget" ? (prng.chance(0.7) ? outgoing : Math.max(0, outgoing - 1)) : 0,
      contact_read_at: channel === "widget" && outgoing > 0 ? endedAt : null,
      created_at: createdAt,
      updated_at: endedAt + 60_000,
    } satisfies Insertable<ConversationsTable>;
    row.csat_at = row.csat_rating === null ? null : endedAt + 120_000;
    out.conversations.push(row);
    for (const tagId of tags) {
      out.conversationTags.push({ team_id: plan.teamId, conversation_id: id, tag_id: tagId });
    }
    // Read state: the assignee has mostly read their conversations; the owner has looked at some.
    if (assignee) {
      out.reads.push({ team_id: plan.teamId, conversation_id: id, member_id: assignee.id, read_incoming_count: prng.chance(0.8) ? incoming : prng.int(0, incoming), read_at: endedAt });
    }
    if (assignee?.id !== plan.ownerId && prng.chance(0.2)) {
      out.reads.push({ team_id: plan.teamId, conversation_id: id, member_id: plan.ownerId, read_incoming_count: prng.int(0, incoming), read_at: endedAt });
    }
    if (snoozedUntil !== null) {
      out.jobs.push({
        id: prng.id("job"),
        team_id: plan.teamId,
        kind: WAKE_JOB,
        payload: JSON.stringify({ conversationId: id }),
        dedupe_key: wakeKey(id),
        run_at: snoozedUntil,
        attempts: 0,
        max_attempts: 8,
        locked_until: null,
        locked_by: null,
        last_error: null,
        created_at: endedAt,
        finished_at: null,
        failed: 0,
      });
    }
  }
}
