import { describe, expect, it, vi } from "vitest";
import { newId, newLowercaseToken, randomString, timePart } from "./ids.js";

describe("ids", () => {
  it("are a prefix and 16 characters of [0-9a-zA-Z], all different across many draws from the pool", () => {
    const ids = Array.from({ length: 20_000 }, () => newId("msg"));
    for (const id of ids.slice(0, 500)) {
      expect(id).toMatch(/^msg_[0-9a-zA-Z]{16}$/);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("sort by the time they were made, in byte order as the databases compare them", () => {
    const times = [0, 61, 62, 3843, Date.UTC(2026, 10, 24), Date.UTC(2026, 10, 24) + 1, Date.UTC(2080, 0, 1)];
    const parts = times.map(timePart);
    expect(parts.every((part) => /^[0-9A-Za-z]{7}$/.test(part))).toBe(true);
    expect(parts[0]).toBe("0000000");
    expect(parts[2]).toBe("0000010");
    // Plain comparison of the strings (what an index on the id column does) follows the times.
    expect([...parts].reverse().sort()).toEqual(parts);
    const earlier = newId("msg");
    const later = (() => {
      const start = Date.now();
      while (Date.now() === start) {
        // wait for the clock to move on
      }
      return newId("msg");
    })();
    expect(earlier < later).toBe(true);
  });

  it("carry the time they were made after the prefix, and random characters drawn without bias after it", () => {
    const at = Date.UTC(2026, 10, 25, 1, 2, 3, 4);
    const clock = vi.spyOn(Date, "now").mockReturnValue(at);
    try {
      const ids = [newId("conv"), newId("msg"), newId("vis"), ...Array.from({ length: 62 * 300 }, () => newId("msg"))];
      expect(ids[0]).toMatch(new RegExp(`^conv_${timePart(at)}[0-9a-zA-Z]{9}$`));
      expect(ids[1]).toMatch(new RegExp(`^msg_${timePart(at)}[0-9a-zA-Z]{9}$`));
      expect(ids[2]).toMatch(new RegExp(`^vis_${timePart(at)}[0-9a-zA-Z]{9}$`));
      const counts = new Map<string, number>();
      for (const id of ids.slice(3)) {
        for (const char of id.slice(-9)) {
          counts.set(char, (counts.get(char) ?? 0) + 1);
        }
      }
      expect(counts.size).toBe(62);
      // 2,700 expected per character.
      for (const count of counts.values()) {
        expect(count).toBeGreaterThan(2300);
        expect(count).toBeLessThan(3100);
      }
    } finally {
      clock.mockRestore();
    }
  });

  it("use every character of the alphabet about equally (no modulo bias)", () => {
    const counts = new Map<string, number>();
    const text = randomString(62 * 2000);
    for (const char of text) {
      counts.set(char, (counts.get(char) ?? 0) + 1);
    }
    expect(counts.size).toBe(62);
    // 2,000 expected per character; a bias towards the first 8 characters (256 % 62) would add about 25%.
    for (const count of counts.values()) {
      expect(count).toBeGreaterThan(1700);
      expect(count).toBeLessThan(2300);
    }
  });

  it("keeps lowercase tokens lowercase and refuses an alphabet it cannot draw from fairly", () => {
    expect(newLowercaseToken(40)).toMatch(/^[0-9a-z]{40}$/);
    expect(() => randomString(4, "a")).toThrow(RangeError);
  });
});
