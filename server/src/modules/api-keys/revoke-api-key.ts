import { recordEvent, type Tx } from "../../db/database.js";
import { requireRole, type Actor } from "../members/actor.js";
import { getApiKey, revokeApiKeyRow } from "./api-key.repo.js";

/** Revokes a key; requests with it fail from the next one on. */
export async function revokeApiKey({ tx, actor, teamId, keyId, now }: { tx: Tx; actor: Actor; teamId: string; keyId: string; now: number }): Promise<void> {
  requireRole(actor, "admin", "Only owners and admins can revoke API keys.");
  await getApiKey(tx, teamId, keyId);
  await revokeApiKeyRow(tx, teamId, keyId, now);
  recordEvent(tx, { name: "api_key.revoked", teamId, payload: { apiKeyId: keyId } });
}
