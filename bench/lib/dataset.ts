import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openDatabase, type Database } from "../../server/src/db/database.js";
import { systemClock } from "../../server/src/lib/clock.js";
import { createLogger } from "../../server/src/lib/logger.js";

/** The repository root (bench/ lives right under it). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** What `npm run bench:seed` wrote to `<data-dir>/bench-team.json`: everything the scenarios need to drive the data. */
export interface BenchDataset {
  version: 1;
  seed: number;
  createdAt: string;
  /** The reference time the data was generated around (epoch ms). */
  anchor: number;
  dialect: "sqlite" | "postgres";
  /** PostgreSQL schema holding the dataset (null on SQLite). */
  schema: string | null;
  dataDir: string;
  conversations: number;
  messages: number;
  smallTeams: number;
  seedSeconds: number;
  team: {
    id: string;
    name: string;
    inboxIds: string[];
    ownerId: string;
    adminIds: string[];
    agentIds: string[];
    memberIds: string[];
    /** Inboxes each agent belongs to. */
    memberInboxes: Record<string, string[]>;
    tagNames: string[];
    /** The owner's admin API key (X-API-Key). */
    apiKey: string;
    conversations: number;
    messages: number;
  };
  search: { rare: string[]; twoTerm: string[]; common: string[]; documentFrequency: Record<string, number> };
}

/** The default folder of a dataset of this many conversations: bench/data/100k, bench/data/1m, … (git-ignored). */
export function defaultDataDir(conversations: number, postgres: boolean): string {
  const label = conversations >= 1_000_000 && conversations % 1_000_000 === 0 ? `${conversations / 1_000_000}m` : conversations >= 1000 && conversations % 1000 === 0 ? `${conversations / 1000}k` : String(conversations);
  return path.join(ROOT, "bench", "data", postgres ? `pg-${label}` : label);
}

/**
 * The dataset description in a data folder; a clear error when it was never seeded. The folder it was read
 * from is where the dataset is, whatever folder it was seeded in (a copied or moved dataset opens its own
 * files, not the original's).
 */
export function loadDataset(dataDir: string): BenchDataset {
  const file = path.join(dataDir, "bench-team.json");
  if (!fs.existsSync(file)) {
    throw new Error(`No dataset in ${dataDir} (bench-team.json is missing). Run: npm run bench:seed -- --conversations 100000 --data-dir ${dataDir}`);
  }
  return { ...(JSON.parse(fs.readFileSync(file, "utf8")) as BenchDataset), dataDir: path.resolve(dataDir) };
}

/** DATABASE_URL pointed at a schema through search_path, so the unchanged product (openContext) works in it. */
export function urlWithSchema(databaseUrl: string, schema: string | null): string {
  if (!schema) {
    return databaseUrl;
  }
  const url = new URL(databaseUrl);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return url.toString();
}

/** The environment a product process needs to open this dataset (DATA_DIR for SQLite, DATABASE_URL for PostgreSQL). */
export function productEnv(dataset: BenchDataset): Record<string, string> {
  if (dataset.dialect === "sqlite") {
    return { DATA_DIR: dataset.dataDir };
  }
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(`The dataset in ${dataset.dataDir} is on PostgreSQL: set DATABASE_URL to the database it was seeded in.`);
  }
  return { DATA_DIR: dataset.dataDir, DATABASE_URL: urlWithSchema(url, dataset.schema) };
}

/** Opens the dataset's database with the product's own openDatabase (the seed migrates it). */
export function openDatasetDatabase(dataset: Pick<BenchDataset, "dialect" | "schema" | "dataDir">, poolSize = 4, databaseUrl = process.env.DATABASE_URL || undefined): Database {
  const logger = createLogger("warn");
  if (dataset.dialect === "sqlite") {
    databaseUrl = undefined;
  }
  if (dataset.dialect === "postgres" && !databaseUrl) {
    throw new Error("This dataset is on PostgreSQL: set DATABASE_URL.");
  }
  return openDatabase({ databaseUrl, dataDir: dataset.dataDir, poolSize, clock: systemClock, logger, ...(dataset.schema ? { schema: dataset.schema } : {}) });
}

/** Whether this module is the script node was started with (so a scenario file runs alone or is imported). */
export function isMain(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(moduleUrl);
}
