import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect, sql, type SqliteDatabase } from "kysely";
import type pg from "pg";
import type { DomainEvent, StoredEvent } from "../events/domain-event.js";
import type { Clock } from "../lib/clock.js";
import type { Logger } from "../lib/logger.js";
import { BackgroundCheckpointer, type CheckpointerOptions } from "./checkpointer.js";
import { migrations } from "./migrations/index.js";
import { prepared, readPreparedDirectlyWhenIdle, runPreparedDirectly, statementNameOf } from "./prepared.js";
import { indexPendingMessages, notesPendingMessages } from "./search-index.js";
import { kyselySqliteDatabase } from "./sqlite-statements.js";
import type { DB } from "./schema.js";

/** A handle to run queries with: the database itself, or the connection of an open transaction. */
export type Tx = Kysely<DB>;

export type Dialect = "sqlite" | "postgres";

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  poolSize?: number;
  /** PostgreSQL schema to work in (tests give each run its own). */
  schema?: string;
  /** SQLite file name inside dataDir. */
  sqliteFile?: string;
  clock: Clock;
  logger: Logger;
  /**
   * SQLite only: who copies the write-ahead log back into the database file. "inline" (the default, for the
   * CLI and short-lived tools) leaves it to SQLite inside commits; "background" (the server) hands it to a
   * worker thread (BackgroundCheckpointer).
   */
  walCheckpoints?: "inline" | "background";
  checkpointer?: CheckpointerOptions;
}

/** The database with the project's transaction rules: events are numbered at commit and dispatched after it. */
export interface Database {
  readonly dialect: Dialect;
  /** The PostgreSQL schema Parley works in, when one was chosen. */
  readonly schema: string | undefined;
  /** For reads outside a transaction. Writes go through transaction(). */
  readonly db: Kysely<DB>;
  /** Runs fn in one transaction; events it records are stored before commit and handed to listeners after. */
  transaction<T>(fn: (tx: Tx) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Registers the receiver of committed events (the event bus). */
  onCommit(listener: (events: StoredEvent[]) => void): void;
  close(): Promise<void>;
}

export interface TransactionOptions {
  /**
   * What the transaction reads and then changes on the strength of what it read ("conversation:<team>:<id>"),
   * named so that, on PostgreSQL, transactions of one commit group whose keys do not overlap may run side by
   * side on the writer connection, their statements sent together (decision 0011). Rows a transaction only
   * inserts, only reads, or only moves by increments (maintained counts) need no key. Without keys a
   * transaction runs alone, in turn, as every transaction does on SQLite.
   */
  keys?: readonly string[];
}

/** True when the handle runs on PostgreSQL (where a statement's SQL or plan differs by dialect). */
export function isPostgres(db: Pick<Kysely<DB>, "getExecutor">): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

let pgModule: typeof pg | undefined;

/** The PostgreSQL driver, loaded when a PostgreSQL database is opened: the SQLite default never pays for it. */
function loadPg(): typeof pg {
  if (pgModule === undefined) {
    pgModule = createRequire(import.meta.url)("pg") as typeof pg;
    // pg returns bigint (int8) as strings; our bigints are epoch milliseconds and counters, well inside 2^53.
    pgModule.types.setTypeParser(20, (value) => Number(value));
  }
  return pgModule;
}

const pending = new WeakMap<Tx, DomainEvent[]>();

/** The write group (one database transaction) each handle runs in; numbered from 1 in this process. */
const groupOfHandle = new WeakMap<Tx, number>();
let groupsStarted = 0;

/**
 * The write group, which is one database transaction, that `tx` runs in: two handles with the same number
 * share a transaction. Undefined outside Database.transaction().
 */
export function writeGroupOf(tx: Tx): number | undefined {
  return groupOfHandle.get(tx);
}

/** Write groups rolled back lately (nothing they wrote happened); the oldest are forgotten first. */
const rolledBackGroups = new Set<number>();
const ROLLED_BACK_KEPT = 256;

/** Whether the write group's transaction was rolled back (as far as this process still remembers). */
export function wasRolledBack(group: number): boolean {
  return rolledBackGroups.has(group);
}

function markRolledBack(group: number): void {
  rolledBackGroups.add(group);
  if (rolledBackGroups.size > ROLLED_BACK_KEPT) {
    rolledBackGroups.delete(rolledBackGroups.values().next().value as number);
  }
}

/**
 * A row was changed by someone else since this process last saw it, so a write based on that copy changed
 * nothing (see recent-conversations.ts). The transaction runs again, reading the row this time.
 */
export class StaleRow extends Error {}

/** Records a domain event inside a transaction opened by Database.transaction(). */
export function recordEvent(tx: Tx, event: DomainEvent): void {
  const buffer = pending.get(tx);
  if (!buffer) {
    throw new Error(`recordEvent(${event.name}) called outside Database.transaction()`);
  }
  buffer.push(event);
}

/**
 * SQLite: a group's BEGIN and COMMIT, prepared so that they run straight on the held connection like the
 * group's other statements (prepared.ts) instead of through Kysely's executor.
 */
const beginImmediate = prepared<Record<string, never>, never>((db) => ({ compile: () => sql<never>`begin immediate`.compile(db) }));
const commitSqlite = prepared<Record<string, never>, never>((db) => ({ compile: () => sql<never>`commit`.compile(db) }));

const bumpEventSeq = prepared<{ teamId: string; count: number }, { event_seq: number }>((db, param) =>
  db
    .updateTable("teams")
    .set({ event_seq: sql`event_seq + ${param("count")}` })
    .where("id", "=", param("teamId"))
    .returning("event_seq"),
);

interface EventRow {
  team_id: string;
  seq: number;
  name: string;
  payload: string;
  created_at: number;
}

const insertEvent = prepared<EventRow, never>((db, param) =>
  db.insertInto("events").values({ team_id: param("team_id"), seq: param("seq"), name: param("name"), payload: param("payload"), created_at: param("created_at") }),
);

/**
 * PostgreSQL: numbers a team's events and stores them in one statement (one round trip on the writer
 * connection instead of two): the team's counter moves by their number, and the rows take the numbers
 * that end at the new value, in the order given.
 */
const storeTeamEvents = prepared<{ teamId: string; count: number; names: string[]; payloads: string[]; now: number }, { event_seq: number }>((db, param) => ({
  compile: () =>
    sql<{ event_seq: number }>`with bumped as (
        update teams set event_seq = event_seq + ${param("count")}::bigint where id = ${param("teamId")} returning event_seq
      ), added as (
        insert into events (team_id, seq, name, payload, created_at)
        select ${param("teamId")}::text, bumped.event_seq - ${param("count")}::bigint + e.ord, e.name, e.payload, ${param("now")}::bigint
        from bumped cross join unnest(${param("names")}::text[], ${param("payloads")}::text[]) with ordinality as e(name, payload, ord)
      )
      select event_seq from bumped`.compile(db),
}));

/** An event's stored payload: what it carries, with the inbox it concerns. */
function storedPayload(event: DomainEvent): string {
  return JSON.stringify({ inboxId: event.inboxId ?? null, ...event.payload });
}

/** A team's events numbered so that the last takes `lastSeq`, the team's counter after it moved. */
function numbered(teamEvents: DomainEvent[], lastSeq: number, now: number): StoredEvent[] {
  const first = lastSeq - teamEvents.length + 1;
  return teamEvents.map((event, i) => ({ ...event, seq: first + i, createdAt: now }));
}

/**
 * Numbers a group's events per team (the row lock on the team orders concurrent writers, so sequence order
 * is commit order) and stores them. On SQLite each row is one prepared INSERT (building and compiling a
 * multi-row INSERT with Kysely cost more than running the rows); on PostgreSQL one statement per team
 * numbers and inserts them together. A team deleted in the same transaction has no counter left, and nobody
 * left to tell: its events are dropped.
 */
async function storeEvents(tx: Tx, events: DomainEvent[], now: number): Promise<StoredEvent[]> {
  const byTeam = new Map<string, DomainEvent[]>();
  for (const event of events) {
    const teamEvents = byTeam.get(event.teamId);
    if (teamEvents) {
      teamEvents.push(event);
    } else {
      byTeam.set(event.teamId, [event]);
    }
  }
  const stored: StoredEvent[] = [];
  if (isPostgres(tx)) {
    // Every team's statement goes out at once; a group rarely holds more than one team.
    const teams = [...byTeam];
    const counters = await Promise.all(
      teams.map(([teamId, teamEvents]) =>
        storeTeamEvents(tx, { teamId, count: teamEvents.length, names: teamEvents.map((event) => event.name), payloads: teamEvents.map(storedPayload), now }),
      ),
    );
    teams.forEach(([, teamEvents], i) => {
      const [row] = counters[i] ?? [];
      if (row) {
        stored.push(...numbered(teamEvents, row.event_seq, now));
      }
    });
    return stored;
  }
  for (const [teamId, teamEvents] of byTeam) {
    const [row] = await bumpEventSeq(tx, { teamId, count: teamEvents.length });
    if (!row) {
      continue;
    }
    const teamStored = numbered(teamEvents, row.event_seq, now);
    for (const event of teamStored) {
      await insertEvent(tx, { team_id: event.teamId, seq: event.seq, name: event.name, payload: storedPayload(event), created_at: now });
    }
    stored.push(...teamStored);
  }
  return stored;
}

/** Opens SQLite (default) or PostgreSQL (when databaseUrl is set). Call migrate() before use. */
export function openDatabase(options: DatabaseOptions): Database {
  const dialect: Dialect = options.databaseUrl ? "postgres" : "sqlite";
  let checkpointer: BackgroundCheckpointer | undefined;
  let db: Kysely<DB>;
  let writer: PostgresWriter | undefined;
  let statements: SqliteDatabase | undefined;
  if (dialect === "postgres") {
    db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: createPool(options) }) });
    writer = new PostgresWriter(options);
  } else {
    const { sqlite, file } = openSqlite(options);
    if (options.walCheckpoints === "background") {
      checkpointer = new BackgroundCheckpointer(sqlite, file, options.logger, options.checkpointer);
    }
    statements = kyselySqliteDatabase(sqlite);
    db = new Kysely<DB>({ dialect: new SqliteDialect({ database: statements }) });
    readPreparedDirectlyWhenIdle(db, statements, () => sqlite.inTransaction);
  }
  let listener: (events: StoredEvent[]) => void = () => undefined;

  function dispatch(stored: StoredEvent[]): void {
    if (stored.length > 0) {
      try {
        listener(stored);
      } catch (error) {
        options.logger.error({ err: error }, "event listener failed after commit");
      }
    }
  }

  const groupCommit = new GroupCommit(db, writer, dialect, options.clock, dispatch, checkpointer ? () => checkpointer.afterCommit() : undefined, statements);

  function transaction<T>(fn: (tx: Tx) => Promise<T>, transactionOptions?: TransactionOptions): Promise<T> {
    return groupCommit.submit(fn, transactionOptions?.keys);
  }

  return {
    dialect,
    schema: options.schema,
    db,
    transaction,
    onCommit(next) {
      listener = next;
    },
    async close() {
      await checkpointer?.stop();
      await writer?.db.destroy();
      await db.destroy();
    },
  };
}

/** Transactions that may share one commit at most. */
const GROUP_COMMIT_LIMIT = 64;

/** Times a transaction that PostgreSQL chose as a deadlock or serialisation victim is run again. */
const VICTIM_RETRIES = 3;

/** PostgreSQL's deadlock_detected and serialization_failure: the work itself was fine, its timing was not. */
function isVictim(error: unknown): boolean {
  if (error instanceof StaleRow) {
    return true;
  }
  const code = (error as { code?: unknown }).code;
  return code === "40P01" || code === "40001";
}

interface QueuedWork {
  fn: (tx: Tx) => Promise<unknown>;
  /** TransactionOptions.keys; undefined: runs alone. */
  keys: readonly string[] | undefined;
  attempts: number;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Groups that run with a savepoint per transaction after one without them had to be rolled back. */
const CAREFUL_GROUPS_AFTER_FAILURE = 8;

/** Thrown inside a group run without savepoints when one of its transactions failed: the group starts over. */
class GroupAbandoned extends Error {
  /** `careful`: the next groups run with savepoints. Not needed when the failures were stale rows, which run again reading. */
  constructor(readonly careful = true) {
    super("group abandoned");
  }
}

/**
 * The transactions from `start` that may run side by side: each names keys, and no two share one. Ends at the
 * first that names none (it runs alone) or whose keys overlap an earlier one's (it waits for the next wave).
 */
function waveFrom(group: QueuedWork[], start: number): QueuedWork[] {
  const first = group[start] as QueuedWork;
  if (first.keys === undefined) {
    return [first];
  }
  const taken = new Set(first.keys);
  const wave = [first];
  for (let i = start + 1; i < group.length; i++) {
    const work = group[i] as QueuedWork;
    if (work.keys === undefined || work.keys.some((key) => taken.has(key))) {
      break;
    }
    work.keys.forEach((key) => taken.add(key));
    wave.push(work);
  }
  return wave;
}

/**
 * Write transactions run one group at a time on one connection. Those that queued while a group ran share
 * the next BEGIN … COMMIT; their events are numbered and stored together at the end, and every caller hears
 * back only after the shared commit. A group first runs without savepoints (on PostgreSQL each costs two
 * round trips per transaction on the one writer connection). If one of its transactions fails, the whole
 * group is rolled back, only that caller hears of it, and the others run again at the head of the queue,
 * now each inside its own savepoint, as do the next few groups: a failure still undoes that one
 * transaction alone. Transactions only touch the database, so running one again is safe.
 *
 * SQLite has one writer anyway, and its commit is the largest single cost of a small write. On PostgreSQL
 * each commit waits for the log to reach the disk while the team's event counter stays locked, so a team's
 * writes committed one flush at a time; a group shares the flush. Reads outside transactions keep the pool
 * (decision 0011).
 *
 * On PostgreSQL, transactions that name keys (TransactionOptions) and share none run side by side in waves:
 * their statements go out together on the pipelined writer connection, so a wave of twenty-five messages
 * waits for two round trips instead of fifty. They share the one database transaction, which is why their
 * keys must not overlap. If one of them fails, the group is rolled back and runs again, this time one by one
 * in savepoints, where the failure is told to its caller alone.
 */
class GroupCommit {
  private readonly queue: QueuedWork[] = [];
  private draining = false;
  /** Groups still to run with savepoints (see CAREFUL_GROUPS_AFTER_FAILURE). */
  private carefulGroups = 0;
  /** SQLite: the schema notes new messages for indexing at commit (search-index.ts); looked up until it does. */
  private notesMessages = false;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly writer: PostgresWriter | undefined,
    private readonly dialect: Dialect,
    private readonly clock: Clock,
    private readonly dispatch: (stored: StoredEvent[]) => void,
    private readonly afterCommit?: () => void,
    /** SQLite: the connection's statements, which prepared queries use directly while a group holds it (prepared.ts). */
    private readonly statements?: SqliteDatabase,
  ) {}

  submit<T>(fn: (tx: Tx) => Promise<T>, keys: readonly string[] | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, keys, attempts: 0, resolve: resolve as (value: unknown) => void, reject });
      if (!this.draining) {
        void this.drain();
      }
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        // One turn of the event loop first: requests whose reads are under way reach the queue and join.
        await new Promise((resolve) => setImmediate(resolve));
        if (this.writer) {
          // PostgreSQL: the next group may go out as soon as this one's COMMIT has, behind it on the same
          // connection. The server then runs the next group's statements while this process answers the
          // callers of the group just committed, instead of each waiting for the other.
          await new Promise<void>((sent) => void this.runGroup(sent).finally(sent));
        } else {
          await this.runGroup();
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /** Puts transactions back at the head of the queue (to run again) and makes sure someone drains it. */
  private requeue(works: QueuedWork[]): void {
    this.queue.unshift(...works);
    if (works.length > 0 && !this.draining) {
      void this.drain();
    }
  }

  /**
   * Runs one group. On PostgreSQL `sent` is called once its COMMIT has been handed to the connection
   * (the next group may then go out behind it); the promise settles once the commit is known and every
   * caller has been told.
   */
  private async runGroup(sent?: () => void): Promise<void> {
    let group: QueuedWork[] = [];
    const done: { work: QueuedWork; result: unknown }[] = [];
    const failed = new Set<QueuedWork>();
    const retry: QueuedWork[] = [];
    let stored: StoredEvent[] = [];
    const writer = this.writer;
    const onConnection = async <R>(body: (conn: Tx) => Promise<R>): Promise<R> => {
      if (writer) {
        await writer.hold();
        return body(writer.db);
      }
      return this.db.connection().execute(body);
    };
    let release: (() => void) | undefined;
    try {
      stored = await onConnection(async (conn) => {
        // Taken once the connection is ours (on SQLite, after any read ahead of us): whatever queued meanwhile joins this group.
        group = this.queue.splice(0, GROUP_COMMIT_LIMIT);
        const groupId = ++groupsStarted;
        groupOfHandle.set(conn, groupId);
        release = this.statements && !writer ? runPreparedDirectly(conn, this.statements) : undefined;
        // On SQLite, BEGIN IMMEDIATE takes the write lock up front, so a second process (the CLI) waits instead
        // of failing mid-transaction. On PostgreSQL the group's first statements go out right behind BEGIN
        // (every statement of a group goes to the one connection, in the order sent: see hold); its outcome is
        // checked before COMMIT.
        let begun: Promise<unknown> | undefined;
        if (this.dialect === "sqlite") {
          await beginImmediate(conn, {});
        } else {
          begun = sql`begin`.execute(conn);
          begun.catch(() => undefined);
        }
        // PostgreSQL: once COMMIT is on its way, the next group's statements may follow it on the connection,
        // and a ROLLBACK sent then would land in that group's transaction. A COMMIT that fails there has ended
        // the transaction anyway. (On SQLite a COMMIT refused as busy leaves it open: it is rolled back.)
        let committing = false;
        try {
          const events: DomainEvent[] = [];
          const alone = group.length === 1;
          const savepoints = !alone && this.carefulGroups > 0;
          if (this.carefulGroups > 0) {
            this.carefulGroups -= 1;
          }
          for (let start = 0; start < group.length; ) {
            const wave = writer && !savepoints ? waveFrom(group, start) : [group[start] as QueuedWork];
            start += wave.length;
            if (wave.length > 1) {
              await runSideBySide(conn, groupId, wave, events, done, failed);
              continue;
            }
            const work = wave[0] as QueuedWork;
            pending.set(conn, []);
            if (savepoints) {
              await sql`savepoint parley_work`.execute(conn);
            }
            try {
              const result = await work.fn(conn);
              if (savepoints) {
                await sql`release parley_work`.execute(conn);
              }
              events.push(...(pending.get(conn) ?? []));
              done.push({ work, result });
            } catch (error) {
              failed.add(work);
              if (isVictim(error) && work.attempts < VICTIM_RETRIES) {
                // Another process holds what this one needs: run it again in a later group.
                work.attempts += 1;
                retry.push(work);
              } else {
                work.reject(error);
              }
              if (alone) {
                throw error;
              }
              if (!savepoints) {
                throw new GroupAbandoned(!(error instanceof StaleRow));
              }
              await sql`rollback to parley_work`.execute(conn);
              await sql`release parley_work`.execute(conn);
            } finally {
              pending.delete(conn);
            }
          }
          await begun;
          if (this.dialect === "postgres") {
            // COMMIT goes out right behind the events' statements; if one of those fails, the transaction is
            // aborted, COMMIT only ends it, and the failure is what the group hears.
            const storing = events.length > 0 ? storeEvents(conn, events, this.clock.now()) : Promise.resolve([]);
            const committed = sql`commit`.execute(conn);
            committing = sent !== undefined;
            sent?.();
            const [numbered] = await Promise.all([storing, committed]);
            return numbered;
          }
          const numbered = events.length > 0 ? await storeEvents(conn, events, this.clock.now()) : [];
          this.notesMessages ||= await notesPendingMessages(conn);
          if (this.notesMessages) {
            await indexPendingMessages(conn);
          }
          await commitSqlite(conn, {});
          return numbered;
        } catch (error) {
          markRolledBack(groupId);
          if (!committing) {
            await sql`rollback`.execute(conn);
          }
          throw error;
        }
      });
    } catch (error) {
      if (error instanceof GroupAbandoned) {
        // One transaction failed in a group without savepoints: its caller has been told; the others did
        // nothing yet that anyone saw, and run again first, each in its own savepoint.
        if (error.careful) {
          this.carefulGroups = CAREFUL_GROUPS_AFTER_FAILURE;
        }
        this.requeue(group.filter((work) => !failed.has(work) || retry.includes(work)));
        return;
      }
      // Nothing of the group was committed: everyone not already told hears why (or, when PostgreSQL
      // refused the commit for its timing, everyone is run again).
      for (const work of group) {
        if (!failed.has(work)) {
          if (isVictim(error) && work.attempts < VICTIM_RETRIES) {
            work.attempts += 1;
            retry.push(work);
          } else {
            work.reject(error);
          }
        }
      }
      this.requeue(retry);
      return;
    } finally {
      release?.();
    }
    this.requeue(retry);
    this.afterCommit?.();
    this.dispatch(stored);
    for (const { work, result } of done) {
      work.resolve(result);
    }
  }
}

/**
 * Runs a wave of transactions at once on the writer connection, each with a handle of its own (so each
 * records its own events). If one fails, the others are let finish first (none may send a statement after
 * the rollback), and the group starts over (GroupAbandoned). If all that failed did so on a stale row, the
 * group simply runs again (those reading their rows this time); one that keeps failing so is told why.
 */
async function runSideBySide(conn: Tx, groupId: number, wave: QueuedWork[], events: DomainEvent[], done: { work: QueuedWork; result: unknown }[], failed: Set<QueuedWork>): Promise<void> {
  const handles = wave.map(() => conn.withoutPlugins());
  const settled = await Promise.allSettled(
    wave.map(async (work, i) => {
      const handle = handles[i] as Tx;
      pending.set(handle, []);
      groupOfHandle.set(handle, groupId);
      return work.fn(handle);
    }),
  );
  const rejected = wave.flatMap((work, i) => {
    const outcome = settled[i] as PromiseSettledResult<unknown>;
    return outcome.status === "rejected" ? [{ work, error: outcome.reason as unknown }] : [];
  });
  if (rejected.length > 0) {
    const stale = rejected.every(({ error }) => error instanceof StaleRow);
    if (stale) {
      for (const { work, error } of rejected) {
        work.attempts += 1;
        if (work.attempts > VICTIM_RETRIES) {
          failed.add(work);
          work.reject(error);
        }
      }
    }
    throw new GroupAbandoned(!stale);
  }
  settled.forEach((outcome, i) => {
    const handle = handles[i] as Tx;
    events.push(...(pending.get(handle) ?? []));
    pending.delete(handle);
    done.push({ work: wave[i] as QueuedWork, result: (outcome as PromiseFulfilledResult<unknown>).value });
  });
}

/**
 * PostgreSQL's writer: a connection of its own, outside the pool of readers, in pg's pipeline mode, so the
 * statements of transactions running side by side go out together (GroupCommit). It connects on first use;
 * once it fails or PostgreSQL closes it, the next group opens a new one.
 */
class PostgresWriter {
  readonly db: Kysely<DB>;
  private client: Promise<pg.Client> | undefined;
  /** The connection the groups in flight send their statements to (see hold). */
  private held: pg.Client | undefined;
  /** Connections that failed or were closed: statements meant for them fail instead of going elsewhere. */
  private readonly lost = new WeakSet<pg.Client>();

  constructor(private readonly options: DatabaseOptions) {
    const pool = {
      connect: async () => {
        const client = this.held ?? (await this.connection());
        if (this.lost.has(client)) {
          throw new Error("the PostgreSQL writer connection was lost during this transaction");
        }
        return Object.assign(client, { release: () => undefined });
      },
      end: async () => {
        const client = await this.client?.catch(() => undefined);
        this.client = undefined;
        await client?.end();
      },
    };
    this.db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  }

  /**
   * Called as each group starts: every statement of the group goes to this connection. Were it lost midway,
   * the rest of the group's statements fail with it (and the group is rolled back) instead of opening a new
   * connection, where each would commit on its own. The next group opens a new one.
   */
  async hold(): Promise<void> {
    this.held = await this.connection();
  }

  private connection(): Promise<pg.Client> {
    if (this.client === undefined) {
      const client = new (loadPg().Client)({ ...clientConfig(this.options), pipeline: true });
      const connecting = client.connect().then(() => {
        nameStatements(client);
        return client;
      });
      const forget = () => {
        if (this.client === connecting) {
          this.client = undefined;
        }
      };
      client.on("error", (error) => {
        this.options.logger.warn({ err: error }, "PostgreSQL writer connection failed; the next write opens a new one");
        this.lost.add(client);
        forget();
      });
      client.on("end", () => {
        this.lost.add(client);
        forget();
      });
      connecting.catch(forget);
      this.client = connecting;
    }
    return this.client;
  }
}

function openSqlite(options: DatabaseOptions): { sqlite: SQLite.Database; file: string } {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const file = path.join(options.dataDir, options.sqliteFile ?? "parley.sqlite");
  const sqlite = new SQLite(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("cache_size = -65536");
  return { sqlite, file };
}

/**
 * Makes a client run prepared queries (prepared.ts) as named statements: PostgreSQL parses and plans each once
 * per connection instead of on every run. Their plans do not hinge on the values (keys, a team's counts).
 * A named `SELECT *` whose table gained or lost a column since (another process migrated during a rolling
 * deploy) fails with "cached plan must not change result type", and would on every later run: that one
 * call fails, and this connection runs the statement unnamed from then on.
 */
export function nameStatements(client: pg.ClientBase): void {
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
  const stale = new Set<string>();
  (client as { query: unknown }).query = (config: unknown, values?: unknown, callback?: unknown) => {
    const name = typeof config === "string" && callback === undefined && typeof values !== "function" ? statementNameOf(config) : undefined;
    if (name === undefined || stale.has(name)) {
      return query(config, values, callback);
    }
    return query({ name, text: config, values }).catch((error: unknown) => {
      if ((error as { code?: unknown }).code === "0A000") {
        stale.add(name);
      }
      throw error;
    });
  };
}

/** What every connection of this database is opened with: the reader pool's and the writer's. */
function clientConfig(options: DatabaseOptions): pg.ClientConfig {
  return {
    connectionString: options.databaseUrl,
    connectionTimeoutMillis: 10_000,
    application_name: options.schema ? `parley:${options.schema}` : "parley",
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  };
}

function createPool(options: DatabaseOptions): pg.Pool {
  const pool = new (loadPg().Pool)({ ...clientConfig(options), max: options.poolSize ?? 10, idleTimeoutMillis: 30_000 });
  pool.on("connect", (client) => nameStatements(client));
  // A restart of PostgreSQL kills idle clients; the pool drops them and connects again on the next query.
  pool.on("error", (error) => options.logger.warn({ err: error }, "PostgreSQL client error on an idle connection"));
  return pool;
}

/**
 * Applies every migration not yet applied, in name order, in one transaction; returns the names applied.
 * Safe from several processes at once: PostgreSQL takes an advisory lock per schema, SQLite's
 * BEGIN IMMEDIATE the write lock. (Kysely's own Migrator inspects every schema of the database, which
 * fails when another schema is dropped at that moment.)
 */
export async function migrate(database: Database): Promise<string[]> {
  return database.transaction(async (tx) => {
    if (database.dialect === "postgres") {
      await sql`select pg_advisory_xact_lock(hashtext('parley-migrations:' || current_schema()))`.execute(tx);
    }
    await sql`create table if not exists parley_migrations (name text primary key, applied_at bigint not null)`.execute(tx);
    const done = await sql<{ name: string }>`select name from parley_migrations`.execute(tx);
    const applied = new Set(done.rows.map((row) => row.name));
    const pendingNames = Object.keys(migrations)
      .sort()
      .filter((name) => !applied.has(name));
    for (const name of pendingNames) {
      await migrations[name]?.up(tx);
      await sql`insert into parley_migrations (name, applied_at) values (${name}, ${Date.now()})`.execute(tx);
    }
    return pendingNames;
  });
}
