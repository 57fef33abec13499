import type { TeamRole } from "../../../../protocol/enums.js";
import { recordEvent, type Tx } from "../../db/database.js";
import type { ApiKeyRow } from "../../db/schema.js";
import { hashSecret } from "../../lib/crypto.js";
import { newId, randomString } from "../../lib/ids.js";
import { requireRole, roleAtLeast, type Actor } from "../members/actor.js";
import { forbidden } from "../../errors.js";
import { insertApiKey } from "./api-key.repo.js";

interface CreateApiKeyInput {
  tx: Tx;
  actor: Actor;
  teamId: string;
  name: string;
  role: TeamRole;
  now: number;
}

/** Creates a key that acts as the creating member, never above their role; the secret is returned this once. */
export async function createApiKey({ tx, actor, teamId, name, role, now }: CreateApiKeyInput): Promise<{ key: ApiKeyRow; secret: string }> {
  requireRole(actor, "admin", "Only owners and admins can create API keys.");
  if (!roleAtLeast(actor.role, role)) {
    throw forbidden(`A key cannot have a stronger role (${role}) than its creator (${actor.role}).`);
  }
  const prefix = `pk_${randomString(8)}`;
  const secret = `${prefix}_${randomString(32)}`;
  const key: ApiKeyRow = {
    id: newId("key"),
    team_id: teamId,
    member_id: actor.memberId,
    name,
    role,
    prefix,
    secret_hash: hashSecret(secret),
    created_at: now,
    last_used_at: null,
    revoked_at: null,
  };
  await insertApiKey(tx, key);
  recordEvent(tx, { name: "api_key.created", teamId, payload: { apiKeyId: key.id, memberId: actor.memberId } });
  return { key, secret };
}
