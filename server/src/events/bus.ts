import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import type { Redis as RedisClient } from "ioredis";
import type { Logger } from "../lib/logger.js";
import type { Signal, StoredEvent } from "./domain-event.js";

/** `remote`: the event was committed by another process (it came through Redis). */
export type EventHandler = (event: StoredEvent, remote: boolean) => void;
export type SignalHandler = (signal: Signal) => void;

/**
 * Carries committed events (numbered, stored, replayable) and signals (typing, presence: fleeting, never
 * stored) to listeners in this process and, with Redis, in every other process.
 */
export interface EventBus {
  publish(events: StoredEvent[]): void;
  subscribe(handler: EventHandler): () => void;
  publishSignal(signal: Signal): void;
  subscribeSignals(handler: SignalHandler): () => void;
  /** Resolves once the bus can deliver messages from other processes. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

class Dispatcher<T> {
  private readonly handlers = new Set<(item: T, remote: boolean) => void>();

  constructor(
    private readonly logger: Logger,
    private readonly what: string,
  ) {}

  subscribe(handler: (item: T, remote: boolean) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  dispatch(items: T[], remote = false): void {
    for (const item of items) {
      for (const handler of this.handlers) {
        try {
          handler(item, remote);
        } catch (error) {
          this.logger.error({ err: error }, `${this.what} handler failed`);
        }
      }
    }
  }
}

/** The embedded default: listeners in this process only. */
export function createLocalBus(logger: Logger): EventBus {
  const events = new Dispatcher<StoredEvent>(logger, "event");
  const signals = new Dispatcher<Signal>(logger, "signal");
  return {
    publish: (items) => events.dispatch(items),
    subscribe: (handler) => events.subscribe(handler),
    publishSignal: (signal) => signals.dispatch([signal]),
    subscribeSignals: (handler) => signals.subscribe(handler),
    ready: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

interface Envelope {
  origin: string;
  events?: StoredEvent[];
  signal?: Signal;
}

/** Scale-out: messages reach this process's listeners at once and other processes through Redis pub/sub. */
export function createRedisBus(redisUrl: string, logger: Logger, channel = "parley:events"): EventBus {
  const origin = randomUUID();
  const events = new Dispatcher<StoredEvent>(logger, "event");
  const signals = new Dispatcher<Signal>(logger, "signal");
  // ioredis is loaded only when Redis is configured: the single-process default never pays for it.
  const { Redis } = createRequire(import.meta.url)("ioredis") as { Redis: typeof RedisClient };
  const publisher = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: null });
  const subscriber = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: null });
  for (const client of [publisher, subscriber]) {
    client.on("error", (error) => logger.warn({ err: error }, "Redis connection error"));
  }
  subscriber.on("message", (_channel: string, message: string) => {
    let parsed: Envelope;
    try {
      parsed = JSON.parse(message) as Envelope;
    } catch {
      logger.warn("ignored a malformed message on the event channel");
      return;
    }
    if (parsed.origin === origin) {
      return;
    }
    if (Array.isArray(parsed.events)) {
      events.dispatch(parsed.events, true);
    }
    if (parsed.signal) {
      signals.dispatch([parsed.signal], true);
    }
  });
  const subscribed = subscriber.subscribe(channel).then(() => undefined);
  const send = (envelope: Envelope) => {
    publisher.publish(channel, JSON.stringify(envelope)).catch((error: unknown) => {
      logger.error({ err: error }, "could not publish to Redis");
    });
  };
  return {
    publish(items) {
      events.dispatch(items);
      send({ origin, events: items });
    },
    subscribe: (handler) => events.subscribe(handler),
    publishSignal(signal) {
      signals.dispatch([signal]);
      send({ origin, signal });
    },
    subscribeSignals: (handler) => signals.subscribe(handler),
    ready: () => subscribed,
    async close() {
      await Promise.allSettled([publisher.quit(), subscriber.quit()]);
    },
  };
}
