import type { Config } from "./config.js";
import type { AppContext } from "./context.js";
import { migrate, openDatabase } from "./db/database.js";
import { createLocalBus, createRedisBus } from "./events/bus.js";
import { systemClock, type Clock } from "./lib/clock.js";
import type { Logger } from "./lib/logger.js";
import { forgetConversationOf } from "./modules/conversations/recent-conversations.js";

/** Opens the database (migrated), the event bus, and wires committed events into the bus. */
export async function openContext(config: Config, logger: Logger, clock: Clock = systemClock): Promise<AppContext> {
  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize, clock, logger, walCheckpoints: "background" });
  try {
    await migrate(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  const bus = config.redisUrl ? createRedisBus(config.redisUrl, logger) : createLocalBus(logger);
  database.onCommit((events) => bus.publish(events));
  // A conversation another process changed is read again here before its next message (it would be anyway,
  // once its UPDATE found the row changed, at the cost of running that write group again).
  bus.subscribe((event, remote) => {
    if (remote) {
      forgetConversationOf(event);
    }
  });
  return { config, database, bus, clock, logger };
}

/** Closes what openContext opened. */
export async function closeContext(context: AppContext): Promise<void> {
  await context.bus.close();
  await context.database.close();
}
