import pg from "pg";
import { randomString } from "../src/lib/ids.js";

/**
 * Says which database the suite runs on and fails at once when a configured service cannot be reached.
 * On PostgreSQL every test context makes a schema named after this run; teardown drops what is left.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stdout.write("[parley tests] database: SQLite (a fresh file per test context). Set DATABASE_URL to run on PostgreSQL.\n");
    return async () => undefined;
  }
  const run = randomString(6, "abcdefghijklmnopqrstuvwxyz0123456789");
  process.env.PARLEY_TEST_RUN = run;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query("select 1");
  } catch (error) {
    throw new Error(`DATABASE_URL is set but PostgreSQL cannot be reached (${String(error)}).`);
  } finally {
    await client.end().catch(() => undefined);
  }
  process.stdout.write(`[parley tests] database: PostgreSQL at ${new URL(url).host} (a fresh schema per test context).\n`);
  return async () => {
    const cleanup = new pg.Client({ connectionString: url });
    await cleanup.connect();
    const { rows } = await cleanup.query<{ name: string }>("select schema_name as name from information_schema.schemata where schema_name like $1", [`t\\_${run}\\_%`]);
    for (const { name } of rows) {
      await cleanup.query(`drop schema if exists ${name} cascade`);
    }
    await cleanup.end();
  };
}
