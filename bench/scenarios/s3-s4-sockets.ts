import { alternate, medianOf } from "../lib/compare.js";
import { ClientSession, startServer, type ServerProcess } from "../lib/processes.js";
import { check } from "../lib/report.js";
import { apiHeaders, conversationIds, newResult, scratchDataset, startProduct, type Scenario } from "./common.js";
import { addSocketTeam } from "./socket-team.js";

const wsUrl = (server: ServerProcess, path: string) => `${server.url.replace("http", "ws")}${path}`;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Sockets one client process opens at most (this machine allows 20,000 open files per process). */
const PER_CLIENT = 10_000;

/** Opens sockets over as many client processes as needed, waits, and returns the server's memory growth per socket. */
async function memoryPerSocket(server: ServerProcess, urls: string[], authFrames: string[] | undefined, warm: number): Promise<{ kibPerSocket: number; held: number; rssKiB: number }> {
  const clients: ClientSession[] = [];
  try {
    const first = new ClientSession();
    clients.push(first);
    await first.call({ kind: "ws-open", group: "warm", urls: urls.slice(0, warm), authFrames: authFrames?.slice(0, warm), readyType: "hello" });
    await pause(1000);
    const before = server.rssKiB();
    let held = warm;
    for (let from = warm; from < urls.length; from += PER_CLIENT) {
      const client = from === warm ? first : new ClientSession();
      if (client !== first) {
        clients.push(client);
      }
      const to = Math.min(urls.length, from + (client === first ? PER_CLIENT - warm : PER_CLIENT));
      const opened = await client.call<{ opened: number }>({ kind: "ws-open", group: "idle", urls: urls.slice(from, to), authFrames: authFrames?.slice(from, to), readyType: "hello" });
      held += opened.opened;
      from = to - PER_CLIENT;
    }
    await pause(2000);
    const after = server.rssKiB();
    return { kibPerSocket: (after - before) / (held - warm), held, rssKiB: after };
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
}

/** S3: memory per idle authenticated widget socket, against raw `ws` holding the same number. */
export const s3: Scenario = {
  name: "s3",
  title: "idle widget connections",
  async run({ smoke, rounds, log, numbers }) {
    const result = newResult("s3", "idle authenticated widget sockets: memory per connection vs raw ws");
    const count = numbers.sockets ?? (smoke ? 40 : 19_900);
    const warm = smoke ? 10 : 200;
    const { dataset, remove } = await scratchDataset("s3", 50, log);
    try {
      const team = await addSocketTeam(dataset, { visitors: count, pairs: false });
      const authFrames = team.visitorTokens.map((token) => JSON.stringify({ type: "auth", visitorToken: token }));
      const comparison = await alternate({
        rounds,
        warmup: false,
        baseline: async () => {
          const raw = await startServer({ script: "bench/baselines/ws-baseline.ts" });
          try {
            return await memoryPerSocket(raw, Array.from({ length: count }, () => wsUrl(raw, "/idle")), undefined, warm);
          } finally {
            await raw.stop();
          }
        },
        product: async () => {
          const product = await startProduct(dataset, { GEOIP: "false" });
          try {
            return await memoryPerSocket(product, Array.from({ length: count }, () => wsUrl(product, "/api/widget/realtime")), authFrames, warm);
          } finally {
            await product.stop();
          }
        },
        metric: (m) => m.kibPerSocket,
        log,
      });
      const held = Math.min(...comparison.rounds.map((round) => round.product.held));
      result.figures = {
        "ratio (product ÷ raw KiB per socket), median": comparison.ratio.median,
        "ratio min–max": `${comparison.ratio.min.toFixed(2)}–${comparison.ratio.max.toFixed(2)}`,
        "product KiB per socket": medianOf(comparison, "product", (m) => m.kibPerSocket),
        "raw ws KiB per socket": medianOf(comparison, "baseline", (m) => m.kibPerSocket),
        "product RSS with all held, MiB": medianOf(comparison, "product", (m) => m.rssKiB) / 1024,
        "sockets held on one process": held,
      };
      check(result, "S3 memory ratio", comparison.ratio.median, "<=", 3);
      check(result, "S3 sockets held", held, ">=", smoke ? count : 20_000);
      if (!smoke && count < 20_000) {
        result.notes.push(`${count} sockets: this machine limits a process to 20,000 open files (hard limit), which the server's own files share`);
      }
    } finally {
      remove();
    }
    return result;
  },
};

/** S4: time until 1,000 agent sockets have one event (a note posted over REST), against raw `ws` broadcasting one frame. */
export const s4: Scenario = {
  name: "s4",
  title: "fan-out",
  async run({ smoke, rounds, log, numbers }) {
    const result = newResult("s4", "fan-out: time until 1,000 agent sockets have one event vs raw ws broadcast");
    const count = numbers.sockets ?? (smoke ? 20 : 1000);
    const { dataset, remove } = await scratchDataset("s4", 50, log);
    const product = await startProduct(dataset);
    const raw = await startServer({ script: "bench/baselines/ws-baseline.ts" });
    const client = new ClientSession();
    try {
      const [conversationId] = await conversationIds(dataset, 1);
      await client.call({ kind: "ws-open", group: "agents", urls: Array.from({ length: count }, () => wsUrl(product, "/api/realtime")), headers: apiHeaders(dataset), readyType: "hello" });
      await client.call({ kind: "ws-open", group: "audience", urls: Array.from({ length: count }, () => wsUrl(raw, "/broadcast")), readyType: "hello" });
      await client.call({ kind: "ws-open", group: "control", urls: [wsUrl(raw, "/broadcast?control=1")], readyType: "hello" });
      const frame = JSON.stringify({ type: "event", seq: 1, name: "message.created", inboxId: "inbox_x", data: { message: { id: "msg_x", content: "{marker}" } } });
      const comparison = await alternate({
        rounds: Math.max(rounds, smoke ? 1 : 5),
        warmup: true,
        baseline: () => client.call<{ ms: number; received: number }>({ kind: "ws-fanout", group: "audience", sender: { kind: "ws", group: "control", frames: [frame] } }),
        product: () =>
          client.call<{ ms: number; received: number }>({
            kind: "ws-fanout",
            group: "agents",
            sender: { kind: "http", baseUrl: product.url, requests: [{ method: "POST", path: `/api/support/threads/${conversationId}/messages`, headers: apiHeaders(dataset), body: JSON.stringify({ content: "{marker}", private: true }) }] },
          }),
        metric: (m) => m.ms,
        log,
      });
      const missing = comparison.rounds.reduce((sum, round) => sum + (count - round.product.received) + (count - round.baseline.received), 0);
      if (missing > 0) {
        result.valid = false;
        result.notes.push(`${missing} deliveries missing`);
      }
      result.figures = {
        "ratio (product ÷ raw ms), median": comparison.ratio.median,
        "ratio min–max": `${comparison.ratio.min.toFixed(2)}–${comparison.ratio.max.toFixed(2)}`,
        "product ms until all sockets have it (median)": medianOf(comparison, "product", (m) => m.ms),
        "raw ws broadcast ms (median)": medianOf(comparison, "baseline", (m) => m.ms),
        "product ms per round": comparison.rounds.map((round) => Math.round(round.product.ms * 10) / 10),
        sockets: count,
      };
      result.notes.push("the product's figure includes the REST request that writes the note (validation, transaction, commit) before the fan-out");
      check(result, "S4 ratio", comparison.ratio.median, "<=", 1.5);
    } finally {
      await client.close();
      await Promise.all([product.stop(), raw.stop()]);
      remove();
    }
    return result;
  },
};
