import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import pg from "pg";
import { buildApp } from "../src/app.js";
import { loadConfig, type Config } from "../src/config.js";
import type { AppContext } from "../src/context.js";
import { migrate, openDatabase } from "../src/db/database.js";
import type { StoredEvent } from "../src/events/domain-event.js";
import { createLocalBus } from "../src/events/bus.js";
import { jobHandlers } from "../src/jobs/handlers.js";
import { JobWorker } from "../src/jobs/worker.js";
import { ManualClock } from "../src/lib/clock.js";
import { createLogger } from "../src/lib/logger.js";
import { randomString } from "../src/lib/ids.js";

export interface TestContext extends AppContext {
  app: FastifyInstance;
  /** The job worker, not polling: tests run due jobs with worker.runDue() after moving the clock. */
  worker: JobWorker;
  clock: ManualClock;
  /** Every event committed since the context was made, in order. */
  events: StoredEvent[];
  close(): Promise<void>;
}

/** Which database the suite runs on: PostgreSQL when DATABASE_URL is set, SQLite files otherwise. */
export const testDatabaseUrl = process.env.DATABASE_URL || undefined;

// PostgreSQL schemas are costly to create and migrate (about 0.4 s), so a test worker keeps the ones its
// finished contexts used, emptied, and hands them to the next context: every context still starts with
// empty tables at the latest migration, as if fresh.
const spareSchemas: string[] = [];

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function takeSchema(url: string): Promise<string> {
  const spare = spareSchemas.pop();
  if (spare) {
    return spare;
  }
  // Named after the run (global-setup.ts), so whatever is left at the end of the run is dropped then.
  const schema = `t_${process.env.PARLEY_TEST_RUN ?? "adhoc"}_${randomString(10, "abcdefghijklmnopqrstuvwxyz0123456789")}`;
  await withClient(url, (client) => client.query(`create schema ${schema}`));
  return schema;
}

async function returnSchema(url: string, schema: string): Promise<void> {
  try {
    await withClient(url, async (client) => {
      const { rows } = await client.query<{ name: string }>("select table_name as name from information_schema.tables where table_schema = $1 and table_type = 'BASE TABLE' and table_name <> 'parley_migrations'", [schema]);
      // DELETE beats TRUNCATE by far on a few rows; replica mode skips foreign-key checks, so order is free.
      const statements = rows.map((row) => `delete from ${schema}."${row.name}"`);
      await client.query(`begin; set local session_replication_role = replica; ${statements.join("; ")}; commit`);
    });
    spareSchemas.push(schema);
  } catch {
    await withClient(url, (client) => client.query(`drop schema if exists ${schema} cascade`)).catch(() => undefined);
  }
}

/** A whole Parley (empty database at the latest migration, event bus, HTTP app) on its own SQLite file or PostgreSQL schema. */
export async function createTestContext(env: Record<string, string> = {}): Promise<TestContext> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "parley-test-"));
  const config: Config = loadConfig({
    DATA_DIR: dataDir,
    PUBLIC_URL: "http://parley.test",
    MAIL_DOMAIN: "mail.parley.test",
    LOG_LEVEL: "silent",
    ...(testDatabaseUrl ? { DATABASE_URL: testDatabaseUrl } : {}),
    ...env,
  });
  const logger = createLogger(config.logLevel);
  const clock = new ManualClock(Date.parse("2026-03-02T15:00:00.000Z"));
  const databaseUrl = config.databaseUrl;
  const pgSchema = databaseUrl ? await takeSchema(databaseUrl) : undefined;
  const database = openDatabase({ databaseUrl, dataDir, poolSize: 4, clock, logger, ...(pgSchema ? { schema: pgSchema } : {}) });
  await migrate(database);
  const bus = createLocalBus(logger);
  const events: StoredEvent[] = [];
  database.onCommit((stored) => bus.publish(stored));
  bus.subscribe((event) => events.push(event));
  const context = { config, database, bus, clock, logger };
  const app = await buildApp(context);
  await app.ready();
  return {
    ...context,
    app,
    worker: new JobWorker(context, jobHandlers),
    events,
    async close() {
      await app.close();
      await bus.close();
      await database.close();
      if (databaseUrl && pgSchema) {
        await returnSchema(databaseUrl, pgSchema);
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
