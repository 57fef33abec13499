import type { FastifyInstance } from "fastify";
import { invalidField } from "../errors.js";

export function findNul(value: unknown, path: string): string | undefined {
  if (typeof value === "string") {
    return value.includes("\u0000") ? path : undefined;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findNul(item, path ? `${path}.${index}` : String(index));
      if (found !== undefined) {
        return found;
      }
    }
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const found = findNul(item, path ? `${path}.${key}` : key);
      if (found !== undefined) {
        return found;
      }
    }
  }
  return undefined;
}

/**
 * Refuses NUL characters anywhere in a request's body or query: PostgreSQL cannot store them in text, and
 * the same request must behave the same on both databases.
 */
export function rejectNulCharacters(app: FastifyInstance): void {
  app.addHook("preValidation", async (request) => {
    const where = findNul(request.body, "") ?? findNul(request.query, "");
    if (where !== undefined) {
      throw invalidField(where || "body", "must not contain NUL characters");
    }
  });
}
