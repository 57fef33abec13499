import type { Tx } from "../db/database.js";
import type { StoredEvent } from "../events/domain-event.js";

/** The team's latest event number (0 before any event). */
export async function headSeq(db: Tx, teamId: string): Promise<number> {
  const row = await db.selectFrom("teams").select("event_seq").where("id", "=", teamId).executeTakeFirst();
  return row?.event_seq ?? 0;
}

/** The oldest event number still kept for the team, or undefined when none is kept. */
export async function oldestSeq(db: Tx, teamId: string): Promise<number | undefined> {
  const row = await db
    .selectFrom("events")
    .select((eb) => eb.fn.min("seq").as("seq"))
    .where("team_id", "=", teamId)
    .executeTakeFirst();
  return row?.seq === null || row?.seq === undefined ? undefined : Number(row.seq);
}

/** Stored events of a team after `afterSeq` (and up to `toSeq` when given), in order, at most `limit`. */
export async function readEvents(db: Tx, teamId: string, afterSeq: number, limit: number, toSeq?: number): Promise<StoredEvent[]> {
  let query = db.selectFrom("events").selectAll().where("team_id", "=", teamId).where("seq", ">", afterSeq);
  if (toSeq !== undefined) {
    query = query.where("seq", "<=", toSeq);
  }
  const rows = await query.orderBy("seq").limit(limit).execute();
  return rows.map((row) => {
    const { inboxId, ...payload } = JSON.parse(row.payload) as { inboxId?: string | null } & Record<string, unknown>;
    return { name: row.name, teamId: row.team_id, inboxId: inboxId ?? null, payload, seq: Number(row.seq), createdAt: Number(row.created_at) };
  });
}
