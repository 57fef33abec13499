import type { ApiKey } from "../../../../protocol/api-key.js";
import type { TeamRole } from "../../../../protocol/enums.js";
import type { ApiKeyRow } from "../../db/schema.js";
import { iso, isoOrNull } from "../../lib/time.js";

/** An API key without its secret. */
export function presentApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    role: row.role as TeamRole,
    prefix: row.prefix,
    memberId: row.member_id,
    createdAt: iso(row.created_at),
    lastUsedAt: isoOrNull(row.last_used_at),
  };
}
