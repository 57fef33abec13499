import type { KyselyPlugin } from "kysely";
import { buildApp } from "../../server/src/app.js";
import { loadConfig } from "../../server/src/config.js";
import { createLocalBus } from "../../server/src/events/bus.js";
import { systemClock } from "../../server/src/lib/clock.js";
import { createLogger } from "../../server/src/lib/logger.js";
import { alternate, medianOf, type Comparison } from "../lib/compare.js";
import { openDatasetDatabase, productEnv, type BenchDataset } from "../lib/dataset.js";
import type { HttpLoadResult, RequestSpec } from "../lib/http-load.js";
import { runClient, type ServerProcess } from "../lib/processes.js";
import type { ScenarioResult } from "../lib/report.js";

/** Open-loop latency of read requests, product against baseline, alternating; marks the result invalid when the generator fell behind. */
export async function compareReads(options: {
  product: ServerProcess;
  baseline: ServerProcess;
  productRequests: RequestSpec[];
  baselineRequests: RequestSpec[];
  rate: number;
  rounds: number;
  durationMs: number;
  smoke: boolean;
  result: ScenarioResult;
  log: (line: string) => void;
}): Promise<Comparison<HttpLoadResult>> {
  const load = (url: string, requests: RequestSpec[]) => () => runClient<HttpLoadResult>({ kind: "http", baseUrl: url, requests, mode: "open", rate: options.rate, connections: 64, durationMs: options.durationMs });
  const comparison = await alternate({ rounds: options.rounds, warmup: !options.smoke, baseline: load(options.baseline.url, options.baselineRequests), product: load(options.product.url, options.productRequests), metric: (m) => m.latency.p99, log: options.log });
  const achieved = Math.min(...comparison.rounds.flatMap((round) => [round.product.achieved ?? 1, round.baseline.achieved ?? 1]));
  const errors = comparison.rounds.reduce((sum, round) => sum + round.product.errors + round.baseline.errors, 0);
  if (achieved < 0.98 && !options.smoke) {
    options.result.valid = false;
    options.result.notes.push(`the generator sent only ${(achieved * 100).toFixed(1)}% of the offered rate on time`);
  }
  if (errors > 0) {
    options.result.valid = false;
    options.result.notes.push(`${errors} failed requests: ${JSON.stringify(comparison.rounds.at(-1)?.product.statuses)}`);
  }
  options.result.figures[`offered rate req/s`] = options.rate;
  options.result.figures[`lowest share sent on time`] = achieved;
  return comparison;
}

/** p50/p99 of both sides and the ratio, as figures named with a prefix. */
export function readFigures(prefix: string, comparison: Comparison<HttpLoadResult>): Record<string, unknown> {
  return {
    [`${prefix} p99 ratio (product ÷ baseline), median`]: comparison.ratio.median,
    [`${prefix} p99 ratio min–max`]: `${comparison.ratio.min.toFixed(2)}–${comparison.ratio.max.toFixed(2)}`,
    [`${prefix} product p50 ms`]: medianOf(comparison, "product", (m) => m.latency.p50),
    [`${prefix} product p99 ms`]: medianOf(comparison, "product", (m) => m.latency.p99),
    [`${prefix} baseline p50 ms`]: medianOf(comparison, "baseline", (m) => m.latency.p50),
    [`${prefix} baseline p99 ms`]: medianOf(comparison, "baseline", (m) => m.latency.p99),
  };
}

/**
 * How many SQL statements each request costs: the product's app built in this process over the dataset
 * with a Kysely plugin that counts the queries it compiles, each request injected once.
 */
export async function countQueries(dataset: BenchDataset, requests: RequestSpec[]): Promise<number[]> {
  const database = openDatasetDatabase(dataset, 2);
  let count = 0;
  // Counted as results come back: a prepared statement is compiled once but runs (and answers) every time.
  const counter: KyselyPlugin = {
    transformQuery: (args) => args.node,
    transformResult: (args) => {
      count += 1;
      return Promise.resolve(args.result);
    },
  };
  const counted = { ...database, dialect: database.dialect, schema: database.schema, db: database.db.withPlugin(counter), transaction: database.transaction.bind(database), onCommit: database.onCommit.bind(database), close: database.close.bind(database) };
  const logger = createLogger("warn");
  const config = loadConfig({ ...productEnv(dataset), LOG_LEVEL: "warn" });
  const bus = createLocalBus(logger);
  const app = await buildApp({ config, database: counted, bus, clock: systemClock, logger });
  try {
    const counts: number[] = [];
    for (const request of requests) {
      await app.inject({ method: request.method as "GET", url: request.path, headers: request.headers });
      count = 0;
      const response = await app.inject({ method: request.method as "GET", url: request.path, headers: request.headers });
      if (response.statusCode !== 200) {
        throw new Error(`${request.path} answered ${response.statusCode}: ${response.body.slice(0, 300)}`);
      }
      counts.push(count);
    }
    return counts;
  } finally {
    await app.close();
    await bus.close();
    await database.close();
  }
}
