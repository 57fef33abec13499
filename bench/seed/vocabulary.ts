import { Prng, ZipfSampler } from "../lib/prng.js";

// The words messages are made of: real support-desk words at the head of a Zipf-like distribution, then
// pronounceable made-up words down a long tail, so that a search can ask for a word found in a handful of
// messages, in a few percent of them, or in most of them.

/** The most frequent words, in rank order: function words first, then the words of support conversations. */
const HEAD = (
  "the to i and a you my is it for of in on this that with be have can not me we your are was but at order " +
  "please thanks help account if do just get would there an so from will what when our no yes hi hello " +
  "refund invoice payment password email login shipping delivery package card subscription plan price " +
  "problem issue error update change cancel return receipt address phone number app website page " +
  "download upload file report team support agent today tomorrow week month again still now time " +
  "working broken slow charged twice missing wrong received sent check confirm question answer"
).split(" ");

const ONSETS = ["b", "br", "c", "ch", "d", "dr", "f", "fl", "g", "gr", "h", "j", "k", "kl", "l", "m", "n", "p", "pl", "qu", "r", "s", "sh", "st", "t", "tr", "v", "w", "z"];
const VOWELS = ["a", "e", "i", "o", "u", "ai", "ou", "ea"];
const CODAS = ["", "", "", "n", "r", "s", "l", "m", "x", "nd", "st"];

/** A vocabulary of `size` distinct lowercase words (a–z only), the same for the same seed. */
export function buildVocabulary(size: number, seed: number): string[] {
  const prng = new Prng(seed, 7);
  const words = [...new Set(HEAD)];
  const seen = new Set(words);
  while (words.length < size) {
    const syllables = prng.int(2, 4);
    let word = "";
    for (let s = 0; s < syllables; s++) {
      word += prng.pick(ONSETS) + prng.pick(VOWELS) + (s === syllables - 1 ? prng.pick(CODAS) : "");
    }
    if (word.length >= 4 && word.length <= 14 && !seen.has(word)) {
      seen.add(word);
      words.push(word);
    }
  }
  return words;
}

/** Writes message texts whose words follow the Zipf-like distribution, and counts how often each word is used. */
export class TextWriter {
  private readonly sampler: ZipfSampler;
  /** How many messages each word appears in (at least once), over everything written so far. */
  readonly documentFrequency: Uint32Array;
  private readonly lastDocument: Uint32Array;
  private documents = 0;

  constructor(
    readonly words: string[],
    exponent: number,
  ) {
    this.sampler = new ZipfSampler(words.length, exponent);
    this.documentFrequency = new Uint32Array(words.length);
    this.lastDocument = new Uint32Array(words.length);
  }

  /** One message: one or two sentences, about `meanWords` words in all. */
  message(prng: Prng, meanWords: number, track: boolean): string {
    const length = Math.max(3, Math.min(80, Math.round(prng.exponential(meanWords - 3)) + 3));
    const split = length > 10 && prng.chance(0.5) ? prng.int(4, length - 4) : -1;
    this.documents += 1;
    let out = "";
    for (let i = 0; i < length; i++) {
      const rank = this.sampler.draw(prng);
      if (track && this.lastDocument[rank] !== this.documents) {
        this.lastDocument[rank] = this.documents;
        this.documentFrequency[rank] = (this.documentFrequency[rank] as number) + 1;
      }
      const word = this.words[rank] as string;
      const start = i === 0 || i === split;
      out += (i === 0 ? "" : i === split ? ". " : prng.chance(0.06) ? ", " : " ") + (start ? word.charAt(0).toUpperCase() + word.slice(1) : word);
    }
    return `${out}${prng.chance(0.2) ? "?" : "."}`;
  }
}

export interface SearchTerms {
  rare: string[];
  twoTerm: string[];
  common: string[];
  /** How many of the large team's messages hold each example word. */
  documentFrequency: Record<string, number>;
}

/**
 * Example queries of each class, from the words' real document frequencies in the large team: rare words
 * (a handful of messages), two words each found in 1–4 % of messages, and one word found in 5–20 % of them.
 * A query's last word also matches as a prefix, so examples are words that start no other word.
 */
export function pickSearchTerms(writer: TextWriter, messages: number): SearchTerms {
  const sorted = [...writer.words].sort();
  const prefixOfAnother = new Set(sorted.filter((word, i) => sorted[i + 1]?.startsWith(word)));
  const usable = writer.words.map((word, rank) => ({ word, rank, df: writer.documentFrequency[rank] as number })).filter((w) => !prefixOfAnother.has(w.word) && w.word.length >= 4);
  const between = (lo: number, hi: number) => usable.filter((w) => w.df >= lo && w.df <= hi);
  const rareTarget = Math.max(2, Math.round(messages * 0.000005));
  const rare = usable
    .filter((w) => w.df >= rareTarget)
    .sort((x, y) => x.df - y.df || x.rank - y.rank)
    .slice(0, 5);
  const mid = between(messages * 0.01, messages * 0.04).slice(0, 10);
  const twoTerm: string[] = [];
  for (let i = 0; i + 1 < mid.length && twoTerm.length < 5; i += 2) {
    twoTerm.push(`${mid[i]?.word} ${mid[i + 1]?.word}`);
  }
  const common = between(messages * 0.05, messages * 0.2)
    .filter((w) => w.rank > 8)
    .slice(0, 5);
  const documentFrequency: Record<string, number> = {};
  for (const w of [...rare, ...mid, ...common]) {
    documentFrequency[w.word] = w.df;
  }
  return { rare: rare.map((w) => w.word), twoTerm, common: common.map((w) => w.word), documentFrequency };
}
