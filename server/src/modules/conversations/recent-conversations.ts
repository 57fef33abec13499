import { wasRolledBack } from "../../db/database.js";
import type { ConversationRow } from "../../db/schema.js";
import type { StoredEvent } from "../../events/domain-event.js";

/**
 * PostgreSQL: the conversations this process read under lock or wrote lately, each as it was then with its
 * row version (`xmin` and `ctid`: the transaction that wrote that version of the row, and where it lies,
 * which every UPDATE changes). A new message to one of them need not read and lock the row before changing
 * it: its UPDATE says "and the row is still that version" instead, so it changes the row only if no one has
 * changed it since, including the transaction that saw it (tags and a contact merge change rows without
 * updateConversationRow). If someone has, the UPDATE changes nothing, the write fails with StaleRow, and it
 * runs again reading the row as usual (decision 0011, "Later: a message skips the read of a conversation
 * this process wrote").
 *
 * A copy is only used by a later transaction than the one that saw it: within its own transaction a second
 * message reads the row under lock, which costs one read and leaves nothing to reason about.
 */

/** Conversations kept (about 1.5 KB each). */
const KEPT = 10_000;
/** A version older than this is read again: another process may have changed the row without this one hearing of it. */
const FRESH_MS = 10_000;

interface Entry {
  row: ConversationRow;
  version: string;
  /** The write group (transaction) that saw this version: see writeGroupOf. */
  group: number | undefined;
  at: number;
}

const recent = new Map<string, Entry>();

/** For each row handed out on PostgreSQL: the version it stands for, and whether its transaction holds the row's lock. */
const versions = new WeakMap<ConversationRow, { version: string; locked: boolean }>();

/** The version `row` stands for, if it came from a locked read, an UPDATE or this cache (PostgreSQL). */
export function versionOf(row: ConversationRow): { version: string; locked: boolean } | undefined {
  return versions.get(row);
}

/** Whether `row` is a copy handed out unread and unlocked by recentConversation. */
export function isKeptCopy(row: ConversationRow): boolean {
  return versions.get(row)?.locked === false;
}

/** Remembers `row` at `version`, as its transaction (`group`) saw it; `row` is the caller's and stays locked for it. */
export function rememberConversation(row: ConversationRow, version: string, group: number | undefined): void {
  versions.set(row, { version, locked: true });
  recent.delete(row.id);
  recent.set(row.id, { row: { ...row }, version, group, at: performance.now() });
  if (recent.size > KEPT) {
    // Maps keep insertion order, and a remembered row goes to the end: the first is the least recently written.
    recent.delete(recent.keys().next().value as string);
  }
}

/**
 * A copy of the conversation as this process last saw it, unlocked: for a transaction that will change it
 * with updateConversationRow (which then checks the version) and reads it again before refusing anything
 * on its strength. Undefined if not kept, kept for too long, of another team, seen by this same
 * transaction (`group`), or seen by one that was rolled back.
 */
export function recentConversation(teamId: string, conversationId: string, group: number): ConversationRow | undefined {
  const entry = recent.get(conversationId);
  if (entry === undefined || entry.row.team_id !== teamId || entry.group === group) {
    return undefined;
  }
  if (performance.now() - entry.at > FRESH_MS || (entry.group !== undefined && wasRolledBack(entry.group))) {
    recent.delete(conversationId);
    return undefined;
  }
  const row = { ...entry.row };
  versions.set(row, { version: entry.version, locked: false });
  return row;
}

/** Drops what is kept of a conversation (its row changed elsewhere, or its version proved stale). */
export function forgetConversation(conversationId: string): void {
  recent.delete(conversationId);
}

/** Another process committed `event`: what it says changed is read again here next time. */
export function forgetConversationOf(event: StoredEvent): void {
  const payload = event.payload as { conversationId?: unknown; conversation?: { id?: unknown }; message?: { conversationId?: unknown } };
  for (const id of [payload.conversationId, payload.conversation?.id, payload.message?.conversationId]) {
    if (typeof id === "string") {
      recent.delete(id);
    }
  }
}
