import { sql, type RawBuilder } from "kysely";
import type { Tx } from "../../db/database.js";
import type { ContactHit, ConversationHit, MessageHit, SearchRepo, SearchScope } from "./search.repo.js";
import type { SearchQuery } from "./search-query.js";

// FTS5 over the base tables (external content, migration 2026-11-23-002). The FTS table drives each
// query (CROSS JOIN pins it as the outer loop); contacts and conversations come in rank order (`ORDER BY
// rank` is answered inside FTS5) and LIMIT stops at the first `limit` visible rows; messages rank only the
// newest matches (decision 0010).

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

/** How many of the newest matching messages are ranked by bm25 (see searchMessages). */
export const RANKED_MESSAGES = 2000;

/** SQLite's search: FTS5 with bm25 ranking. */
export const sqliteSearch: SearchRepo = {
  async searchMessages(tx: Tx, query: SearchQuery, scope: SearchScope): Promise<MessageHit[]> {
    // The newest RANKED_MESSAGES matches of the team are ranked, not every match: FTS5 walks the term's
    // postings newest first (rowid order, no ranking) and stops there, so a word found in most messages
    // costs the same as one found in a few thousand. Below that many matches, every match is ranked.
    const newest = sql`
      select m.id, m.conversation_id, m.direction, m.created_at, m.content, messages_fts.rank as score
      from messages_fts
      cross join messages m on m.rowid = messages_fts.rowid
      where messages_fts match ${fts5Match(query)}
        and m.team_id = ${scope.teamId}
        and m.direction in ('incoming', 'outgoing', 'note')
      order by messages_fts.rowid desc
      limit ${RANKED_MESSAGES}`;
    if (scope.inboxIds === undefined) {
      // Seeing every inbox, the team is already checked on the message: the best `limit` are picked first
      // and only they read their conversation (reading it for all the ranked matches was half the query).
      const result = await sql<MessageHit>`
        select r.id, r.conversation_id, c.number as conversation_number, c.inbox_id, r.direction, r.created_at, r.content
        from (select * from (${newest}) order by score, created_at desc limit ${scope.limit}) r
        cross join conversations c on c.id = r.conversation_id
        order by r.score, r.created_at desc`.execute(tx);
      return result.rows;
    }
    // Limited to some inboxes, each match's conversation says whether it may be shown. The matches are put in
    // rank order first (the LIMIT keeps that a subquery of its own, whose order the outer ORDER BY uses), so
    // conversations are read best match first, only until `limit` visible ones are found.
    const result = await sql<MessageHit>`
      select r.id, r.conversation_id, c.number as conversation_number, c.inbox_id, r.direction, r.created_at, r.content
      from (select * from (${newest}) order by score, created_at desc limit ${RANKED_MESSAGES}) r
      cross join conversations c on c.id = r.conversation_id
      where c.team_id = ${scope.teamId} ${inInboxes(sql`c.inbox_id`, scope.inboxIds)}
      order by r.score, r.created_at desc
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
