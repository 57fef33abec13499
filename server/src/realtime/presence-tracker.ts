import { randomUUID } from "node:crypto";
import type { AppContext } from "../context.js";
import { dropPresence, isOnline, renewPresence, sweepPresence } from "../modules/presence/presence.repo.js";

/** How long a process's word that a member is connected holds without renewal. */
export const PRESENCE_TTL = 60_000;
/** Members renewed by one statement (see renew). */
export const RENEW_CHUNK = 200;

/**
 * Which members this process holds sockets for, kept in the shared `presence` table so every process
 * agrees; tells the team (a `presence.changed` signal) when a member comes online or leaves for good.
 */
export class PresenceTracker {
  readonly processId = randomUUID();
  private readonly local = new Map<string, { teamId: string; sockets: number }>();
  /** Members renewed per statement (tests make it smaller). */
  renewChunk = RENEW_CHUNK;

  constructor(private readonly context: AppContext) {}

  /** A socket of the member opened here. */
  async connected(memberId: string, teamId: string): Promise<void> {
    const entry = this.local.get(memberId) ?? { teamId, sockets: 0 };
    entry.sockets += 1;
    this.local.set(memberId, entry);
    if (entry.sockets > 1) {
      return;
    }
    const { database, clock } = this.context;
    const wasOnline = await isOnline(database.db, memberId, clock.now());
    await database.transaction((tx) => renewPresence(tx, this.processId, [{ memberId, teamId }], clock.now() + PRESENCE_TTL));
    if (!wasOnline) {
      this.announce(memberId, teamId, true);
    }
  }

  /** A socket of the member closed here. */
  async disconnected(memberId: string): Promise<void> {
    const entry = this.local.get(memberId);
    if (!entry) {
      return;
    }
    entry.sockets -= 1;
    if (entry.sockets > 0) {
      return;
    }
    this.local.delete(memberId);
    const { database, clock } = this.context;
    await database.transaction((tx) => dropPresence(tx, this.processId, memberId));
    if (!(await isOnline(database.db, memberId, clock.now()))) {
      this.announce(memberId, entry.teamId, false);
    }
  }

  /** Heartbeat: renew this process's rows, and report members whose every row ran out (a process died). */
  async renew(): Promise<void> {
    const { database, clock } = this.context;
    const now = clock.now();
    const members = [...this.local].map(([memberId, { teamId }]) => ({ memberId, teamId }));
    // A statement and a transaction per `renewChunk` members. One for all of them held the writer (and, on
    // SQLite, the event loop) for as long, and past 8,191 members (16,383 on PostgreSQL) it had more bound
    // parameters than the database takes, so the renewal failed and everyone went offline.
    for (let start = 0; start < members.length; start += this.renewChunk) {
      const chunk = members.slice(start, start + this.renewChunk);
      await database.transaction((tx) => renewPresence(tx, this.processId, chunk, now + PRESENCE_TTL));
    }
    const gone = await database.transaction((tx) => sweepPresence(tx, now));
    for (const { memberId, teamId } of gone) {
      this.announce(memberId, teamId, false);
    }
  }

  /** Forgets everything this process said (shutting down). */
  async clear(): Promise<void> {
    const members = [...this.local.keys()];
    this.local.clear();
    await this.context.database.transaction(async (tx) => {
      for (const memberId of members) {
        await dropPresence(tx, this.processId, memberId);
      }
    });
  }

  private announce(memberId: string, teamId: string, online: boolean): void {
    this.context.bus.publishSignal({ name: "presence.changed", teamId, payload: { memberId, online } });
  }
}
