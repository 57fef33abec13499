import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { randomString } from "../src/lib/ids.js";
import { API_KEY_CACHE_MS } from "../src/modules/auth/api-key-cache.js";
import { redisForTests } from "./services.js";
import { openSocket, TestSocket } from "./sockets.js";
import { testDatabaseUrl } from "./test-context.js";

// Scale-out for real: two server processes on one PostgreSQL database and one Redis. A visitor talks to
// process A, an agent to process B; events cross through Redis, and resume works against either.

const redisUrl = await redisForTests();
if (!testDatabaseUrl) {
  process.stdout.write("[parley tests] DATABASE_URL is not set: the two-process scale-out test is skipped.\n");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

interface Server {
  process: ChildProcess;
  url: string;
  output: () => string;
}

describe.skipIf(!testDatabaseUrl || !redisUrl)("two Parley processes on PostgreSQL and Redis", () => {
  const schema = `t_${process.env.PARLEY_TEST_RUN ?? "adhoc"}_two_${randomString(8, "abcdefghijklmnopqrstuvwxyz0123456789")}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "parley-two-"));
  const servers: Server[] = [];
  const sockets: TestSocket[] = [];

  async function start(port: number): Promise<Server> {
    const child = spawn(process.execPath, ["--import", "tsx", "server/src/main.ts"], {
      env: {
        PATH: process.env.PATH ?? "",
        PORT: String(port),
        HOST: "127.0.0.1",
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        DATABASE_URL: testDatabaseUrl,
        PGOPTIONS: `-c search_path=${schema}`,
        REDIS_URL: redisUrl,
        DATA_DIR: dataDir,
        SIGNUP_ENABLED: "true",
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const server = { process: child, url: `http://127.0.0.1:${port}`, output: () => output };
    servers.push(server);
    const deadline = Date.now() + 30_000;
    while (!output.includes("Parley is ready")) {
      if (Date.now() > deadline || child.exitCode !== null) {
        throw new Error(`server on port ${port} did not start:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return server;
  }

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    // Started one after the other on purpose: both run migrations and housekeeping set-up at start.
    await start(await freePort());
    await start(await freePort());
  }, 90_000);

  afterAll(async () => {
    for (const socket of sockets) {
      socket.close();
    }
    for (const server of servers) {
      server.process.kill("SIGTERM");
    }
    await Promise.all(servers.map((server) => new Promise((resolve) => (server.process.exitCode !== null ? resolve(null) : server.process.once("exit", resolve)))));
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const json = async (response: Response) => (await response.json()) as any;

  /** Signs a new team up on `server` and makes an API key there: the owner's cookie, the inbox and the key. */
  async function signUpWithKey(server: Server, teamName: string) {
    const signup = await fetch(`${server.url}/api/auth/signup`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.url },
      body: JSON.stringify({ teamName, name: "Ada", email: `ada-${teamName.toLowerCase().replaceAll(" ", "-")}-${schema}@scale.test`, password: "correct horse battery" }),
    });
    expect(signup.status).toBe(201);
    const { inbox } = await json(signup);
    const cookie = (signup.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const key = await json(await fetch(`${server.url}/api/support/api-keys`, { method: "POST", headers: { "content-type": "application/json", cookie, origin: server.url }, body: JSON.stringify({ name: "agent" }) }));
    return { cookie, inbox, apiKey: key.data.secret as string, apiKeyId: key.data.id as string };
  }

  it("lets a visitor on one process and an agent on the other chat live, and resume across them", async () => {
    const [a, b] = servers as [Server, Server];
    const { inbox, apiKey } = await signUpWithKey(a, "Scale Corp");

    // The visitor lives on process A.
    const session = await json(await fetch(`${a.url}/api/widget/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ websiteToken: inbox.websiteToken }) }));
    const visitorToken = session.visitorToken as string;
    const visitorWs = new WebSocket(`${a.url.replace("http", "ws")}/api/widget/realtime`);
    const visitor = new TestSocket(visitorWs);
    sockets.push(visitor);
    await new Promise((resolve) => visitorWs.once("open", resolve));
    visitor.send({ type: "auth", visitorToken });
    await visitor.next((f) => f.type === "hello");

    // The agent lives on process B.
    const agent = await openSocket(`${b.url.replace("http", "ws")}/api/realtime`, { "x-api-key": apiKey });
    sockets.push(agent);

    const posted = await json(await fetch(`${a.url}/api/widget/messages`, { method: "POST", headers: { "content-type": "application/json", "x-visitor-token": visitorToken }, body: JSON.stringify({ content: "Hello from A" }) }));
    const conversationId = posted.conversation.id as string;
    const arrived = await agent.next((f) => f.name === "message.created" && f.data.message.content === "Hello from A", { timeoutMs: 5000 });
    expect(arrived.data.message.conversationId).toBe(conversationId);

    const reply = await fetch(`${b.url}/api/support/threads/${conversationId}/messages`, { method: "POST", headers: { "content-type": "application/json", "x-api-key": apiKey }, body: JSON.stringify({ content: "Hi from B" }) });
    expect(reply.status).toBe(201);
    await visitor.next((f) => f.name === "message.created" && f.data.message.content === "Hi from B", { timeoutMs: 5000 });

    // The agent drops off; the visitor writes twice through A; the agent comes back to B with its position.
    const lastSeen = Math.max(...agent.events().map((f) => f.seq as number));
    agent.close();
    await agent.waitClosed();
    for (const content of ["while you were away 1", "while you were away 2"]) {
      await fetch(`${a.url}/api/widget/messages`, { method: "POST", headers: { "content-type": "application/json", "x-visitor-token": visitorToken }, body: JSON.stringify({ content }) });
    }
    const back = await openSocket(`${b.url.replace("http", "ws")}/api/realtime?lastSeq=${lastSeen}`, { "x-api-key": apiKey });
    sockets.push(back);
    const missed = back.events("message.created").map((f) => f.data.message.content);
    expect(missed).toEqual(["while you were away 1", "while you were away 2"]);
    const seqs = back.events().map((f) => f.seq as number);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs[0]).toBe(lastSeen + 1);
  }, 60_000);

  it("refuses a key on the other process soon after it is revoked, well before a remembered key would expire", async () => {
    const [a, b] = servers as [Server, Server];
    const { cookie, apiKey, apiKeyId } = await signUpWithKey(a, "Revoke Corp");
    const onB = () => fetch(`${b.url}/api/support/team`, { headers: { "x-api-key": apiKey } });
    // Used on B twice, so B remembers it.
    expect((await onB()).status).toBe(200);
    expect((await onB()).status).toBe(200);

    const revoked = await fetch(`${a.url}/api/support/api-keys/${apiKeyId}`, { method: "DELETE", headers: { cookie, origin: a.url } });
    expect(revoked.status).toBe(204);
    // The revocation crosses through Redis; B must not wait for the key to expire (API_KEY_CACHE_MS, 5 s).
    const deadline = Date.now() + API_KEY_CACHE_MS / 2;
    let status = (await onB()).status;
    while (status !== 401 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = (await onB()).status;
    }
    expect(status).toBe(401);
  }, 30_000);
});
