import { z } from "zod";
import { email, publicId, text, timestamp } from "../../../../protocol/common.js";
import { channels, statuses } from "../../../../protocol/conversation.js";

const limit = z.coerce.number().int().min(1).max(100).default(25);
const cursor = z.string().max(200).optional();

/** GET /contacts: newest last seen first, narrowed by a search and filters. */
export const listContactsQuery = z.strictObject({
  q: z.string().trim().max(200).optional().meta({ description: "Case-insensitive substring of the name, email or phone." }),
  blocked: z
    .enum(["true", "false"])
    .transform((value) => value === "true")
    .optional(),
  tag: text(1, 50).optional().meta({ description: "Only contacts with this tag (name, any case)." }),
  email: email.optional().meta({ description: "Only the contact with exactly this email address." }),
  limit,
  cursor,
});
export type ListContactsQuery = z.infer<typeof listContactsQuery>;

/** GET /contacts/:id/conversations: newest first. */
export const listContactConversationsQuery = z.strictObject({ limit, cursor });

/** One line of a contact's history in the details panel. */
export const contactConversation = z
  .object({
    id: publicId("conv"),
    number: z.number().int(),
    inboxId: publicId("inbox"),
    channel: z.enum(channels),
    status: z.enum(statuses),
    subject: z.string().nullable(),
    startedAt: timestamp,
    endedAt: timestamp.nullable(),
    durationSeconds: z.number().int().nullable().meta({ description: "From start to close, for closed conversations." }),
    lastMessageAt: timestamp.nullable(),
  })
  .meta({ id: "ContactConversation" });
export type ContactConversation = z.infer<typeof contactConversation>;

export const contactParams = z.object({ id: z.string().max(64) });
