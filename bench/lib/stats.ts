/** Latency figures of one run, in milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** The value under which a fraction q of the sorted values lie (nearest rank). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) {
    return Number.NaN;
  }
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] as number;
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** p50/p90/p99/max/mean of raw latencies. */
export function summarize(latencies: number[] | Float64Array): LatencySummary {
  const sorted = Float64Array.from(latencies).sort();
  let total = 0;
  for (const value of sorted) {
    total += value;
  }
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return {
    count: sorted.length,
    p50: round(quantile(sorted, 0.5)),
    p90: round(quantile(sorted, 0.9)),
    p99: round(quantile(sorted, 0.99)),
    max: round(sorted.length > 0 ? (sorted[sorted.length - 1] as number) : Number.NaN),
    mean: round(sorted.length > 0 ? total / sorted.length : Number.NaN),
  };
}
