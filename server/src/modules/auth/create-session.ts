import type { Tx } from "../../db/database.js";
import { hashSecret, newSecret } from "../../lib/crypto.js";
import { insertSession } from "./session.repo.js";

export interface SessionContext {
  ip: string;
  userAgent: string | undefined;
  now: number;
  /** How long a session lives without activity, in milliseconds. */
  ttl: number;
}

/** Opens a session for a member and returns its token (the cookie value); only its hash is stored. */
export async function createSession(tx: Tx, member: { id: string; team_id: string }, context: SessionContext): Promise<string> {
  const token = newSecret(32);
  await insertSession(tx, {
    token_hash: hashSecret(token),
    team_id: member.team_id,
    member_id: member.id,
    created_at: context.now,
    last_seen_at: context.now,
    expires_at: context.now + context.ttl,
    user_agent: context.userAgent?.slice(0, 400) ?? null,
    ip: context.ip,
  });
  return token;
}
