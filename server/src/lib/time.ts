/** Epoch milliseconds as an ISO-8601 UTC string. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Like iso(), passing null through. */
export function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : iso(ms);
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
