import pg from "pg";

/** Says which database the suite runs on, and fails at once when a configured service cannot be reached. */
export default async function setup(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stdout.write("[parley tests] database: SQLite (a fresh file per test file). Set DATABASE_URL to run on PostgreSQL.\n");
    return;
  }
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query("select 1");
  } catch (error) {
    throw new Error(`DATABASE_URL is set but PostgreSQL cannot be reached (${String(error)}).`);
  } finally {
    await client.end().catch(() => undefined);
  }
  process.stdout.write(`[parley tests] database: PostgreSQL at ${new URL(url).host} (a fresh schema per test file).\n`);
}
