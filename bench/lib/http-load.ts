import http from "node:http";
import { summarize, type LatencySummary } from "./stats.js";

/** One request the generator sends (cycled in order). */
export interface RequestSpec {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** Open loop: `rate` requests a second whatever the answers; closed loop: `connections` clients each waiting for its answer. */
export interface HttpLoadSpec {
  baseUrl: string;
  requests: RequestSpec[];
  mode: "open" | "closed";
  connections: number;
  rate?: number;
  durationMs: number;
}

export interface HttpLoadResult {
  mode: "open" | "closed";
  completed: number;
  errors: number;
  statuses: Record<string, number>;
  durationMs: number;
  /** Answered requests per second. */
  rps: number;
  offeredRate: number | null;
  /** Open loop: the share of the offered requests the generator managed to send on schedule. */
  achieved: number | null;
  latency: LatencySummary;
}

function send(agent: http.Agent, base: URL, spec: RequestSpec): Promise<number> {
  return new Promise((resolve) => {
    const body = spec.body === undefined ? undefined : Buffer.from(spec.body);
    const request = http.request(
      { agent, host: base.hostname, port: base.port, method: spec.method, path: spec.path, headers: { ...(body ? { "content-type": "application/json", "content-length": String(body.length) } : {}), ...spec.headers } },
      (response) => {
        response.on("data", () => undefined);
        response.on("end", () => resolve(response.statusCode ?? 0));
        response.on("error", () => resolve(0));
      },
    );
    request.on("error", () => resolve(0));
    request.end(body);
  });
}

/** Drives HTTP load against a server and measures answers per second and latency (from the scheduled send time in open loop). */
export async function runHttpLoad(spec: HttpLoadSpec): Promise<HttpLoadResult> {
  const base = new URL(spec.baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.connections, maxFreeSockets: spec.connections });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let next = 0;
  const record = (status: number, since: number) => {
    latencies.push(performance.now() - since);
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status < 200 || status >= 300) {
      errors += 1;
    }
  };
  const pick = () => spec.requests[next++ % spec.requests.length] as RequestSpec;
  const started = performance.now();
  const end = started + spec.durationMs;
  let sentOnTime = 0;
  let offered = 0;
  if (spec.mode === "closed") {
    await Promise.all(
      Array.from({ length: spec.connections }, async () => {
        while (performance.now() < end) {
          const at = performance.now();
          record(await send(agent, base, pick()), at);
        }
      }),
    );
  } else {
    const rate = spec.rate ?? 100;
    const interval = 1000 / rate;
    offered = Math.floor(spec.durationMs / interval);
    const pending: Promise<void>[] = [];
    let index = 0;
    // Requests go out at their scheduled time; latency counts from that time, so a slow server cannot slow the generator down (no coordinated omission).
    while (index < offered) {
      const now = performance.now();
      while (index < offered && started + index * interval <= now) {
        const scheduled = started + index * interval;
        if (now - scheduled <= Math.max(5, interval * 2)) {
          sentOnTime += 1;
        }
        pending.push(send(agent, base, pick()).then((status) => record(status, scheduled)));
        index += 1;
      }
      const wait = started + index * interval - performance.now();
      await new Promise((resolve) => (wait > 1 ? setTimeout(resolve, Math.floor(wait)) : setImmediate(resolve)));
    }
    await Promise.all(pending);
  }
  const durationMs = performance.now() - started;
  agent.destroy();
  const completed = latencies.length;
  return {
    mode: spec.mode,
    completed,
    errors,
    statuses,
    durationMs,
    rps: spec.mode === "closed" ? completed / (spec.durationMs / 1000) : completed / (durationMs / 1000),
    offeredRate: spec.mode === "open" ? (spec.rate ?? 100) : null,
    achieved: spec.mode === "open" ? sentOnTime / Math.max(1, offered) : null,
    latency: summarize(latencies),
  };
}
