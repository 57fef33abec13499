import { describe, expect, it } from "vitest";
import { visitInSlices } from "./slices.js";

describe("visitInSlices", () => {
  it("visits every item once, in order, a slice per turn of the event loop", async () => {
    const seen: string[] = [];
    let turns = 0;
    let walking = true;
    const countTurns = () => {
      if (walking) {
        turns += 1;
        seen.push(`turn ${turns}`);
        setImmediate(countTurns);
      }
    };
    setImmediate(countTurns);
    await visitInSlices([1, 2, 3, 4, 5], 2, (item) => {
      seen.push(`item ${item}`);
      return undefined;
    });
    walking = false;
    expect(seen).toEqual(["item 1", "item 2", "turn 1", "item 3", "item 4", "turn 2", "item 5"]);
  });

  it("waits for a slice's visits before the next slice begins", async () => {
    const order: string[] = [];
    await visitInSlices(["a", "b", "c"], 2, async (item) => {
      order.push(`start ${item}`);
      await new Promise((resolve) => setTimeout(resolve, item === "a" ? 20 : 1));
      order.push(`end ${item}`);
    });
    expect(order).toEqual(["start a", "start b", "end b", "end a", "start c", "end c"]);
  });

  it("passes on a visit's failure and refuses an empty slice", async () => {
    await expect(visitInSlices([1, 2], 1, (item) => (item === 2 ? Promise.reject(new Error("no")) : undefined))).rejects.toThrow("no");
    await expect(visitInSlices([1], 0, () => undefined)).rejects.toThrow(RangeError);
  });
});
