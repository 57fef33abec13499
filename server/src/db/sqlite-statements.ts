import type SQLite from "better-sqlite3";
import type { SqliteDatabase, SqliteStatement } from "kysely";

/** Statements kept compiled at most; a query shape beyond that is compiled again (the cache starts over). */
const STATEMENT_CACHE_SIZE = 1000;

type Row = Record<string, unknown>;
type RowBuilder = (values: unknown[]) => Row;

/**
 * Makes the function that turns one row's values (in column order) into the row object better-sqlite3 would
 * have made: one property per distinct name, in order of first appearance, the last value of a repeated name
 * winning. It is compiled to a single object literal, so every row of a statement shares one V8 shape;
 * better-sqlite3 adds the properties one by one, looking each name up as it goes, which costs about as much
 * as reading a conversation's row (measured: 11 µs against 7 µs for the 33 columns of `conversations`).
 * Undefined when a name cannot be an object literal's plain key.
 */
function compileRowBuilder(columns: string[]): RowBuilder | undefined {
  if (columns.includes("__proto__")) {
    return undefined;
  }
  const last = new Map<string, number>();
  columns.forEach((name, index) => last.set(name, index));
  const properties = [...last].map(([name, index]) => `${JSON.stringify(name)}: values[${index}]`);
  // The names come from SQLite's result columns and are written as JSON string literals, so no name can
  // become code.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function("values", `return { ${properties.join(", ")} };`) as RowBuilder;
}

/**
 * One compiled statement as Kysely's SQLite driver uses it. A statement that returns rows runs in
 * better-sqlite3's raw mode and its rows are built by compileRowBuilder. If the schema changed under a
 * `SELECT *` since (SQLite compiles the statement again by itself), the row has another number of values, and
 * the builder is made again from the statement's columns.
 */
class CachedStatement implements SqliteStatement {
  readonly reader: boolean;
  private columns = 0;
  private build: RowBuilder | undefined;

  constructor(private readonly statement: SQLite.Statement) {
    this.reader = statement.reader;
    if (this.reader) {
      this.learnColumns();
    }
  }

  private learnColumns(): void {
    const names = this.statement.columns().map((column) => column.name);
    this.columns = names.length;
    this.build = compileRowBuilder(names);
    this.statement.raw(this.build !== undefined);
  }

  private rowOf(values: unknown[]): Row {
    if (values.length !== this.columns) {
      this.learnColumns();
    }
    return (this.build as RowBuilder)(values);
  }

  all(parameters: ReadonlyArray<unknown>): unknown[] {
    const rows = this.statement.all(parameters);
    if (this.build === undefined) {
      return rows;
    }
    for (let i = 0; i < rows.length; i++) {
      rows[i] = this.rowOf(rows[i] as unknown[]);
    }
    return rows;
  }

  run(parameters: ReadonlyArray<unknown>): { changes: number | bigint; lastInsertRowid: number | bigint } {
    return this.statement.run(parameters);
  }

  *iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    for (const row of this.statement.iterate(parameters)) {
      yield this.build === undefined ? row : this.rowOf(row as unknown[]);
    }
  }
}

/**
 * The SQLite connection as Kysely sees it. Kysely's driver compiles every query it runs with prepare();
 * compiling costs about as much as running the statement. Kysely runs one statement at a time on the
 * connection and reads each to the end, so one compiled statement per SQL text is kept and reused (decision
 * 0010), and rows are built as described at CachedStatement (decision 0012). Other users of the connection
 * (pragmas, the checkpointer) prepare their own statements.
 */
export function kyselySqliteDatabase(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, CachedStatement>();
  return {
    prepare(source: string): SqliteStatement {
      let statement = cache.get(source);
      if (statement === undefined) {
        if (cache.size >= STATEMENT_CACHE_SIZE) {
          cache.clear();
        }
        statement = new CachedStatement(sqlite.prepare(source));
        cache.set(source, statement);
      }
      return statement;
    },
    close(): void {
      sqlite.close();
    },
  };
}
