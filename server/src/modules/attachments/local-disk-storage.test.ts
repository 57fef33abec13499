import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalDiskStorage } from "./local-disk-storage.js";
import { MissingObjectError, newStorageKey } from "./storage.js";

let root: string;
let storage: LocalDiskStorage;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "parley-storage-"));
  storage = new LocalDiskStorage(path.join(root, "attachments"));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function filesUnder(folder: string): string[] {
  return fs.existsSync(folder) ? fs.readdirSync(folder, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => entry.name) : [];
}

describe("LocalDiskStorage", () => {
  it("stores, reads (whole or a range) and deletes by a generated key inside its folder", async () => {
    const key = newStorageKey("team_abc123");
    expect(key).toMatch(/^team_abc123\/[A-Za-z0-9]{24}$/);
    await storage.put(key, Readable.from([Buffer.from("hello "), Buffer.from("world")]));
    expect(storage.pathOf(key)).toBe(path.join(root, "attachments", "team_abc123", key.split("/")[1] ?? ""));
    expect(await text(await storage.get(key))).toBe("hello world");
    expect(await text(await storage.get(key, { start: 6, end: 10 }))).toBe("world");
    await storage.put(newStorageKey("team_abc123"), Buffer.from("a buffer"));
    expect(filesUnder(path.join(root, "attachments"))).toHaveLength(2);
    await storage.delete(key);
    await storage.delete(key);
    await expect(storage.get(key)).rejects.toBeInstanceOf(MissingObjectError);
  });

  it("refuses keys that are malformed or would leave the folder", async () => {
    for (const key of ["../escape", "team/../../escape", "/etc/passwd", "team/./x", "team//x", "", "team/x.partial", "team\\x", "a/b/c/d/e/f"]) {
      expect(() => storage.pathOf(key), key).toThrow(/Refusing/);
      await expect(storage.put(key, Buffer.from("x")), key).rejects.toThrow(/Refusing/);
    }
    expect(() => newStorageKey("../team")).toThrow();
    expect(filesUnder(root)).toEqual([]);
  });

  it("leaves nothing behind when the incoming stream fails part-way", async () => {
    const failing = new Readable({
      read() {
        this.push(Buffer.from("partial data"));
        this.destroy(new Error("client went away"));
      },
    });
    const key = newStorageKey("team_abc123");
    await expect(storage.put(key, failing)).rejects.toThrow("client went away");
    expect(filesUnder(path.join(root, "attachments"))).toEqual([]);
    await expect(storage.get(key)).rejects.toBeInstanceOf(MissingObjectError);
  });
});
