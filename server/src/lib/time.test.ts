import { describe, expect, it } from "vitest";
import { iso, isoOrNull } from "./time.js";

const DAY = 86_400_000;

describe("iso", () => {
  it("writes exactly what Date#toISOString writes, at every boundary of a day", () => {
    const cases = [0, 1, 999, 1000, 59_999, 60_000, 3_599_999, 3_600_000, DAY - 1, DAY, DAY + 1, 951_782_400_000 /* 2000-02-29 */, 1_795_132_800_000, 253_402_300_799_999];
    for (const ms of cases) {
      expect(iso(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it("agrees with Date#toISOString on many times spread over the years, whatever day it met before", () => {
    let seed = 42;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let i = 0; i < 20_000; i += 1) {
      // Mostly within a few days of each other (as a page of conversations is), sometimes anywhere up to year 9999.
      const ms = i % 10 === 0 ? Math.floor(next() * 253_402_300_800_000) : 1_795_132_800_000 - Math.floor(next() * 5 * DAY);
      expect(iso(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it("leaves what it does not write itself to Date: years before 1970 or after 9999, fractions, invalid times", () => {
    for (const ms of [-1, -DAY - 1, -62_198_755_200_000, 253_402_300_800_000, 8.64e15, 1.5]) {
      expect(iso(ms)).toBe(new Date(ms).toISOString());
    }
    expect(() => iso(Number.NaN)).toThrow(RangeError);
    expect(isoOrNull(null)).toBeNull();
    expect(isoOrNull(0)).toBe("1970-01-01T00:00:00.000Z");
  });
});
