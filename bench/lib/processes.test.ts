import { describe, expect, it } from "vitest";
import { cpuSecondsOf } from "./processes.js";

describe("cpuSecondsOf", () => {
  it("reads a process's CPU time from /proc, which grows while the process computes", () => {
    const before = cpuSecondsOf(process.pid);
    const until = Date.now() + 120;
    let spin = 0;
    while (Date.now() < until) {
      spin += 1;
    }
    const after = cpuSecondsOf(process.pid);
    expect(spin).toBeGreaterThan(0);
    expect(before).toBeGreaterThan(0);
    // 120 ms of spinning, counted in ticks of 10 ms; a busy machine may run this thread a little less.
    expect(after - before).toBeGreaterThanOrEqual(0.05);
    expect(after - before).toBeLessThan(5);
  });
});
