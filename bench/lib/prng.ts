// A seeded pseudo-random generator (sfc32: 128 bits of state, fast, good statistics) and the draws the
// data generator needs. Math.random is never used, so a seed always yields the same dataset.

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** A deterministic random stream. */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = 0) {
    this.a = 0x9e3779b9 ^ seed;
    this.b = 0x243f6a88 ^ stream;
    this.c = 0xb7e15162 ^ Math.imul(seed, 0x85ebca6b);
    this.d = 1;
    for (let i = 0; i < 16; i++) {
      this.next();
    }
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform number in [0, 1). */
  float(): number {
    return this.next() / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)] as T;
  }

  /** An element chosen by weight (weights need not sum to 1). */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((sum, [, w]) => sum + w, 0);
    let r = this.float() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) {
        return item;
      }
    }
    return (items.at(-1) as readonly [T, number])[0];
  }

  /** An exponentially distributed number with this mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.float()) * mean;
  }

  /** A string of letters and digits, like the product's random ids. */
  token(length: number): string {
    let out = "";
    for (let i = 0; i < length; i++) {
      out += ALPHABET[this.next() % 62];
    }
    return out;
  }

  /** A public id shaped like the product's (`conv_` + 16 characters). */
  id(prefix: string): string {
    return `${prefix}_${this.token(16)}`;
  }
}

/**
 * Draws word ranks from a Zipf-like distribution (P(rank r) ∝ 1 / r^s) in constant time with Vose's alias
 * method, so a hundred million draws stay cheap.
 */
export class ZipfSampler {
  private readonly probability: Float64Array;
  private readonly alias: Uint32Array;

  constructor(
    readonly size: number,
    exponent: number,
  ) {
    const weights = new Float64Array(size);
    let total = 0;
    for (let r = 0; r < size; r++) {
      weights[r] = 1 / Math.pow(r + 1, exponent);
      total += weights[r] as number;
    }
    this.probability = new Float64Array(size);
    this.alias = new Uint32Array(size);
    const scaled = weights.map((w) => (w / total) * size);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
    while (small.length > 0 && large.length > 0) {
      const s = small.pop() as number;
      const l = large.pop() as number;
      this.probability[s] = scaled[s] as number;
      this.alias[s] = l;
      scaled[l] = (scaled[l] as number) + (scaled[s] as number) - 1;
      (scaled[l] < 1 ? small : large).push(l);
    }
    for (const i of [...small, ...large]) {
      this.probability[i] = 1;
    }
  }

  /** A rank in [0, size): 0 is the most frequent. */
  draw(prng: Prng): number {
    const column = prng.next() % this.size;
    return prng.float() < (this.probability[column] as number) ? column : (this.alias[column] as number);
  }
}
