import type { StoredEvent } from "../events/domain-event.js";
import type { Logger } from "../lib/logger.js";

/** Reads stored events of a team in (afterSeq, toSeq]. */
export type EventReader = (teamId: string, afterSeq: number, toSeq: number) => Promise<StoredEvent[]>;

/** How long an out-of-order event waits for the ones before it before they are read from the database. */
export const GAP_WAIT_MS = 100;

/**
 * One team's events in strict sequence order, each once. Events can arrive out of order or not at all
 * (several processes publishing through Redis, a lost Redis message); a gap is filled from the event
 * table, so listeners never miss or reorder an event.
 */
export class TeamStream {
  private readonly waiting = new Map<number, StoredEvent>();
  private gapTimer: NodeJS.Timeout | undefined;
  private filling = false;

  constructor(
    readonly teamId: string,
    /** The last event number handed on. */
    public delivered: number,
    private readonly read: EventReader,
    private readonly emit: (event: StoredEvent) => void,
    /** Events from..to are lost for good: listeners must be told to reload (never a silent miss). */
    private readonly lost: (from: number, to: number) => void,
    private readonly logger: Logger,
  ) {}

  /** Takes an event from the bus. */
  push(event: StoredEvent): void {
    if (event.seq <= this.delivered || this.waiting.has(event.seq)) {
      return;
    }
    this.waiting.set(event.seq, event);
    this.drain();
    if (this.waiting.size > 0 && !this.gapTimer && !this.filling) {
      this.gapTimer = setTimeout(() => void this.fillGap(), GAP_WAIT_MS);
    }
  }

  /** Stops waiting for gaps (the last listener left). */
  close(): void {
    clearTimeout(this.gapTimer);
    this.gapTimer = undefined;
  }

  private drain(): void {
    for (let next = this.waiting.get(this.delivered + 1); next; next = this.waiting.get(this.delivered + 1)) {
      this.waiting.delete(next.seq);
      this.delivered = next.seq;
      this.emit(next);
    }
  }

  private async fillGap(): Promise<void> {
    this.gapTimer = undefined;
    if (this.waiting.size === 0) {
      return;
    }
    this.filling = true;
    const firstWaiting = Math.min(...this.waiting.keys());
    try {
      const missing = await this.read(this.teamId, this.delivered, firstWaiting - 1);
      for (const event of missing) {
        if (event.seq > this.delivered && !this.waiting.has(event.seq)) {
          this.waiting.set(event.seq, event);
        }
      }
      this.drain();
      if (this.waiting.size > 0 && Math.min(...this.waiting.keys()) === firstWaiting && this.delivered < firstWaiting - 1) {
        // The database does not have them either (they aged out): move on rather than stall everyone.
        this.logger.warn({ teamId: this.teamId, from: this.delivered + 1, to: firstWaiting - 1 }, "events missing from the log; skipping ahead");
        const from = this.delivered + 1;
        this.delivered = firstWaiting - 1;
        this.lost(from, this.delivered);
        this.drain();
      }
    } catch (error) {
      this.logger.error({ err: error, teamId: this.teamId }, "could not read missing events");
    } finally {
      this.filling = false;
      if (this.waiting.size > 0 && !this.gapTimer) {
        this.gapTimer = setTimeout(() => void this.fillGap(), GAP_WAIT_MS);
      }
    }
  }
}
