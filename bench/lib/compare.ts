import { median } from "./stats.js";

/** The ratio product / baseline of one metric over alternating rounds. */
export interface Comparison<T> {
  rounds: { baseline: T; product: T; ratio: number }[];
  ratio: { median: number; min: number; max: number };
}

/**
 * Measures a baseline and the product in the same run: one warm-up of each, then `rounds` alternating
 * pairs (baseline first, then product), and the median, min and max of product ÷ baseline of `metric`.
 */
export async function alternate<T>(options: { rounds: number; warmup?: boolean; baseline: () => Promise<T>; product: () => Promise<T>; metric: (measure: T) => number; log?: (line: string) => void }): Promise<Comparison<T>> {
  const { rounds, baseline, product, metric, log } = options;
  if (options.warmup !== false) {
    await baseline();
    await product();
  }
  const out: Comparison<T>["rounds"] = [];
  for (let i = 0; i < rounds; i++) {
    const b = await baseline();
    const p = await product();
    const ratio = metric(p) / metric(b);
    out.push({ baseline: b, product: p, ratio });
    log?.(`   round ${i + 1}/${rounds}: baseline ${metric(b).toFixed(3)} · product ${metric(p).toFixed(3)} · ratio ${ratio.toFixed(3)}`);
  }
  const ratios = out.map((round) => round.ratio);
  return { rounds: out, ratio: { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) } };
}

/** The median of one numeric field over the rounds of a side. */
export function medianOf<T>(comparison: Comparison<T>, side: "baseline" | "product", pick: (measure: T) => number): number {
  return median(comparison.rounds.map((round) => pick(round[side])));
}
