import { describe, expect, it } from "vitest";
import type { StoredEvent } from "../events/domain-event.js";
import { createLogger } from "../lib/logger.js";
import { GAP_WAIT_MS, TeamStream } from "./team-stream.js";

const event = (seq: number): StoredEvent => ({ name: "test.happened", teamId: "team_a", seq, createdAt: 0, payload: {} });
const logger = createLogger("silent");

function stream(stored: StoredEvent[], delivered = 0) {
  const out: number[] = [];
  const lost: [number, number][] = [];
  const reads: [number, number][] = [];
  const s = new TeamStream(
    "team_a",
    delivered,
    async (_team, after, to) => {
      reads.push([after, to]);
      return stored.filter((e) => e.seq > after && e.seq <= to);
    },
    (e) => out.push(e.seq),
    (from, to) => lost.push([from, to]),
    logger,
  );
  return { s, out, lost, reads };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, GAP_WAIT_MS * 3));

describe("TeamStream", () => {
  it("hands on events in order and drops duplicates", () => {
    const { s, out } = stream([]);
    for (const seq of [1, 2, 2, 3, 1]) {
      s.push(event(seq));
    }
    expect(out).toEqual([1, 2, 3]);
    s.close();
  });

  it("holds an early event until the ones before it arrive", () => {
    const { s, out } = stream([]);
    s.push(event(2));
    s.push(event(3));
    expect(out).toEqual([]);
    s.push(event(1));
    expect(out).toEqual([1, 2, 3]);
    s.close();
  });

  it("reads events that never arrive from the log, in order", async () => {
    const { s, out, reads } = stream([event(1), event(2), event(3)]);
    s.push(event(3));
    await settle();
    expect(out).toEqual([1, 2, 3]);
    expect(reads).toEqual([[0, 2]]);
    s.close();
  });

  it("reports events missing from the log too, then carries on", async () => {
    const { s, out, lost } = stream([], 4);
    s.push(event(7));
    await settle();
    expect(lost).toEqual([[5, 6]]);
    expect(out).toEqual([7]);
    s.close();
  });
});
