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

async function createSchema(url: string): Promise<{ schema: string; drop: () => Promise<void> }> {
  // Named after the run (global-setup.ts), so a crashed run's schemas are dropped at its end.
  const schema = `t_${process.env.PARLEY_TEST_RUN ?? "adhoc"}_${randomString(10, "abcdefghijklmnopqrstuvwxyz0123456789")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  return {
    schema,
    drop: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}

/** A whole Parley (database migrated from scratch, event bus, HTTP app) on its own SQLite file or PostgreSQL schema. */
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
  const pgSchema = config.databaseUrl ? await createSchema(config.databaseUrl) : undefined;
  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir, poolSize: 4, clock, logger, ...(pgSchema ? { schema: pgSchema.schema } : {}) });
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
      await pgSchema?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
