import { alternate, medianOf } from "../lib/compare.js";
import type { HttpLoadResult } from "../lib/http-load.js";
import { runClient, type ServerProcess } from "../lib/processes.js";
import { check } from "../lib/report.js";
import { median } from "../lib/stats.js";
import { apiHeaders, conversationIds, newResult, scratchDataset, startBaseline, startProduct, type Scenario } from "./common.js";

/** S1: POST /threads/:id/messages answered per second at 50 connections (closed loop), against a Fastify route doing one raw INSERT into the same kind of database. */
export const s1: Scenario = {
  name: "s1",
  title: "REST ingest",
  async run({ smoke, rounds, durationMs, log, numbers }) {
    const result = newResult("s1", "REST ingest: POST /threads/:id/messages at 50 connections vs Fastify + one raw INSERT");
    const connections = numbers.connections ?? (smoke ? 4 : 50);
    const { dataset, remove } = await scratchDataset("s1", smoke ? 50 : 2000, log);
    const product = await startProduct(dataset);
    // The same route and one raw INSERT into the same database: better-sqlite3, or pg on PostgreSQL.
    const baseline = await startBaseline(dataset.dialect === "postgres" ? dataset : undefined);
    try {
      const ids = await conversationIds(dataset, smoke ? 10 : 500);
      const body = JSON.stringify({ content: "Thanks, we are looking into your order now." });
      const productRequests = ids.map((id) => ({ method: "POST", path: `/api/support/threads/${id}/messages`, headers: apiHeaders(dataset), body }));
      // The server's own CPU time per answered request as well: it moves much less than req/s when the
      // machine is noisy, because the load generator shares the two cores.
      const load = (server: ServerProcess, requests: typeof productRequests) => async () => {
        const before = server.cpuSeconds();
        const measured = await runClient<HttpLoadResult>({ kind: "http", baseUrl: server.url, requests, mode: "closed", connections, durationMs });
        return { ...measured, cpuUsPerRequest: measured.completed > 0 ? ((server.cpuSeconds() - before) * 1e6) / measured.completed : Number.NaN };
      };
      const comparison = await alternate({ rounds, warmup: !smoke, baseline: load(baseline, [{ method: "POST", path: "/insert", headers: {}, body }]), product: load(product, productRequests), metric: (m) => m.rps, log });
      const cpuRatios = comparison.rounds.map((round) => round.product.cpuUsPerRequest / round.baseline.cpuUsPerRequest);
      const errors = comparison.rounds.reduce((sum, round) => sum + round.product.errors + round.baseline.errors, 0);
      result.figures = {
        "ratio (product ÷ baseline req/s), median": comparison.ratio.median,
        "ratio min–max": `${comparison.ratio.min.toFixed(3)}–${comparison.ratio.max.toFixed(3)}`,
        "product req/s (median)": medianOf(comparison, "product", (m) => m.rps),
        "baseline req/s (median)": medianOf(comparison, "baseline", (m) => m.rps),
        "product p50 ms": medianOf(comparison, "product", (m) => m.latency.p50),
        "product p99 ms": medianOf(comparison, "product", (m) => m.latency.p99),
        "baseline p99 ms": medianOf(comparison, "baseline", (m) => m.latency.p99),
        "product CPU µs per request (median)": medianOf(comparison, "product", (m) => m.cpuUsPerRequest),
        "baseline CPU µs per request (median)": medianOf(comparison, "baseline", (m) => m.cpuUsPerRequest),
        "CPU per request, product ÷ baseline (median)": median(cpuRatios),
        connections,
        "failed requests": errors,
      };
      if (errors > 0) {
        result.valid = false;
        result.notes.push(`statuses: ${JSON.stringify(comparison.rounds.map((round) => round.product.statuses))}`);
      }
      check(result, "S1 req/s ratio", comparison.ratio.median, ">=", 0.4);
      check(result, "S1 p99 ms", medianOf(comparison, "product", (m) => m.latency.p99), "<=", 20);
    } finally {
      await Promise.all([product.stop(), baseline.stop()]);
      remove();
    }
    return result;
  },
};
