import { describe, expect, it } from "vitest";
import { runScenario, scenarios } from "./run.js";

// Each scenario once with tiny sizes, so the harness keeps working as the product changes. These check that
// the scenario runs and measures, never the figures: real measurements are `npm run bench`.
describe("benchmark scenarios (smoke)", () => {
  for (const scenario of scenarios) {
    // A scenario that needs what this machine lacks (d1: Chromium) is skipped with its reason; under CI=true it throws instead.
    const missing = scenario.unavailable?.();
    if (missing) {
      console.warn(`[bench] skipping ${scenario.name} (${scenario.title}): ${missing}`);
    }
    it.skipIf(missing !== undefined)(`runs ${scenario.name} (${scenario.title}) with tiny sizes`, { timeout: 60_000 }, async () => {
      const lines: string[] = [];
      const results = await runScenario(scenario, { smoke: true, rounds: 1, durationMs: 200, log: (line) => lines.push(line), numbers: {} });
      expect(results.length).toBeGreaterThan(0);
      for (const result of results) {
        expect(result.checks.length).toBeGreaterThan(0);
        expect(result.checks.every((c) => Number.isFinite(c.value))).toBe(true);
      }
    });
  }
});
