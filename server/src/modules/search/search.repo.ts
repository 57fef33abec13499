import type { Dialect, Tx } from "../../db/database.js";
import { postgresSearch } from "./postgres-search.repo.js";
import type { SearchQuery } from "./search-query.js";
import { sqliteSearch } from "./sqlite-search.repo.js";

/** Where to look: always one team; for messages and conversations, only these inboxes when a list is given (never empty). */
export interface SearchScope {
  teamId: string;
  inboxIds: string[] | undefined;
  limit: number;
}

/** A message that matched, with what the result shows of its conversation. */
export interface MessageHit {
  id: string;
  conversation_id: string;
  conversation_number: number;
  inbox_id: string;
  direction: string;
  created_at: number;
  content: string;
}

export interface ContactHit {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
}

export interface ConversationHit {
  id: string;
  number: number;
  inbox_id: string;
  subject: string | null;
  status: string;
}

/**
 * Full-text search over the team's messages (incoming, outgoing and notes; never activity lines),
 * contacts and conversation subjects, best match first. One implementation per database: FTS5 on SQLite,
 * tsvector/GIN on PostgreSQL. Visibility is part of each query, so `limit` rows are always visible ones.
 */
export interface SearchRepo {
  searchMessages(tx: Tx, query: SearchQuery, scope: SearchScope): Promise<MessageHit[]>;
  searchContacts(tx: Tx, query: SearchQuery, scope: Pick<SearchScope, "teamId" | "limit">): Promise<ContactHit[]>;
  searchConversations(tx: Tx, query: SearchQuery, scope: SearchScope): Promise<ConversationHit[]>;
}

/** The search implementation for a database. */
export function searchRepoFor(dialect: Dialect): SearchRepo {
  return dialect === "postgres" ? postgresSearch : sqliteSearch;
}
