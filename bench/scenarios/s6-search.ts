import type { RequestSpec } from "../lib/http-load.js";
import { check } from "../lib/report.js";
import { apiHeaders, newResult, scratchDataset, seededDataset, startBaseline, startProduct, type Scenario } from "./common.js";
import { alternate } from "../lib/compare.js";
import type { HttpLoadResult } from "../lib/http-load.js";
import { runClient } from "../lib/processes.js";
import { readFigures } from "./reads.js";

/** S6: top 20 messages with highlights for rare, two-term and common-term queries, against the raw FTS5 / tsvector query. */
export const s6: Scenario = {
  name: "s6",
  title: "search",
  async run({ smoke, rounds, durationMs, log, numbers }) {
    const result = newResult("s6", "search: top 20 with highlights, rare / two-term / common-term, one query at a time");
    const scratch = smoke ? await scratchDataset("s6", 200, log) : undefined;
    // The budget's row is over 1M messages: the 200k-conversation dataset holds about that many (five each).
    // --conversations 1000000 measures the 5M messages of the 1M dataset instead.
    const dataset = scratch?.dataset ?? seededDataset(numbers.conversations ?? 200_000);
    result.figures.messages = dataset.messages;
    const product = await startProduct(dataset);
    const baseline = await startBaseline(dataset);
    const headers = apiHeaders(dataset);
    try {
      for (const [kind, queries] of [["rare", dataset.search.rare], ["two-term", dataset.search.twoTerm], ["common", dataset.search.common]] as const) {
        const productRequests: RequestSpec[] = queries.map((q) => ({ method: "GET", path: `/api/support/search?type=messages&limit=20&q=${encodeURIComponent(q)}`, headers }));
        const baselineRequests: RequestSpec[] = queries.map((q) => ({ method: "GET", path: `/search?q=${encodeURIComponent(q)}` }));
        log(`   ${kind}: ${queries.join(", ")}`);
        // One query at a time on both sides: a common word's raw ranking takes longer than any offered
        // interval, so an open loop would measure its queue rather than the query.
        const load = (url: string, requests: RequestSpec[]) => () => runClient<HttpLoadResult>({ kind: "http", baseUrl: url, requests, mode: "closed", connections: 1, durationMs });
        const comparison = await alternate({ rounds, warmup: !smoke, baseline: load(baseline.url, baselineRequests), product: load(product.url, productRequests), metric: (m) => m.latency.p99, log });
        Object.assign(result.figures, readFigures(kind, comparison));
        check(result, `S6 ${kind} p99 ms`, result.figures[`${kind} product p99 ms`] as number, "<=", kind === "common" ? 150 : 25);
      }
    } finally {
      await Promise.all([product.stop(), baseline.stop()]);
      scratch?.remove();
    }
    return result;
  },
};
