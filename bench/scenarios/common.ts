import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defaultDataDir, loadDataset, openDatasetDatabase, productEnv, ROOT, urlWithSchema, type BenchDataset } from "../lib/dataset.js";
import { startServer, type ServerProcess } from "../lib/processes.js";
import type { ScenarioResult } from "../lib/report.js";
import { seed } from "../seed.js";

/** How a scenario runs: for real (defaults) or as a smoke test with tiny sizes. */
export interface ScenarioOptions {
  smoke: boolean;
  rounds: number;
  /** Length of one measured run. */
  durationMs: number;
  log: (line: string) => void;
  /** Extra knobs from the command line (--rate, --pairs, …). */
  numbers: Record<string, number>;
}

export interface Scenario {
  name: string;
  title: string;
  /** Why the scenario cannot run on this machine (a missing browser), or undefined when it can; it is then skipped. */
  unavailable?: () => string | undefined;
  run(options: ScenarioOptions): Promise<ScenarioResult | ScenarioResult[]>;
}

export const dialect = (): "sqlite" | "postgres" => (process.env.DATABASE_URL ? "postgres" : "sqlite");

export function newResult(scenario: string, title: string): ScenarioResult {
  return { scenario, title, dialect: dialect(), valid: true, notes: [], figures: {}, checks: [] };
}

/** A throwaway dataset (the same generator, small) for scenarios that write, and for smoke runs. */
export async function scratchDataset(label: string, conversations: number, log: (line: string) => void): Promise<{ dataset: BenchDataset; remove: () => void }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `parley-bench-${label}-`));
  const schema = process.env.DATABASE_URL ? `bench_scratch_${label}_${process.pid}` : undefined;
  const dataset = await seed({ conversations, meanMessages: 3, smallTeams: 2, seed: 7, dataDir, schema, databaseUrl: process.env.DATABASE_URL || undefined, force: true, vocabulary: 5000, anchor: Date.now(), chunk: 2000, log: () => undefined });
  log(`   scratch dataset: ${conversations} conversations in ${dataset.seedSeconds} s`);
  return {
    dataset,
    remove: () => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (schema) {
        void dropSchema(schema);
      }
    },
  };
}

async function dropSchema(schema: string): Promise<void> {
  const pg = await import("pg");
  const client = new pg.default.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
}

/** The seeded dataset of this size (bench/data/100k, bench/data/pg-1m, …); a clear error when it is missing. */
export function seededDataset(conversations: number): BenchDataset {
  return loadDataset(defaultDataDir(conversations, dialect() === "postgres"));
}

/** Starts the product (server/src/main.ts) on a dataset. */
export async function startProduct(dataset: BenchDataset, env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<ServerProcess> {
  // BENCH_PROFILE_DIR=dir writes a V8 CPU profile of each product process there when it stops.
  const profile = process.env.BENCH_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  // BENCH_ALLOC_DIR=dir writes where each product process allocated its memory (bench/lib/allocation-profile.ts).
  const allocations = process.env.BENCH_ALLOC_DIR ? ["--import", path.join(ROOT, "bench/lib/allocation-profile.ts")] : [];
  // BENCH_NODE_ARGS="--perf-basic-prof" passes Node flags to the product only (for `perf record -p`).
  const extra = (process.env.BENCH_NODE_ARGS ?? "").split(/\s+/).filter((arg) => arg !== "");
  return startServer({ script: "server/src/main.ts", env: { ...productEnv(dataset), ...env }, nodeArgs: [...profile, ...allocations, ...extra, ...nodeArgs] });
}

/** Starts the HTTP baseline (bench/baselines/http-baseline.ts) on the same data. */
export async function startBaseline(dataset: BenchDataset | undefined): Promise<ServerProcess> {
  const env: Record<string, string> = { TEAM_ID: dataset?.team.id ?? "" };
  if (dataset?.dialect === "postgres" && process.env.DATABASE_URL) {
    env.DATABASE_URL = urlWithSchema(process.env.DATABASE_URL, dataset.schema);
  } else {
    env.DATABASE_URL = "";
    if (dataset) {
      env.BASELINE_DATA_DIR = dataset.dataDir;
    }
  }
  return startServer({ script: "bench/baselines/http-baseline.ts", env });
}

/** Some conversations of the large team, newest first. */
export async function conversationIds(dataset: BenchDataset, count: number): Promise<string[]> {
  const database = openDatasetDatabase(dataset, 1);
  try {
    const rows = await database.db.selectFrom("conversations").select("id").where("team_id", "=", dataset.team.id).orderBy("last_activity_at", "desc").limit(count).execute();
    return rows.map((row) => row.id);
  } finally {
    await database.close();
  }
}

export const apiHeaders = (dataset: BenchDataset): Record<string, string> => ({ "x-api-key": dataset.team.apiKey });
