/**
 * Loaded into a product process (`--import`) when BENCH_ALLOC_DIR is set: from the first HTTP request on,
 * V8's sampling heap profiler records where memory is allocated, including objects already collected again
 * (which is what young-generation pauses are made of). When the process exits it writes
 * `<dir>/allocations-<pid>.heapprofile` (Chrome DevTools, Memory tab, loads it) and
 * `<dir>/allocations-<pid>.json`: the HTTP requests seen, the bytes allocated per request, and the functions
 * that allocate most. Socket frames are not counted, so per-request figures are for HTTP scenarios (S1, S5).
 */
import diagnostics from "node:diagnostics_channel";
import fs from "node:fs";
import inspector from "node:inspector";
import path from "node:path";

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

const dir = process.env.BENCH_ALLOC_DIR;
const promotedOnly = process.env.BENCH_ALLOC_PROMOTED === "1";
if (dir) {
  const session = new inspector.Session();
  session.connect();
  let requests = 0;
  let sampling = false;
  const seen = () => {
    if (!sampling) {
      sampling = true;
      // Every allocation of about 8 KiB on average is sampled, and V8 scales the samples to estimate the whole.
      // BENCH_ALLOC_PROMOTED=1 leaves out what the young generation collected: what remains was promoted
      // to the old generation (or is still alive), which is what full collections are made of.
      session.post("HeapProfiler.startSampling", { samplingInterval: 8192, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: !promotedOnly });
    }
    requests += 1;
  };
  diagnostics.subscribe("http.server.request.start", seen);
  process.on("exit", () => {
    if (!sampling) {
      return;
    }
    // An in-process inspector session answers synchronously, so this runs to its end before the exit.
    session.post("HeapProfiler.stopSampling", (error, result) => {
      if (error) {
        return;
      }
      const profile = result.profile as unknown as { head: ProfileNode };
      const bySite = new Map<string, number>();
      let total = 0;
      const walk = (node: ProfileNode) => {
        const frame = node.callFrame;
        const site = `${frame.functionName || "(anonymous)"} ${frame.url.replace(/^file:\/\/.*?\/(server|node_modules|protocol)\//, "$1/")}:${frame.lineNumber + 1}`;
        bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
        total += node.selfSize;
        node.children.forEach(walk);
      };
      walk(profile.head);
      const base = path.join(dir, `allocations-${process.pid}`);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(`${base}.heapprofile`, JSON.stringify(result.profile));
      const top = [...bySite]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 40)
        .map(([site, bytes]) => ({ site, bytesPerRequest: Math.round(bytes / requests), share: Number((bytes / total).toFixed(4)) }));
      fs.writeFileSync(`${base}.json`, `${JSON.stringify({ requests, bytes: Math.round(total), bytesPerRequest: Math.round(total / requests), top }, null, 2)}\n`);
    });
  });
}
