import type { QuickReply } from "../../../../protocol/quick-reply.js";
import type { QuickReplyRow } from "../../db/schema.js";
import { iso } from "../../lib/time.js";

/** A quick reply as the API shows it. */
export function presentQuickReply(row: QuickReplyRow): QuickReply {
  return { id: row.id, shortcut: row.shortcut, title: row.title, content: row.content, createdAt: iso(row.created_at), updatedAt: iso(row.updated_at) };
}
