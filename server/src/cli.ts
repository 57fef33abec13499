import { parseArgs } from "node:util";
import { z } from "zod";
import { password } from "../../protocol/auth.js";
import { email, text } from "../../protocol/common.js";
import { plans, teamRoles } from "../../protocol/enums.js";
import { closeContext, openContext } from "./bootstrap.js";
import { ConfigError, loadConfig } from "./config.js";
import type { AppContext } from "./context.js";
import { migrate, openDatabase } from "./db/database.js";
import { systemClock } from "./lib/clock.js";
import { AppError } from "./errors.js";
import { createLogger } from "./lib/logger.js";
import { hashPassword } from "./lib/passwords.js";
import { presentApiKey } from "./modules/api-keys/api-key.presenter.js";
import { createApiKey } from "./modules/api-keys/create-api-key.js";
import { presentInbox } from "./modules/inboxes/inbox.presenter.js";
import type { Actor } from "./modules/members/actor.js";
import { findFirstOwner } from "./modules/members/member.repo.js";
import { presentMember } from "./modules/members/member.presenter.js";
import { createTeam } from "./modules/teams/create-team.js";
import { presentTeam } from "./modules/teams/team.presenter.js";
import { findTeam } from "./modules/teams/team.repo.js";

const usage = `Usage: parley <command> [options]

Commands:
  team create --name <name> --owner-email <email> --owner-name <name> --owner-password <password>
              [--plan starter|professional|enterprise] [--json]
      Creates a team, its owner, a default inbox and an admin API key.
  apikey create --team <teamId> --name <name> [--role owner|admin|member] [--json]
      Creates an API key acting as the team's first owner. The secret is printed once.
  migrate
      Applies database migrations (the server also does this when it starts).

The database is chosen like the server's: DATABASE_URL, or the SQLite file in DATA_DIR (default ./data).`;

/** A mistake in the command line: printed with the usage, exit code 2. */
class UsageError extends Error {}

function parseFlag<T>(schema: z.ZodType<T>, value: unknown, flag: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new UsageError(`${flag}: ${value === undefined ? "is required" : (result.error.issues[0]?.message ?? "is not valid")}`);
  }
  return result.data;
}

async function teamCreate(context: AppContext, args: string[]): Promise<unknown> {
  const { values } = parseArgs({
    args,
    options: { name: { type: "string" }, "owner-email": { type: "string" }, "owner-name": { type: "string" }, "owner-password": { type: "string" }, plan: { type: "string" }, json: { type: "boolean" } },
    strict: true,
  });
  const input = {
    name: parseFlag(text(1, 100), values.name, "--name"),
    ownerEmail: parseFlag(email, values["owner-email"], "--owner-email"),
    ownerName: parseFlag(text(1, 100), values["owner-name"], "--owner-name"),
    ownerPassword: parseFlag(password, values["owner-password"], "--owner-password"),
    plan: parseFlag(z.enum(plans).default("starter"), values.plan, "--plan"),
  };
  const passwordHash = await hashPassword(input.ownerPassword);
  const now = context.clock.now();
  const created = await context.database.transaction(async (tx) => {
    const made = await createTeam({ tx, name: input.name, plan: input.plan, owner: { email: input.ownerEmail, name: input.ownerName, passwordHash }, now });
    const actor: Actor = { memberId: made.owner.id, name: made.owner.name, teamId: made.team.id, role: "owner", via: "api_key" };
    const key = await createApiKey({ tx, actor, teamId: made.team.id, name: "Created by parley team create", role: "admin", now });
    return { ...made, key };
  });
  return {
    team: presentTeam(created.team),
    member: presentMember(created.owner),
    inbox: presentInbox(created.inbox, { mailDomain: context.config.mailDomain, publicUrl: context.config.publicUrl, withSecrets: true }),
    apiKey: created.key.secret,
  };
}

async function apiKeyCreate(context: AppContext, args: string[]): Promise<unknown> {
  const { values } = parseArgs({ args, options: { team: { type: "string" }, name: { type: "string" }, role: { type: "string" }, json: { type: "boolean" } }, strict: true });
  const teamId = parseFlag(z.string().min(1).max(64), values.team, "--team");
  const name = parseFlag(text(1, 100), values.name, "--name");
  const role = parseFlag(z.enum(teamRoles).default("admin"), values.role, "--role");
  const now = context.clock.now();
  const result = await context.database.transaction(async (tx) => {
    if (!(await findTeam(tx, teamId))) {
      throw new UsageError(`--team: no team has the id ${teamId}`);
    }
    const owner = await findFirstOwner(tx, teamId);
    if (!owner) {
      throw new UsageError(`--team: team ${teamId} has no owner to act for`);
    }
    const actor: Actor = { memberId: owner.id, name: owner.name, teamId, role: "owner", via: "api_key" };
    return createApiKey({ tx, actor, teamId, name, role, now });
  });
  return { apiKey: result.secret, key: presentApiKey(result.key) };
}

function printHuman(command: string, result: unknown): void {
  if (command === "migrate") {
    const { applied } = result as { applied: string[] };
    process.stdout.write(applied.length === 0 ? "The database is up to date.\n" : `Applied ${applied.length} migration(s): ${applied.join(", ")}\n`);
  } else if (command === "team create") {
    const { team, member, apiKey } = result as { team: { id: string; name: string }; member: { email: string }; apiKey: string };
    process.stdout.write(`Created team "${team.name}" (${team.id}) with owner ${member.email}.\nAPI key (shown once): ${apiKey}\n`);
  } else {
    const { apiKey, key } = result as { apiKey: string; key: { id: string } };
    process.stdout.write(`Created API key ${key.id}.\nSecret (shown once): ${apiKey}\n`);
  }
}

async function runMigrate(args: string[]): Promise<unknown> {
  parseArgs({ args, options: { json: { type: "boolean" } }, strict: true });
  const config = loadConfig();
  const logger = createLogger("warn");
  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 1, clock: systemClock, logger });
  try {
    return { applied: await migrate(database) };
  } finally {
    await database.close();
  }
}

const handlers: Record<string, (context: AppContext, args: string[]) => Promise<unknown>> = { "team create": teamCreate, "apikey create": apiKeyCreate };

/** Runs one CLI command; returns the process exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const [noun, verb, ...rest] = argv;
  if (noun === undefined || noun === "help" || noun === "--help" || noun === "-h") {
    process.stdout.write(`${usage}\n`);
    return noun === undefined ? 2 : 0;
  }
  const isMigrate = noun === "migrate";
  const command = isMigrate ? "migrate" : `${noun} ${verb ?? ""}`.trim();
  const args = isMigrate ? argv.slice(1) : rest;
  const json = args.includes("--json");
  let context: AppContext | undefined;
  try {
    let result: unknown;
    if (isMigrate) {
      result = await runMigrate(args);
    } else {
      const handler = handlers[command];
      if (!handler) {
        throw new UsageError(`Unknown command: ${command}`);
      }
      context = await openContext(loadConfig(), createLogger("warn"));
      result = await handler(context, args);
    }
    if (json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      printHuman(command, result);
    }
    return 0;
  } catch (error) {
    const known = error instanceof UsageError || error instanceof ConfigError || error instanceof AppError || (error instanceof Error && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"));
    const message = error instanceof Error ? error.message : String(error);
    if (json) {
      const code = error instanceof AppError ? error.code : error instanceof ConfigError ? "invalid_configuration" : known ? "invalid_arguments" : "internal_error";
      process.stderr.write(`${JSON.stringify({ error: { code, message } })}\n`);
    } else {
      process.stderr.write(`${message}\n${error instanceof UsageError ? `\n${usage}\n` : ""}`);
    }
    return known ? 2 : 1;
  } finally {
    if (context) {
      await closeContext(context);
    }
  }
}

// Run when executed directly (bin/parley.js imports runCli instead).
if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runCli(process.argv.slice(2));
}
