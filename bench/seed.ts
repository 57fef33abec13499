/**
 * The deterministic data generator:
 *   npm run bench:seed -- --conversations 1000000 [--messages 5] [--small-teams 50] [--seed 42] [--data-dir bench/data/1m] [--force]
 * SQLite by default; PostgreSQL when DATABASE_URL is set (into the schema --schema, default bench_<size>).
 * Rows are written in large batches straight through Kysely (the use cases would take hours), keeping every
 * invariant the product relies on; then the maintained view counts are rebuilt with recountInbox.
 */
import fs from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { migrate, type Database, type Tx } from "../server/src/db/database.js";
import { hashPassword } from "../server/src/lib/passwords.js";
import { recountInbox } from "../server/src/modules/conversations/counts.repo.js";
import { parseArgs } from "./lib/args.js";
import { defaultDataDir, isMain, openDatasetDatabase, type BenchDataset } from "./lib/dataset.js";
import { insertRows } from "./lib/rows.js";
import { ConversationGenerator, type ConversationRows } from "./seed/conversations.js";
import { createTeams, type SeededTeam } from "./seed/teams.js";
import { buildVocabulary, pickSearchTerms, TextWriter } from "./seed/vocabulary.js";

export interface SeedOptions {
  conversations: number;
  meanMessages: number;
  smallTeams: number;
  seed: number;
  dataDir: string;
  /** PostgreSQL only: the schema to fill (made anew). */
  schema?: string | undefined;
  databaseUrl?: string | undefined;
  force: boolean;
  vocabulary: number;
  /** Time the data is generated around (epoch ms). */
  anchor: number;
  chunk: number;
  log: (line: string) => void;
}

const CHUNK_TABLES: (keyof ConversationRows)[] = ["contacts", "contactTags", "conversations", "conversationTags", "messages", "reads", "jobs"];
const TABLE_OF = { contacts: "contacts", contactTags: "contact_tags", conversations: "conversations", conversationTags: "conversation_tags", messages: "messages", reads: "conversation_reads", jobs: "jobs" } as const;

async function prepareStorage(options: SeedOptions): Promise<void> {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const marker = path.join(options.dataDir, "bench-team.json");
  if (options.databaseUrl) {
    const client = new pg.Client({ connectionString: options.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query("select 1 from information_schema.schemata where schema_name = $1", [options.schema]);
      if (rows.length > 0 && !options.force) {
        throw new Error(`Schema ${options.schema} already exists; pass --force to replace it.`);
      }
      await client.query(`drop schema if exists ${options.schema} cascade`);
      await client.query(`create schema ${options.schema}`);
    } finally {
      await client.end();
    }
  } else {
    const file = path.join(options.dataDir, "parley.sqlite");
    if ((fs.existsSync(file) || fs.existsSync(marker)) && !options.force) {
      throw new Error(`${options.dataDir} already holds a dataset; pass --force to replace it.`);
    }
    for (const suffix of ["", "-wal", "-shm"]) {
      fs.rmSync(`${file}${suffix}`, { force: true });
    }
  }
  fs.rmSync(marker, { force: true });
}

async function writeChunk(tx: Tx, rows: ConversationRows): Promise<void> {
  for (const key of CHUNK_TABLES) {
    await insertRows(tx, TABLE_OF[key], rows[key] as never[]);
  }
}

/** Generates the dataset and writes bench-team.json; returns what it wrote. */
export async function seed(options: SeedOptions): Promise<BenchDataset> {
  const started = performance.now();
  const { log } = options;
  await prepareStorage(options);
  const dialect = options.databaseUrl ? "postgres" : "sqlite";
  const database: Database = openDatasetDatabase({ dialect, schema: options.schema ?? null, dataDir: options.dataDir }, 2, options.databaseUrl);
  try {
    await migrate(database);
    const db = database.db;
    if (dialect === "sqlite") {
      // A bulk load: a large page cache and no fsync per commit (the file is a benchmark dataset, not customer data).
      await sql`pragma synchronous = off`.execute(db);
      await sql`pragma cache_size = -1048576`.execute(db);
      await sql`pragma temp_store = memory`.execute(db);
    } else {
      await sql`set synchronous_commit = off`.execute(db);
    }
    const passwordHash = await hashPassword("bench-password");
    const now = options.anchor;
    const { large, small } = await database.transaction((tx) => createTeams(tx, options.seed, options.conversations, options.smallTeams, options.meanMessages, passwordHash, now));
    const words = buildVocabulary(options.vocabulary, options.seed);
    const writer = new TextWriter(words, 1.07);
    log(`seed: ${options.conversations.toLocaleString("en")} conversations (${large.plan.conversations.toLocaleString("en")} in the large team, ${small.length} small teams), ~${options.meanMessages} messages each, ${dialect}${options.schema ? ` schema ${options.schema}` : ""}, into ${options.dataDir}`);

    let done = 0;
    let messages = 0;
    let largeMessages = 0;
    let lastLog = 0;
    for (const team of [large, ...small]) {
      const generator = new ConversationGenerator(team.plan, writer, options.seed, options.anchor);
      for (let from = 0; from < team.plan.conversations; from += options.chunk) {
        const to = Math.min(team.plan.conversations, from + options.chunk);
        const rows = generator.chunk(from, to);
        await database.transaction((tx) => writeChunk(tx, rows));
        done += to - from;
        messages += rows.messages.length;
        if (team === large) {
          largeMessages += rows.messages.length;
        }
        const elapsed = (performance.now() - started) / 1000;
        if (elapsed - lastLog >= 5 || done === options.conversations) {
          lastLog = elapsed;
          log(`  ${done.toLocaleString("en")}/${options.conversations.toLocaleString("en")} conversations (${((done / options.conversations) * 100).toFixed(1)}%), ${messages.toLocaleString("en")} messages · ${Math.round(done / elapsed).toLocaleString("en")} conversations/s · ${elapsed.toFixed(1)} s`);
        }
      }
      await database.transaction(async (tx) => {
        await tx.updateTable("teams").set({ conversation_seq: team.plan.conversations }).where("id", "=", team.plan.teamId).execute();
      });
    }

    const countsStarted = performance.now();
    for (const team of [large, ...small]) {
      await database.transaction(async (tx) => {
        for (const inbox of team.plan.inboxes) {
          await recountInbox(tx, team.plan.teamId, inbox.id);
        }
      });
    }
    log(`  view counts rebuilt with recountInbox in ${((performance.now() - countsStarted) / 1000).toFixed(1)} s`);
    await finish(database, log);

    const seedSeconds = (performance.now() - started) / 1000;
    const dataset = describe(options, large, small.length, done, messages, largeMessages, writer, seedSeconds);
    fs.writeFileSync(path.join(options.dataDir, "bench-team.json"), `${JSON.stringify(dataset, null, 2)}\n`);
    log(`seed: done in ${seedSeconds.toFixed(1)} s — ${done.toLocaleString("en")} conversations, ${messages.toLocaleString("en")} messages (${Math.round(done / seedSeconds).toLocaleString("en")} conversations/s)`);
    log(`  bench team ${large.plan.teamId}, API key ${large.apiKey} → ${path.join(options.dataDir, "bench-team.json")}`);
    log(`  search examples: rare ${dataset.search.rare.join(", ")} · two-term ${dataset.search.twoTerm.join(" | ")} · common ${dataset.search.common.join(", ")}`);
    return dataset;
  } finally {
    await database.close();
  }
}

/** Leaves the database as a running installation would have it: SQLite's WAL folded in; PostgreSQL vacuumed and analysed (autovacuum would). */
async function finish(database: Database, log: (line: string) => void): Promise<void> {
  const started = performance.now();
  if (database.dialect === "sqlite") {
    await sql`pragma wal_checkpoint(truncate)`.execute(database.db);
  } else {
    await sql`vacuum analyze`.execute(database.db);
  }
  log(`  ${database.dialect === "sqlite" ? "WAL checkpoint" : "VACUUM ANALYZE"} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

function describe(options: SeedOptions, large: SeededTeam, smallTeams: number, conversations: number, messages: number, largeMessages: number, writer: TextWriter, seedSeconds: number): BenchDataset {
  const members = large.plan.members;
  return {
    version: 1,
    seed: options.seed,
    createdAt: new Date().toISOString(),
    anchor: options.anchor,
    dialect: options.databaseUrl ? "postgres" : "sqlite",
    schema: options.schema ?? null,
    dataDir: options.dataDir,
    conversations,
    messages,
    smallTeams,
    seedSeconds: Math.round(seedSeconds * 10) / 10,
    team: {
      id: large.plan.teamId,
      name: large.name,
      inboxIds: large.plan.inboxes.map((inbox) => inbox.id),
      ownerId: large.plan.ownerId,
      adminIds: members.filter((m) => m.role === "admin").map((m) => m.id),
      agentIds: members.filter((m) => m.role === "member").map((m) => m.id),
      memberIds: members.map((m) => m.id),
      memberInboxes: Object.fromEntries(members.filter((m) => m.role === "member").map((m) => [m.id, m.inboxIds])),
      tagNames: ["billing", "bug", "urgent", "vip", "refund"],
      apiKey: large.apiKey,
      conversations: large.plan.conversations,
      messages: largeMessages,
    },
    search: pickSearchTerms(writer, largeMessages),
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const conversations = args.number("conversations", NaN);
  if (!Number.isInteger(conversations) || conversations < 1) {
    throw new Error("Say how many: npm run bench:seed -- --conversations 1000000 [--messages 5] [--small-teams 50] [--seed 42] [--data-dir DIR] [--force]");
  }
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const dataDir = path.resolve(args.string("data-dir") ?? defaultDataDir(conversations, databaseUrl !== undefined));
  const schema = databaseUrl ? args.string("schema", `bench_${path.basename(dataDir).replace(/[^a-z0-9]+/gi, "_").toLowerCase()}`) : undefined;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new Error(`--schema must be a plain lowercase identifier; got ${schema}`);
  }
  await seed({
    conversations,
    meanMessages: args.number("messages", 5),
    smallTeams: args.number("small-teams", 50),
    seed: args.number("seed", 42),
    dataDir,
    schema,
    databaseUrl,
    force: args.flag("force"),
    vocabulary: args.number("vocabulary", 200_000),
    anchor: Date.parse(args.string("anchor", "2026-11-20T00:00:00Z")),
    chunk: args.number("chunk", 2000),
    log: (line) => process.stdout.write(`${line}\n`),
  });
}

if (isMain(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
