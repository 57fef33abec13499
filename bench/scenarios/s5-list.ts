import { bucketsOfView } from "../../server/src/modules/conversations/buckets.js";
import type { BenchDataset } from "../lib/dataset.js";
import { alternate, medianOf } from "../lib/compare.js";
import type { HttpLoadResult, RequestSpec } from "../lib/http-load.js";
import { runClient } from "../lib/processes.js";
import { check } from "../lib/report.js";
import { apiHeaders, newResult, scratchDataset, seededDataset, startBaseline, startProduct, type Scenario } from "./common.js";
import { compareReads, countQueries, readFigures } from "./reads.js";

const VIEWS = ["mine", "unassigned", "open", "all", "closed", "default"] as const;

/** Mixed views and filters, as an agent's dashboard asks for them; the baseline asks the same buckets with raw SQL. */
function requests(dataset: BenchDataset): { product: RequestSpec[]; baseline: RequestSpec[] } {
  const headers = apiHeaders(dataset);
  const product: RequestSpec[] = [];
  const baseline: RequestSpec[] = [];
  const inbox = dataset.team.inboxIds[1] ?? dataset.team.inboxIds[0] ?? "";
  const tag = dataset.team.tagNames[0] ?? "billing";
  for (const view of VIEWS) {
    const buckets = bucketsOfView(view).join(",");
    for (const filter of ["", `&filter[inboxIds][0]=${inbox}`, `&filter[tags][0]=${tag}`, `&filter[channel]=widget`]) {
      product.push({ method: "GET", path: `/api/support/threads?inboxView=${view}&limit=25${filter}`, headers });
      baseline.push({ method: "GET", path: `/list?buckets=${buckets}` });
    }
  }
  return { product, baseline };
}

/** S5: a page of 25 conversations at 100k and 1M: p99, the 1M ÷ 100k ratio, and the statements per request. */
export const s5: Scenario = {
  name: "s5",
  title: "conversation list",
  async run({ smoke, rounds, durationMs, log, numbers }) {
    const result = newResult("s5", "conversation list: a page of 25 with preview and unread state, mixed views and filters");
    const rate = numbers.rate ?? (smoke ? 50 : 100);
    const scratch = smoke ? [await scratchDataset("s5a", 100, log), await scratchDataset("s5b", 300, log)] : [];
    // --conversations N measures one seeded size only (no 1M ÷ 100k ratio then).
    const datasets = smoke ? scratch.map((s) => s.dataset) : numbers.conversations ? [seededDataset(numbers.conversations)] : [seededDataset(100_000), seededDataset(1_000_000)];
    const p99: number[] = [];
    const queryCounts: number[][] = [];
    try {
      for (const dataset of datasets) {
        const label = dataset.conversations >= 1_000_000 ? "1M" : dataset.conversations >= 100_000 ? "100k" : String(dataset.conversations);
        const { product: productRequests, baseline: baselineRequests } = requests(dataset);
        queryCounts.push(await countQueries(dataset, productRequests));
        const product = await startProduct(dataset);
        const baseline = await startBaseline(dataset);
        try {
          log(`   ${label}:`);
          const comparison = await compareReads({ product, baseline, productRequests, baselineRequests, rate, rounds, durationMs, smoke, result, log });
          Object.assign(result.figures, readFigures(label, comparison));
          p99.push(result.figures[`${label} product p99 ms`] as number);
        } finally {
          await Promise.all([product.stop(), baseline.stop()]);
        }
      }
    } finally {
      scratch.forEach((s) => s.remove());
    }
    const small = p99[0] as number;
    const large = p99.at(-1) as number;
    const all = queryCounts.flat();
    // The same request must cost the same statements at every size; a tag filter adds its one lookup.
    const differing = (queryCounts[0] ?? []).filter((count, i) => queryCounts.some((counts) => counts[i] !== count)).length;
    result.figures["statements per request (min–max over views and filters)"] = `${Math.min(...all)}–${Math.max(...all)}`;
    if (p99.length > 1) {
      check(result, "S5 p99 1M ÷ 100k", large / small, "<=", 1.3);
    }
    check(result, `S5 p99 ms at the larger size (${result.dialect})`, large, "<=", result.dialect === "sqlite" ? 5 : 10);
    check(result, "S5 requests whose statement count changes with size", differing, "<=", 0);
    return result;
  },
};

/** S5b: GET /threads/counts (maintained counters) against a raw COUNT(*) … GROUP BY over the same conversations. */
export const s5b: Scenario = {
  name: "s5b",
  title: "view counts",
  async run({ smoke, rounds, durationMs, log }) {
    const result = newResult("s5b", "view counts: every view's count at 1M vs a raw COUNT … GROUP BY");
    const scratch = smoke ? await scratchDataset("s5c", 200, log) : undefined;
    const dataset = scratch?.dataset ?? seededDataset(1_000_000);
    const product = await startProduct(dataset);
    const baseline = await startBaseline(dataset);
    try {
      const headers = apiHeaders(dataset);
      // One request at a time on both sides: the raw GROUP BY takes far longer than any offered interval,
      // so an open loop would only measure its queue.
      const load = (url: string, path: string, h: Record<string, string>) => () => runClient<HttpLoadResult>({ kind: "http", baseUrl: url, requests: [{ method: "GET", path, headers: h }], mode: "closed", connections: 1, durationMs });
      const comparison = await alternate({ rounds, warmup: !smoke, baseline: load(baseline.url, "/counts", {}), product: load(product.url, "/api/support/threads/counts", headers), metric: (m) => m.latency.p50, log });
      result.figures = {
        "p50 ratio (product ÷ raw), median": comparison.ratio.median,
        "p50 ratio min–max": `${comparison.ratio.min.toFixed(4)}–${comparison.ratio.max.toFixed(4)}`,
        "product p50 ms": medianOf(comparison, "product", (m) => m.latency.p50),
        "product p99 ms": medianOf(comparison, "product", (m) => m.latency.p99),
        "raw COUNT GROUP BY p50 ms": medianOf(comparison, "baseline", (m) => m.latency.p50),
        "raw COUNT GROUP BY p99 ms": medianOf(comparison, "baseline", (m) => m.latency.p99),
      };
      check(result, "S5b p50 ratio (product ÷ raw)", comparison.ratio.median, "<=", 0.05);
      check(result, "S5b p99 ms", result.figures["product p99 ms"] as number, "<=", 2);
    } finally {
      await Promise.all([product.stop(), baseline.stop()]);
      scratch?.remove();
    }
    return result;
  },
};
