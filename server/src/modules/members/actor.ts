import type { TeamRole } from "../../../../protocol/enums.js";
import { forbidden } from "../../errors.js";

/** Who is acting: a member through a session or one of their API keys. */
export interface Actor {
  memberId: string;
  /** The member's name as the request found it (for activity lines such as "Alice closed this"). */
  name: string;
  teamId: string;
  /** The effective role: an API key never acts above its own role or its member's. */
  role: TeamRole;
  via: "session" | "api_key";
  sessionTokenHash?: string;
  apiKeyId?: string;
}

const rank: Record<TeamRole, number> = { owner: 3, admin: 2, member: 1 };

/** True when `role` is at least `minimum`. */
export function roleAtLeast(role: TeamRole, minimum: TeamRole): boolean {
  return rank[role] >= rank[minimum];
}

/** The weaker of two roles. */
export function weakerRole(a: TeamRole, b: TeamRole): TeamRole {
  return rank[a] <= rank[b] ? a : b;
}

/** Throws 403 unless the actor's role is at least `minimum`. */
export function requireRole(actor: Actor, minimum: TeamRole, message?: string): void {
  if (!roleAtLeast(actor.role, minimum)) {
    throw forbidden(message ?? `This needs the ${minimum} role or higher.`);
  }
}
