import { alternate, medianOf } from "../lib/compare.js";
import { ClientSession, startServer, type ServerProcess } from "../lib/processes.js";
import { check } from "../lib/report.js";
import type { RelayResult, Sender } from "../lib/ws-clients.js";
import { newResult, scratchDataset, startProduct, type Scenario } from "./common.js";
import { addSocketTeam } from "./socket-team.js";

const wsUrl = (server: ServerProcess, path: string) => `${server.url.replace("http", "ws")}${path}`;

/** The highest of `rates` at which every message arrived, on schedule, with p99 under a second. */
async function maxSustained(client: ClientSession, receivers: string, sender: Sender, pairs: number, rates: number[], durationMs: number): Promise<{ rate: number; steps: RelayResult[] }> {
  let best = 0;
  const steps: RelayResult[] = [];
  for (const rate of rates) {
    const step = await client.call<RelayResult>({ kind: "ws-relay", receivers, sender, pairs, rate, durationMs, graceMs: 3000 });
    steps.push(step);
    if (step.lost > 0 || step.failedSends > 0 || step.achieved < 0.98 || step.latency.p99 > 1000) {
      break;
    }
    best = rate;
  }
  return { rate: best, steps };
}

/** Each visitor's first message, which opens their conversation (25 at a time); the conversations' ids, in order. */
async function openVisitorConversations(baseUrl: string, visitorTokens: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < visitorTokens.length; start += 25) {
    const replies = await Promise.all(
      visitorTokens.slice(start, start + 25).map(async (token) => {
        const response = await fetch(`${baseUrl}/api/widget/messages`, { method: "POST", headers: { "content-type": "application/json", "x-visitor-token": token }, body: JSON.stringify({ content: "Hello!" }) });
        if (response.status !== 201) {
          throw new Error(`a visitor's first message was refused: ${response.status} ${await response.text()}`);
        }
        return ((await response.json()) as { conversation: { id: string } }).conversation.id;
      }),
    );
    ids.push(...replies);
  }
  return ids;
}

/**
 * S2: one-way latency visitor → persisted → agent socket for 500 pairs at fixed rates (open loop), against a
 * raw `ws` relay at the same rate; and the highest rate each sustains without losing a message. The visitor
 * writes as the widget does once its socket is connected (a `message` frame on /api/widget/realtime naming its
 * conversation); agent i is the only member of visitor i's inbox, so each message reaches exactly one agent socket.
 */
export const s2: Scenario = {
  name: "s2",
  title: "visitor → agent latency",
  async run({ smoke, rounds, durationMs, log, numbers }) {
    const result = newResult("s2", "visitor → agent: one-way latency for 500 pairs vs a raw ws relay at the same rate");
    const pairs = numbers.pairs ?? (smoke ? 5 : 500);
    const rates = numbers.rate ? [numbers.rate] : smoke ? [50] : [2000, 5000];
    const steps = smoke ? [25, 50] : [500, 1000, 1500, 2000, 3000, 4000, 5000, 6000, 8000, 10000, 12000, 16000];
    const { dataset, remove } = await scratchDataset("s2", 50, log);
    const team = await addSocketTeam(dataset, { visitors: pairs, pairs: true });
    const product = await startProduct(dataset, { GEOIP: "false", WIDGET_MESSAGES_PER_MINUTE: "100000000", WIDGET_REQUESTS_PER_MINUTE: "100000000" });
    const raw = await startServer({ script: "bench/baselines/ws-baseline.ts" });
    const client = new ClientSession();
    try {
      const index = Array.from({ length: pairs }, (_, i) => i);
      await client.call({ kind: "ws-open", group: "visitors", urls: index.map(() => wsUrl(product, "/api/widget/realtime")), authFrames: team.visitorTokens.map((token) => JSON.stringify({ type: "auth", visitorToken: token })), readyType: "hello" });
      await client.call({ kind: "ws-open", group: "agents", urls: index.map(() => wsUrl(product, "/api/realtime")), headersList: team.agentKeys.map((key) => ({ "x-api-key": key })), readyType: "hello" });
      await client.call({ kind: "ws-open", group: "raw-agents", urls: index.map((i) => wsUrl(raw, `/relay?pair=${i}&role=agent`)), readyType: "hello" });
      await client.call({ kind: "ws-open", group: "raw-visitors", urls: index.map((i) => wsUrl(raw, `/relay?pair=${i}&role=visitor`)), readyType: "hello" });
      // The first message of each visitor opens their conversation, done once before any measurement; like the
      // widget, every later message names that conversation.
      const conversationIds = await openVisitorConversations(product.url, team.visitorTokens);
      // Each visitor writes on its widget socket, naming its conversation, as the widget does once connected.
      const productSender: Sender = {
        kind: "ws",
        group: "visitors",
        frames: conversationIds.map((conversationId) => JSON.stringify({ type: "message", ref: "{marker}", content: "Hello, where is my order? {marker}", conversationId })),
      };
      const rawSender: Sender = { kind: "ws", group: "raw-visitors", frames: ['{"content":"Hello, where is my order? {marker}"}'] };
      // One message from every visitor at a moderate rate warms both sides' paths up.
      await client.call({ kind: "ws-relay", receivers: "agents", sender: productSender, pairs, rate: Math.min(500, pairs * 10), durationMs: Math.ceil((pairs / Math.min(500, pairs * 10)) * 1000) + 100, graceMs: 3000 });
      for (const rate of rates) {
        // The server's CPU time per delivered message as well: steadier than the p99 on a noisy machine, it
        // shows what a change to the message path costs or saves.
        const run = (server: ServerProcess, receivers: string, sender: Sender) => async () => {
          const before = server.cpuSeconds();
          const measured = await client.call<RelayResult>({ kind: "ws-relay", receivers, sender, pairs, rate, durationMs, graceMs: 3000 });
          return { ...measured, cpuUsPerMessage: measured.received > 0 ? ((server.cpuSeconds() - before) * 1e6) / measured.received : Number.NaN };
        };
        log(`   ${rate} msg/s:`);
        const comparison = await alternate({ rounds, warmup: !smoke, baseline: run(raw, "raw-agents", rawSender), product: run(product, "agents", productSender), metric: (m) => m.latency.p99, log });
        const achieved = Math.min(...comparison.rounds.flatMap((round) => [round.product.achieved, round.baseline.achieved]));
        const lost = comparison.rounds.reduce((sum, round) => sum + round.product.lost, 0);
        Object.assign(result.figures, {
          [`${rate}/s p99 ratio (product ÷ raw), median`]: comparison.ratio.median,
          [`${rate}/s p99 ratio min–max`]: `${comparison.ratio.min.toFixed(2)}–${comparison.ratio.max.toFixed(2)}`,
          [`${rate}/s product p50 / p99 ms`]: `${medianOf(comparison, "product", (m) => m.latency.p50).toFixed(2)} / ${medianOf(comparison, "product", (m) => m.latency.p99).toFixed(2)}`,
          [`${rate}/s raw p50 / p99 ms`]: `${medianOf(comparison, "baseline", (m) => m.latency.p50).toFixed(2)} / ${medianOf(comparison, "baseline", (m) => m.latency.p99).toFixed(2)}`,
          [`${rate}/s product messages lost`]: lost,
          [`${rate}/s lowest share sent on time`]: achieved,
          // The generator's own event loop delay (its part of any latency it measures), product rounds / raw rounds.
          [`${rate}/s generator loop delay p99 ms (product / raw rounds)`]: `${medianOf(comparison, "product", (m) => m.generatorDelay.p99).toFixed(2)} / ${medianOf(comparison, "baseline", (m) => m.generatorDelay.p99).toFixed(2)}`,
          [`${rate}/s server CPU µs per message (product / raw)`]: `${medianOf(comparison, "product", (m) => m.cpuUsPerMessage).toFixed(0)} / ${medianOf(comparison, "baseline", (m) => m.cpuUsPerMessage).toFixed(0)}`,
        });
        if (achieved < 0.98 && !smoke) {
          result.valid = false;
          result.notes.push(`at ${rate}/s the generator sent only ${(achieved * 100).toFixed(1)}% on time`);
        }
        check(result, `S2 p99 ratio at ${rate}/s`, comparison.ratio.median, "<=", 3);
      }
      const rawMax = await maxSustained(client, "raw-agents", rawSender, pairs, steps, smoke ? durationMs : 3000);
      const productMax = await maxSustained(client, "agents", productSender, pairs, steps, smoke ? durationMs : 3000);
      result.figures["raw max sustained msg/s"] = rawMax.rate;
      result.figures["product max sustained msg/s"] = productMax.rate;
      // Each step: lost messages, p99, the share sent on schedule and failed sends (a step counts only with none lost, none failed, ≥ 98% on time).
      result.figures["product steps (rate: lost, p99 ms, on time, failed sends)"] = productMax.steps.map((step) => `${step.rate}: ${step.lost}, ${step.latency.p99.toFixed(0)}, ${(step.achieved * 100).toFixed(1)}%, ${step.failedSends}`).join(" · ");
      check(result, "S2 max sustained ratio", productMax.rate / Math.max(1, rawMax.rate), ">=", 0.3);
    } finally {
      await client.close();
      await Promise.all([product.stop(), raw.stop()]);
      remove();
    }
    return result;
  },
};
