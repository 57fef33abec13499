import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

// The server as `npm start` runs it, minus the build step: the real entry point in its own process.
const entry = ["--import", "tsx", "server/src/main.ts"];
const dirs: string[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, entry, { env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "info", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

afterEach(() => {
  for (const dir of dirs.splice(0)) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe("the server process", () => {
  it("starts on the embedded SQLite default, serves requests, and stops cleanly on SIGTERM", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "parley-main-"));
    dirs.push(dataDir);
    const port = await freePort();
    const server = start({ DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1" });
    await expect.poll(() => server.output(), { timeout: 20_000, interval: 100 }).toContain("Parley is ready");
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await health.json()).toEqual({ ok: true });
    const setup = await fetch(`http://127.0.0.1:${port}/api/auth/setup`);
    expect(await setup.json()).toEqual({ needsSetup: true, signupEnabled: true });
    expect(fs.existsSync(path.join(dataDir, "parley.sqlite"))).toBe(true);
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  });

  it("refuses to start on a bad setting and names the variable", async () => {
    const server = start({ PORT: "eighty", SIGNUP_ENABLED: "perhaps" });
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain("PORT must be an integer");
    expect(server.output()).toContain("SIGNUP_ENABLED must be true or false");
  });
});
