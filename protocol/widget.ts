import { z } from "zod";
import { attributes, phone } from "./contact.js";
import { email, text } from "./common.js";
import { MAX_MESSAGE_LENGTH } from "./conversation.js";

const url = z.string().max(2000).refine((value) => /^https?:\/\//i.test(value), { message: "expected an http(s) URL" });

/** What the widget reports about the page it runs on. */
export const pageInfo = z.strictObject({
  url: url.optional(),
  referrer: z.union([url, z.literal("")]).optional(),
  title: z.string().max(500).optional(),
});

export const widgetSessionBody = z.strictObject({
  websiteToken: z.string().min(10).max(64),
  visitorToken: z.string().min(10).max(200).optional(),
  page: pageInfo.optional(),
  language: z.string().max(35).optional(),
  timezone: z.string().max(64).optional(),
});

export const widgetIdentifyBody = z.strictObject({
  userId: z.string().trim().min(1).max(200),
  name: text(1, 200).optional(),
  email: email.optional(),
  phone: phone.optional(),
  hash: z.string().regex(/^[0-9a-fA-F]{64}$/, "expected the hex HMAC-SHA256 of the user id").optional(),
});

/** The pre-chat form and setAttributes / setTags. */
export const widgetProfileBody = z.strictObject({
  name: text(1, 200).optional(),
  email: email.optional(),
  attributes: attributes.optional(),
  tags: z.array(text(1, 50)).max(20).optional(),
});

export const widgetMessageBody = z.strictObject({
  content: z.string().max(MAX_MESSAGE_LENGTH, `at most ${MAX_MESSAGE_LENGTH} characters`),
  attachmentIds: z.array(z.string().max(64)).max(10).optional(),
  conversationId: z.string().max(64).optional(),
});

export const widgetRatingBody = z.strictObject({
  rating: z.number().int().min(1).max(5),
  comment: z.string().trim().max(2000).optional(),
});

/** The visitor's own name for a message sent on the socket, echoed in the answer that settles it. */
export const messageRef = z.string().min(1).max(64);

/**
 * A message sent on the visitor's socket: the body of `POST /api/widget/messages` with `ref`. The socket
 * answers `{ type: "message.sent", ref, message, conversation, created }` or `{ type: "error", ref, status,
 * code, message, details? }`, the status and error the HTTP request would have had.
 */
export const visitorMessageFrame = widgetMessageBody.extend({ type: z.literal("message"), ref: messageRef });

/** Frames a visitor's socket sends; the first must be `auth`. */
export const visitorClientFrame = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("auth"), visitorToken: z.string().min(10).max(200), lastSeq: z.number().int().min(0).optional() }),
  z.strictObject({ type: z.literal("ping") }),
  z.strictObject({ type: z.literal("typing"), conversationId: z.string().max(64), state: z.enum(["started", "stopped"]) }),
  visitorMessageFrame,
]);
export type VisitorClientFrame = z.infer<typeof visitorClientFrame>;
