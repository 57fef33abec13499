import { describe, expect, it } from "vitest";
import { leastBusy, nextInTurn } from "./choose-assignee.js";

const a = { id: "a" };
const b = { id: "b" };
const c = { id: "c" };

describe("nextInTurn", () => {
  it("goes round in order and wraps", () => {
    expect(nextInTurn([a, b, c], null)).toBe(a);
    expect(nextInTurn([a, b, c], "a")).toBe(b);
    expect(nextInTurn([a, b, c], "c")).toBe(a);
  });

  it("starts again at the first when the last one served is no longer a candidate", () => {
    expect(nextInTurn([a, c], "b")).toBe(a);
    expect(nextInTurn([], "a")).toBeUndefined();
  });
});

describe("leastBusy", () => {
  it("picks the fewest open conversations, the first on a tie, and counts nobody's missing count as zero", () => {
    expect(leastBusy([a, b, c], new Map([["a", 3], ["b", 1], ["c", 1]]))).toBe(b);
    expect(leastBusy([a, b], new Map([["a", 2]]))).toBe(b);
    expect(leastBusy([], new Map())).toBeUndefined();
  });
});
