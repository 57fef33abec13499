import { afterEach, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { randomString } from "../lib/ids.js";
import { redisForTests } from "../../test/services.js";
import { createLogger } from "../lib/logger.js";
import { createLocalBus, createRedisBus, type EventBus } from "./bus.js";
import type { StoredEvent } from "./domain-event.js";

const logger = createLogger("silent");
const event = (seq: number, name = "test.happened"): StoredEvent => ({ name, teamId: "team_a", seq, createdAt: 0, payload: { seq } });

describe("local bus", () => {
  it("delivers published events to every subscriber in order, and stops after unsubscribe", () => {
    const bus = createLocalBus(logger);
    const first: number[] = [];
    const second: number[] = [];
    const stop = bus.subscribe((e) => first.push(e.seq));
    bus.subscribe((e) => second.push(e.seq));
    bus.publish([event(1), event(2)]);
    stop();
    bus.publish([event(3)]);
    expect(first).toEqual([1, 2]);
    expect(second).toEqual([1, 2, 3]);
  });

  it("keeps delivering to others when one subscriber throws", () => {
    const bus = createLocalBus(logger);
    const got: number[] = [];
    bus.subscribe(() => {
      throw new Error("listener bug");
    });
    bus.subscribe((e) => got.push(e.seq));
    bus.publish([event(1)]);
    expect(got).toEqual([1]);
  });
});

const redisUrl = await redisForTests();

describe.skipIf(!redisUrl)("Redis bus", () => {
  const buses: EventBus[] = [];
  // A channel of this test's own, so concurrent test runs on one Redis never hear each other.
  const channel = `parley:test:${randomString(10)}`;
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
  });

  it("reaches a subscriber in another bus (another process) exactly once, and its own subscribers at once", async () => {
    const a = createRedisBus(redisUrl!, logger, channel);
    const b = createRedisBus(redisUrl!, logger, channel);
    buses.push(a, b);
    await Promise.all([a.ready(), b.ready()]);
    const onA: number[] = [];
    const onB: number[] = [];
    const remoteFlags: { bus: string; remote: boolean }[] = [];
    a.subscribe((e, remote) => {
      onA.push(e.seq);
      remoteFlags.push({ bus: "a", remote });
    });
    b.subscribe((e, remote) => {
      onB.push(e.seq);
      remoteFlags.push({ bus: "b", remote });
    });
    a.publish([event(1), event(2)]);
    expect(onA).toEqual([1, 2]);
    await expect.poll(() => onB, { timeout: 2000 }).toEqual([1, 2]);
    // Give a duplicate (A hearing its own message back) time to show up: it must not.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(onA).toEqual([1, 2]);
    // Subscribers can tell what another process committed (a cache of this process's own writes drops it).
    expect(remoteFlags).toEqual([
      { bus: "a", remote: false },
      { bus: "a", remote: false },
      { bus: "b", remote: true },
      { bus: "b", remote: true },
    ]);
  });

  it("ignores malformed messages on the channel", async () => {
    const a = createRedisBus(redisUrl!, logger, channel);
    buses.push(a);
    await a.ready();
    const got: number[] = [];
    a.subscribe((e) => got.push(e.seq));
    const raw = new Redis(redisUrl!);
    await raw.publish(channel, "{not json");
    await raw.quit();
    const b = createRedisBus(redisUrl!, logger, channel);
    buses.push(b);
    await b.ready();
    b.publish([event(7)]);
    await expect.poll(() => got, { timeout: 2000 }).toEqual([7]);
  });
});
