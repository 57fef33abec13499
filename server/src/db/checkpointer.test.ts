import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../lib/clock.js";
import { createLogger } from "../lib/logger.js";
import { BackgroundCheckpointer } from "./checkpointer.js";
import { openDatabase, type Database } from "./database.js";

const dirs: string[] = [];
const opened: Database[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((database) => database.close()));
  for (const dir of dirs.splice(0)) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function open(options: Partial<Parameters<typeof openDatabase>[0]>): { database: Database; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "parley-wal-"));
  dirs.push(dir);
  const database = openDatabase({ dataDir: dir, clock: systemClock, logger: createLogger("silent"), ...options });
  opened.push(database);
  return { database, file: path.join(dir, "parley.sqlite") };
}

const size = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size : 0);

/** Writes about `megabytes` of rows to a scratch table, in transactions of 100 rows. */
async function write(database: Database, megabytes: number): Promise<void> {
  await database.transaction((tx) => tx.schema.createTable("filler").ifNotExists().addColumn("body", "text").execute());
  const row = "x".repeat(1000);
  for (let batch = 0; batch < megabytes * 10; batch++) {
    await database.transaction(async (tx) => {
      await tx
        .insertInto("filler" as never)
        .values(Array.from({ length: 100 }, () => ({ body: row })))
        .execute();
    });
  }
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return condition();
}

describe("background WAL checkpoints (SQLite)", () => {
  it("copy committed pages into the database file from a worker thread; the writer's connection never checkpoints", async () => {
    const { database, file } = open({ walCheckpoints: "background", checkpointer: { intervalMs: 50 } });
    await write(database, 1);
    const before = size(file);
    // Without the worker, the writer would not checkpoint these few pages at all (SQLite's own threshold is 1,000 pages).
    await write(database, 2);
    expect(await until(() => size(file) >= before + 2 * 1024 * 1024, 5_000)).toBe(true);
    expect(size(`${file}-wal`)).toBeGreaterThan(0);
  });

  it("leave the log to SQLite when inline: nothing is copied before its threshold", async () => {
    const { database, file } = open({});
    await write(database, 1);
    const before = size(file);
    await write(database, 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(size(file)).toBe(before);
  });

  it("keep the log bounded when the worker falls behind: the writer checkpoints past the limit", async () => {
    const { database, file } = open({ walCheckpoints: "background", checkpointer: { intervalMs: 60_000, walLimitBytes: 1024 * 1024 } });
    await write(database, 6);
    // 6 MB went through a log limited to 1 MB: it was copied back and started over, more than once.
    expect(size(`${file}-wal`)).toBeLessThanOrEqual(1024 * 1024 + 256 * 1024);
    expect(size(file)).toBeGreaterThan(5 * 1024 * 1024);
  });

  it("start the log over under steady writes without the writer copying it: the worker hurries once the log is long", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "parley-wal-"));
    dirs.push(dir);
    const file = path.join(dir, "steady.sqlite");
    const sqlite = new SQLite(file);
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = NORMAL");
    sqlite.exec("create table filler (body text)");
    const limit = 4 * 1024 * 1024;
    const checkpointer = new BackgroundCheckpointer(sqlite, file, createLogger("silent"), { walLimitBytes: limit, hurryFrames: 64 });
    try {
      const insert = sqlite.prepare("insert into filler (body) values (?)");
      const commit = sqlite.transaction(() => {
        for (let i = 0; i < 25; i++) {
          insert.run("x".repeat(1000));
        }
      });
      let longest = 0;
      // About 20 MB in commits of 25 KB a few milliseconds apart, as a busy server writes: five times what
      // the log may hold. Without hurrying, the writer copied the log itself four times in 12 MB.
      for (let round = 0; round < 800; round++) {
        commit();
        checkpointer.afterCommit();
        longest = Math.max(longest, size(`${file}-wal`));
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      // A pass can miss its moment on a loaded machine; the writer must not be the one that keeps the log short.
      expect(checkpointer.writerCheckpoints).toBeLessThanOrEqual(1);
      expect(longest).toBeLessThanOrEqual(limit + 128 * 1024);
      expect(size(file)).toBeGreaterThan(15 * 1024 * 1024);
    } finally {
      await checkpointer.stop();
      sqlite.close();
    }
  });

  it("stop the worker on close, and the last close folds the log into the database file", async () => {
    const { database, file } = open({ walCheckpoints: "background", checkpointer: { intervalMs: 60_000 } });
    await write(database, 1);
    opened.splice(opened.indexOf(database), 1);
    await database.close();
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    expect(size(file)).toBeGreaterThan(1_000_000);
  });
});
