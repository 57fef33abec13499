import type { TeamRole } from "../../../../protocol/enums.js";
import type { Tx } from "../../db/database.js";
import { hashSecret } from "../../lib/crypto.js";
import { HOUR, MINUTE } from "../../lib/time.js";
import { findLiveKeyWithMember, touchApiKey } from "../api-keys/api-key.repo.js";
import { weakerRole, type Actor } from "../members/actor.js";
import { findSessionWithMember, touchSession } from "./session.repo.js";

/** The actor behind an API key secret, or undefined when the key is unknown, revoked or its member removed. */
export async function actorFromApiKey(db: Tx, secret: string, now: number): Promise<Actor | undefined> {
  const found = await findLiveKeyWithMember(db, hashSecret(secret));
  if (!found) {
    return undefined;
  }
  const { key, member } = found;
  // last_used_at is informative; writing it at most once a minute keeps reads cheap.
  if (key.last_used_at === null || now - key.last_used_at > MINUTE) {
    await touchApiKey(db, key.id, now);
  }
  return { memberId: member.id, name: member.name, teamId: member.team_id, role: weakerRole(key.role as TeamRole, member.role as TeamRole), via: "api_key", apiKeyId: key.id };
}

/**
 * The actor behind a session token, sliding the session's expiry at most once an hour; `renewed` says the
 * expiry moved, so the cookie should be sent again with a fresh lifetime.
 */
export async function actorFromSession(db: Tx, token: string, now: number, ttl: number): Promise<{ actor: Actor; renewed: boolean } | undefined> {
  const tokenHash = hashSecret(token);
  const found = await findSessionWithMember(db, tokenHash, now);
  if (!found) {
    return undefined;
  }
  const renewed = now - found.session.last_seen_at > HOUR;
  if (renewed) {
    await touchSession(db, tokenHash, now, now + ttl);
  }
  return { actor: { memberId: found.member.id, name: found.member.name, teamId: found.member.team_id, role: found.member.role as TeamRole, via: "session", sessionTokenHash: tokenHash }, renewed };
}
