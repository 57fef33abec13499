import { fork, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { ROOT } from "./dataset.js";

/** A server the benchmark started in its own process. */
export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Milliseconds from spawn until it answered its ready URL. */
  startMs: number;
  /** Resident memory of the process now (KiB), read from /proc. */
  rssKiB(): number;
  /** CPU time the process has used so far, user and system, in seconds (all its threads), read from /proc. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Linux reports a process's CPU times in clock ticks of 1/100 s (USER_HZ, 100 on every mainstream kernel). */
const TICKS_PER_SECOND = 100;

/** User plus system CPU time of a process in seconds (Linux; fields 14 and 15 of /proc/<pid>/stat). */
export function cpuSecondsOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Resident set size of a process in KiB (Linux). */
export function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) : Number.NaN;
}

async function waitReady(url: string, child: ChildProcess, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`server exited (${child.exitCode}) before it was ready:\n${output()}`);
    }
    try {
      const response = await fetch(url);
      if (response.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(`server did not answer ${url} within ${timeoutMs} ms:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Spawns `node [nodeArgs] script` with PORT set and waits until `readyPath` answers 200. TypeScript
 * scripts run through tsx's loader; the built product (dist/) runs on plain node.
 */
export async function startServer(options: { script: string; env?: Record<string, string>; readyPath?: string; nodeArgs?: string[]; timeoutMs?: number }): Promise<ServerProcess> {
  const port = await freePort();
  const script = path.resolve(ROOT, options.script);
  const loader = script.endsWith(".ts") ? ["--import", "tsx"] : [];
  const started = performance.now();
  const child = spawn(process.execPath, [...loader, ...(options.nodeArgs ?? []), script], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: "warn", HOST: "127.0.0.1", PUBLIC_URL: `http://127.0.0.1:${port}`, ...options.env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  // BENCH_SERVER_LOG=file appends every server's whole output there (for `--trace-gc` and the like).
  const log = process.env.BENCH_SERVER_LOG ? fs.openSync(process.env.BENCH_SERVER_LOG, "a") : undefined;
  if (log !== undefined) {
    child.once("exit", () => fs.closeSync(log));
  }
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-4000);
    if (log !== undefined) {
      fs.writeSync(log, chunk);
    }
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitReady(`${url}${options.readyPath ?? "/healthz"}`, child, options.timeoutMs ?? 30_000, () => output);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  const startMs = performance.now() - started;
  return {
    url,
    port,
    child,
    startMs,
    rssKiB: () => rssOf(child.pid as number),
    cpuSeconds: () => cpuSecondsOf(child.pid as number),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}

/** Runs one task in a fresh client process (bench/lib/client-process.ts) and returns its answer. */
export async function runClient<T>(task: Record<string, unknown>, timeoutMs = 600_000): Promise<T> {
  const child = fork(path.join(ROOT, "bench", "lib", "client-process.ts"), [], { execArgv: ["--import", "tsx", "--max-old-space-size=2048"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`client task ${String(task.kind)} timed out`));
    }, timeoutMs);
    child.once("message", (message: { ok: boolean; value?: T; error?: string }) => {
      clearTimeout(timer);
      child.disconnect();
      if (message.ok) {
        resolve(message.value as T);
      } else {
        reject(new Error(message.error));
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`client process exited (${code}) without an answer`));
    });
    child.send(task);
  });
}

/** A client process that stays up across several commands (sockets held open between steps). */
export class ClientSession {
  private readonly child: ChildProcess;
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  constructor() {
    this.child = fork(path.join(ROOT, "bench", "lib", "client-process.ts"), ["--session"], { execArgv: ["--import", "tsx", "--max-old-space-size=4096"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    this.child.on("message", (message: { id: number; ok: boolean; value?: unknown; error?: string }) => {
      const waiter = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      if (message.ok) {
        waiter?.resolve(message.value);
      } else {
        waiter?.reject(new Error(message.error));
      }
    });
    this.child.on("exit", (code) => {
      for (const waiter of this.waiting.values()) {
        waiter.reject(new Error(`client process exited (${code})`));
      }
      this.waiting.clear();
    });
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** Sends one command and waits for its answer. */
  async call<T>(task: Record<string, unknown>): Promise<T> {
    const id = ++this.next;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ ...task, id });
    });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) {
      return;
    }
    await new Promise<void>((resolve) => {
      this.child.once("exit", () => resolve());
      this.child.kill("SIGTERM");
    });
  }
}
