import { normalizeShortcut } from "../../../../protocol/quick-reply.js";
import type { Tx } from "../../db/database.js";
import type { QuickReplyRow } from "../../db/schema.js";
import { listQuickReplies, listQuickRepliesByShortcutPrefix, listQuickRepliesContaining } from "./quick-reply.repo.js";

/** How many the composer's "/" menu gets when it does not say. */
export const DEFAULT_SEARCH_LIMIT = 20;

const shortcutCharacters = /^[a-z0-9_-]+$/;

interface SearchInput {
  tx: Tx;
  teamId: string;
  q?: string | undefined;
  limit?: number | undefined;
}

/**
 * The quick replies for the composer's "/" menu: without q (or with only "/") all of them by shortcut;
 * with q first those whose shortcut starts with it, then those whose title or content contains it in any
 * case, each reply once, at most `limit` (default 20).
 */
export async function searchQuickReplies({ tx, teamId, q, limit }: SearchInput): Promise<QuickReplyRow[]> {
  const needle = normalizeShortcut(q ?? "");
  if (needle === "") {
    return listQuickReplies(tx, teamId, limit);
  }
  const max = limit ?? DEFAULT_SEARCH_LIMIT;
  // Shortcuts hold only these characters; any other in q can match titles and contents only.
  const prefix = shortcutCharacters.test(needle) ? needle : undefined;
  const byShortcut = prefix !== undefined ? await listQuickRepliesByShortcutPrefix(tx, teamId, prefix, max) : [];
  if (byShortcut.length >= max) {
    return byShortcut;
  }
  const byText = await listQuickRepliesContaining(tx, teamId, needle, { exceptShortcutPrefix: prefix, limit: max - byShortcut.length });
  return [...byShortcut, ...byText];
}
