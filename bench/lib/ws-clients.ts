import http from "node:http";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { WebSocket } from "ws";
import type { RequestSpec } from "./http-load.js";
import { summarize, type LatencySummary } from "./stats.js";

// Socket work of the client process: groups of sockets held open between commands, a broadcast timer and an
// open-loop relay that measures one-way latency from the scheduled send time to the receiving socket.

const groups = new Map<string, { sockets: WebSocket[]; onFrame?: (index: number, text: string) => void }>();

/** Opens `count` sockets (optionally sending each its auth frame) and waits until each is ready. */
export async function openSockets(task: { group: string; urls: string[]; headers?: Record<string, string>; headersList?: Record<string, string>[]; authFrames?: string[]; readyType?: string; batch?: number }): Promise<{ opened: number }> {
  const group = { sockets: [] as WebSocket[] } as { sockets: WebSocket[]; onFrame?: (index: number, text: string) => void };
  groups.set(task.group, group);
  const batch = task.batch ?? 200;
  for (let from = 0; from < task.urls.length; from += batch) {
    const slice = task.urls.slice(from, from + batch);
    await Promise.all(
      slice.map(
        (url, k) =>
          new Promise<void>((resolve, reject) => {
            const index = from + k;
            const socket = new WebSocket(url, { headers: task.headersList?.[index] ?? task.headers, perMessageDeflate: false });
            group.sockets[index] = socket;
            let ready = false;
            socket.on("message", (data: Buffer) => {
              const text = data.toString("utf8");
              if (!ready && task.readyType && text.includes(`"type":"${task.readyType}"`)) {
                ready = true;
                resolve();
              }
              group.onFrame?.(index, text);
            });
            socket.on("open", () => {
              const auth = task.authFrames?.[index];
              if (auth) {
                socket.send(auth);
              }
              if (!task.readyType) {
                ready = true;
                resolve();
              }
            });
            socket.on("error", (error) => reject(error));
            socket.on("close", (code) => {
              if (!ready) {
                reject(new Error(`socket ${index} closed (${code}) before it was ready`));
              }
            });
          }),
      ),
    );
  }
  return { opened: group.sockets.length };
}

export async function closeSockets(task: { group: string }): Promise<{ closed: number }> {
  const group = groups.get(task.group);
  groups.delete(task.group);
  for (const socket of group?.sockets ?? []) {
    socket.terminate();
  }
  return { closed: group?.sockets.length ?? 0 };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function post(baseUrl: string, spec: RequestSpec): Promise<number> {
  const base = new URL(baseUrl);
  const body = spec.body === undefined ? undefined : Buffer.from(spec.body);
  return new Promise((resolve) => {
    const request = http.request({ agent, host: base.hostname, port: base.port, method: spec.method, path: spec.path, headers: { ...(body ? { "content-type": "application/json", "content-length": String(body.length) } : {}), ...spec.headers } }, (response) => {
      response.on("data", () => undefined);
      response.on("end", () => resolve(response.statusCode ?? 0));
    });
    request.on("error", () => resolve(0));
    request.end(body);
  });
}

/** How a trigger or a relay message is sent: an HTTP request to the product, or a frame on a socket of a group. */
export type Sender = { kind: "http"; baseUrl: string; requests: RequestSpec[] } | { kind: "ws"; group: string; frames: string[] };

function sendVia(sender: Sender, index: number, marker: string): Promise<number> | number {
  if (sender.kind === "http") {
    const spec = sender.requests[index % sender.requests.length] as RequestSpec;
    return post(sender.baseUrl, { ...spec, body: spec.body?.replaceAll("{marker}", marker), path: spec.path });
  }
  const group = groups.get(sender.group);
  const socket = group?.sockets[index % group.sockets.length];
  socket?.send((sender.frames[index % sender.frames.length] as string).replaceAll("{marker}", marker));
  return 200;
}

/** Sends one event and times how long until every socket of `group` has a frame containing its marker. */
export async function timeFanout(task: { group: string; sender: Sender; timeoutMs?: number }): Promise<{ ms: number; received: number; sockets: number }> {
  const group = groups.get(task.group);
  if (!group) {
    throw new Error(`no socket group ${task.group}`);
  }
  const marker = `f${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}z`;
  const got = new Uint8Array(group.sockets.length);
  let received = 0;
  let done: (() => void) | undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  group.onFrame = (index, text) => {
    if (got[index] === 0 && text.includes(marker)) {
      got[index] = 1;
      received += 1;
      if (received === group.sockets.length) {
        done?.();
      }
    }
  };
  const started = performance.now();
  const status = await sendVia(task.sender, 0, marker);
  if (status < 200 || status >= 300) {
    throw new Error(`the trigger answered ${status}`);
  }
  const timer = setTimeout(() => done?.(), task.timeoutMs ?? 10_000);
  await finished;
  clearTimeout(timer);
  const ms = performance.now() - started;
  group.onFrame = undefined;
  return { ms, received, sockets: group.sockets.length };
}

export interface RelayResult {
  rate: number;
  sent: number;
  received: number;
  lost: number;
  failedSends: number;
  achieved: number;
  latency: LatencySummary;
  /** How late the generator's own event loop ran during the run (ms): its share of any latency measured. */
  generatorDelay: { p99: number; max: number };
}

/** Open loop: `rate` messages a second spread over the pairs; receiver i is the socket of `receivers` paired with sender i. */
export async function runRelay(task: { receivers: string; sender: Sender; pairs: number; rate: number; durationMs: number; graceMs?: number }): Promise<RelayResult> {
  const group = groups.get(task.receivers);
  if (!group) {
    throw new Error(`no socket group ${task.receivers}`);
  }
  const interval = 1000 / task.rate;
  const offered = Math.floor(task.durationMs / interval);
  const scheduledAt = new Float64Array(offered);
  const arrived = new Uint8Array(offered);
  const latencies: number[] = [];
  // Brackets never occur in ids or JSON keys, so the marker cannot be matched inside a random id.
  const pattern = /\[m(\d+)\]/;
  group.onFrame = (_index, text) => {
    const match = pattern.exec(text);
    if (match) {
      const id = Number(match[1]);
      if (id < offered && arrived[id] === 0) {
        arrived[id] = 1;
        latencies.push(performance.now() - (scheduledAt[id] as number));
      }
    }
  };
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const started = performance.now();
  let index = 0;
  let onTime = 0;
  let failedSends = 0;
  const pending: Promise<void>[] = [];
  while (index < offered) {
    const now = performance.now();
    while (index < offered && started + index * interval <= now) {
      const scheduled = started + index * interval;
      scheduledAt[index] = scheduled;
      if (now - scheduled <= Math.max(5, interval * 2)) {
        onTime += 1;
      }
      const result = sendVia(task.sender, index % task.pairs, `[m${index}]`);
      if (typeof result !== "number") {
        pending.push(
          result.then((status) => {
            if (status < 200 || status >= 300) {
              failedSends += 1;
            }
          }),
        );
      }
      index += 1;
    }
    const wait = started + index * interval - performance.now();
    await new Promise((resolve) => (wait > 1 ? setTimeout(resolve, Math.floor(wait)) : setImmediate(resolve)));
  }
  await Promise.all(pending);
  const graceEnd = performance.now() + (task.graceMs ?? 2000);
  while (latencies.length < offered && performance.now() < graceEnd) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  group.onFrame = undefined;
  loopDelay.disable();
  const generatorDelay = { p99: Math.round(loopDelay.percentile(99) / 1e3) / 1e3, max: Math.round(loopDelay.max / 1e3) / 1e3 };
  return { rate: task.rate, sent: offered, received: latencies.length, lost: offered - latencies.length, failedSends, achieved: onTime / Math.max(1, offered), latency: summarize(latencies), generatorDelay };
}
