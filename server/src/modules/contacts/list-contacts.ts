import type { Tx } from "../../db/database.js";
import type { ContactRow } from "../../db/schema.js";
import { decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { findTagByName } from "../tags/tag.repo.js";
import { listContactRows } from "./contact.repo.js";
import type { ListContactsQuery } from "./contacts.schema.js";

/** A page of the team's contacts (team-wide: every member sees them, SPEC §4), last seen first, with search and filters. */
export async function listContacts(tx: Tx, teamId: string, query: ListContactsQuery): Promise<{ rows: ContactRow[]; nextCursor: string | null }> {
  const after = decodeCursor(query.cursor);
  let tagId: string | undefined;
  if (query.tag !== undefined) {
    const tag = await findTagByName(tx, teamId, query.tag);
    if (!tag) {
      return { rows: [], nextCursor: null };
    }
    tagId = tag.id;
  }
  const rows = await listContactRows(tx, {
    teamId,
    search: query.q === undefined || query.q === "" ? undefined : query.q,
    blocked: query.blocked,
    tagId,
    email: query.email,
    after,
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return { rows: page, nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.last_seen_at, id: last.id }) : null };
}
