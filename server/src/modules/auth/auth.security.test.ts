import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildMember, buildTeam, TEST_PASSWORD, type BuiltMember, type BuiltTeam } from "../../../test/factories.js";
import { client, sessionCookieFrom } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";
import { MINUTE } from "../../lib/time.js";

let ctx: TestContext;
let acme: BuiltTeam;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx, { name: "Acme Corp", ownerEmail: "jane@acme.test" });
});
afterEach(() => ctx.close());

/** A sign-in from a given client address (app.inject's default is 127.0.0.1). */
async function signIn(email: string, password: string, remoteAddress = "127.0.0.1") {
  const response = await ctx.app.inject({ method: "POST", url: "/api/auth/signin", remoteAddress, payload: { email, password } });
  return { status: response.statusCode, body: response.json(), headers: response.headers };
}

async function fail(times: number, email = "jane@acme.test", remoteAddress?: string) {
  for (let i = 0; i < times; i++) {
    expect((await signIn(email, "wrong password", remoteAddress)).status).toBe(401);
  }
}

describe("sign-in throttling", () => {
  it("still accepts the right password after nine failures", async () => {
    await fail(9);
    expect((await signIn("jane@acme.test", TEST_PASSWORD)).status).toBe(200);
  });

  it("answers 429 rate_limited with Retry-After after ten failures, even with the right password", async () => {
    await fail(10);
    const reply = await signIn("jane@acme.test", TEST_PASSWORD);
    expect(reply.status).toBe(429);
    expect(reply.body.error.code).toBe("rate_limited");
    expect(reply.headers["retry-after"]).toBe("900");
    expect(reply.headers["set-cookie"]).toBeUndefined();
  });

  it("counts down Retry-After and allows again once the 15-minute window has passed", async () => {
    await fail(10);
    ctx.clock.advance(10 * MINUTE);
    expect((await signIn("jane@acme.test", TEST_PASSWORD)).headers["retry-after"]).toBe("300");
    ctx.clock.advance(5 * MINUTE + 1);
    expect((await signIn("jane@acme.test", TEST_PASSWORD)).status).toBe(200);
  });

  it("forgets failures older than the window", async () => {
    await fail(9);
    ctx.clock.advance(15 * MINUTE + 1);
    await fail(9);
    expect((await signIn("jane@acme.test", TEST_PASSWORD)).status).toBe(200);
  });

  it("forgets an account's failures after a successful sign-in", async () => {
    await fail(9);
    expect((await signIn("jane@acme.test", TEST_PASSWORD)).status).toBe(200);
    await fail(9);
    expect((await signIn("jane@acme.test", TEST_PASSWORD)).status).toBe(200);
  });

  it("counts failures per account whatever the email's case and wherever they come from", async () => {
    await fail(5, "JANE@acme.test", "10.0.0.1");
    await fail(5, "jane@ACME.TEST", "10.0.0.2");
    expect((await signIn("jane@acme.test", TEST_PASSWORD, "10.0.0.3")).status).toBe(429);
  });

  it("does not lock other accounts", async () => {
    const alice = await buildMember(ctx, acme.team.id, { email: "alice@acme.test" });
    await fail(10);
    expect((await signIn(alice.member.email, TEST_PASSWORD)).status).toBe(200);
  });

  it("does not let attempts that arrive at once exceed the limit", async () => {
    const replies = await Promise.all(Array.from({ length: 20 }, () => signIn("jane@acme.test", "wrong password")));
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(10);
    expect(statuses.filter((s) => s !== 401).every((s) => s === 429)).toBe(true);
  });

  it("answers 429 to an address after 50 failures across accounts, and only to that address", async () => {
    for (let i = 0; i < 50; i++) {
      expect((await signIn(`guess-${i}@acme.test`, "wrong password")).status).toBe(401);
    }
    const blocked = await signIn("jane@acme.test", TEST_PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe("rate_limited");
    expect(blocked.headers["retry-after"]).toBe("900");
    expect((await signIn("jane@acme.test", TEST_PASSWORD, "10.9.8.7")).status).toBe(200);
  });
});

describe("cross-site request refusal", () => {
  let admin: BuiltMember;
  let alice: BuiltMember;
  let cookie: string;

  beforeEach(async () => {
    admin = await buildMember(ctx, acme.team.id, { role: "admin", email: "admin@acme.test" });
    alice = await buildMember(ctx, acme.team.id, { name: "Alice" });
    const reply = await client(ctx.app).post("/api/auth/signin", { email: "admin@acme.test", password: TEST_PASSWORD });
    cookie = sessionCookieFrom(reply);
  });

  const readAlice = async () => (await client(ctx.app, { apiKey: acme.apiKey }).get(`/api/support/members/${alice.member.id}`)).body.member;
  const memberCount = async () => (await client(ctx.app, { apiKey: acme.apiKey }).get("/api/support/members")).body.members.length as number;

  it("refuses a cookie-authenticated POST, PATCH, PUT or DELETE from another origin and changes nothing", async () => {
    const evil = client(ctx.app, { cookie, origin: "http://evil.test" });
    const replies = [
      await evil.post("/api/support/members", { email: "mallory@evil.test", name: "Mallory", role: "admin" }),
      await evil.patch(`/api/support/members/${alice.member.id}`, { name: "Pwned" }),
      await evil.put(`/api/support/members/${alice.member.id}/availability`, { status: "offline" }),
      await evil.delete(`/api/support/members/${alice.member.id}`),
    ];
    expect(replies.map((r) => [r.status, r.body.error.code])).toEqual(Array(4).fill([403, "cross_site_request"]));
    expect(await readAlice()).toMatchObject({ name: "Alice", availability: "available" });
    expect(await memberCount()).toBe(3);
  });

  it.each(["http://parley.test.evil.test", "http://parley.test:8080", "https://parley.test", "null"])("refuses the look-alike origin %s", async (origin) => {
    const reply = await client(ctx.app, { cookie, origin }).patch(`/api/support/members/${alice.member.id}`, { name: "Pwned" });
    expect(reply.status).toBe(403);
    expect((await readAlice()).name).toBe("Alice");
  });

  it("accepts the request from Parley's own origin", async () => {
    const reply = await client(ctx.app, { cookie, origin: "http://parley.test" }).patch(`/api/support/members/${alice.member.id}`, { name: "Alice Cooper" });
    expect(reply.status).toBe(200);
    expect((await readAlice()).name).toBe("Alice Cooper");
  });

  it("accepts a request with neither Origin nor Sec-Fetch-Site", async () => {
    const reply = await client(ctx.app, { cookie }).post("/api/support/members", { email: "bob@acme.test", name: "Bob" });
    expect(reply.status).toBe(201);
  });

  it.each(["cross-site", "same-site"])("refuses Sec-Fetch-Site: %s without an Origin", async (site) => {
    const reply = await client(ctx.app, { cookie }).patch(`/api/support/members/${alice.member.id}`, { name: "Pwned" }, { "sec-fetch-site": site });
    expect(reply.status).toBe(403);
    expect(reply.body.error.code).toBe("cross_site_request");
    expect((await readAlice()).name).toBe("Alice");
  });

  it.each(["same-origin", "none"])("accepts Sec-Fetch-Site: %s", async (site) => {
    const reply = await client(ctx.app, { cookie }).patch(`/api/support/members/${alice.member.id}`, { name: "Alice Cooper" }, { "sec-fetch-site": site });
    expect(reply.status).toBe(200);
  });

  it("lets cross-site reads through", async () => {
    const reply = await client(ctx.app, { cookie, origin: "http://evil.test" }).get("/api/support/members");
    expect(reply.status).toBe(200);
  });

  it("does not apply to API keys, which a browser never sends on its own", async () => {
    const reply = await client(ctx.app, { apiKey: admin.apiKey, origin: "http://evil.test" }).patch(`/api/support/members/${alice.member.id}`, { name: "Alice Cooper" });
    expect(reply.status).toBe(200);
  });

  it("refuses a cross-site sign-in, so no session is planted", async () => {
    const reply = await client(ctx.app, { origin: "http://evil.test" }).post("/api/auth/signin", { email: "admin@acme.test", password: TEST_PASSWORD });
    expect(reply.status).toBe(403);
    expect(reply.body.error.code).toBe("cross_site_request");
    expect(reply.headers["set-cookie"]).toBeUndefined();
  });

  it("refuses a cross-site sign-out and the session keeps working", async () => {
    const reply = await client(ctx.app, { cookie, origin: "http://evil.test" }).post("/api/auth/signout");
    expect(reply.status).toBe(403);
    expect((await client(ctx.app, { cookie }).get("/api/auth/me")).status).toBe(200);
  });

  it("refuses a cross-site password change", async () => {
    const reply = await client(ctx.app, { cookie, origin: "http://evil.test" }).post("/api/auth/password", { currentPassword: TEST_PASSWORD, newPassword: "attacker-password" });
    expect(reply.status).toBe(403);
    expect(reply.body.error.code).toBe("cross_site_request");
    expect((await client(ctx.app).post("/api/auth/signin", { email: "admin@acme.test", password: TEST_PASSWORD })).status).toBe(200);
  });
});
