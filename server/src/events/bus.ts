import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import type { Logger } from "../lib/logger.js";
import type { StoredEvent } from "./domain-event.js";

export type EventHandler = (event: StoredEvent) => void;

/** Carries committed events to listeners in this process and, with Redis, in every other process. */
export interface EventBus {
  publish(events: StoredEvent[]): void;
  subscribe(handler: EventHandler): () => void;
  /** Resolves once the bus can deliver events from other processes. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

class LocalDispatcher {
  private readonly handlers = new Set<EventHandler>();

  constructor(private readonly logger: Logger) {}

  subscribe(handler: EventHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  dispatch(events: StoredEvent[]): void {
    for (const event of events) {
      for (const handler of this.handlers) {
        try {
          handler(event);
        } catch (error) {
          this.logger.error({ err: error, event: event.name }, "event handler failed");
        }
      }
    }
  }
}

/** The embedded default: listeners in this process only. */
export function createLocalBus(logger: Logger): EventBus {
  const local = new LocalDispatcher(logger);
  return {
    publish: (events) => local.dispatch(events),
    subscribe: (handler) => local.subscribe(handler),
    ready: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

/** Scale-out: events reach this process's listeners at once and other processes through Redis pub/sub. */
export function createRedisBus(redisUrl: string, logger: Logger, channel = "parley:events"): EventBus {
  const origin = randomUUID();
  const local = new LocalDispatcher(logger);
  const publisher = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: null });
  const subscriber = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: null });
  for (const client of [publisher, subscriber]) {
    client.on("error", (error) => logger.warn({ err: error }, "Redis connection error"));
  }
  subscriber.on("message", (_channel: string, message: string) => {
    let parsed: { origin: string; events: StoredEvent[] };
    try {
      parsed = JSON.parse(message) as { origin: string; events: StoredEvent[] };
    } catch {
      logger.warn("ignored a malformed message on the event channel");
      return;
    }
    if (parsed.origin !== origin) {
      local.dispatch(parsed.events);
    }
  });
  const subscribed = subscriber.subscribe(channel).then(() => undefined);
  return {
    publish(events) {
      local.dispatch(events);
      publisher.publish(channel, JSON.stringify({ origin, events })).catch((error: unknown) => {
        logger.error({ err: error }, "could not publish events to Redis");
      });
    },
    subscribe: (handler) => local.subscribe(handler),
    ready: () => subscribed,
    async close() {
      await Promise.allSettled([publisher.quit(), subscriber.quit()]);
    },
  };
}
