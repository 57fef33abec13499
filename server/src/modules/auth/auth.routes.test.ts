import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildMember, buildTeam, TEST_PASSWORD, type BuiltTeam } from "../../../test/factories.js";
import { client, sessionCookieFrom, type Reply } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";
import { DAY, MINUTE } from "../../lib/time.js";

let ctx: TestContext;

beforeEach(async () => {
  ctx = await createTestContext();
});
afterEach(() => ctx.close());

const T0 = "2026-03-02T15:00:00.000Z";
const signupBody = { teamName: "Acme Corp", name: "Jane Smith", email: "Jane@Acme.test", password: "s3cret-passw0rd" };
const setCookies = (reply: Reply): string[] => {
  const header = reply.headers["set-cookie"];
  return header === undefined ? [] : Array.isArray(header) ? header : [String(header)];
};
const signIn = (email: string, password = TEST_PASSWORD) => client(ctx.app).post("/api/auth/signin", { email, password });
const meStatus = async (cookie: string) => (await client(ctx.app, { cookie }).get("/api/auth/me")).status;

describe("GET /api/auth/setup", () => {
  it("says a fresh installation needs setup and accepts sign-up", async () => {
    const reply = await client(ctx.app).get("/api/auth/setup");
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ needsSetup: true, signupEnabled: true });
  });

  it("says sign-up is closed once a team exists", async () => {
    await buildTeam(ctx);
    expect((await client(ctx.app).get("/api/auth/setup")).body).toEqual({ needsSetup: false, signupEnabled: false });
  });

  it("says sign-up stays open when SIGNUP_ENABLED is true", async () => {
    const open = await createTestContext({ SIGNUP_ENABLED: "true" });
    try {
      await buildTeam(open);
      expect((await client(open.app).get("/api/auth/setup")).body).toEqual({ needsSetup: false, signupEnabled: true });
    } finally {
      await open.close();
    }
  });
});

describe("POST /api/auth/signup", () => {
  it("creates the team, its owner and default inbox, and signs the owner in", async () => {
    const reply = await client(ctx.app).post("/api/auth/signup", signupBody);
    expect(reply.status).toBe(201);
    expect(reply.body.member).toEqual({ id: expect.stringMatching(/^member_/), email: "jane@acme.test", name: "Jane Smith", role: "owner", availability: "available", createdAt: T0, invitationPending: false, online: false });
    expect(reply.body.team).toEqual({ id: expect.stringMatching(/^team_/), name: "Acme Corp", createdAt: T0, plan: "starter" });
    expect(reply.body.inbox).toMatchObject({ id: expect.stringMatching(/^inbox_/), name: "Support" });
    const me = await client(ctx.app, { cookie: sessionCookieFrom(reply) }).get("/api/auth/me");
    expect(me.body).toEqual({ member: reply.body.member, team: reply.body.team });
    expect(ctx.events.filter((e) => e.name === "team.created")).toHaveLength(1);
  });

  it("sets an httpOnly, SameSite=Lax session cookie for the whole site", async () => {
    const reply = await client(ctx.app).post("/api/auth/signup", signupBody);
    const cookie = setCookies(reply).find((c) => c.startsWith("parley_session="));
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; Max-Age=2592000/);
    // PUBLIC_URL is http:// in tests, so the cookie cannot be Secure.
    expect(cookie).not.toMatch(/; Secure/i);
  });

  it("returns 403 signup_disabled once a team exists, and creates nothing", async () => {
    await buildTeam(ctx);
    const reply = await client(ctx.app).post("/api/auth/signup", signupBody);
    expect(reply.status).toBe(403);
    expect(reply.body.error.code).toBe("signup_disabled");
    expect(setCookies(reply)).toEqual([]);
    expect(ctx.events.filter((e) => e.name === "team.created")).toHaveLength(1);
    expect((await signIn("jane@acme.test", signupBody.password)).status).toBe(401);
  });

  it("creates further teams when SIGNUP_ENABLED is true, but not with a taken email", async () => {
    const open = await createTestContext({ SIGNUP_ENABLED: "true" });
    try {
      const acme = await buildTeam(open);
      const second = await client(open.app).post("/api/auth/signup", { ...signupBody, teamName: "Globex" });
      expect(second.status).toBe(201);
      expect(second.body.team.id).not.toBe(acme.team.id);
      const taken = await client(open.app).post("/api/auth/signup", { ...signupBody, email: acme.owner.email });
      expect(taken.status).toBe(409);
      expect(taken.body.error.code).toBe("email_taken");
    } finally {
      await open.close();
    }
  });

  it("creates only one team when first-run sign-ups arrive at the same time", async () => {
    // Open the pool's connections first, so the sign-ups really run side by side on PostgreSQL.
    await Promise.all([1, 2, 3, 4].map(() => client(ctx.app).get("/api/auth/setup")));
    const replies = await Promise.all([1, 2, 3, 4, 5].map((i) => client(ctx.app).post("/api/auth/signup", { ...signupBody, teamName: `Team ${i}`, email: `owner${i}@acme.test` })));
    expect(replies.map((r) => r.status).sort()).toEqual([201, 403, 403, 403, 403]);
    expect(ctx.events.filter((e) => e.name === "team.created")).toHaveLength(1);
  });

  it.each([
    ["a password under 8 characters", { ...signupBody, password: "short" }],
    ["a malformed email", { ...signupBody, email: "jane" }],
    ["an empty team name", { ...signupBody, teamName: "" }],
    ["an unknown plan", { ...signupBody, plan: "gold" }],
    ["an unknown field", { ...signupBody, role: "admin" }],
  ])("rejects %s with 400 validation_failed and creates nothing", async (_label, body) => {
    const reply = await client(ctx.app).post("/api/auth/signup", body);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("validation_failed");
    expect((await client(ctx.app).get("/api/auth/setup")).body.needsSetup).toBe(true);
  });
});

describe("POST /api/auth/signin", () => {
  let acme: BuiltTeam;

  beforeEach(async () => {
    acme = await buildTeam(ctx, { ownerEmail: "jane@acme.test" });
  });

  it("signs in with the right password, whatever the email's case", async () => {
    const reply = await signIn(" JANE@Acme.test ");
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      member: expect.objectContaining({ id: acme.owner.id, email: "jane@acme.test", role: "owner" }),
      team: { id: acme.team.id, name: "Acme Corp", createdAt: T0, plan: "enterprise" },
    });
    expect(await meStatus(sessionCookieFrom(reply))).toBe(200);
  });

  it("answers a wrong password and an unknown email alike: 401 invalid_credentials without a cookie", async () => {
    const wrong = await signIn("jane@acme.test", "not the password");
    const unknown = await signIn("nobody@acme.test");
    for (const reply of [wrong, unknown]) {
      expect(reply.status).toBe(401);
      expect(reply.body.error.code).toBe("invalid_credentials");
      expect(setCookies(reply)).toEqual([]);
    }
    expect(unknown.body.error.message).toBe(wrong.body.error.message);
  });

  it("refuses an invited member who has not set a password yet", async () => {
    await client(ctx.app, { apiKey: acme.apiKey }).post("/api/support/members", { email: "bob@acme.test", name: "Bob" });
    expect((await signIn("bob@acme.test", "anything-at-all")).status).toBe(401);
  });
});

describe("sessions", () => {
  let cookie: string;

  beforeEach(async () => {
    await buildTeam(ctx, { ownerEmail: "jane@acme.test" });
    cookie = sessionCookieFrom(await signIn("jane@acme.test"));
  });

  it("authenticates /api/support endpoints with the session cookie", async () => {
    const reply = await client(ctx.app, { cookie }).get("/api/support/members");
    expect(reply.status).toBe(200);
    expect(reply.body.members[0].email).toBe("jane@acme.test");
  });

  it("ends the session on POST /signout and clears the cookie", async () => {
    const reply = await client(ctx.app, { cookie }).post("/api/auth/signout");
    expect(reply.status).toBe(204);
    expect(setCookies(reply).find((c) => c.startsWith("parley_session="))).toMatch(/^parley_session=;.*Expires=Thu, 01 Jan 1970/);
    expect(await meStatus(cookie)).toBe(401);
    expect((await client(ctx.app, { cookie }).get("/api/support/members")).status).toBe(401);
  });

  it("answers 204 to a sign-out without a cookie", async () => {
    expect((await client(ctx.app).post("/api/auth/signout")).status).toBe(204);
  });

  it("expires a session after 30 days without activity", async () => {
    ctx.clock.advance(30 * DAY + MINUTE);
    expect(await meStatus(cookie)).toBe(401);
  });

  it("keeps a session in use alive past 30 days", async () => {
    ctx.clock.advance(20 * DAY);
    expect(await meStatus(cookie)).toBe(200);
    ctx.clock.advance(20 * DAY);
    expect(await meStatus(cookie)).toBe(200);
  });

  it("sends the cookie again with a fresh lifetime when a session in use is extended, and not on every request", async () => {
    const quick = await client(ctx.app, { cookie }).get("/api/auth/me");
    expect(setCookies(quick)).toEqual([]);
    ctx.clock.advance(2 * DAY);
    const later = await client(ctx.app, { cookie }).get("/api/support/team");
    expect(later.status).toBe(200);
    const renewed = setCookies(later).find((line) => line.startsWith("parley_session="));
    expect(renewed).toContain(cookie);
    expect(renewed).toContain("Max-Age=2592000");
  });
});

describe("GET /api/auth/me", () => {
  it("returns the member behind an API key", async () => {
    const acme = await buildTeam(ctx);
    const alice = await buildMember(ctx, acme.team.id, { name: "Alice" });
    const reply = await client(ctx.app, { apiKey: alice.apiKey }).get("/api/auth/me");
    expect(reply.status).toBe(200);
    expect(reply.body.member).toMatchObject({ id: alice.member.id, name: "Alice" });
    expect(reply.body.team.id).toBe(acme.team.id);
  });

  it("answers 401 unauthenticated without credentials", async () => {
    const reply = await client(ctx.app).get("/api/auth/me");
    expect(reply.status).toBe(401);
    expect(reply.body.error.code).toBe("unauthenticated");
  });
});

describe("POST /api/auth/password", () => {
  let current: string;
  let other: string;

  beforeEach(async () => {
    await buildTeam(ctx, { ownerEmail: "jane@acme.test" });
    current = sessionCookieFrom(await signIn("jane@acme.test"));
    other = sessionCookieFrom(await signIn("jane@acme.test"));
  });

  it("returns 403 for a wrong current password and keeps the old one", async () => {
    const reply = await client(ctx.app, { cookie: current }).post("/api/auth/password", { currentPassword: "wrong password", newPassword: "brand-new-password" });
    expect(reply.status).toBe(403);
    expect(reply.body.error.code).toBe("invalid_credentials");
    expect(await meStatus(other)).toBe(200);
    expect((await signIn("jane@acme.test")).status).toBe(200);
  });

  it("rejects a new password under 8 characters", async () => {
    const reply = await client(ctx.app, { cookie: current }).post("/api/auth/password", { currentPassword: TEST_PASSWORD, newPassword: "short" });
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("validation_failed");
  });

  it("changes the password and ends the member's other sessions but not this one", async () => {
    const reply = await client(ctx.app, { cookie: current }).post("/api/auth/password", { currentPassword: TEST_PASSWORD, newPassword: "brand-new-password" });
    expect(reply.status).toBe(204);
    expect(await meStatus(current)).toBe(200);
    expect(await meStatus(other)).toBe(401);
    expect((await signIn("jane@acme.test")).status).toBe(401);
    expect((await signIn("jane@acme.test", "brand-new-password")).status).toBe(200);
  });
});

describe("invites", () => {
  let acme: BuiltTeam;
  let token: string;

  beforeEach(async () => {
    acme = await buildTeam(ctx, { name: "Acme Corp" });
    const invited = await client(ctx.app, { apiKey: acme.apiKey }).post("/api/support/members", { email: "bob@acme.test", name: "Bob", role: "admin" });
    token = String(invited.body.inviteUrl).split("/").pop() ?? "";
  });

  const accept = (body: object = { password: "bobs-new-password" }) => client(ctx.app).post(`/api/auth/invites/${token}/accept`, body);

  it("shows who an invite link is for", async () => {
    const reply = await client(ctx.app).get(`/api/auth/invites/${token}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ email: "bob@acme.test", name: "Bob", teamName: "Acme Corp" });
  });

  it("answers 404 invite_not_found for an unknown token", async () => {
    const reply = await client(ctx.app).get(`/api/auth/invites/${"x".repeat(43)}`);
    expect(reply.status).toBe(404);
    expect(reply.body.error.code).toBe("invite_not_found");
  });

  it("sets the password and signs the member in on acceptance", async () => {
    const reply = await accept({ password: "bobs-new-password", name: "Bobby" });
    expect(reply.status).toBe(200);
    expect(reply.body.member).toMatchObject({ email: "bob@acme.test", name: "Bobby", role: "admin", invitationPending: false });
    expect(reply.body.team.id).toBe(acme.team.id);
    const me = await client(ctx.app, { cookie: sessionCookieFrom(reply) }).get("/api/auth/me");
    expect(me.body.member.id).toBe(reply.body.member.id);
    expect((await signIn("bob@acme.test", "bobs-new-password")).status).toBe(200);
  });

  it("cannot be accepted twice", async () => {
    expect((await accept()).status).toBe(200);
    const again = await accept({ password: "someone-elses-password" });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe("invite_not_found");
    expect((await client(ctx.app).get(`/api/auth/invites/${token}`)).status).toBe(404);
    expect((await signIn("bob@acme.test", "bobs-new-password")).status).toBe(200);
  });

  it("expires exactly 7 days after it was issued", async () => {
    ctx.clock.advance(7 * DAY - MINUTE);
    expect((await client(ctx.app).get(`/api/auth/invites/${token}`)).status).toBe(200);
    ctx.clock.advance(MINUTE);
    expect((await client(ctx.app).get(`/api/auth/invites/${token}`)).body.error.code).toBe("invite_not_found");
    const reply = await accept();
    expect(reply.status).toBe(404);
    expect(reply.body.error.code).toBe("invite_not_found");
  });

  it("rejects a short password and stays usable", async () => {
    const reply = await accept({ password: "short" });
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("validation_failed");
    expect((await client(ctx.app).get(`/api/auth/invites/${token}`)).status).toBe(200);
  });
});
