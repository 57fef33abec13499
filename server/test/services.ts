import net from "node:net";

function reachable(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/**
 * The Redis the tests may use: REDIS_URL, else a local Redis on the standard port if one answers.
 * Without one the Redis tests are skipped with a message — except under CI=true, where that is a failure.
 */
export async function redisForTests(): Promise<string | undefined> {
  const url = process.env.REDIS_URL || "redis://127.0.0.1:6379";
  const { hostname, port } = new URL(url);
  if (await reachable(hostname, Number(port || 6379))) {
    return url;
  }
  if (process.env.CI === "true") {
    throw new Error(`Redis is required under CI=true but ${url} cannot be reached.`);
  }
  process.stdout.write(`[parley tests] no Redis at ${url}: the Redis tests are skipped. Set REDIS_URL to run them.\n`);
  return undefined;
}
