/**
 * The benchmark runner: `npm run bench` runs every scenario, `npm run bench -- s1 s5` the ones named.
 *   --rounds 5 --duration 5000 (ms per measured run) --smoke (tiny sizes, for the test suite)
 * SQLite by default; PostgreSQL when DATABASE_URL is set. Results go to bench/results/<scenario>.jsonl.
 */
import { parseArgs } from "./lib/args.js";
import { isMain } from "./lib/dataset.js";
import { appendResult, printResult, type ScenarioResult } from "./lib/report.js";
import type { Scenario, ScenarioOptions } from "./scenarios/common.js";
import { d1 } from "./scenarios/d1-dashboard.js";
import { s1 } from "./scenarios/s1-ingest.js";
import { s2 } from "./scenarios/s2-relay.js";
import { s3, s4 } from "./scenarios/s3-s4-sockets.js";
import { s5, s5b } from "./scenarios/s5-list.js";
import { s6 } from "./scenarios/s6-search.js";
import { s7 } from "./scenarios/s7-startup.js";

export const scenarios: Scenario[] = [s1, s2, s3, s4, s5, s5b, s6, s7, d1];

/** Runs one scenario, prints and records its results. */
export async function runScenario(scenario: Scenario, options: ScenarioOptions): Promise<ScenarioResult[]> {
  const missing = scenario.unavailable?.();
  if (missing) {
    options.log(`-- ${scenario.name}: ${scenario.title} — skipped: ${missing}`);
    return [];
  }
  options.log(`-- ${scenario.name}: ${scenario.title}`);
  const outcome = await scenario.run(options);
  const results = Array.isArray(outcome) ? outcome : [outcome];
  for (const result of results) {
    printResult(result, options.log);
    appendResult(result, options.smoke);
  }
  return results;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const wanted = args.words.map((word) => word.toLowerCase());
  const chosen = wanted.length === 0 ? scenarios : scenarios.filter((scenario) => wanted.includes(scenario.name));
  const unknown = wanted.filter((word) => !scenarios.some((scenario) => scenario.name === word));
  if (unknown.length > 0) {
    throw new Error(`Unknown scenario ${unknown.join(", ")}; known: ${scenarios.map((s) => s.name).join(", ")}`);
  }
  const smoke = args.flag("smoke");
  const numbers: Record<string, number> = {};
  for (const name of ["connections", "rate", "pairs", "sockets", "rates", "conversations"]) {
    const value = args.string(name);
    if (value !== undefined) {
      numbers[name] = Number(value);
    }
  }
  const options: ScenarioOptions = { smoke, rounds: args.number("rounds", smoke ? 1 : 5), durationMs: args.number("duration", smoke ? 300 : 5000), log: (line) => process.stdout.write(`${line}\n`), numbers };
  let failed = 0;
  for (const scenario of chosen) {
    const results = await runScenario(scenario, options);
    failed += results.filter((result) => !result.valid || result.checks.some((c) => !c.met)).length;
  }
  process.stdout.write(`\n${chosen.length} scenario(s) run; ${failed} result(s) invalid or outside the budget.\n`);
}

if (isMain(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
