import type { Compilable, CompiledQuery, SqliteDatabase } from "kysely";
import type { Tx } from "./database.js";

/** Stands for a named parameter while the query is built; never a value a caller could pass. */
const MARK = "\u0000parley-param\u0000";

/** Hands out the stand-in for a named parameter while a prepared query is being built. */
export type ParamBinder<P> = <K extends keyof P & string>(name: K) => P[K];

interface Template<R> {
  query: CompiledQuery<R>;
  /** For each parameter of the compiled SQL: the name of the caller's parameter, or a value fixed at build time. */
  slots: ({ name: string } | { value: unknown })[];
}

/**
 * Handles of SQLite's writer while it holds its one connection for a group (database.ts), with the
 * connection's statements: a prepared query run on one goes straight to its statement. Kysely's executor
 * would serialise it behind the connection again (several promises and turns of the microtask queue per
 * query) for a connection already held, and better-sqlite3 runs each statement to its end anyway.
 */
const heldConnections = new WeakMap<Tx, SqliteDatabase>();

/** While `handle` runs a group on SQLite's held connection, prepared queries on it use `database` directly; returns the undo. */
export function runPreparedDirectly(handle: Tx, database: SqliteDatabase): () => void {
  heldConnections.set(handle, database);
  return () => heldConnections.delete(handle);
}

/**
 * SQLite's handle for reads outside transactions (Database.db), with its connection's statements and whether
 * a transaction is open on it. A prepared read on it runs straight on its statement while none is: what
 * Kysely's driver would do once its turn came, without the promises and the connection's mutex (several
 * kilobytes of garbage a query, which young-generation pauses are made of). While a write group has a
 * transaction open, the read waits for it through Kysely as before, and so never sees uncommitted writes.
 */
const idleReaders = new WeakMap<Tx, { database: SqliteDatabase; inTransaction: () => boolean }>();

/** Lets prepared reads on `handle` run directly on `database` whenever no transaction is open on it. */
export function readPreparedDirectlyWhenIdle(handle: Tx, database: SqliteDatabase, inTransaction: () => boolean): void {
  idleReaders.set(handle, { database, inTransaction });
}

/** A query built and compiled once per dialect; each run binds the caller's parameters and runs it. */
export type PreparedQuery<P, R> = (tx: Tx, params: P) => Promise<R[]>;

/**
 * Prepares a query whose shape never changes: `build` makes it with `param("name")` wherever a value goes,
 * and it is compiled once per dialect. Running it then only puts the values in place. Building and
 * compiling a query with Kysely costs about as much CPU as SQLite takes to run a small one, so the
 * statements every message runs are prepared (decision 0012). On PostgreSQL the server keeps the statement
 * parsed and planned too, under a name of its own on each connection (see statementNameOf).
 */
export function prepared<P extends object, R>(build: (db: Tx, param: ParamBinder<P>) => Compilable<R>): PreparedQuery<P, R> {
  const templates = new Map<unknown, Template<R>>();
  return async (tx, params) => {
    // The adapter's class tells the dialect (SQLite's ? or PostgreSQL's $1, quoting, RETURNING).
    const dialect = tx.getExecutor().adapter.constructor;
    let template = templates.get(dialect);
    if (template === undefined) {
      template = compileTemplate(tx, build);
      templates.set(dialect, template);
    }
    const values = params as Record<string, unknown>;
    const parameters = template.slots.map((slot) => {
      if ("value" in slot) {
        return slot.value;
      }
      const value = values[slot.name];
      if (value === undefined) {
        throw new Error(`prepared query: no value for parameter "${slot.name}"`);
      }
      return value;
    });
    const held = heldConnections.get(tx);
    if (held !== undefined) {
      // What Kysely's SQLite connection would do, without the way there.
      const statement = held.prepare(template.query.sql);
      if (statement.reader) {
        return statement.all(parameters) as R[];
      }
      statement.run(parameters);
      return [];
    }
    const idle = idleReaders.get(tx);
    if (idle !== undefined && !idle.inTransaction()) {
      const statement = idle.database.prepare(template.query.sql);
      if (statement.reader) {
        return statement.all(parameters) as R[];
      }
    }
    const result = await tx.executeQuery<R>({ ...template.query, parameters });
    return result.rows;
  };
}

/** SQL texts of prepared queries → the name PostgreSQL keeps each one parsed and planned under (per connection). */
const statementNames = new Map<string, string>();

/** The server-side statement name of a prepared query's SQL, if it is one (database.ts passes it to pg). */
export function statementNameOf(sqlText: string): string | undefined {
  return statementNames.get(sqlText);
}

function compileTemplate<P, R>(tx: Tx, build: (db: Tx, param: ParamBinder<P>) => Compilable<R>): Template<R> {
  const named = new Set<string>();
  const param = ((name: string) => {
    named.add(name);
    return `${MARK}${name}`;
  }) as ParamBinder<P>;
  const query = build(tx, param).compile();
  const slots = query.parameters.map((value) => (typeof value === "string" && value.startsWith(MARK) ? { name: value.slice(MARK.length) } : { value }));
  const bound = new Set(slots.flatMap((slot) => ("name" in slot ? [slot.name] : [])));
  const lost = [...named].filter((name) => !bound.has(name));
  if (lost.length > 0) {
    // Kysely wrote the stand-in into the SQL text instead of binding it: the query cannot be reused.
    throw new Error(`prepared query: parameter(s) ${lost.join(", ")} did not become bound parameters`);
  }
  if (!statementNames.has(query.sql)) {
    statementNames.set(query.sql, `parley_${statementNames.size + 1}`);
  }
  return { query, slots };
}
