import type { Tag } from "../../../../protocol/tag.js";
import type { TagRow } from "../../db/schema.js";
import { iso } from "../../lib/time.js";

/** A tag as the API shows it. */
export function presentTag(row: TagRow): Tag {
  return { id: row.id, name: row.name, color: row.color, createdAt: iso(row.created_at), updatedAt: iso(row.updated_at) };
}
