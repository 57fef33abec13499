import fs from "node:fs";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type SQLite from "better-sqlite3";
import type { Logger } from "../lib/logger.js";

/**
 * The worker's code: its own connection to the database file, running PASSIVE checkpoints on a timer.
 * PASSIVE never waits for the writer or readers; it copies what it can and leaves the rest for next time.
 * Plain CommonJS evaluated as a string, so it runs the same under the built server and under tsx.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma("synchronous = NORMAL");
db.pragma("wal_autocheckpoint = 0");
let timer;
function tick() {
  let delay = workerData.intervalMs;
  try {
    const [result] = db.pragma("wal_checkpoint(PASSIVE)");
    // A long log: check again almost at once, so that each pass has little to copy and one soon ends with
    // the whole log copied before the next commit, which lets the writer start the log over.
    if (result && result.log > workerData.hurryFrames) {
      delay = workerData.busyIntervalMs;
    }
  } catch (error) {
    parentPort.postMessage({ type: "error", message: String(error && error.message || error) });
  }
  timer = setTimeout(tick, delay);
}
parentPort.on("message", (message) => {
  if (message === "stop") {
    clearTimeout(timer);
    db.close();
    parentPort.close();
  }
});
timer = setTimeout(tick, workerData.intervalMs);
`;

export interface CheckpointerOptions {
  /** How often the worker checkpoints (milliseconds). */
  intervalMs?: number;
  /** How soon it checks again while the log is longer than `hurryFrames` (milliseconds). */
  busyIntervalMs?: number;
  /** Frames (pages) in the log past which the worker hurries: 4,096, 16 MiB of 4 KiB pages. */
  hurryFrames?: number;
  /**
   * The write-ahead log's size (bytes) past which the writer checkpoints itself after a commit: the worker is
   * late, or writes never paused long enough for it to catch up.
   */
  walLimitBytes?: number;
}

/**
 * SQLite's write-ahead log is copied back into the database file by checkpoints. By default the writer does
 * it inside a COMMIT once the log passes 1,000 pages, which blocks the event loop for the copy and two
 * fsyncs: on the ingest benchmark about a sixth of the commit's cost, and the longest pauses. Here the
 * writer's connection never checkpoints on its own; a worker thread with a connection of its own runs a
 * PASSIVE checkpoint every interval, concurrently with the writer (decision 0012).
 *
 * The log starts over from its beginning only when a write transaction begins with every frame already
 * copied. Under steady writes a pass that copies 100 ms of commits is always overtaken by the next commit,
 * so the log only grew; the writer then copied the rest itself at the limit, blocking the event loop for
 * 6–15 ms about once a second on the ingest benchmark. So once the log is longer than `hurryFrames`, the
 * worker checks every `busyIntervalMs`: each pass copies a commit or two, and one soon finishes between two
 * commits. Should the log still grow past `walLimitBytes`, the writer checkpoints after its next commit, as
 * SQLite would have, so the log stays bounded whatever happens to the worker.
 */
export class BackgroundCheckpointer {
  private readonly worker: Worker;
  private readonly walFile: string;
  private readonly walLimitBytes: number;
  private stopped = false;
  /** How many times the writer had to checkpoint itself (the log passed `walLimitBytes`). */
  writerCheckpoints = 0;

  constructor(
    private readonly sqlite: SQLite.Database,
    file: string,
    private readonly logger: Logger,
    options: CheckpointerOptions = {},
  ) {
    this.walFile = `${file}-wal`;
    this.walLimitBytes = options.walLimitBytes ?? 64 * 1024 * 1024;
    sqlite.pragma("wal_autocheckpoint = 0");
    // After a checkpoint lets the log start over, a file that grew past this is cut back to it.
    sqlite.pragma(`journal_size_limit = ${this.walLimitBytes}`);
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, intervalMs: options.intervalMs ?? 100, busyIntervalMs: options.busyIntervalMs ?? 2, hurryFrames: options.hurryFrames ?? 4096 } });
    this.worker.unref();
    this.worker.on("message", (message: { type: string; message?: string }) => {
      if (message.type === "error") {
        this.logger.warn({ error: message.message }, "background WAL checkpoint failed; it will be tried again");
      }
    });
    this.worker.on("error", (error) => this.logger.error({ err: error }, "the WAL checkpoint worker stopped; commits checkpoint themselves past the log limit"));
  }

  /** Called by the writer after each commit: checkpoints right there only if the log is past its limit. */
  afterCommit(): void {
    let size: number;
    try {
      size = fs.statSync(this.walFile).size;
    } catch {
      return;
    }
    if (size > this.walLimitBytes) {
      try {
        this.writerCheckpoints += 1;
        this.sqlite.pragma("wal_checkpoint(PASSIVE)");
      } catch (error) {
        // What was committed stays committed; the next commit tries again.
        this.logger.warn({ err: error }, "checkpoint of an oversized write-ahead log failed");
      }
    }
  }

  /** Stops the worker and closes its connection; the writer's own close then checkpoints what is left. */
  async stop(): Promise<void> {
    if (this.stopped) {
      return;
    }
    this.stopped = true;
    const exited = new Promise<void>((resolve) => this.worker.once("exit", () => resolve()));
    this.worker.postMessage("stop");
    const timeout = setTimeout(() => void this.worker.terminate(), 5_000);
    await exited;
    clearTimeout(timeout);
  }
}
