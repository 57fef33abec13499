import type { Tx } from "../../db/database.js";
import { tooManyRequests } from "../../errors.js";
import { MINUTE } from "../../lib/time.js";

// Failed sign-ins are counted in the database so every process of a scale-out sees the same numbers.
export const THROTTLE_WINDOW = 15 * MINUTE;
export const MAX_FAILURES_PER_ACCOUNT = 10;
export const MAX_FAILURES_PER_ADDRESS = 50;

const accountKey = (email: string) => `account:${email}`;
const addressKey = (ip: string) => `address:${ip}`;

async function failuresSince(tx: Tx, key: string, since: number): Promise<{ count: number; oldest: number | null }> {
  const row = await tx
    .selectFrom("login_failures")
    .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.min("at").as("oldest")])
    .where("key", "=", key)
    .where("at", ">", since)
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), oldest: row.oldest === null ? null : Number(row.oldest) };
}

/** Throws 429 while the account or the client address has failed too often within the window. */
export async function assertSignInAllowed(tx: Tx, email: string, ip: string, now: number): Promise<void> {
  const since = now - THROTTLE_WINDOW;
  for (const [key, max] of [
    [accountKey(email), MAX_FAILURES_PER_ACCOUNT],
    [addressKey(ip), MAX_FAILURES_PER_ADDRESS],
  ] as const) {
    const { count, oldest } = await failuresSince(tx, key, since);
    if (count >= max) {
      const retryAfter = ((oldest ?? now) + THROTTLE_WINDOW - now) / 1000;
      throw tooManyRequests("Too many failed sign-in attempts. Try again later.", retryAfter);
    }
  }
}

/** Counts one failed sign-in against the account and the address. */
export async function recordSignInFailure(tx: Tx, email: string, ip: string, now: number): Promise<void> {
  await tx
    .insertInto("login_failures")
    .values([
      { key: accountKey(email), at: now },
      { key: addressKey(ip), at: now },
    ])
    .execute();
  await tx
    .deleteFrom("login_failures")
    .where("key", "in", [accountKey(email), addressKey(ip)])
    .where("at", "<=", now - THROTTLE_WINDOW)
    .execute();
}

/** Forgets an account's failures after it signs in successfully. */
export async function clearAccountFailures(tx: Tx, email: string): Promise<void> {
  await tx.deleteFrom("login_failures").where("key", "=", accountKey(email)).execute();
}
