import { sql, type RawBuilder } from "kysely";
import type { Tx } from "../../db/database.js";
import type { ContactHit, ConversationHit, MessageHit, SearchRepo, SearchScope } from "./search.repo.js";
import { foldWord, type SearchQuery } from "./search-query.js";

// The generated `search` columns (to_tsvector('simple', …), migration 2026-11-23-002) with their GIN
// indexes. PostgreSQL's parser keeps some things whole that FTS5 splits into words: emails
// (alice@acme.io), hosts (acme.io), URL paths and signed numbers (the -0199 of 555-010-0199). Each piece
// of the query therefore matches either as its words or as one lexeme spelled as typed, and a word of
// digits also matches with a sign in front.

/** One whitespace-separated piece of the query: a to_tsquery() text of its words, and the piece as one literal lexeme. */
export interface TsqueryPart {
  words: string;
  whole: string | undefined;
}

function lexeme(text: string, prefix: boolean): string {
  return `'${text.replaceAll("\\", "\\\\").replaceAll("'", "''")}'${prefix ? ":*" : ""}`;
}

/** The spellings a word may be indexed under: as typed, without accents ('simple' keeps them), signed when all digits. */
function spellings(term: string): string[] {
  const forms = [term];
  if (foldWord(term) !== term.toLowerCase()) {
    forms.push(foldWord(term));
  }
  if (/^[0-9]+$/.test(term)) {
    forms.push(`-${term}`, `+${term}`);
  }
  return forms;
}

/** The query as tsquery texts, one part per piece; all parts must match. Words are quoted and escaped, so nothing typed is syntax. */
export function tsqueryParts(query: SearchQuery): TsqueryPart[] {
  const lastChunk = query.chunks.length - 1;
  return query.chunks.map((chunk, c) => {
    const words = chunk.terms.map((term, t) => {
      const prefix = query.prefix && c === lastChunk && t === chunk.terms.length - 1;
      const alternatives = spellings(term).map((form) => lexeme(form, prefix));
      return alternatives.length === 1 ? alternatives[0] : `(${alternatives.join(" | ")})`;
    });
    const whole = chunk.text !== chunk.terms[0] ? lexeme(chunk.text, query.prefix && c === lastChunk) : undefined;
    return { words: words.join(" & "), whole };
  });
}

/**
 * The tsquery expression. Words go through to_tsquery('simple', …), which lowercases and splits them exactly
 * as the index did; a whole piece is cast (lower(…)::tsquery) so that to_tsquery cannot split `alice@acme`.
 */
function tsquery(query: SearchQuery): RawBuilder<unknown> {
  const parts = tsqueryParts(query).map((part) =>
    part.whole === undefined ? sql`to_tsquery('simple', ${part.words})` : sql`(to_tsquery('simple', ${part.words}) || lower(${part.whole})::tsquery)`,
  );
  return sql`(${sql.join(parts, sql` && `)})`;
}

function inInboxes(column: RawBuilder<unknown>, inboxIds: string[] | undefined): RawBuilder<unknown> {
  return inboxIds === undefined ? sql`` : sql`and ${column} in (${sql.join(inboxIds)})`;
}

/** PostgreSQL's search: tsvector @@ tsquery through GIN, ranked by ts_rank (normalised by document length, like bm25). */
export const postgresSearch: SearchRepo = {
  async searchMessages(tx: Tx, query: SearchQuery, scope: SearchScope): Promise<MessageHit[]> {
    // The best `limit` messages are picked first and only they are joined to their conversations: with the
    // join before the LIMIT the planner may hash every conversation of the team even for a word found twice
    // (it cannot estimate prefix matches well). A member's inbox filter needs that join inside; as a per-row
    // subquery instead it costs seconds for common words.
    const inboxJoin =
      scope.inboxIds === undefined ? sql`` : sql`join conversations v on v.id = m.conversation_id and v.inbox_id in (${sql.join(scope.inboxIds)})`;
    const result = await sql<MessageHit>`
      select h.id, h.conversation_id, c.number as conversation_number, c.inbox_id, h.direction, h.created_at, h.content
      from (
        select m.id, m.conversation_id, m.direction, m.created_at, m.content, ts_rank(m.search, q.query, 1) as score
        from messages m
        ${inboxJoin}
        cross join (select ${tsquery(query)} as query) q
        where m.search @@ q.query
          and m.team_id = ${scope.teamId}
          and m.direction in ('incoming', 'outgoing', 'note')
        order by score desc, m.created_at desc, m.id
        limit ${scope.limit}
      ) h
      join conversations c on c.id = h.conversation_id
      order by h.score desc, h.created_at desc, h.id`.execute(tx);
    return result.rows;
  },

  async searchContacts(tx: Tx, query: SearchQuery, scope: Pick<SearchScope, "teamId" | "limit">): Promise<ContactHit[]> {
    const result = await sql<ContactHit>`
      select c.id, c.name, c.email, c.phone
      from contacts c
      cross join (select ${tsquery(query)} as query) q
      where c.search @@ q.query
        and c.team_id = ${scope.teamId}
      order by ts_rank(c.search, q.query, 1) desc, c.last_seen_at desc, c.id
      limit ${scope.limit}`.execute(tx);
    return result.rows;
  },

  async searchConversations(tx: Tx, query: SearchQuery, scope: SearchScope): Promise<ConversationHit[]> {
    const result = await sql<ConversationHit>`
      select c.id, c.number, c.inbox_id, c.subject, c.status
      from conversations c
      cross join (select ${tsquery(query)} as query) q
      where c.search @@ q.query
        and c.team_id = ${scope.teamId}
        ${inInboxes(sql`c.inbox_id`, scope.inboxIds)}
      order by ts_rank(c.search, q.query, 1) desc, c.last_activity_at desc, c.id
      limit ${scope.limit}`.execute(tx);
    return result.rows;
  },
};
