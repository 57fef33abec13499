import type { ConversationStatus } from "../../../../protocol/conversation.js";
import { iso } from "../../lib/time.js";
import { highlightAll, snippetOf, type WordMatcher } from "./highlight.js";
import type { ContactHit, ConversationHit, MessageHit } from "./search.repo.js";
import type { SearchResults } from "./search.schema.js";

type MessageResult = SearchResults["messages"][number];

/** A matched message as a search result: where it is and a highlighted snippet. */
export function presentMessageHit(row: MessageHit, matches: WordMatcher): MessageResult {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    conversationNumber: Number(row.conversation_number),
    inboxId: row.inbox_id,
    direction: row.direction as MessageResult["direction"],
    createdAt: iso(Number(row.created_at)),
    snippet: snippetOf(row.content, matches),
  };
}

/** A matched contact with each field highlighted. */
export function presentContactHit(row: ContactHit, matches: WordMatcher): SearchResults["contacts"][number] {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    highlight: { name: highlightAll(row.name, matches), email: highlightAll(row.email, matches), phone: highlightAll(row.phone, matches) },
  };
}

/** A conversation whose subject matched. */
export function presentConversationHit(row: ConversationHit, matches: WordMatcher): SearchResults["conversations"][number] {
  return {
    id: row.id,
    number: Number(row.number),
    inboxId: row.inbox_id,
    subject: row.subject,
    status: row.status as ConversationStatus,
    highlight: highlightAll(row.subject, matches),
  };
}
