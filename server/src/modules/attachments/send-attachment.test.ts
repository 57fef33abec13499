import { describe, expect, it } from "vitest";
import { parseRange } from "./send-attachment.js";

describe("parseRange", () => {
  it("reads one range, an open-ended range and a suffix", () => {
    expect(parseRange("bytes=0-99", 1000)).toEqual({ start: 0, end: 99 });
    expect(parseRange("bytes=500-", 1000)).toEqual({ start: 500, end: 999 });
    expect(parseRange("bytes=-100", 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange("bytes=-5000", 1000)).toEqual({ start: 0, end: 999 });
    expect(parseRange("bytes=990-5000", 1000)).toEqual({ start: 990, end: 999 });
  });

  it("serves the whole file for no header, several ranges, other units and backwards ranges", () => {
    for (const header of [undefined, "", "bytes=0-1,5-6", "items=0-1", "bytes=-", "bytes=9-3", "bytes=abc"]) {
      expect(parseRange(header, 1000), String(header)).toBeUndefined();
    }
  });

  it("says unsatisfiable for a range that starts past the end or an empty suffix", () => {
    expect(parseRange("bytes=1000-", 1000)).toBe("unsatisfiable");
    expect(parseRange("bytes=-0", 1000)).toBe("unsatisfiable");
  });
});
