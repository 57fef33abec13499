import { randomBytes } from "node:crypto";

const alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const lowerAlphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

/** Random characters from an alphabet, without modulo bias. */
export function randomString(length: number, chars: string = alphabet): string {
  const limit = 256 - (256 % chars.length);
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit) {
        out += chars[byte % chars.length];
        if (out.length === length) {
          break;
        }
      }
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
