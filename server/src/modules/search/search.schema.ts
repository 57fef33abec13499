import { z } from "zod";
import { publicId, timestamp } from "../../../../protocol/common.js";
import { statuses } from "../../../../protocol/conversation.js";
import { MAX_QUERY_LENGTH } from "./search-query.js";

export const searchTypes = ["all", "messages", "contacts", "conversations"] as const;
export type SearchType = (typeof searchTypes)[number];

/** GET /search. */
export const searchRequestQuery = z.strictObject({
  q: z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(MAX_QUERY_LENGTH)
    .meta({ description: "What to look for, as typed: words, all of which must match; the last one also as the start of a word. Not query syntax." }),
  type: z.enum(searchTypes).default("all").meta({ description: "Only this kind of result; the other lists come back empty." }),
  limit: z.coerce.number().int().min(1).max(50).default(20).meta({ description: "At most this many results of each kind." }),
  inboxId: publicId("inbox").optional().meta({ description: "Only messages and conversations of this inbox (contacts belong to the whole team)." }),
});
export type SearchRequestQuery = z.infer<typeof searchRequestQuery>;

const html = (what: string) => z.string().meta({ description: `${what} as HTML: escaped, with the matched words in <mark>…</mark>.` });

export const messageResult = z
  .object({
    id: publicId("msg"),
    conversationId: publicId("conv"),
    conversationNumber: z.number().int(),
    inboxId: publicId("inbox"),
    direction: z.enum(["incoming", "outgoing", "note"]),
    createdAt: timestamp,
    snippet: html("About 200 characters around the first match"),
  })
  .meta({ id: "SearchMessageResult" });

export const contactResult = z
  .object({
    id: publicId("contact"),
    name: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    highlight: z.object({ name: html("The name").nullable(), email: html("The email").nullable(), phone: html("The phone").nullable() }),
  })
  .meta({ id: "SearchContactResult" });

export const conversationResult = z
  .object({
    id: publicId("conv"),
    number: z.number().int(),
    inboxId: publicId("inbox"),
    subject: z.string().nullable(),
    status: z.enum(statuses),
    highlight: html("The subject").nullable(),
  })
  .meta({ id: "SearchConversationResult" });

export const searchResults = z
  .object({ messages: z.array(messageResult), contacts: z.array(contactResult), conversations: z.array(conversationResult) })
  .meta({ id: "SearchResults", description: "Best match first, at most `limit` of each kind." });
export type SearchResults = z.infer<typeof searchResults>;
