import path from "node:path";
import { z } from "zod";

/** One setting: the environment variable, what it means, and how to read it. */
interface Setting<T> {
  env: string;
  description: string;
  expected: string;
  parse: (raw: string | undefined) => T;
}

const booleanWords: Record<string, boolean> = { true: true, "1": true, yes: true, false: false, "0": false, no: false };

function boolean(fallback: boolean) {
  return (raw: string | undefined): boolean => {
    if (raw === undefined || raw === "") {
      return fallback;
    }
    const value = booleanWords[raw.trim().toLowerCase()];
    if (value === undefined) {
      throw new Error("not a boolean");
    }
    return value;
  };
}

function integer(fallback: number, min: number, max: number) {
  return (raw: string | undefined): number => {
    if (raw === undefined || raw === "") {
      return fallback;
    }
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw.trim()) || value < min || value > max) {
      throw new Error("out of range");
    }
    return value;
  };
}

function optionalUrl(protocols: string[], options: { bare?: boolean } = {}) {
  return (raw: string | undefined): string | undefined => {
    const value = raw?.trim();
    if (value === undefined || value === "") {
      return undefined;
    }
    const url = new URL(value);
    if (!protocols.includes(url.protocol)) {
      throw new Error("wrong protocol");
    }
    if (options.bare && (url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "")) {
      throw new Error("a bare address is expected");
    }
    return value;
  };
}

function oneOf<T extends string>(values: readonly T[], fallback: T) {
  return (raw: string | undefined): T => {
    if (raw === undefined || raw === "") {
      return fallback;
    }
    const value = raw.trim().toLowerCase();
    if (!(values as readonly string[]).includes(value)) {
      throw new Error("not allowed");
    }
    return value as T;
  };
}

const hostname = z.string().regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i);

/** Every setting Parley reads; the README's configuration table is written from these. */
export const settings = {
  port: {
    env: "PORT",
    description: "HTTP port of the dashboard, the API, the widget and the WebSocket endpoints.",
    expected: "an integer from 0 to 65535 (default 3000)",
    parse: integer(3000, 0, 65535),
  },
  host: {
    env: "HOST",
    description: "Address the HTTP server binds to.",
    expected: "a host name or IP address (default 0.0.0.0)",
    parse: (raw) => (raw === undefined || raw === "" ? "0.0.0.0" : z.string().min(1).parse(raw.trim())),
  },
  dataDir: {
    env: "DATA_DIR",
    description: "Folder for the embedded SQLite database and stored attachments.",
    expected: "a folder path (default ./data)",
    parse: (raw) => path.resolve(raw === undefined || raw === "" ? "data" : raw),
  },
  databaseUrl: {
    env: "DATABASE_URL",
    description: "PostgreSQL connection URL. When unset, Parley uses the embedded SQLite database in DATA_DIR.",
    expected: "a postgres:// or postgresql:// URL, or nothing",
    parse: optionalUrl(["postgres:", "postgresql:"]),
  },
  databasePoolSize: {
    env: "DATABASE_POOL_SIZE",
    description: "Largest number of PostgreSQL connections one process opens.",
    expected: "an integer from 1 to 200 (default 10)",
    parse: integer(10, 1, 200),
  },
  redisUrl: {
    env: "REDIS_URL",
    description: "Redis URL for realtime fan-out between several Parley processes. Unset: events stay in the process.",
    expected: "a redis:// or rediss:// URL, or nothing",
    parse: optionalUrl(["redis:", "rediss:"]),
  },
  publicUrl: {
    env: "PUBLIC_URL",
    description: "The address people and browsers reach Parley at; used in invite links, the widget snippet and cookie security.",
    expected: "an http:// or https:// URL without query or credentials (default http://localhost:<PORT>)",
    parse: optionalUrl(["http:", "https:"], { bare: true }),
  },
  mailDomain: {
    env: "MAIL_DOMAIN",
    description: "Domain of the inboxes' forwarding addresses (inbox-<id>@MAIL_DOMAIN).",
    expected: "a domain name (default: the host name of PUBLIC_URL)",
    parse: (raw): string | undefined => (raw === undefined || raw === "" ? undefined : hostname.parse(raw.trim()).toLowerCase()),
  },
  signupEnabled: {
    env: "SIGNUP_ENABLED",
    description: "Allow POST /api/auth/signup to create more teams after the first one.",
    expected: "true or false (default false)",
    parse: boolean(false),
  },
  trustProxy: {
    env: "TRUST_PROXY",
    description: "Take the client address from X-Forwarded-For. Set it only behind a reverse proxy you control.",
    expected: "true or false (default false)",
    parse: boolean(false),
  },
  geoip: {
    env: "GEOIP",
    description: "Look up visitors' city and country from their IP address in the dataset shipped with Parley (about 130 MB of memory once loaded).",
    expected: "true or false (default true)",
    parse: boolean(true),
  },
  widgetMessagesPerMinute: {
    env: "WIDGET_MESSAGES_PER_MINUTE",
    description: "Messages one widget visitor may send a minute; more are refused with 429.",
    expected: "an integer of at least 1 (default 30)",
    parse: integer(30, 1, Number.MAX_SAFE_INTEGER),
  },
  widgetRequestsPerMinute: {
    env: "WIDGET_REQUESTS_PER_MINUTE",
    description: "Requests of any kind one widget visitor may make a minute; more are refused with 429.",
    expected: "an integer of at least 1 (default 300)",
    parse: integer(300, 1, Number.MAX_SAFE_INTEGER),
  },
  sessionDays: {
    env: "SESSION_DAYS",
    description: "How long a dashboard sign-in lasts without activity, in days.",
    expected: "an integer from 1 to 365 (default 30)",
    parse: integer(30, 1, 365),
  },
  attachmentMaxBytes: {
    env: "ATTACHMENT_MAX_BYTES",
    description: "Largest file, in bytes, that can be uploaded as an attachment; a bigger upload is refused with 413.",
    expected: "an integer of at least 1 (default 26214400, 25 MB)",
    parse: integer(25 * 1024 * 1024, 1, Number.MAX_SAFE_INTEGER),
  },
  logLevel: {
    env: "LOG_LEVEL",
    description: "Log verbosity.",
    expected: "one of fatal, error, warn, info, debug, trace, silent (default info)",
    parse: oneOf(["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const, "info"),
  },
} satisfies Record<string, Setting<unknown>>;

type Settings = typeof settings;
type Parsed = { [K in keyof Settings]: ReturnType<Settings[K]["parse"]> };

export interface Config extends Omit<Parsed, "publicUrl" | "mailDomain"> {
  publicUrl: string;
  mailDomain: string;
}

/** Thrown when a setting has a value Parley cannot use; the message names the variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Reads every setting from an environment (process.env by default); throws ConfigError listing every bad value. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, setting] of Object.entries(settings) as [string, Setting<unknown>][]) {
    const raw = env[setting.env];
    try {
      parsed[key] = setting.parse(raw);
    } catch {
      problems.push(`${setting.env} must be ${setting.expected}; got ${JSON.stringify(raw)}`);
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  ${problems.join("\n  ")}`);
  }
  const values = parsed as Parsed;
  const publicUrl = (values.publicUrl ?? `http://localhost:${values.port}`).replace(/\/+$/, "");
  return { ...values, publicUrl, mailDomain: values.mailDomain ?? new URL(publicUrl).hostname };
}
