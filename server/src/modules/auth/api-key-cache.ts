import type { EventBus } from "../../events/bus.js";
import type { Clock } from "../../lib/clock.js";
import { hashSecret } from "../../lib/crypto.js";
import type { Actor } from "../members/actor.js";

/**
 * How long an API key's actor is used again without reading the key. Revoking the key, changing its member
 * or removing them clears the team's keys at once in every process (their events reach each process's bus);
 * this only bounds how long a change made behind Parley's back, by hand in the database, takes to be seen.
 */
export const API_KEY_CACHE_MS = 5_000;

/** Keys remembered at most; past it the oldest is forgotten. */
const MAX_KEYS = 10_000;

/** Events after which a team's keys may stand for someone else, with another role, or for no one. */
const CHANGES_ACTORS = new Set(["api_key.revoked", "member.updated", "member.removed"]);

/**
 * The actors of recently used API keys, by the key's hash (never the secret itself). An integration sends
 * the same key with every request; reading it each time was a query per request, and on PostgreSQL a round
 * trip. Unknown and revoked keys are never remembered.
 */
export class ApiKeyCache {
  private readonly keys = new Map<string, { actor: Actor; until: number }>();
  /** Moves at every clearing: a read that began before one may have seen what it cleared, so is not kept. */
  private generation = 0;

  constructor(
    bus: EventBus,
    private readonly clock: Clock,
  ) {
    bus.subscribe((event) => {
      if (CHANGES_ACTORS.has(event.name)) {
        this.forgetTeam(event.teamId);
      }
    });
  }

  /** The actor behind `secret`: remembered, or read with `read` (and then remembered if it exists). */
  async actorOf(secret: string, read: (secret: string) => Promise<Actor | undefined>): Promise<Actor | undefined> {
    const hash = hashSecret(secret);
    const now = this.clock.now();
    const known = this.keys.get(hash);
    if (known && known.until > now) {
      return { ...known.actor };
    }
    const generation = this.generation;
    const actor = await read(secret);
    if (!actor) {
      this.keys.delete(hash);
      return undefined;
    }
    if (generation === this.generation) {
      this.keys.delete(hash);
      if (this.keys.size >= MAX_KEYS) {
        this.keys.delete(this.keys.keys().next().value as string);
      }
      this.keys.set(hash, { actor: { ...actor }, until: now + API_KEY_CACHE_MS });
    }
    return actor;
  }

  /** Forgets every remembered key of a team. */
  forgetTeam(teamId: string): void {
    this.generation += 1;
    for (const [hash, entry] of this.keys) {
      if (entry.actor.teamId === teamId) {
        this.keys.delete(hash);
      }
    }
  }
}
