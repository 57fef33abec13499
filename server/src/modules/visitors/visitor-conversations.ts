import { recordEvent, type Tx } from "../../db/database.js";
import { prepared } from "../../db/prepared.js";
import type { ConversationRow } from "../../db/schema.js";
import { AppError, conflict, invalidField, notFound } from "../../errors.js";
import { linkAttachments } from "../attachments/attachment.repo.js";
import { checkUploads } from "../attachments/attach-uploads.js";
import { routeToInbox } from "../conversations/create-thread.js";
import { conversationColumns, findConversation, lockConversation, updateConversationRow } from "../conversations/conversation.repo.js";
import { openConversation } from "../conversations/open-conversation.js";
import { isKeptCopy } from "../conversations/recent-conversations.js";
import { saveConversation } from "../conversations/save-conversation.js";
import { appendMessage } from "../messages/append-message.js";
import type { MessageWithAuthor } from "../messages/message.repo.js";
import { onNewConversation } from "../automation/new-conversation.js";
import type { VisitorSession } from "./start-visitor-session.js";

/**
 * A conversation of the visitor's own contact (locked for a change when asked); the same 404 for anyone
 * else's. `"recent"`: locked, or this process's unlocked copy (lockConversation's `recent`), read under lock
 * before a refusal.
 */
export async function getVisitorConversation(
  tx: Tx,
  session: { inbox: Pick<VisitorSession["inbox"], "team_id">; contact: Pick<VisitorSession["contact"], "id"> },
  conversationId: string,
  forUpdate: boolean | "recent" = false,
): Promise<ConversationRow> {
  const teamId = session.inbox.team_id;
  const conversation = forUpdate ? await lockConversation(tx, teamId, conversationId, { recent: forUpdate === "recent" }) : await findConversation(tx, teamId, conversationId);
  if (!conversation || conversation.contact_id !== session.contact.id) {
    if (conversation && isKeptCopy(conversation)) {
      return getVisitorConversation(tx, session, conversationId, true);
    }
    throw notFound("Conversation");
  }
  return conversation;
}

/** The visitor's conversations, newest activity first (the widget shows the latest ones). */
export function listVisitorConversations(tx: Tx, session: VisitorSession, limit = 20): Promise<ConversationRow[]> {
  return tx
    .selectFrom("conversations")
    .select(conversationColumns)
    // By contact alone (a contact belongs to one team): the planner then takes the contact's few
    // conversations from conversations_contact and sorts them, instead of walking the team's by activity.
    .where("contact_id", "=", session.contact.id)
    .where("channel", "=", "widget")
    .orderBy("last_activity_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}

/** The visitor's latest conversation that is not closed (every widget message looks it up: prepared). */
const latestUnfinishedQuery = prepared<{ contactId: string }, { id: string }>((db, param) =>
  db
    .selectFrom("conversations")
    .select("id")
    .where("contact_id", "=", param("contactId")) // as in listVisitorConversations
    .where("channel", "=", "widget")
    .where("status", "!=", "closed")
    .orderBy("last_activity_at", "desc")
    .limit(1),
);

interface PostInput {
  content: string;
  attachmentIds?: string[] | undefined;
  /** Continue this conversation; without it the visitor's latest unfinished one, else a new one. */
  conversationId?: string | undefined;
  pageUrl?: string | null | undefined;
  now: number;
}

/**
 * A visitor writes in the widget. A new conversation goes where the routing rules send it (page URL, the
 * contact's attributes, the first message), else stays in the widget's inbox.
 */
export async function postVisitorMessage(tx: Tx, session: VisitorSession, input: PostInput): Promise<{ message: MessageWithAuthor; conversation: ConversationRow; created: boolean }> {
  const { inbox, contact } = session;
  const attachments = await checkUploads(tx, inbox.team_id, input.attachmentIds ?? []);
  if (input.content.trim() === "" && attachments.length === 0) {
    throw invalidField("content", "write something or attach a file");
  }
  const [latest] = input.conversationId ? [] : await latestUnfinishedQuery(tx, { contactId: contact.id });
  const existingId = input.conversationId ?? latest?.id;
  // appendMessage changes the conversation before anything else is written: a recent copy will do.
  let conversation = existingId ? await getVisitorConversation(tx, session, existingId, "recent") : undefined;
  const created = conversation === undefined;
  let target = inbox;
  if (!conversation) {
    target = await routeToInbox(tx, inbox.team_id, { url: input.pageUrl ?? null, attributes: JSON.parse(contact.attributes) as Record<string, unknown>, message: input.content }, inbox.id);
    conversation = await openConversation(tx, { inbox: target, contact, channel: "widget", sourceUrl: input.pageUrl ?? null, now: input.now });
  }
  const result = await appendMessage(tx, conversation, { direction: "incoming", authorKind: "contact", content: input.content, attachments }, input.now);
  await linkAttachments(tx, inbox.team_id, attachments.map((a) => a.id), result.conversation.id, result.message.id);
  const after = created ? await onNewConversation(tx, result.conversation, target, input.content, input.now) : result.conversation;
  return { ...result, conversation: after, created };
}

/** The visitor has seen everything the team wrote so far (read receipts for agents, the widget's badge). */
export async function markReadByVisitor(tx: Tx, session: VisitorSession, conversationId: string, now: number): Promise<ConversationRow> {
  const conversation = await getVisitorConversation(tx, session, conversationId, true);
  if (conversation.contact_read_count === conversation.outgoing_count) {
    return conversation;
  }
  const updated = await updateConversationRow(tx, conversation, { contact_read_count: conversation.outgoing_count, contact_read_at: now });
  recordEvent(tx, { name: "conversation.read_by_contact", teamId: conversation.team_id, inboxId: conversation.inbox_id, payload: { conversationId: conversation.id, contactId: conversation.contact_id, readAt: now } });
  return updated;
}

/** The CSAT answer: once per closed conversation, 1–5 with an optional comment. */
export async function rateConversation(tx: Tx, session: VisitorSession, conversationId: string, input: { rating: number; comment?: string | undefined; now: number }): Promise<ConversationRow> {
  const conversation = await getVisitorConversation(tx, session, conversationId, true);
  if (conversation.status !== "closed") {
    throw new AppError(409, "conversation_open", "A conversation can be rated once it is closed.");
  }
  if (conversation.csat_rating !== null) {
    throw conflict("already_rated", "This conversation has already been rated.");
  }
  const rated = await saveConversation(tx, conversation, { csat_rating: input.rating, csat_comment: input.comment?.trim() || null, csat_at: input.now }, input.now, { event: false });
  recordEvent(tx, { name: "conversation.rated", teamId: conversation.team_id, inboxId: conversation.inbox_id, payload: { conversationId: conversation.id, contactId: conversation.contact_id, rating: input.rating, comment: rated.csat_comment } });
  return rated;
}

/** When someone on the team last read each of these conversations. */
export async function teamSeenAt(tx: Tx, conversationIds: string[]): Promise<Map<string, number>> {
  if (conversationIds.length === 0) {
    return new Map();
  }
  const rows = await tx
    .selectFrom("conversation_reads")
    .select(["conversation_id", (eb) => eb.fn.max("read_at").as("seen")])
    .where("conversation_id", "in", conversationIds)
    .groupBy("conversation_id")
    .execute();
  return new Map(rows.map((row) => [row.conversation_id, Number(row.seen)]));
}
