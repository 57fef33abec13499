import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../test/test-context.js";
import { buildTeam } from "../../test/factories.js";
import { securityHeaderValues } from "./security-headers.js";

let ctx: TestContext;
let apiKey: string;

beforeAll(async () => {
  ctx = await createTestContext();
  apiKey = (await buildTeam(ctx)).apiKey;
});
afterAll(() => ctx.close());

const expected = {
  "content-security-policy": expect.stringContaining("img-src 'self' data: blob:;"),
  "strict-transport-security": "max-age=31536000; includeSubDomains",
  "x-content-type-options": "nosniff",
  "x-frame-options": "SAMEORIGIN",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
};

describe("security headers", () => {
  it("are helmet's defaults with Parley's Content-Security-Policy", () => {
    const headers = securityHeaderValues();
    expect(headers).toMatchObject(expected);
    expect(headers["content-security-policy"]).toContain("script-src 'self';");
    expect(headers["content-security-policy"]).toContain("style-src 'self' 'unsafe-inline';");
    expect(headers).not.toHaveProperty("x-powered-by");
  });

  it("are on successful answers, on errors and on unknown routes", async () => {
    const ok = await ctx.app.inject({ method: "GET", url: "/api/support/team", headers: { "x-api-key": apiKey } });
    const unauthenticated = await ctx.app.inject({ method: "GET", url: "/api/support/team" });
    const invalid = await ctx.app.inject({ method: "POST", url: "/api/support/threads", headers: { "x-api-key": apiKey }, payload: { contact: 7 } });
    const missing = await ctx.app.inject({ method: "GET", url: "/api/support/nothing-here" });
    expect([ok.statusCode, unauthenticated.statusCode, invalid.statusCode, missing.statusCode]).toEqual([200, 401, 400, 404]);
    for (const reply of [ok, unauthenticated, invalid, missing]) {
      expect(reply.headers).toMatchObject(expected);
    }
  });

  it("refuses options helmet would refuse, when the headers are worked out", () => {
    expect(() => securityHeaderValues({ contentSecurityPolicy: { directives: { "script-src": ["self"] } } })).toThrow(/should be quoted/);
  });
});
