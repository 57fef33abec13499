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

/** Base62 digits in byte order, so that a shorter number written with them sorts before a larger one. */
const sortableDigits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const TIME_DIGITS = 7;
/** 62^7 ms: about 111 years from 1970, so the time part stays seven characters until 2081 (then it wraps). */
const TIME_RANGE = 62 ** TIME_DIGITS;

/** The time part of an id: milliseconds since 1970 in seven base62 digits, in byte order. */
export function timePart(ms: number): string {
  let rest = Math.floor(ms) % TIME_RANGE;
  let out = "";
  for (let i = 0; i < TIME_DIGITS; i++) {
    out = (sortableDigits[rest % 62] as string) + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

/**
 * A prefixed public id such as `msg_1Fq3xYz8kQ9x…`: seven characters of the time it was made, then nine
 * random ones (about 54 bits; ids are names, not secrets: every read checks the caller's team and access,
 * and download links are signed). Ids made later sort after earlier ones, so a table's primary key index
 * grows at its end instead of at a random page: a new message touches one shared page of that index per
 * commit instead of one page of its own (measured on the ingest path: about one page written fewer per
 * message).
 */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${timePart(Date.now())}${randomString(16 - TIME_DIGITS)}`;
}

/** A short lowercase token for places where case may be lost, such as email local parts. */
export function newLowercaseToken(length: number): string {
  return randomString(length, lowerAlphabet);
}
