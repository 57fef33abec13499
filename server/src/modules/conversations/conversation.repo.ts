import { sql, type ExpressionBuilder } from "kysely";
import { isPostgres, StaleRow, writeGroupOf, type Tx } from "../../db/database.js";
import { prepared, type PreparedQuery } from "../../db/prepared.js";
import type { ConversationRow, ConversationsTable, DB, NewConversation } from "../../db/schema.js";
import { notFound } from "../../errors.js";
import { insertMessage, messageColumnsWithoutSeq, type MessageWithoutSeq } from "../messages/message.repo.js";
import type { Bucket } from "./buckets.js";
import { forgetConversation, recentConversation, rememberConversation, versionOf } from "./recent-conversations.js";

/**
 * Every column of a conversation row, named: on PostgreSQL the table also holds the `search` tsvector of the
 * subject, which `SELECT *` would send (as text) with every row and nothing reads.
 */
const conversationColumnSet = {
  id: true,
  team_id: true,
  number: true,
  inbox_id: true,
  contact_id: true,
  channel: true,
  status: true,
  bucket: true,
  assigned_to_member_id: true,
  subject: true,
  source_url: true,
  handled_by_bot: true,
  spam: true,
  snoozed_until: true,
  tags: true,
  incoming_count: true,
  message_count: true,
  last_message_id: true,
  last_message_preview: true,
  last_message_direction: true,
  last_message_at: true,
  last_activity_at: true,
  first_response_at: true,
  closed_at: true,
  closed_by: true,
  csat_rating: true,
  csat_comment: true,
  csat_at: true,
  outgoing_count: true,
  contact_read_count: true,
  contact_read_at: true,
  created_at: true,
  updated_at: true,
} satisfies Record<keyof ConversationsTable, true>;

export const conversationColumns = Object.keys(conversationColumnSet) as (keyof ConversationsTable)[];
const qualifiedConversationColumns = conversationColumns.map((column) => `conversations.${column}` as const);

/** A conversation with what every list row shows: its contact's summary and the caller's read state. */
export type ThreadRow = ConversationRow & {
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  contact_blocked: number;
  read_incoming_count: number | null;
};

/**
 * A column reference for a WHERE term. With `narrow`, on SQLite, a unary + keeps the planner from using the
 * term's indexes: the query is then driven by a small set (one contact's conversations, a rare tag's) and
 * sorted, instead of walking the team's conversations by activity until enough of them match. SQLite plans
 * without statistics and otherwise prefers the index that spares the sort (a contact's list at 100k:
 * 70 ms → 0.5 ms). PostgreSQL's planner has statistics and needs no hint.
 */
function termRef(tx: Tx, column: "conversations.team_id" | "conversations.inbox_id" | "conversations.bucket", narrow: boolean) {
  return narrow && !isPostgres(tx) ? sql<string>`+${sql.ref(column)}` : sql<string>`${sql.ref(column)}`;
}

function threadQuery(tx: Tx, teamId: string, viewerId: string, options: { narrow?: boolean } = {}) {
  return tx
    .selectFrom("conversations")
    .innerJoin("contacts", "contacts.id", "conversations.contact_id")
    .select(qualifiedConversationColumns)
    .select([
      "contacts.name as contact_name",
      "contacts.email as contact_email",
      "contacts.phone as contact_phone",
      "contacts.blocked as contact_blocked",
      // A subquery, not a join: it runs for the page's rows only, by primary key. As a LEFT JOIN, PostgreSQL
      // planned a scan of every read row for a viewer with few of them (a new agent: 9 ms at 100k, growing).
      (eb) =>
        eb
          .selectFrom("conversation_reads")
          .select("conversation_reads.read_incoming_count")
          .whereRef("conversation_reads.conversation_id", "=", "conversations.id")
          .where("conversation_reads.member_id", "=", viewerId)
          .as("read_incoming_count"),
    ])
    .where(termRef(tx, "conversations.team_id", options.narrow === true), "=", teamId);
}

/** Inserts a conversation row. */
export function insertConversation(tx: Tx, row: NewConversation): Promise<ConversationRow> {
  return tx.insertInto("conversations").values(row).returning(conversationColumns).executeTakeFirstOrThrow();
}

/** Takes the team's next human-friendly conversation number. */
export async function nextConversationNumber(tx: Tx, teamId: string): Promise<number> {
  const row = await tx
    .updateTable("teams")
    .set({ conversation_seq: sql`conversation_seq + 1` })
    .where("id", "=", teamId)
    .returning("conversation_seq")
    .executeTakeFirstOrThrow();
  return row.conversation_seq;
}

/** A conversation of the team, or undefined. */
export async function findConversation(tx: Tx, teamId: string, conversationId: string): Promise<ConversationRow | undefined> {
  const [row] = await findConversationQuery(tx, { teamId, conversationId });
  return row;
}

const findConversationQuery = prepared<{ teamId: string; conversationId: string }, ConversationRow>((db, param) =>
  db.selectFrom("conversations").select(conversationColumns).where("team_id", "=", param("teamId")).where("id", "=", param("conversationId")),
);

/** A conversation of the team; 404 otherwise. */
export async function getConversation(tx: Tx, teamId: string, conversationId: string): Promise<ConversationRow> {
  const row = await findConversation(tx, teamId, conversationId);
  if (!row) {
    throw notFound("Conversation");
  }
  return row;
}

/**
 * The conversation with its row locked until the transaction ends, read after the lock so concurrent
 * changes to one conversation apply one after the other: SELECT … FOR UPDATE on PostgreSQL; a plain read on
 * SQLite, whose write transactions already run one at a time (and where touching the row would write a page).
 *
 * With `recent` (PostgreSQL), the row may instead be the copy this process kept when it last wrote or locked
 * it, unread and unlocked (recent-conversations.ts). Only for a transaction that changes the conversation
 * with updateConversationRow before anything else, which then changes it only if it is still that version,
 * and that reads it again (without `recent`) before refusing anything because of what the copy says.
 */
export async function lockConversation(tx: Tx, teamId: string, conversationId: string, options: { recent?: boolean } = {}): Promise<ConversationRow | undefined> {
  const group = writeGroupOf(tx);
  if (options.recent === true && group !== undefined && isPostgres(tx)) {
    const kept = recentConversation(teamId, conversationId, group);
    if (kept !== undefined) {
      return kept;
    }
  }
  const [found] = await lockConversationQuery(tx, { teamId, conversationId });
  if (found === undefined || found.row_version === undefined) {
    return found;
  }
  const { row_version: version, ...row } = found;
  rememberConversation(row, version, group);
  return row;
}

/**
 * PostgreSQL: which version of its row a conversation is, for recent-conversations.ts. `xmin` names the
 * transaction that wrote the version; `ctid` where it lies, which every UPDATE changes, so that two changes
 * by one transaction (with one xmin) are two versions too.
 */
const rowVersion = sql<string>`xmin::text || ' ' || ctid::text`;

/** On PostgreSQL with the row's version (rowVersion). */
const lockConversationQuery = prepared<{ teamId: string; conversationId: string }, ConversationRow & { row_version?: string }>((db, param) => {
  const query = db.selectFrom("conversations").select(conversationColumns).where("team_id", "=", param("teamId")).where("id", "=", param("conversationId"));
  return isPostgres(db) ? query.select(rowVersion.as("row_version")).forUpdate() : query;
});

/** One conversation as a list row for a viewer. */
export function findThreadRow(tx: Tx, teamId: string, viewerId: string, conversationId: string): Promise<ThreadRow | undefined> {
  return threadQuery(tx, teamId, viewerId).where("conversations.id", "=", conversationId).executeTakeFirst();
}

/** Counters of a conversation that grow in place (`column = column + n`), never from a value read earlier. */
export type ConversationIncrements = Partial<Record<"message_count" | "incoming_count" | "outgoing_count", number>>;

type UpdateParams = Record<string, unknown>;

/** The counters of a conversation as they are after an UPDATE grew them, and on PostgreSQL the row's new version. */
type Counters = Pick<ConversationRow, keyof ConversationIncrements> & { row_version?: string };
const counterColumns = ["message_count", "incoming_count", "outgoing_count"] as const satisfies readonly (keyof ConversationIncrements)[];

/** The conversation UPDATE prepared for each set of columns it was asked to change (a handful, fixed by the code paths). */
const updatesByShape = new Map<string, PreparedQuery<UpdateParams, Counters>>();
const UPDATE_SHAPES_KEPT = 256;

function prepareUpdate(columns: string[], incremented: string[], withMessage: boolean, guarded: boolean): PreparedQuery<UpdateParams, Counters> {
  return prepared<UpdateParams, Counters>((db, param) => {
    let update = db
      .updateTable("conversations")
      .set((eb) => {
        const values: Record<string, unknown> = {};
        for (const column of columns) {
          values[column] = param(`set_${column}`);
        }
        for (const column of incremented) {
          values[column] = eb(column as keyof ConversationIncrements, "+", param(`add_${column}`) as number);
        }
        return values;
      })
      .where("team_id", "=", param("teamId") as string)
      .where("id", "=", param("conversationId") as string);
    if (!isPostgres(db)) {
      // On SQLite, RETURNING on this table costs two to four times the UPDATE itself (measured: 50–100 µs
      // against 17–25 µs on the ingest path), more than reading the counters back.
      return update;
    }
    if (guarded) {
      // The row as this process last saw it, unread (recent-conversations.ts): changed only if still that version.
      update = update.where(rowVersion, "=", param("version") as string);
    }
    const returned = [...counterColumns, rowVersion.as("row_version")] as const;
    if (!withMessage) {
      return update.returning(returned);
    }
    // PostgreSQL: the message goes in with the same statement, at the position the UPDATE returned — one
    // round trip instead of two on the writer connection. INSERT … SELECT: nothing goes in if the UPDATE
    // changed nothing (a stale version), and PostgreSQL types the values by their columns.
    return db
      .with("moved", () => update.returning(returned))
      .with("added", (qb) =>
        qb
          .insertInto("messages")
          .columns([...messageColumnsWithoutSeq, "seq"])
          .expression((eb) => eb.selectFrom("moved").select([...messageColumnsWithoutSeq.map((column) => eb.val(param(`msg_${column}`)).as(column)), "moved.message_count as seq"])),
      )
      .selectFrom("moved")
      .select([...counterColumns, "row_version"]);
  });
}

/** The counters of a conversation, read after they grew (SQLite). */
const countersQuery = prepared<{ teamId: string; conversationId: string }, Counters>((db, param) =>
  db.selectFrom("conversations").select(counterColumns).where("team_id", "=", param("teamId")).where("id", "=", param("conversationId")),
);

/**
 * Updates a conversation of the team and returns the new row. With `message`, also inserts that message
 * at the position the update gave it (`message_count` after the increments).
 *
 * `before` is the row as this transaction read it (lockConversation). The new row is `before` with the
 * patch applied and the counters as the UPDATE left them: they grow in place and are never computed from a
 * value read earlier. PostgreSQL returns them with the UPDATE; SQLite reads them back, which costs about a
 * third of reading the whole row (2 µs against 6–8 µs, measured), and RETURNING there costs more than either.
 * Returning or reading the whole row instead would also carry the whole row back on every message.
 *
 * On PostgreSQL, a `before` that came unlocked from lockConversation(…, { recent: true }) is changed only if
 * the row is still that version; otherwise nothing changes and StaleRow is thrown (the transaction runs again
 * and reads the row). The new row is kept for the next change (recent-conversations.ts).
 */
export async function updateConversationRow(tx: Tx, before: ConversationRow, patch: Partial<ConversationRow>, increments: ConversationIncrements = {}, message?: MessageWithoutSeq): Promise<ConversationRow> {
  const teamId = before.team_id;
  const conversationId = before.id;
  const params: UpdateParams = { teamId, conversationId };
  const columns: string[] = [];
  for (const [column, value] of Object.entries(patch)) {
    if (value !== undefined) {
      columns.push(column);
      params[`set_${column}`] = value;
    }
  }
  const incremented: string[] = [];
  for (const [column, by] of Object.entries(increments)) {
    if (by !== undefined) {
      incremented.push(column);
      params[`add_${column}`] = by;
    }
  }
  const postgres = isPostgres(tx);
  const seen = postgres ? versionOf(before) : undefined;
  const guard = seen !== undefined && !seen.locked ? seen.version : undefined;
  if (guard !== undefined) {
    params.version = guard;
  }
  const withMessage = message !== undefined && postgres;
  if (withMessage) {
    for (const column of messageColumnsWithoutSeq) {
      params[`msg_${column}`] = message[column];
    }
  }
  const shape = `${columns.join(",")}|${incremented.join(",")}|${withMessage ? "message" : ""}|${guard !== undefined ? "guarded" : ""}`;
  let update = updatesByShape.get(shape);
  if (update === undefined) {
    update = prepareUpdate(columns, incremented, withMessage, guard !== undefined);
    if (updatesByShape.size < UPDATE_SHAPES_KEPT) {
      updatesByShape.set(shape, update);
    }
  }
  const [returned] = await update(tx, params);
  const [counters] = postgres ? [returned] : await countersQuery(tx, { teamId, conversationId });
  if (counters === undefined) {
    if (guard !== undefined) {
      forgetConversation(conversationId);
      throw new StaleRow(`conversation ${conversationId} changed since this process last saw it`);
    }
    throw new Error(`conversation ${conversationId} of team ${teamId} was not found for update`);
  }
  const row: ConversationRow = { ...before };
  for (const [column, value] of Object.entries(patch)) {
    if (value !== undefined) {
      (row as Record<string, unknown>)[column] = value;
    }
  }
  row.message_count = counters.message_count;
  row.incoming_count = counters.incoming_count;
  row.outgoing_count = counters.outgoing_count;
  if (counters.row_version !== undefined) {
    rememberConversation(row, counters.row_version, writeGroupOf(tx));
  }
  if (message !== undefined && !withMessage) {
    await insertMessage(tx, { ...message, seq: row.message_count });
  }
  return row;
}

export interface ThreadListQuery {
  teamId: string;
  viewerId: string;
  /** Only these inboxes (already cut down to what the viewer may see); undefined means all of the team's. */
  inboxIds?: string[] | undefined;
  buckets: readonly Bucket[];
  assigneeIds?: string[] | undefined;
  noAssignee?: boolean | undefined;
  status?: string | undefined;
  tagIds?: string[] | undefined;
  channel?: string | undefined;
  contactId?: string | undefined;
  createdFrom?: number | undefined;
  createdTo?: number | undefined;
  closedFrom?: number | undefined;
  closedTo?: number | undefined;
  /** Keyset position: rows strictly after (older than) this one. */
  after?: { at: number; id: string } | undefined;
  limit: number;
}

/** Tagged conversations a tag filter may drive a list from; above it, walking by activity finds a page sooner. */
export const RARE_TAG_LIMIT = 2000;
let rareTagLimit = RARE_TAG_LIMIT;

/** Tests: treat tags on fewer than `limit` conversations as rare (0: every tag is common), forgetting what was counted. */
export function setRareTagLimit(limit: number): void {
  rareTagLimit = limit;
  tagRarity.clear();
}

/**
 * How long a tag set's rarity is trusted. It only picks the plan, never the rows, and moves slowly (a tag
 * goes from rare to common over thousands of conversations), while counting it cost about a tenth of a
 * tag-filtered page at 1M conversations.
 */
const TAG_RARITY_TTL_MS = 60_000;
const TAG_RARITIES_KEPT = 10_000;
const tagRarity = new Map<string, { rare: boolean; until: number }>();

/** True when the tags are on fewer than rareTagLimit of the team's conversations (counting stops there). */
async function tagsAreRare(tx: Tx, teamId: string, tagIds: string[]): Promise<boolean> {
  const key = `${teamId} ${[...tagIds].sort().join(" ")}`;
  const now = Date.now();
  const known = tagRarity.get(key);
  if (known !== undefined && known.until > now) {
    return known.rare;
  }
  const tagged = tx.selectFrom("conversation_tags").select(sql<number>`1`.as("one")).where("team_id", "=", teamId).where("tag_id", "in", tagIds).limit(Math.max(rareTagLimit, 1));
  const row = await tx.selectFrom(tagged.as("tagged")).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  const rare = Number(row.n) < rareTagLimit;
  if (tagRarity.size >= TAG_RARITIES_KEPT) {
    tagRarity.clear();
  }
  tagRarity.set(key, { rare, until: now + TAG_RARITY_TTL_MS });
  return rare;
}

/**
 * A page of conversations, newest activity first, by keyset (never OFFSET): a walk of the team's (or an
 * inbox's, or an assignee's) index by activity, skipping what the filters leave out, until the page is full
 * (decision 0014).
 */
export async function listThreadRows(tx: Tx, q: ThreadListQuery): Promise<ThreadRow[]> {
  const tagIds = q.tagIds;
  const postgres = isPostgres(tx);
  // A contact's conversations, or a rare tag's, are few: on SQLite the list is driven from them (see
  // termRef); PostgreSQL is given an EXISTS and plans a rare tag from its statistics.
  const rareTags = tagIds !== undefined && tagIds.length > 0 && (await tagsAreRare(tx, q.teamId, tagIds));
  const narrow = q.contactId !== undefined || rareTags;
  let query = threadQuery(tx, q.teamId, q.viewerId, { narrow });
  if (q.inboxIds) {
    query = query.where(termRef(tx, "conversations.inbox_id", narrow), "in", q.inboxIds);
  }
  query = query.where(termRef(tx, "conversations.bucket", narrow), "in", [...q.buckets]);
  if (q.assigneeIds) {
    query = query.where("conversations.assigned_to_member_id", "in", q.assigneeIds);
  }
  if (q.noAssignee === true) {
    query = query.where("conversations.assigned_to_member_id", "is", null);
  } else if (q.noAssignee === false) {
    query = query.where("conversations.assigned_to_member_id", "is not", null);
  }
  if (q.status) {
    query = query.where("conversations.status", "=", q.status);
  }
  if (q.channel) {
    query = query.where("conversations.channel", "=", q.channel);
  }
  if (q.contactId) {
    query = query.where("conversations.contact_id", "=", q.contactId);
  }
  if (q.createdFrom !== undefined) {
    query = query.where("conversations.created_at", ">=", q.createdFrom);
  }
  if (q.createdTo !== undefined) {
    query = query.where("conversations.created_at", "<=", q.createdTo);
  }
  if (q.closedFrom !== undefined) {
    query = query.where("conversations.closed_at", ">=", q.closedFrom);
  }
  if (q.closedTo !== undefined) {
    query = query.where("conversations.closed_at", "<=", q.closedTo);
  }
  if (tagIds && rareTags && postgres) {
    query = query.where((eb: ExpressionBuilder<DB, "conversations">) =>
      eb.exists(
        eb
          .selectFrom("conversation_tags")
          .select("conversation_tags.tag_id")
          .whereRef("conversation_tags.conversation_id", "=", "conversations.id")
          .where("conversation_tags.team_id", "=", q.teamId)
          .where("conversation_tags.tag_id", "in", tagIds),
      ),
    );
  } else if (tagIds && rareTags) {
    query = query.where("conversations.id", "in", (eb: ExpressionBuilder<DB, "conversations">) =>
      eb.selectFrom("conversation_tags").select("conversation_tags.conversation_id").where("conversation_tags.team_id", "=", q.teamId).where("conversation_tags.tag_id", "in", tagIds),
    );
  } else if (tagIds) {
    // A common tag: the walk reads each conversation's row anyway (its bucket, the filters), and the row's own
    // list of tag ids, kept in step with conversation_tags, answers without a probe into the join table. Tag
    // ids never hold a quote, so a quoted id is found only as a whole element.
    const position = sql.raw(postgres ? "strpos" : "instr");
    query = query.where((eb) => eb.or(tagIds.map((tagId) => eb(sql<number>`${position}(${sql.ref("conversations.tags")}, ${JSON.stringify(tagId)})`, ">", 0))));
  }
  const after = q.after;
  if (after) {
    query = query.where((eb) => eb.or([eb("conversations.last_activity_at", "<", after.at), eb.and([eb("conversations.last_activity_at", "=", after.at), eb("conversations.id", "<", after.id)])]));
  }
  return query.orderBy("conversations.last_activity_at", "desc").orderBy("conversations.id", "desc").limit(q.limit).execute();
}

/** Replaces a conversation's tags (ids) in its join rows. */
export async function replaceConversationTags(tx: Tx, teamId: string, conversationId: string, tagIds: string[]): Promise<void> {
  await tx.deleteFrom("conversation_tags").where("conversation_id", "=", conversationId).execute();
  if (tagIds.length > 0) {
    await tx
      .insertInto("conversation_tags")
      .values(tagIds.map((tagId) => ({ team_id: teamId, conversation_id: conversationId, tag_id: tagId })))
      .execute();
  }
}

/** Sets how many of the contact's messages a member has read in a conversation. */
export async function markConversationRead(tx: Tx, teamId: string, conversationId: string, memberId: string, readIncomingCount: number, now: number): Promise<void> {
  await tx
    .insertInto("conversation_reads")
    .values({ team_id: teamId, conversation_id: conversationId, member_id: memberId, read_incoming_count: readIncomingCount, read_at: now })
    .onConflict((oc) => oc.columns(["conversation_id", "member_id"]).doUpdateSet({ read_incoming_count: readIncomingCount, read_at: now }))
    .execute();
}
