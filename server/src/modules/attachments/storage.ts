import type { Readable } from "node:stream";
import { randomString } from "../../lib/ids.js";

/** A byte range of a stored object, both ends included (as in an HTTP Range header). */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where attachment bytes live. Callers only ever see keys made by newStorageKey(), never a client's file
 * name; a second implementation (S3 and the like) plugs in behind createAttachmentStorage() (storage-factory.ts)
 * alone.
 */
export interface AttachmentStorage {
  /** Stores the bytes under key. When the body fails part-way, nothing is left under key. */
  put(key: string, body: Readable | Buffer): Promise<void>;
  /** The bytes under key, or one range of them; MissingObjectError when there is nothing. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  /** Removes key; nothing happens when it is already gone. */
  delete(key: string): Promise<void>;
}

/** Thrown by get() for a key with nothing stored under it. */
export class MissingObjectError extends Error {
  override name = "MissingObjectError";

  constructor(readonly key: string) {
    super(`Nothing is stored under ${key}.`);
  }
}

/** The shape of every storage key: path segments of letters, digits, `_` and `-`, never `.` or `..`. */
export const STORAGE_KEY_PATTERN = /^[A-Za-z0-9_-]{1,100}(\/[A-Za-z0-9_-]{1,100}){0,4}$/;

/** A fresh key for a team's upload: `<teamId>/<random>`. */
export function newStorageKey(teamId: string): string {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(teamId)) {
    throw new Error("a team id cannot be part of a storage key");
  }
  return `${teamId}/${randomString(24)}`;
}
