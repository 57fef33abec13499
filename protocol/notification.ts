import { z } from "zod";
import { publicId, timestamp } from "./common.js";

export const notification = z
  .object({
    id: publicId("ntf"),
    kind: z.enum(["mention", "assigned"]),
    conversationId: z.string().nullable(),
    messageId: z.string().nullable(),
    actorMemberId: z.string().nullable(),
    createdAt: timestamp,
    readAt: timestamp.nullable(),
  })
  .meta({ id: "Notification" });
export type Notification = z.infer<typeof notification>;

export const listNotificationsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional(),
  unread: z.enum(["true", "false"]).transform((value) => value === "true").optional(),
});

export const markNotificationsReadBody = z.strictObject({
  ids: z.array(publicId("ntf")).min(1).max(100).optional(),
});
