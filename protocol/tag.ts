import { z } from "zod";
import { publicId, timestamp } from "./common.js";

/** PostgreSQL cannot store U+0000 in text; refusing it keeps both databases alike. */
const withoutNul = (value: string) => !value.includes("\u0000");

/** A tag name as stored: trimmed, inner runs of whitespace made one space, 1–50 characters. */
export const tagName = z
  .string()
  .trim()
  .overwrite((name) => name.replace(/\s+/g, " "))
  .min(1)
  .max(50)
  .refine(withoutNul, { message: "must not contain U+0000" });

export const tagColor = z.string().regex(/^#[0-9A-Fa-f]{6}$/, "expected #RRGGBB");

export const createTagBody = z.strictObject({
  name: tagName,
  color: tagColor.optional().meta({ description: "Defaults to a colour derived from the name." }),
});
export type CreateTagBody = z.infer<typeof createTagBody>;

export const updateTagBody = z.strictObject({
  name: tagName.optional(),
  color: tagColor.optional(),
});
export type UpdateTagBody = z.infer<typeof updateTagBody>;

export const tag = z
  .object({
    id: publicId("tag"),
    name: z.string(),
    color: z.string().meta({ example: "#3B82F6" }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "Tag" });
export type Tag = z.infer<typeof tag>;
