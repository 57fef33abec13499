import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../../lib/clock.js";
import { createLogger } from "../../lib/logger.js";
import { migrate, openDatabase, type Database, type Tx } from "../database.js";
import type { DB } from "../schema.js";
import { migrations } from "./index.js";

const NAME = "2026-11-24-010-messages-indexed-at-commit";

let database: Database | undefined;
let dir: string | undefined;

afterEach(async () => {
  await database?.close();
  if (dir) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  database = undefined;
  dir = undefined;
});

let made = 0;
async function insertMessage(tx: Tx, content: string): Promise<string> {
  made += 1;
  const id = `msg_upgrade_${made}`;
  const now = Date.now();
  await tx
    .insertInto("messages")
    .values({ id, team_id: "team_x", conversation_id: "conv_x", seq: made, direction: "incoming", author_member_id: null, author_kind: "contact", content, attachments: "[]", mentions: "[]", metadata: null, external_id: null, created_at: now, delivered_at: null, read_at: null })
    .execute();
  return id;
}

/** The ids of the messages whose indexed words match, through the FTS5 index only. */
async function found(word: string): Promise<string[]> {
  const result = await sql<{ id: string }>`select m.id from messages_fts f join messages m on m.rowid = f.rowid where messages_fts match ${word} order by m.id`.execute(database!.db);
  return result.rows.map((row) => row.id);
}

describe("migration 010 on SQLite: messages indexed at commit", () => {
  it("keeps what was indexed before the upgrade searchable, and indexes, edits and deletes as before after it", async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "parley-upgrade-"));
    const open = () => openDatabase({ dataDir: dir as string, clock: systemClock, logger: createLogger("silent") });
    const first = open();
    await migrate(first);
    await first.close();
    // As a version before the migration left it: its triggers wrote the index message by message, and
    // messages went in that way (alone, without the team and conversation they would belong to).
    const before = new Kysely<DB>({ dialect: new SqliteDialect({ database: new SQLite(path.join(dir, "parley.sqlite")) }) });
    await migrations[NAME]?.down?.(before);
    await sql`delete from parley_migrations where name = ${NAME}`.execute(before);
    await sql`pragma foreign_keys = off`.execute(before);
    const [kept, edited, dropped] = [await insertMessage(before, "an old umbrella"), await insertMessage(before, "an old kettle"), await insertMessage(before, "an old toaster")];
    await before.destroy();

    database = open();
    await sql`pragma foreign_keys = off`.execute(database.db);
    expect(await found("old")).toEqual([kept, edited, dropped].sort());
    expect(await migrate(database)).toEqual([NAME]);
    const added = await database.transaction(async (tx) => {
      const id = await insertMessage(tx, "a new umbrella");
      await tx.updateTable("messages").set({ content: "a new teapot" }).where("id", "=", edited).execute();
      await tx.deleteFrom("messages").where("id", "=", dropped).execute();
      return id;
    });

    expect(await found("umbrella")).toEqual([kept, added].sort());
    expect(await found("old")).toEqual([kept]);
    expect(await found("teapot")).toEqual([edited]);
    expect(await found("kettle")).toEqual([]);
    expect(await found("toaster")).toEqual([]);
    const pending = await sql<{ n: number }>`select count(*) as n from messages_fts_pending`.execute(database.db);
    expect(Number(pending.rows[0]?.n)).toBe(0);
    await sql`insert into messages_fts (messages_fts, rank) values ('integrity-check', 1)`.execute(database.db);
  });
});
