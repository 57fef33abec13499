/** The only source of "now" for domain code, so tests can set the time. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that stands still until told to move; for tests. */
export class ManualClock implements Clock {
  constructor(private current: number = Date.parse("2026-01-05T10:00:00.000Z")) {}

  now(): number {
    return this.current;
  }

  set(at: number | string): void {
    this.current = typeof at === "string" ? Date.parse(at) : at;
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
