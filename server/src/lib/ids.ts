import { randomFillSync } from "node:crypto";

const alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const lowerAlphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

/**
 * Bytes from the operating system's CSPRNG, drawn 4 KiB at a time and each used once: one system call per
 * couple of hundred ids instead of one per id (as Node's randomUUID does).
 */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function randomByte(): number {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  return pool[poolOffset++] as number;
}

/** Random characters from an alphabet, without modulo bias. */
export function randomString(length: number, chars: string = alphabet): string {
  if (chars.length < 2 || chars.length > 256) {
    throw new RangeError("randomString needs an alphabet of 2 to 256 characters");
  }
  const limit = 256 - (256 % chars.length);
  let out = "";
  while (out.length < length) {
    const byte = randomByte();
    if (byte < limit) {
      out += chars[byte % chars.length];
    }
  }
  return out;
}

/** Public id prefixes; every row that leaves the server is named by one of these. */
export type IdPrefix = "team" | "member" | "inbox" | "key" | "rule" | "contact" | "conv" | "msg" | "att" | "tag" | "qr" | "hook" | "job" | "ntf" | "vis";

/** A random, prefixed public id such as `team_3kQ9x…` (about 95 bits of randomness). */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomString(16)}`;
}

/** A short lowercase token for places where case may be lost, such as email local parts. */
export function newLowercaseToken(length: number): string {
  return randomString(length, lowerAlphabet);
}
