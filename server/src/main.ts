import { buildApp } from "./app.js";
import { closeContext, openContext } from "./bootstrap.js";
import { ConfigError, loadConfig } from "./config.js";
import { jobHandlers } from "./jobs/handlers.js";
import { ensureHousekeeping } from "./jobs/housekeeping.js";
import { JobWorker } from "./jobs/worker.js";
import { createLogger } from "./lib/logger.js";

/** Starts Parley: configuration, database (migrated), event bus, HTTP. */
async function main(): Promise<void> {
  const started = performance.now();
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const context = await openContext(config, logger);
  const app = await buildApp(context);
  const worker = new JobWorker(context, jobHandlers);
  await app.listen({ port: config.port, host: config.host });
  await ensureHousekeeping(context);
  worker.start();
  logger.info({ url: config.publicUrl, database: context.database.dialect, bus: config.redisUrl ? "redis" : "local", startupMs: Math.round(performance.now() - started) }, "Parley is ready");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    logger.info({ signal }, "shutting down");
    await app.close();
    await worker.stop();
    await closeContext(context);
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  process.stderr.write(`Parley failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
