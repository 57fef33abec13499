import { execFileSync } from "node:child_process";
import path from "node:path";
import { median } from "../lib/stats.js";
import { startServer } from "../lib/processes.js";
import { check } from "../lib/report.js";
import { newResult, scratchDataset, seededDataset, type Scenario } from "./common.js";
import { productEnv, ROOT } from "../lib/dataset.js";

/** S7: from spawning the process to its first answered request, the embedded default (SQLite), against an empty Fastify server. */
export const s7: Scenario = {
  name: "s7",
  title: "cold start",
  async run({ smoke, rounds, log }) {
    const result = newResult("s7", "start-up: spawn to first answered /healthz, built server (dist/), on the 100k dataset");
    const scratch = smoke ? await scratchDataset("s7", 50, log) : undefined;
    const dataset = scratch?.dataset ?? seededDataset(100_000);
    const productMs: number[] = [];
    const baselineMs: number[] = [];
    const ratios: number[] = [];
    // The built product is what `npm start` runs (tsx would add its own compile time): the server is compiled
    // first, as `npm run build` does; the smoke run takes the sources through tsx to stay quick.
    const script = smoke ? "server/src/main.ts" : "dist/server/src/main.js";
    if (!smoke) {
      execFileSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "server/tsconfig.build.json"], { cwd: ROOT, stdio: "inherit" });
    }
    try {
      for (let i = 0; i < rounds + (smoke ? 0 : 1); i++) {
        const baseline = await startServer({ script: "bench/baselines/empty-server.mjs" });
        await baseline.stop();
        const product = await startServer({ script, env: productEnv(dataset) });
        await product.stop();
        if (i === 0 && !smoke) {
          continue; // warm-up: the file system cache
        }
        baselineMs.push(baseline.startMs);
        productMs.push(product.startMs);
        ratios.push(product.startMs / baseline.startMs);
        log(`   round ${productMs.length}: baseline ${baseline.startMs.toFixed(0)} ms · product ${product.startMs.toFixed(0)} ms`);
      }
    } finally {
      scratch?.remove();
    }
    result.figures = { "product start ms (median)": median(productMs), "product start ms max": Math.max(...productMs), "empty Fastify start ms (median)": median(baselineMs), "ratio median": median(ratios), "ratio min–max": `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}` };
    check(result, "S7 start ms", median(productMs), "<=", 1000);
    return result;
  },
};
