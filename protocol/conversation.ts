import { z } from "zod";
import { contactSummary, threadContactInput } from "./contact.js";
import { publicId, text, timestamp } from "./common.js";

export const statuses = ["open", "pending", "snoozed", "closed"] as const;
export type ConversationStatus = (typeof statuses)[number];

export const channels = ["widget", "email", "api"] as const;
export type Channel = (typeof channels)[number];

/** The sidebar views of SPEC §2.1, plus seed 003's `default` (open) and `archived` (closed). */
export const views = ["unassigned", "mine", "open", "automated", "all", "closed", "spam", "default", "archived"] as const;
export type View = (typeof views)[number];

export const thread = z
  .object({
    id: publicId("conv"),
    number: z.number().int().meta({ description: "Per-team sequential number for humans (#42)." }),
    inboxId: publicId("inbox"),
    contactId: publicId("contact"),
    contact: contactSummary,
    channel: z.enum(channels),
    status: z.enum(statuses),
    assignedToMemberId: z.string().nullable(),
    tags: z.array(z.string()),
    subject: z.string().nullable(),
    sourceUrl: z.string().nullable(),
    spam: z.boolean(),
    handledByBot: z.boolean(),
    snoozedUntil: timestamp.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
    closedAt: timestamp.nullable(),
    firstResponseAt: timestamp.nullable(),
    lastMessageAt: timestamp.nullable(),
    lastActivityAt: timestamp,
    lastMessage: z.object({ id: z.string(), direction: z.string(), preview: z.string() }).nullable(),
    unreadCount: z.number().int().meta({ description: "Messages from the contact the caller has not read." }),
    csat: z.object({ rating: z.number().int(), comment: z.string().nullable(), submittedAt: timestamp }).nullable(),
  })
  .meta({ id: "Thread" });
export type Thread = z.infer<typeof thread>;

const idList = (prefix: string) =>
  z
    .union([publicId(prefix), z.array(publicId(prefix)).max(100)])
    .transform((value) => (Array.isArray(value) ? value : [value]));

const DAY_MS = 86_400_000;
// A bare date as `to` means the end of that day (UTC), so `to=2026-03-02` includes all of the 2nd.
const rangeFrom = z.union([z.iso.datetime({ offset: true }), z.iso.date()]).transform((value) => Date.parse(value));
const rangeTo = z.union([z.iso.datetime({ offset: true }).transform((value) => Date.parse(value)), z.iso.date().transform((value) => Date.parse(value) + DAY_MS - 1)]);
const range = z.strictObject({ from: rangeFrom.optional(), to: rangeTo.optional() });

export const threadFilter = z.strictObject({
  assignedToMemberIds: idList("member").optional(),
  noAssignee: z.enum(["true", "false"]).transform((value) => value === "true").optional(),
  inboxIds: idList("inbox").optional(),
  status: z.enum(statuses).optional(),
  tags: z
    .union([text(1, 50), z.array(text(1, 50)).max(50)])
    .transform((value) => (Array.isArray(value) ? value : [value]))
    .optional(),
  channel: z.enum(channels).optional(),
  contactId: publicId("contact").optional(),
  createdAt: range.optional(),
  closedAt: range.optional(),
});
export type ThreadFilter = z.infer<typeof threadFilter>;

export const listThreadsQuery = z.strictObject({
  filter: threadFilter.optional(),
  inboxView: z.enum(views).or(z.literal("")).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional(),
});

export const patchThreadBody = z.strictObject({
  assignedToMemberId: publicId("member").nullable().optional(),
  status: z.enum(statuses).optional(),
  snoozedUntil: z.iso.datetime({ offset: true }).nullable().optional(),
  inboxId: publicId("inbox").optional(),
  tags: z.array(text(1, 50)).max(50).optional(),
  spam: z.boolean().optional(),
});
export type PatchThreadBody = z.infer<typeof patchThreadBody>;

export const MAX_MESSAGE_LENGTH = 20_000;
const messageContent = z.string().max(MAX_MESSAGE_LENGTH, `at most ${MAX_MESSAGE_LENGTH} characters`);
const attachmentIds = z.array(publicId("att")).max(20);

export const createThreadBody = z.strictObject({
  inboxId: publicId("inbox").optional(),
  subject: text(1, 500).optional(),
  contact: threadContactInput,
  message: z.strictObject({ content: messageContent, attachmentIds: attachmentIds.optional() }),
});
export type CreateThreadBody = z.infer<typeof createThreadBody>;

export const messageDirections = ["incoming", "outgoing", "note", "activity"] as const;
export type MessageDirection = (typeof messageDirections)[number];

export const attachmentSummary = z
  .object({ id: publicId("att"), fileName: z.string(), contentType: z.string(), size: z.number().int(), width: z.number().int().nullable(), height: z.number().int().nullable(), url: z.string() })
  .meta({ id: "Attachment" });
export type AttachmentSummary = z.infer<typeof attachmentSummary>;

export const message = z
  .object({
    id: publicId("msg"),
    conversationId: publicId("conv"),
    seq: z.number().int().meta({ description: "Position in the conversation: 1, 2, … in the order shown." }),
    direction: z.enum(messageDirections),
    private: z.boolean(),
    content: z.string(),
    author: z.object({ kind: z.enum(["contact", "member", "bot", "system"]), id: z.string().nullable(), name: z.string().nullable() }),
    attachments: z.array(attachmentSummary),
    mentions: z.array(z.string()),
    createdAt: timestamp,
    deliveredAt: timestamp.nullable(),
    readAt: timestamp.nullable(),
  })
  .meta({ id: "Message" });
export type Message = z.infer<typeof message>;

export const createMessageBody = z.strictObject({
  content: messageContent,
  private: z.boolean().optional(),
  direction: z.enum(["outgoing", "incoming"]).optional(),
  attachmentIds: attachmentIds.optional(),
});
export type CreateMessageBody = z.infer<typeof createMessageBody>;

export const listMessagesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
});

export const viewCounts = z
  .object({ unassigned: z.number().int(), mine: z.number().int(), open: z.number().int(), automated: z.number().int(), all: z.number().int(), closed: z.number().int(), spam: z.number().int(), pending: z.number().int(), snoozed: z.number().int() })
  .meta({ id: "ViewCounts" });
export type ViewCounts = z.infer<typeof viewCounts>;
