import { describe, expect, it } from "vitest";
import { tsqueryParts } from "./postgres-search.repo.js";
import { foldWord, parseSearchQuery } from "./search-query.js";
import { fts5Match } from "./sqlite-search.repo.js";

describe("parseSearchQuery", () => {
  it("splits on anything that is not a letter or digit and drops emoji", () => {
    expect(parseSearchQuery("  Refund, please!! 😀 invoice#42 👩‍👩‍👧 1️⃣ ").terms).toEqual(["Refund", "please", "invoice", "42"]);
  });

  it("keeps letters of every script, and combining marks inside a word", () => {
    expect(parseSearchQuery("Grüße 東京 हिन्दी Привет cafe\u0301").terms).toEqual(["Grüße", "東京", "हिन्दी", "Привет", "café"]);
  });

  it("makes the last word a prefix unless it is a single character", () => {
    expect(parseSearchQuery("refund invo").prefix).toBe(true);
    expect(parseSearchQuery("refund a").prefix).toBe(false);
  });

  it("remembers each piece as typed, without the punctuation around it", () => {
    expect(parseSearchQuery("(alice@acme.io), +1 555-010").chunks).toEqual([
      { text: "alice@acme.io", terms: ["alice", "acme", "io"] },
      { text: "+1", terms: ["1"] },
      { text: "555-010", terms: ["555", "010"] },
    ]);
  });

  it.each(["", "   ", "!!!", "*", '"', "( ) -- ** ::", "😀👍", "1️⃣"])("rejects %j with validation_failed: nothing to search for", (q) => {
    expect(() => parseSearchQuery(q)).toThrow(expect.objectContaining({ status: 400, code: "validation_failed" }));
  });

  it("folds case and Latin accents the way FTS5's remove_diacritics does", () => {
    expect(foldWord("CAFÉ")).toBe("cafe");
    expect(foldWord("Naïve")).toBe("naive");
    expect(foldWord("Привет")).toBe("привет");
  });
});

describe("fts5Match", () => {
  it("quotes every word, requires all, and makes the last a prefix", () => {
    expect(fts5Match(parseSearchQuery("refund invo"))).toBe('"refund" AND "invo"*');
  });

  it("turns FTS5 operators and syntax into plain quoted words", () => {
    expect(fts5Match(parseSearchQuery('foo" OR "bar NEAR(a b) AND * ^x col:y'))).toBe('"foo" AND "OR" AND "bar" AND "NEAR" AND "a" AND "b" AND "AND" AND "x" AND "col" AND "y"');
  });
});

describe("tsqueryParts", () => {
  it("quotes each word, adds the unaccented and signed spellings, and makes the last a prefix", () => {
    expect(tsqueryParts(parseSearchQuery("Café 0199"))).toEqual([
      { words: "('Café' | 'cafe')", whole: undefined },
      { words: "('0199':* | '-0199':* | '+0199':*)", whole: undefined },
    ]);
  });

  it("offers a piece that PostgreSQL may index whole (an email, a signed number) as one lexeme too", () => {
    expect(tsqueryParts(parseSearchQuery("alice@acme +1555"))).toEqual([
      { words: "'alice' & 'acme'", whole: "'alice@acme'" },
      { words: "('1555':* | '-1555':* | '+1555':*)", whole: "'+1555':*" },
    ]);
  });

  it("escapes quotes and backslashes inside a whole piece", () => {
    expect(tsqueryParts(parseSearchQuery("o'brien\\xy"))[0]?.whole).toBe("'o''brien\\\\xy':*");
  });
});
