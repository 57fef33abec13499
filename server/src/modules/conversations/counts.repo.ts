import { sql } from "kysely";
import type { ViewCounts } from "../../../../protocol/conversation.js";
import type { Tx } from "../../db/database.js";
import { prepared } from "../../db/prepared.js";
import type { Bucket } from "./buckets.js";

/** The part of a conversation its counts depend on. */
export interface CountedState {
  inbox_id: string;
  bucket: string;
  assigned_to_member_id: string | null;
}

async function bump(tx: Tx, teamId: string, state: CountedState, delta: number): Promise<void> {
  await tx
    .insertInto("conversation_counts")
    .values({ team_id: teamId, inbox_id: state.inbox_id, bucket: state.bucket, count: delta })
    .onConflict((oc) => oc.columns(["team_id", "inbox_id", "bucket"]).doUpdateSet({ count: sql`conversation_counts.count + ${delta}` }))
    .execute();
  if (state.assigned_to_member_id !== null) {
    await tx
      .insertInto("member_conversation_counts")
      .values({ team_id: teamId, member_id: state.assigned_to_member_id, inbox_id: state.inbox_id, bucket: state.bucket, count: delta })
      .onConflict((oc) => oc.columns(["team_id", "member_id", "inbox_id", "bucket"]).doUpdateSet({ count: sql`member_conversation_counts.count + ${delta}` }))
      .execute();
  }
}

const same = (a: CountedState, b: CountedState) => a.inbox_id === b.inbox_id && a.bucket === b.bucket && a.assigned_to_member_id === b.assigned_to_member_id;

/**
 * Moves a conversation between counters in the same transaction as the change: views are counted from
 * these rows, never by scanning conversations. `before` is undefined for a new conversation, `after` for a
 * deleted one.
 */
export async function applyCountChange(tx: Tx, teamId: string, before: CountedState | undefined, after: CountedState | undefined): Promise<void> {
  if (before && after && same(before, after)) {
    return;
  }
  if (before) {
    await bump(tx, teamId, before, -1);
  }
  if (after) {
    await bump(tx, teamId, after, 1);
  }
}

/** The caller's view counts over the inboxes given (undefined: the whole team). */
export async function readViewCounts(tx: Tx, teamId: string, inboxIds: string[] | undefined, memberId: string): Promise<ViewCounts> {
  if (inboxIds && inboxIds.length === 0) {
    return { unassigned: 0, mine: 0, open: 0, automated: 0, all: 0, closed: 0, spam: 0, pending: 0, snoozed: 0 };
  }
  const [rows, mineRow] = inboxIds === undefined ? await teamWideCounts(tx, teamId, memberId) : await inboxCounts(tx, teamId, inboxIds, memberId);
  const count = (bucket: Bucket) => Number(rows.find((row) => row.bucket === bucket)?.n ?? 0);
  const open = count("unassigned") + count("assigned");
  return {
    unassigned: count("unassigned"),
    mine: Number(mineRow?.n ?? 0),
    open,
    automated: count("automated"),
    pending: count("pending"),
    snoozed: count("snoozed"),
    closed: count("closed"),
    spam: count("spam"),
    all: open + count("automated") + count("pending") + count("snoozed") + count("closed"),
  };
}

type CountRows = [{ bucket: string; n: number }[], { n: number } | undefined];

/** The whole team's counts (owners and admins, the common case): two prepared statements. */
const teamBucketCountsQuery = prepared<{ teamId: string }, { bucket: string; n: number }>((db, param) =>
  db
    .selectFrom("conversation_counts")
    .select(["bucket", (eb) => eb.fn.sum<number>("count").as("n")])
    .where("team_id", "=", param("teamId"))
    .groupBy("bucket"),
);
const teamMineCountQuery = prepared<{ teamId: string; memberId: string }, { n: number }>((db, param) =>
  db
    .selectFrom("member_conversation_counts")
    .select((eb) => eb.fn.sum<number>("count").as("n"))
    .where("team_id", "=", param("teamId"))
    .where("member_id", "=", param("memberId"))
    .where("bucket", "=", "assigned"),
);

async function teamWideCounts(tx: Tx, teamId: string, memberId: string): Promise<CountRows> {
  const [rows, [mine]] = await Promise.all([teamBucketCountsQuery(tx, { teamId }), teamMineCountQuery(tx, { teamId, memberId })]);
  return [rows, mine];
}

/** Counts cut down to some inboxes (an agent's, or one inbox asked for). */
async function inboxCounts(tx: Tx, teamId: string, inboxIds: string[], memberId: string): Promise<CountRows> {
  const byBucket = tx.selectFrom("conversation_counts").select(["bucket", (eb) => eb.fn.sum<number>("count").as("n")]).where("team_id", "=", teamId);
  const mine = tx
    .selectFrom("member_conversation_counts")
    .select((eb) => eb.fn.sum<number>("count").as("n"))
    .where("team_id", "=", teamId)
    .where("member_id", "=", memberId)
    .where("bucket", "=", "assigned")
    .where("inbox_id", "in", inboxIds);
  return Promise.all([byBucket.where("inbox_id", "in", inboxIds).groupBy("bucket").execute(), mine.executeTakeFirst()]);
}

/** Open conversations assigned to each of these members (for least-busy assignment). */
export async function openCountsOfMembers(tx: Tx, teamId: string, memberIds: string[]): Promise<Map<string, number>> {
  if (memberIds.length === 0) {
    return new Map();
  }
  const rows = await tx
    .selectFrom("member_conversation_counts")
    .select(["member_id", (eb) => eb.fn.sum<number>("count").as("n")])
    .where("team_id", "=", teamId)
    .where("member_id", "in", memberIds)
    .where("bucket", "=", "assigned")
    .groupBy("member_id")
    .execute();
  return new Map(rows.map((row) => [row.member_id, Number(row.n)]));
}

/** Rebuilds an inbox's counters from its conversations: for bulk moves, and as a repair tool. */
export async function recountInbox(tx: Tx, teamId: string, inboxId: string): Promise<void> {
  await tx.deleteFrom("conversation_counts").where("team_id", "=", teamId).where("inbox_id", "=", inboxId).execute();
  await tx.deleteFrom("member_conversation_counts").where("team_id", "=", teamId).where("inbox_id", "=", inboxId).execute();
  await tx
    .insertInto("conversation_counts")
    .columns(["team_id", "inbox_id", "bucket", "count"])
    .expression((eb) =>
      eb
        .selectFrom("conversations")
        .select(["team_id", "inbox_id", "bucket", (e) => e.fn.countAll<number>().as("count")])
        .where("team_id", "=", teamId)
        .where("inbox_id", "=", inboxId)
        .groupBy(["team_id", "inbox_id", "bucket"]),
    )
    .execute();
  await tx
    .insertInto("member_conversation_counts")
    .columns(["team_id", "member_id", "inbox_id", "bucket", "count"])
    .expression((eb) =>
      eb
        .selectFrom("conversations")
        .select(["team_id", (e) => e.ref("assigned_to_member_id").$notNull().as("member_id"), "inbox_id", "bucket", (e) => e.fn.countAll<number>().as("count")])
        .where("team_id", "=", teamId)
        .where("inbox_id", "=", inboxId)
        .where("assigned_to_member_id", "is not", null)
        .groupBy(["team_id", "assigned_to_member_id", "inbox_id", "bucket"]),
    )
    .execute();
}
