import { createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { randomString } from "../../lib/ids.js";
import { MissingObjectError, STORAGE_KEY_PATTERN, type AttachmentStorage, type ByteRange } from "./storage.js";

/** Attachments as files under one folder, one file per key. */
export class LocalDiskStorage implements AttachmentStorage {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** The file of a key, refusing any key that is malformed or would resolve outside the folder. */
  pathOf(key: string): string {
    if (!STORAGE_KEY_PATTERN.test(key)) {
      throw new Error(`Refusing the malformed storage key ${JSON.stringify(key)}.`);
    }
    const resolved = path.resolve(this.root, key);
    const relative = path.relative(this.root, resolved);
    if (relative === "" || path.isAbsolute(relative) || relative.split(path.sep)[0] === "..") {
      throw new Error(`Refusing the storage key ${JSON.stringify(key)}: it leaves the storage folder.`);
    }
    return resolved;
  }

  async put(key: string, body: Readable | Buffer): Promise<void> {
    const target = this.pathOf(key);
    await fs.mkdir(path.dirname(target), { recursive: true });
    // Written under a temporary name (keys never contain a dot) and renamed once complete, so a reader
    // never sees half a file and a failed upload leaves nothing behind.
    const partial = `${target}.${randomString(8)}.partial`;
    try {
      await pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body, createWriteStream(partial, { flags: "wx" }));
      await fs.rename(partial, target);
    } catch (error) {
      await fs.rm(partial, { force: true });
      throw error;
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const target = this.pathOf(key);
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(target, "r");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        throw new MissingObjectError(key);
      }
      throw error;
    }
    return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.pathOf(key), { force: true });
  }
}
