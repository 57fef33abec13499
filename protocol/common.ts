import { z } from "zod";

/** An ISO-8601 UTC timestamp as the API writes it. */
export const timestamp = z.string().meta({ format: "date-time", example: "2024-01-15T10:30:00.000Z" });

/** A public id with its prefix, e.g. `member_3kQ9…`. */
export function publicId(prefix: string) {
  return z.string().min(prefix.length + 2).max(64).meta({ example: `${prefix}_abc123` });
}

/** Trimmed text between min and max characters. */
export function text(min: number, max: number) {
  return z.string().trim().min(min).max(max);
}

/** An email address, stored lowercased. */
export const email = z.string().trim().max(254).pipe(z.email()).transform((value) => value.toLowerCase());

/** The error body every failing request answers with. */
export const errorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ example: "not_found" }),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: "Error" });
