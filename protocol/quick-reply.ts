import { z } from "zod";
import { publicId, text, timestamp } from "./common.js";

/** PostgreSQL cannot store U+0000 in text; refusing it keeps both databases alike. */
const withoutNul = (value: string) => !value.includes("\u0000");

/** Drops the "/" the composer's menu is opened with: "/Refund" and "refund" are the same shortcut. */
export function normalizeShortcut(value: string): string {
  const lower = value.trim().toLowerCase();
  return lower.startsWith("/") ? lower.slice(1) : lower;
}

export const shortcut = z
  .string()
  .overwrite(normalizeShortcut)
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "expected 1–40 of a-z, 0-9, _ and -, starting with a letter or digit")
  .meta({ description: "Stored trimmed, lowercased and without one leading /, so \"/Refund\" is stored as \"refund\"." });

export const quickReplyTitle = text(1, 100).refine(withoutNul, { message: "must not contain U+0000" });

/** Kept exactly as sent (emoji, line breaks, surrounding spaces), but not blank. */
export const quickReplyContent = z
  .string()
  .min(1)
  .max(5000)
  .refine((value) => value.trim() !== "", { message: "must not be blank" })
  .refine(withoutNul, { message: "must not contain U+0000" });

export const createQuickReplyBody = z.strictObject({
  shortcut,
  title: quickReplyTitle,
  content: quickReplyContent,
});
export type CreateQuickReplyBody = z.infer<typeof createQuickReplyBody>;

export const updateQuickReplyBody = z.strictObject({
  shortcut: shortcut.optional(),
  title: quickReplyTitle.optional(),
  content: quickReplyContent.optional(),
});
export type UpdateQuickReplyBody = z.infer<typeof updateQuickReplyBody>;

export const quickReplyQuery = z.object({
  q: z.string().max(200).optional().meta({ description: "Shortcut prefix (a leading / is ignored), then title or content containing it, case-insensitively." }),
  limit: z.coerce.number().int().min(1).max(100).optional().meta({ description: "At most this many; 20 when q is given and limit is not." }),
});

export const quickReply = z
  .object({
    id: publicId("qr"),
    shortcut: z.string().meta({ example: "refund" }),
    title: z.string(),
    content: z.string(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "QuickReply" });
export type QuickReply = z.infer<typeof quickReply>;
