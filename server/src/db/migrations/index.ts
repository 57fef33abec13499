import type { Migration } from "kysely";
import * as foundation from "./2026-11-23-001-foundation.js";
import * as conversations from "./2026-11-23-002-conversations.js";

/** Every migration, by name; names sort in the order they must run. Never edit one that has landed. */
export const migrations: Record<string, Migration> = {
  "2026-11-23-001-foundation": foundation,
  "2026-11-23-002-conversations": conversations,
};
