import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildApp } from "./app.js";
import { loadConfig } from "./config.js";
import { openDatabase, type Database } from "./db/database.js";
import { createLocalBus } from "./events/bus.js";
import { systemClock } from "./lib/clock.js";
import { randomString } from "./lib/ids.js";
import { createLogger } from "./lib/logger.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cliPath = path.join(root, "server/src/cli.ts");
const pgUrl = process.env.DATABASE_URL || undefined;
const PASSWORD = "s3cret-owner-pass";
const teamArgs = ["team", "create", "--name", "Acme Corp", "--owner-email", "owner@acme.com", "--owner-name", "Jane Smith", "--owner-password", PASSWORD, "--plan", "enterprise"];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let dataDir: string;
let schema: string | undefined;
let opened: { database: Database; app: FastifyInstance } | undefined;

async function pgQuery(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "parley-cli-"));
  if (pgUrl) {
    schema = `t_cli_${randomString(12, "abcdefghijklmnopqrstuvwxyz0123456789")}`;
    await pgQuery(`create schema ${schema}`);
  }
});

afterEach(async () => {
  if (opened) {
    await opened.app.close();
    await opened.database.close();
    opened = undefined;
  }
  if (schema) {
    await pgQuery(`drop schema if exists ${schema} cascade`);
    schema = undefined;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Runs the CLI as a child process on this test's store (DATA_DIR, or the PostgreSQL schema through PGOPTIONS). */
function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, ...extraEnv };
  delete env.REDIS_URL;
  if (pgUrl && schema) {
    env.DATABASE_URL = pgUrl;
    env.PGOPTIONS = `-c search_path=${schema}`;
  } else {
    delete env.DATABASE_URL;
    delete env.PGOPTIONS;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", cliPath, ...args], { cwd: root, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The app and database on the same store the CLI wrote to. */
async function openStore(): Promise<{ database: Database; app: FastifyInstance }> {
  if (opened) {
    return opened;
  }
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: "silent", ...(pgUrl ? { DATABASE_URL: pgUrl } : {}) });
  const logger = createLogger("silent");
  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir, clock: systemClock, logger, ...(schema ? { schema } : {}) });
  const app = await buildApp({ config, database, bus: createLocalBus(logger), clock: systemClock, logger });
  await app.ready();
  opened = { database, app };
  return opened;
}

async function countRows(table: "teams" | "members" | "inboxes" | "api_keys"): Promise<number> {
  const { database } = await openStore();
  return (await database.db.selectFrom(table).select("id").execute()).length;
}

async function inject(method: "GET" | "POST", url: string, apiKey?: string, payload?: unknown) {
  const { app } = await openStore();
  const reply = await app.inject({ method, url, headers: apiKey ? { "x-api-key": apiKey } : {}, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: reply.statusCode, body: reply.body ? JSON.parse(reply.body) : undefined };
}

/** stdout must be exactly one line of JSON. */
function oneJson(output: string): any {
  const lines = output.trim().split("\n");
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0] ?? "");
}

describe("parley team create", () => {
  it("prints one JSON object with the team, its owner and a working API key", async () => {
    const run = await cli([...teamArgs, "--json"]);
    expect(run.code).toBe(0);
    const out = oneJson(run.stdout);
    expect(out.team).toEqual({ id: expect.stringMatching(/^team_/), name: "Acme Corp", createdAt: expect.any(String), plan: "enterprise" });
    expect(Number.isNaN(Date.parse(out.team.createdAt))).toBe(false);
    expect(out.member).toMatchObject({ id: expect.stringMatching(/^member_/), email: "owner@acme.com", name: "Jane Smith", role: "owner" });
    expect(out.apiKey).toMatch(/^pk_/);

    const team = await inject("GET", "/api/support/team", out.apiKey);
    expect(team.status).toBe(200);
    expect(team.body).toEqual(out.team);
    const members = await inject("GET", "/api/support/members", out.apiKey);
    expect(members.body.members.map((m: { id: string }) => m.id)).toEqual([out.member.id]);
    // The key acts with admin rights.
    expect((await inject("GET", "/api/support/api-keys", out.apiKey)).status).toBe(200);
  }, 60_000);

  it("stores the owner's password so they can sign in with it", async () => {
    const run = await cli([...teamArgs, "--json"]);
    expect(run.code).toBe(0);
    const signIn = await inject("POST", "/api/auth/signin", undefined, { email: "owner@acme.com", password: PASSWORD });
    expect(signIn.status).toBe(200);
    expect(signIn.body.team.name).toBe("Acme Corp");
    const wrong = await inject("POST", "/api/auth/signin", undefined, { email: "owner@acme.com", password: "not-the-password" });
    expect(wrong.status).toBe(401);
  }, 60_000);

  it("defaults the plan to starter and prints a readable summary without --json", async () => {
    const run = await cli(teamArgs.slice(0, -2));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Created team "Acme Corp"');
    expect(run.stdout).toContain("owner@acme.com");
    const secret = /API key \(shown once\): (\S+)/.exec(run.stdout)?.[1];
    expect(secret).toMatch(/^pk_/);
    const team = await inject("GET", "/api/support/team", secret);
    expect(team.body.plan).toBe("starter");
  }, 60_000);

  it("fails without creating anything when the owner email is taken", async () => {
    expect((await cli([...teamArgs, "--json"])).code).toBe(0);
    const again = await cli(["team", "create", "--name", "Other Co", "--owner-email", "OWNER@acme.com", "--owner-name", "Jane Again", "--owner-password", PASSWORD, "--json"]);
    expect(again.code).not.toBe(0);
    expect(again.stdout).toBe("");
    expect(oneJson(again.stderr).error).toEqual({ code: expect.any(String), message: expect.stringMatching(/email/i) });
    expect(await countRows("teams")).toBe(1);
    expect(await countRows("members")).toBe(1);
    expect(await countRows("inboxes")).toBe(1);
    expect(await countRows("api_keys")).toBe(1);
  }, 60_000);
});

describe("parley apikey create", () => {
  it("prints { apiKey, key } for a working admin key of the team's owner", async () => {
    const made = oneJson((await cli([...teamArgs, "--json"])).stdout);
    const run = await cli(["apikey", "create", "--team", made.team.id, "--name", "Zapier", "--json"]);
    expect(run.code).toBe(0);
    const out = oneJson(run.stdout);
    expect(Object.keys(out).sort()).toEqual(["apiKey", "key"]);
    expect(out.key).toEqual({
      id: expect.stringMatching(/^key_/),
      name: "Zapier",
      role: "admin",
      prefix: expect.stringMatching(/^pk_/),
      memberId: made.member.id,
      createdAt: expect.any(String),
      lastUsedAt: null,
    });
    expect(out.apiKey.startsWith(`${out.key.prefix}_`)).toBe(true);
    expect(out.apiKey).not.toBe(made.apiKey);

    const keys = await inject("GET", "/api/support/api-keys", out.apiKey);
    expect(keys.status).toBe(200);
    expect(keys.body.data.map((k: { name: string }) => k.name)).toContain("Zapier");
  }, 60_000);

  it("makes a member-role key that acts as a member", async () => {
    const made = oneJson((await cli([...teamArgs, "--json"])).stdout);
    const out = oneJson((await cli(["apikey", "create", "--team", made.team.id, "--name", "Reader", "--role", "member", "--json"])).stdout);
    expect(out.key.role).toBe("member");
    expect((await inject("GET", "/api/support/team", out.apiKey)).status).toBe(200);
    expect((await inject("POST", "/api/support/members", out.apiKey, { email: "x@acme.com", name: "X" })).status).toBe(403);
  }, 60_000);

  it("exits 2 naming --team for an unknown team id and creates no key", async () => {
    expect((await cli([...teamArgs, "--json"])).code).toBe(0);
    const run = await cli(["apikey", "create", "--team", "team_doesnotexist00", "--name", "Zapier", "--json"]);
    expect(run.code).toBe(2);
    expect(oneJson(run.stderr).error).toEqual({ code: expect.any(String), message: expect.stringContaining("--team") });
    expect(await countRows("api_keys")).toBe(1);
  }, 60_000);
});

describe("parley migrate", () => {
  it("exits 0 twice in a row and leaves a usable database", async () => {
    const first = await cli(["migrate", "--json"]);
    expect(first.code, first.stderr).toBe(0);
    expect(oneJson(first.stdout)).toEqual({ applied: expect.arrayContaining(["2026-11-23-001-foundation"]) });
    const second = await cli(["migrate"]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain("The database is up to date.");
    expect(await countRows("teams")).toBe(0);
  }, 60_000);
});

describe("parley with bad input", () => {
  const cases: { what: string; args: string[]; names: string }[] = [
    { what: "a missing --name", args: ["team", "create", "--owner-email", "owner@acme.com", "--owner-name", "Jane", "--owner-password", PASSWORD], names: "--name" },
    { what: "a bad email", args: ["team", "create", "--name", "Acme", "--owner-email", "not-an-email", "--owner-name", "Jane", "--owner-password", PASSWORD], names: "--owner-email" },
    { what: "a short password", args: ["team", "create", "--name", "Acme", "--owner-email", "owner@acme.com", "--owner-name", "Jane", "--owner-password", "short"], names: "--owner-password" },
    { what: "an unknown plan", args: [...teamArgs.slice(0, -1), "gold"], names: "--plan" },
    { what: "an unknown flag", args: [...teamArgs, "--bogus"], names: "--bogus" },
    { what: "an unknown role", args: ["apikey", "create", "--team", "team_x", "--name", "Z", "--role", "god"], names: "--role" },
  ];

  it("exits 2 with a JSON error on stderr naming the flag, and creates nothing", async () => {
    for (const { what, args, names } of cases) {
      const run = await cli([...args, "--json"]);
      expect(run.code, what).toBe(2);
      expect(run.stdout, what).toBe("");
      expect(oneJson(run.stderr), what).toEqual({ error: { code: expect.any(String), message: expect.stringContaining(names) } });
    }
    expect(await countRows("teams")).toBe(0);
  }, 120_000);

  it("exits 2 with a readable message naming the flag without --json", async () => {
    const missing = await cli(cases[0]?.args ?? []);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--name");
    expect(missing.stderr).toContain("Usage: parley");
    const unknownFlag = await cli([...teamArgs, "--bogus"]);
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr).toContain("--bogus");
  }, 60_000);

  it("exits 2 naming an unknown command", async () => {
    const run = await cli(["frobnicate", "things"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("frobnicate");
    expect(run.stderr).toContain("Usage: parley");
  }, 60_000);

  it("reports an unknown command as a JSON error on stderr under --json", async () => {
    const run = await cli(["frobnicate", "things", "--json"]);
    expect(run.code).toBe(2);
    expect(oneJson(run.stderr)).toEqual({ error: { code: expect.any(String), message: expect.stringContaining("frobnicate") } });
  }, 60_000);

  it("exits 2 naming an unknown flag of migrate", async () => {
    const run = await cli(["migrate", "--bogus"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--bogus");
  }, 60_000);

  it("exits 2 naming the variable when the configuration is invalid", async () => {
    const run = await cli([...teamArgs, "--json"], { LOG_LEVEL: "loud" });
    expect(run.code).toBe(2);
    expect(oneJson(run.stderr).error).toEqual({ code: "invalid_configuration", message: expect.stringContaining("LOG_LEVEL") });
  }, 60_000);
});
