// The load generator's own process (forked by processes.ts): it runs one task, or with --session many
// commands over IPC while it keeps sockets open, so the measured server never shares a CPU thread with it.
import { runHttpLoad, type HttpLoadSpec } from "./http-load.js";
import { closeSockets, openSockets, runRelay, timeFanout } from "./ws-clients.js";

type Task = { kind: string; id?: number } & Record<string, unknown>;

async function perform(task: Task): Promise<unknown> {
  switch (task.kind) {
    case "http":
      return runHttpLoad(task as unknown as HttpLoadSpec);
    case "ws-open":
      return openSockets(task as unknown as Parameters<typeof openSockets>[0]);
    case "ws-close":
      return closeSockets(task as unknown as Parameters<typeof closeSockets>[0]);
    case "ws-fanout":
      return timeFanout(task as unknown as Parameters<typeof timeFanout>[0]);
    case "ws-relay":
      return runRelay(task as unknown as Parameters<typeof runRelay>[0]);
    case "memory":
      return { rssKiB: Math.round(process.memoryUsage().rss / 1024) };
    default:
      throw new Error(`unknown client task ${task.kind}`);
  }
}

const session = process.argv.includes("--session");
process.on("message", (task: Task) => {
  perform(task).then(
    (value) => {
      process.send?.({ id: task.id, ok: true, value }, () => {
        if (!session) {
          process.exit(0);
        }
      });
    },
    (error: unknown) => {
      process.send?.({ id: task.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => {
        if (!session) {
          process.exit(1);
        }
      });
    },
  );
});
process.on("disconnect", () => process.exit(0));
