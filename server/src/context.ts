import type { Config } from "./config.js";
import type { Database } from "./db/database.js";
import type { EventBus } from "./events/bus.js";
import type { Clock } from "./lib/clock.js";
import type { Logger } from "./lib/logger.js";

/** What the process is made of; built once by main.ts (or a test) and handed to buildApp. */
export interface AppContext {
  config: Config;
  database: Database;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
}
