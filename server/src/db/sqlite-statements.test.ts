import SQLite from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { kyselySqliteDatabase } from "./sqlite-statements.js";

let sqlite: SQLite.Database;

beforeEach(() => {
  sqlite = new SQLite(":memory:");
  sqlite.exec("create table items (id integer primary key, name text, price real, data blob, note text)");
  sqlite.exec("insert into items (name, price, data, note) values ('kettle', 19.5, x'0102', null), ('toaster', 25, null, 'two slots')");
});
afterEach(() => {
  if (sqlite.open) {
    sqlite.close();
  }
});

/** What better-sqlite3 itself returns for the query, with a fresh statement of its own. */
const plain = (source: string, parameters: unknown[] = []) => sqlite.prepare(source).all(parameters);

describe("SQLite statements as Kysely runs them", () => {
  it("returns the rows better-sqlite3 would: same values, same property order", () => {
    const database = kyselySqliteDatabase(sqlite);
    for (const source of ["select * from items order by id", "select name, id, price * 2 as doubled from items where id > ? order by id", "select 1 as a, 2 as b, 3 as a"]) {
      const parameters = source.includes("?") ? [0] : [];
      const rows = database.prepare(source).all(parameters) as Record<string, unknown>[];
      const expected = plain(source, parameters) as Record<string, unknown>[];
      expect(rows).toEqual(expected);
      expect(rows.map((row) => Object.keys(row))).toEqual(expected.map((row) => Object.keys(row)));
    }
    const [first] = database.prepare("select * from items where id = ?").all([1]) as Record<string, unknown>[];
    expect(first).toEqual({ id: 1, name: "kettle", price: 19.5, data: Buffer.from([1, 2]), note: null });
    expect(Object.getPrototypeOf(first)).toBe(Object.prototype);
  });

  it("gives a repeated column name its last value, in the place of its first", () => {
    const [row] = kyselySqliteDatabase(sqlite).prepare("select 1 as b, 2 as a, 3 as b").all([]) as Record<string, unknown>[];
    expect(row).toEqual({ b: 3, a: 2 });
    expect(Object.keys(row as object)).toEqual(["b", "a"]);
  });

  it("leaves a column named __proto__ to better-sqlite3, which makes it no property", () => {
    const [row] = kyselySqliteDatabase(sqlite).prepare('select 1 as "__proto__", 2 as x').all([]) as Record<string, unknown>[];
    expect(row).toEqual({ x: 2 });
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
  });

  it("iterates rows as objects too", () => {
    const rows = [...kyselySqliteDatabase(sqlite).prepare("select id, name from items order by id").iterate([])];
    expect(rows).toEqual([
      { id: 1, name: "kettle" },
      { id: 2, name: "toaster" },
    ]);
  });

  it("runs writes and tells what they changed", () => {
    const database = kyselySqliteDatabase(sqlite);
    const insert = database.prepare("insert into items (name) values (?)");
    expect(insert.reader).toBe(false);
    expect(insert.run(["grill"])).toEqual({ changes: 1, lastInsertRowid: 3 });
    const returning = database.prepare("update items set price = price + 1 where price is not null returning id, price");
    expect(returning.reader).toBe(true);
    expect(returning.all([])).toEqual([
      { id: 1, price: 20.5 },
      { id: 2, price: 26 },
    ]);
  });

  it("compiles a SQL text once and reuses it", () => {
    const database = kyselySqliteDatabase(sqlite);
    let compiled = 0;
    const prepare = sqlite.prepare.bind(sqlite);
    sqlite.prepare = (source: string) => {
      compiled += 1;
      return prepare(source);
    };
    const source = "select name from items where id = ?";
    expect(database.prepare(source)).toBe(database.prepare(source));
    expect(database.prepare(source).all([2])).toEqual([{ name: "toaster" }]);
    expect(compiled).toBe(1);
  });

  it("follows a table that gained a column after a SELECT * was compiled", () => {
    const database = kyselySqliteDatabase(sqlite);
    const statement = database.prepare("select * from items where id = ?");
    expect(Object.keys((statement.all([1]) as object[])[0] as object)).toEqual(["id", "name", "price", "data", "note"]);
    sqlite.exec("alter table items add column colour text default 'red'");
    expect(statement.all([1])).toEqual([{ id: 1, name: "kettle", price: 19.5, data: Buffer.from([1, 2]), note: null, colour: "red" }]);
  });

  it("closes the connection", () => {
    kyselySqliteDatabase(sqlite).close();
    expect(sqlite.open).toBe(false);
  });
});
