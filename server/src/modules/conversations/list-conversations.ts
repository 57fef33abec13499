import type { ThreadFilter, View } from "../../../../protocol/conversation.js";
import type { Tx } from "../../db/database.js";
import { decodeCursor, encodeCursor } from "../../lib/cursor.js";
import type { Actor } from "../members/actor.js";
import { tagKey } from "../tags/tag.repo.js";
import { bucketsOfView } from "./buckets.js";
import { visibleInboxIds } from "./conversation.policy.js";
import { listThreadRows, type ThreadRow } from "./conversation.repo.js";

interface ListInput {
  tx: Tx;
  actor: Actor;
  teamId: string;
  view: View;
  filter: ThreadFilter;
  limit: number;
  cursor?: string | undefined;
}

const intersect = (a: string[] | undefined, b: string[] | undefined): string[] | undefined => (a === undefined ? b : b === undefined ? a : a.filter((id) => b.includes(id)));

/**
 * A page of the conversations the actor may see in a view, with seed 003's filters, newest activity
 * first. Every filter narrows; arrays mean "any of".
 */
export async function listConversations({ tx, actor, teamId, view, filter, limit, cursor }: ListInput): Promise<{ rows: ThreadRow[]; nextCursor: string | null }> {
  const after = decodeCursor(cursor);
  const inboxIds = intersect(await visibleInboxIds(tx, actor, teamId), filter.inboxIds);
  const assigneeIds = view === "mine" ? intersect([actor.memberId], filter.assignedToMemberIds) : filter.assignedToMemberIds;
  let tagIds: string[] | undefined;
  if (filter.tags) {
    const keys = filter.tags.map(tagKey);
    tagIds = (await tx.selectFrom("tags").select("id").where("team_id", "=", teamId).where("name_key", "in", keys).execute()).map((row) => row.id);
  }
  if ([inboxIds, assigneeIds, tagIds].some((list) => list !== undefined && list.length === 0)) {
    return { rows: [], nextCursor: null };
  }
  const rows = await listThreadRows(tx, {
    teamId,
    viewerId: actor.memberId,
    inboxIds,
    buckets: bucketsOfView(view),
    assigneeIds,
    noAssignee: filter.noAssignee,
    status: filter.status,
    tagIds,
    channel: filter.channel,
    contactId: filter.contactId,
    createdFrom: filter.createdAt?.from,
    createdTo: filter.createdAt?.to,
    closedFrom: filter.closedAt?.from,
    closedTo: filter.closedAt?.to,
    after,
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, nextCursor: rows.length > limit && last ? encodeCursor({ at: last.last_activity_at, id: last.id }) : null };
}
