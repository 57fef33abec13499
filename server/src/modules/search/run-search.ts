import type { Dialect, Tx } from "../../db/database.js";
import { visibleInboxIds } from "../conversations/conversation.policy.js";
import type { Actor } from "../members/actor.js";
import { matcherFor } from "./highlight.js";
import { presentContactHit, presentConversationHit, presentMessageHit } from "./search.presenter.js";
import { searchRepoFor, type SearchScope } from "./search.repo.js";
import { parseSearchQuery } from "./search-query.js";
import type { SearchRequestQuery, SearchResults } from "./search.schema.js";

interface SearchInput {
  tx: Tx;
  dialect: Dialect;
  actor: Actor;
  teamId: string;
  request: SearchRequestQuery;
}

/**
 * Searches what the actor may see: the team's contacts, and messages and conversation subjects of the
 * inboxes they belong to (all inboxes for owners and admins), Spam included. Best match first per kind.
 */
export async function runSearch({ tx, dialect, actor, teamId, request }: SearchInput): Promise<SearchResults> {
  const query = parseSearchQuery(request.q);
  const matches = matcherFor(query);
  const repo = searchRepoFor(dialect);
  const visible = await visibleInboxIds(tx, actor, teamId);
  const wanted = request.inboxId === undefined ? undefined : [request.inboxId];
  const inboxIds = visible === undefined ? wanted : wanted === undefined ? visible : wanted.filter((id) => visible.includes(id));
  const scope: SearchScope = { teamId, inboxIds, limit: request.limit };
  // A member of no inbox, or an inbox they may not see: no conversation can match, so nothing is asked.
  const inInboxes = inboxIds === undefined || inboxIds.length > 0;
  const wants = (kind: SearchRequestQuery["type"]) => request.type === "all" || request.type === kind;

  const [messages, contacts, conversations] = await Promise.all([
    wants("messages") && inInboxes ? repo.searchMessages(tx, query, scope) : [],
    wants("contacts") ? repo.searchContacts(tx, query, scope) : [],
    wants("conversations") && inInboxes ? repo.searchConversations(tx, query, scope) : [],
  ]);
  return {
    messages: messages.map((row) => presentMessageHit(row, matches)),
    contacts: contacts.map((row) => presentContactHit(row, matches)),
    conversations: conversations.map((row) => presentConversationHit(row, matches)),
  };
}
