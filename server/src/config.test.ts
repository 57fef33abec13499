import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, settings } from "./config.js";

/** The ConfigError loadConfig throws for this environment (fails the test when it throws nothing). */
function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe("loadConfig defaults", () => {
  it("runs with an empty environment on port 3000 with SQLite in ./data", () => {
    const config = loadConfig({});
    expect(config).toEqual({
      port: 3000,
      host: "0.0.0.0",
      dataDir: path.resolve("data"),
      databaseUrl: undefined,
      databasePoolSize: 10,
      redisUrl: undefined,
      publicUrl: "http://localhost:3000",
      mailDomain: "localhost",
      signupEnabled: false,
      trustProxy: false,
      geoip: true,
      widgetMessagesPerMinute: 30,
      widgetRequestsPerMinute: 300,
      sessionDays: 30,
      logLevel: "info",
      attachmentMaxBytes: 26_214_400,
    });
    expect(path.isAbsolute(config.dataDir)).toBe(true);
  });

  it("treats empty strings as unset", () => {
    const empty = Object.fromEntries(Object.values(settings).map((setting) => [setting.env, ""]));
    expect(loadConfig(empty)).toEqual(loadConfig({}));
  });

  it("derives PUBLIC_URL from PORT and MAIL_DOMAIN from PUBLIC_URL", () => {
    expect(loadConfig({ PORT: "8080" }).publicUrl).toBe("http://localhost:8080");
    const config = loadConfig({ PUBLIC_URL: "https://support.acme.com" });
    expect(config.mailDomain).toBe("support.acme.com");
  });

  it("resolves a relative DATA_DIR to an absolute path", () => {
    expect(loadConfig({ DATA_DIR: "var/parley" }).dataDir).toBe(path.resolve("var/parley"));
    expect(loadConfig({ DATA_DIR: "/srv/parley" }).dataDir).toBe("/srv/parley");
  });
});

describe("loadConfig with values", () => {
  it("reads every setting", () => {
    const config = loadConfig({
      PORT: "8080",
      HOST: "127.0.0.1",
      DATA_DIR: "/srv/parley",
      DATABASE_URL: "postgresql://parley:pw@db:5432/parley",
      DATABASE_POOL_SIZE: "25",
      REDIS_URL: "rediss://cache:6380",
      PUBLIC_URL: "https://support.acme.com",
      MAIL_DOMAIN: "Mail.Acme.com",
      SIGNUP_ENABLED: "true",
      TRUST_PROXY: "yes",
      GEOIP: "false",
      WIDGET_MESSAGES_PER_MINUTE: "60",
      WIDGET_REQUESTS_PER_MINUTE: "600",
      SESSION_DAYS: "7",
      LOG_LEVEL: "debug",
      ATTACHMENT_MAX_BYTES: "1048576",
    });
    expect(config).toEqual({
      port: 8080,
      host: "127.0.0.1",
      dataDir: "/srv/parley",
      databaseUrl: "postgresql://parley:pw@db:5432/parley",
      databasePoolSize: 25,
      redisUrl: "rediss://cache:6380",
      publicUrl: "https://support.acme.com",
      mailDomain: "mail.acme.com",
      signupEnabled: true,
      trustProxy: true,
      geoip: false,
      widgetMessagesPerMinute: 60,
      widgetRequestsPerMinute: 600,
      sessionDays: 7,
      logLevel: "debug",
      attachmentMaxBytes: 1_048_576,
    });
  });

  it("accepts postgres:// and redis:// as well", () => {
    const config = loadConfig({ DATABASE_URL: "postgres://localhost/parley", REDIS_URL: "redis://localhost:6379" });
    expect(config.databaseUrl).toBe("postgres://localhost/parley");
    expect(config.redisUrl).toBe("redis://localhost:6379");
  });

  it("reads the usual spellings of booleans", () => {
    for (const [raw, value] of [["true", true], ["1", true], ["yes", true], ["TRUE", true], ["false", false], ["0", false], ["no", false]] as const) {
      expect(loadConfig({ SIGNUP_ENABLED: raw }).signupEnabled, raw).toBe(value);
    }
  });

  it("removes trailing slashes from PUBLIC_URL", () => {
    expect(loadConfig({ PUBLIC_URL: "https://support.acme.com/" }).publicUrl).toBe("https://support.acme.com");
    expect(loadConfig({ PUBLIC_URL: "https://acme.com/parley//" }).publicUrl).toBe("https://acme.com/parley");
  });

  it("ignores whitespace around PUBLIC_URL, as it does around HOST and MAIL_DOMAIN", () => {
    const config = loadConfig({ PUBLIC_URL: " https://support.acme.com/ " });
    expect(config.publicUrl).toBe("https://support.acme.com");
    expect(config.mailDomain).toBe("support.acme.com");
  });

  it("takes the edges of the PORT and SESSION_DAYS ranges", () => {
    expect(loadConfig({ PORT: "0" }).port).toBe(0);
    expect(loadConfig({ PORT: "65535" }).port).toBe(65535);
    expect(loadConfig({ SESSION_DAYS: "1" }).sessionDays).toBe(1);
    expect(loadConfig({ SESSION_DAYS: "365" }).sessionDays).toBe(365);
  });
});

describe("loadConfig with bad values", () => {
  const cases: [string, string, RegExp][] = [
    ["PORT", "abc", /integer from 0 to 65535/],
    ["PORT", "70000", /integer from 0 to 65535/],
    ["PORT", "-1", /integer from 0 to 65535/],
    ["PORT", "80.5", /integer from 0 to 65535/],
    ["HOST", "   ", /host name or IP address/],
    ["DATABASE_URL", "mysql://x", /postgres:\/\/ or postgresql:\/\/ URL/],
    ["DATABASE_URL", "not a url", /postgres:\/\/ or postgresql:\/\/ URL/],
    ["DATABASE_POOL_SIZE", "0", /integer from 1 to 200/],
    ["REDIS_URL", "http://x", /redis:\/\/ or rediss:\/\/ URL/],
    ["PUBLIC_URL", "ftp://x", /http:\/\/ or https:\/\/ URL/],
    ["PUBLIC_URL", "support.acme.com", /http:\/\/ or https:\/\/ URL/],
    ["MAIL_DOMAIN", "not a domain", /domain name/],
    ["MAIL_DOMAIN", "mail@acme.com", /domain name/],
    ["SIGNUP_ENABLED", "maybe", /true or false/],
    ["TRUST_PROXY", "sometimes", /true or false/],
    ["SESSION_DAYS", "0", /integer from 1 to 365/],
    ["SESSION_DAYS", "366", /integer from 1 to 365/],
    ["LOG_LEVEL", "loud", /one of fatal, error, warn, info, debug, trace, silent/],
    ["ATTACHMENT_MAX_BYTES", "0", /at least 1/],
    ["ATTACHMENT_MAX_BYTES", "lots", /at least 1/],
  ];

  it.each(cases)("rejects %s=%j, naming the variable and what it expects", (variable, value, expected) => {
    const error = configError({ [variable]: value });
    expect(error.name).toBe("ConfigError");
    expect(error.message).toContain(variable);
    expect(error.message).toMatch(expected);
    expect(error.message).toContain(JSON.stringify(value));
  });

  it("reports every bad value in one message", () => {
    const error = configError({ PORT: "abc", DATABASE_URL: "mysql://x", SIGNUP_ENABLED: "maybe", LOG_LEVEL: "loud", HOST: "127.0.0.1" });
    for (const variable of ["PORT", "DATABASE_URL", "SIGNUP_ENABLED", "LOG_LEVEL"]) {
      expect(error.message).toContain(variable);
    }
    expect(error.message).not.toContain("HOST");
  });

  it("describes every setting with a variable, a description and what it expects", () => {
    for (const setting of Object.values(settings)) {
      expect(setting.env).toMatch(/^[A-Z][A-Z_]*$/);
      expect(setting.description.length).toBeGreaterThan(10);
      expect(setting.expected.length).toBeGreaterThan(3);
    }
  });
});
