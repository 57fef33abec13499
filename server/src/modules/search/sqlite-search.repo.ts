import { sql, type RawBuilder } from "kysely";
import type { Tx } from "../../db/database.js";
import type { ContactHit, ConversationHit, MessageHit, SearchRepo, SearchScope } from "./search.repo.js";
import type { SearchQuery } from "./search-query.js";

// FTS5 over the base tables (external content, migration 2026-11-23-002). The FTS table drives each
// query (CROSS JOIN pins it as the outer loop) and emits matches in rank order (`ORDER BY rank` is
// answered inside FTS5, so there is no sort after the join); the team, direction and inbox filters are
// checked row by row in that order, and LIMIT stops at the first `limit` visible rows.

/**
 * The MATCH expression of a query: every word in double quotes, so AND, OR, NOT, NEAR(, *, ^ and " are
 * plain words and never syntax; all words required; the last one as a prefix.
 */
export function fts5Match(query: SearchQuery): string {
  const last = query.terms.length - 1;
  return query.terms.map((term, i) => `"${term.replaceAll('"', '""')}"${query.prefix && i === last ? "*" : ""}`).join(" AND ");
}

function inInboxes(column: RawBuilder<unknown>, inboxIds: string[] | undefined): RawBuilder<unknown> {
  return inboxIds === undefined ? sql`` : sql`and ${column} in (${sql.join(inboxIds)})`;
}

/** SQLite's search: FTS5 with bm25 ranking. */
export const sqliteSearch: SearchRepo = {
  async searchMessages(tx: Tx, query: SearchQuery, scope: SearchScope): Promise<MessageHit[]> {
    const result = await sql<MessageHit>`
      select m.id, m.conversation_id, c.number as conversation_number, c.inbox_id, m.direction, m.created_at, m.content
      from messages_fts
      cross join messages m on m.rowid = messages_fts.rowid
      cross join conversations c on c.id = m.conversation_id
      where messages_fts match ${fts5Match(query)}
        and m.team_id = ${scope.teamId}
        and m.direction in ('incoming', 'outgoing', 'note')
        and c.team_id = ${scope.teamId}
        ${inInboxes(sql`c.inbox_id`, scope.inboxIds)}
      order by messages_fts.rank
      limit ${scope.limit}`.execute(tx);
    return result.rows;
  },

  async searchContacts(tx: Tx, query: SearchQuery, scope: Pick<SearchScope, "teamId" | "limit">): Promise<ContactHit[]> {
    const result = await sql<ContactHit>`
      select c.id, c.name, c.email, c.phone
      from contacts_fts
      cross join contacts c on c.rowid = contacts_fts.rowid
      where contacts_fts match ${fts5Match(query)}
        and c.team_id = ${scope.teamId}
      order by contacts_fts.rank
      limit ${scope.limit}`.execute(tx);
    return result.rows;
  },

  async searchConversations(tx: Tx, query: SearchQuery, scope: SearchScope): Promise<ConversationHit[]> {
    const result = await sql<ConversationHit>`
      select c.id, c.number, c.inbox_id, c.subject, c.status
      from conversations_fts
      cross join conversations c on c.rowid = conversations_fts.rowid
      where conversations_fts match ${fts5Match(query)}
        and c.team_id = ${scope.teamId}
        ${inInboxes(sql`c.inbox_id`, scope.inboxIds)}
      order by conversations_fts.rank
      limit ${scope.limit}`.execute(tx);
    return result.rows;
  },
};
