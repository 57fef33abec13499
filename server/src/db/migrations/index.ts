import type { Migration } from "kysely";
import * as foundation from "./2026-11-23-001-foundation.js";
import * as conversations from "./2026-11-23-002-conversations.js";
import * as instanceSecrets from "./2026-11-23-003-instance-secrets.js";
import * as visitors from "./2026-11-23-004-visitors.js";
import * as searchFolding from "./2026-11-23-005-search-folding.js";
import * as presence from "./2026-11-23-006-presence.js";
import * as assignmentState from "./2026-11-23-007-assignment-state.js";
import * as memberRouting from "./2026-11-23-008-member-routing.js";
import * as unsentUploads from "./2026-11-23-009-unsent-uploads.js";
import * as messagesIndexedAtCommit from "./2026-11-24-010-messages-indexed-at-commit.js";

/** Every migration, by name; names sort in the order they must run. Never edit one that has landed. */
export const migrations: Record<string, Migration> = {
  "2026-11-23-001-foundation": foundation,
  "2026-11-23-002-conversations": conversations,
  "2026-11-23-003-instance-secrets": instanceSecrets,
  "2026-11-23-004-visitors": visitors,
  "2026-11-23-005-search-folding": searchFolding,
  "2026-11-23-006-presence": presence,
  "2026-11-23-007-assignment-state": assignmentState,
  "2026-11-23-008-member-routing": memberRouting,
  "2026-11-23-009-unsent-uploads": unsentUploads,
  "2026-11-24-010-messages-indexed-at-commit": messagesIndexedAtCommit,
};
