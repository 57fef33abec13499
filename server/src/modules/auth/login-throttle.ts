import type { Tx } from "../../db/database.js";
import { tooManyRequests } from "../../errors.js";
import { MINUTE } from "../../lib/time.js";

// Sign-in attempts are counted in the database so every process of a scale-out sees the same numbers.
// An attempt is recorded (and committed) before the password is checked, so attempts sent all at once
// cannot slip past the limit together; a successful sign-in takes its attempt back.
export const THROTTLE_WINDOW = 15 * MINUTE;
export const MAX_FAILURES_PER_ACCOUNT = 10;
export const MAX_FAILURES_PER_ADDRESS = 50;

const accountKey = (email: string) => `account:${email}`;
const addressKey = (ip: string) => `address:${ip}`;

async function attemptsSince(tx: Tx, key: string, since: number): Promise<{ count: number; oldest: number | null }> {
  const row = await tx
    .selectFrom("login_failures")
    .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.min("at").as("oldest")])
    .where("key", "=", key)
    .where("at", ">", since)
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), oldest: row.oldest === null ? null : Number(row.oldest) };
}

/** Records one sign-in attempt against the account and the address (and forgets ones older than the window). */
export async function recordSignInAttempt(tx: Tx, email: string, ip: string, now: number): Promise<void> {
  const keys = [accountKey(email), addressKey(ip)];
  await tx.deleteFrom("login_failures").where("key", "in", keys).where("at", "<=", now - THROTTLE_WINDOW).execute();
  await tx
    .insertInto("login_failures")
    .values(keys.map((key) => ({ key, at: now })))
    .execute();
}

/** Throws 429 when the account or the address has more unsuccessful attempts in the window than allowed (this one included). */
export async function assertWithinAttemptLimits(tx: Tx, email: string, ip: string, now: number): Promise<void> {
  const since = now - THROTTLE_WINDOW;
  for (const [key, max] of [
    [accountKey(email), MAX_FAILURES_PER_ACCOUNT],
    [addressKey(ip), MAX_FAILURES_PER_ADDRESS],
  ] as const) {
    const { count, oldest } = await attemptsSince(tx, key, since);
    if (count > max) {
      const retryAfter = ((oldest ?? now) + THROTTLE_WINDOW - now) / 1000;
      throw tooManyRequests("Too many failed sign-in attempts. Try again later.", retryAfter);
    }
  }
}

/** After a successful sign-in: the account starts afresh, and this attempt no longer counts against the address. */
export async function clearSuccessfulAttempt(tx: Tx, email: string, ip: string, now: number): Promise<void> {
  await tx.deleteFrom("login_failures").where("key", "=", accountKey(email)).execute();
  await tx.deleteFrom("login_failures").where("key", "=", addressKey(ip)).where("at", "=", now).execute();
}
