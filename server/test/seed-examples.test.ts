import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { buildMember, buildTeam, type BuiltMember, type BuiltTeam } from "./factories.js";
import { createTestContext, type TestContext } from "./test-context.js";

// The seed documents' code, pasted as written, against a live server. Their placeholders ('your-api-key',
// '{inboxId}', 'user-123') are replaced by real values; everything else is the customer's code.

let ctx: TestContext;
let acme: BuiltTeam;
let agent: BuiltMember;
let baseUrl = "";
let log: MockInstance<typeof console.log>;

/** A browser's Response, whose json() is `any`, so seed code destructures it as written. */
type SeedResponse = Omit<Response, "json"> & { json(): Promise<any> };

/** Seed 000 calls fetch with relative URLs, as a page served by Parley would. */
const fetch = (input: string, init?: RequestInit): Promise<SeedResponse> => globalThis.fetch(`${baseUrl}${input}`, init);

class HttpError extends Error {
  constructor(readonly response: { status: number; data: any }) {
    super(`Request failed with status code ${response.status}`);
  }
}

/** The axios-like client of seed 003: base URL /api/support, X-API-Key, `{ data }`, throws on non-2xx. */
function makeClient(apiKey: string) {
  async function request(method: string, path: string, options: { params?: Record<string, unknown>; body?: unknown } = {}) {
    const params = new URLSearchParams(Object.entries(options.params ?? {}).map(([key, value]): [string, string] => [key, String(value)]));
    const query = params.size > 0 ? `?${params.toString()}` : "";
    const response = await globalThis.fetch(`${baseUrl}/api/support${path}${query}`, {
      method,
      headers: { "X-API-Key": apiKey, ...(options.body !== undefined ? { "Content-Type": "application/json" } : {}) },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await response.text();
    const data = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      throw new HttpError({ status: response.status, data });
    }
    return { data, status: response.status };
  }
  return {
    get: (path: string, config: { params?: Record<string, unknown> } = {}) => request("GET", path, config),
    post: (path: string, body?: unknown) => request("POST", path, { body }),
    patch: (path: string, body?: unknown) => request("PATCH", path, { body }),
  };
}

let client: ReturnType<typeof makeClient>;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx, { name: "Acme Corp", plan: "enterprise", ownerEmail: "owner@acme.com" });
  agent = await buildMember(ctx, acme.team.id, { role: "member", name: "Alice Johnson", email: "support@acme.com" });
  await ctx.app.listen({ port: 0, host: "127.0.0.1" });
  baseUrl = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  client = makeClient(acme.apiKey);
  log = vi.spyOn(console, "log").mockImplementation(() => undefined);
});
afterEach(async () => {
  log.mockRestore();
  await ctx.close();
});

/** Seed 000 "Creating an Inbox — Via API", as written; returns the new inbox's id. */
async function createTechnicalSupportInbox(apiKey: string): Promise<{ response: SeedResponse; inboxId: string; data: any }> {
  const response = await fetch('/api/support/inboxes', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-API-Key': apiKey,
    },
    body: JSON.stringify({
      name: 'Technical Support',
      description: 'Technical issues and questions',
      email: 'support@example.com',
    }),
  });
  const { data } = await response.json();
  return { response, inboxId: data?.id, data };
}

/** PUTs one of seed 000's settings objects to the inbox, the way its working-hours example does. */
async function putSettings(apiKey: string, inboxId: string, settings: object): Promise<{ status: number; data: any }> {
  const response = await fetch(`/api/support/inboxes/${inboxId}`, {
    method: 'PUT',
    headers: {
      'Content-Type': 'application/json',
      'X-API-Key': apiKey,
    },
    body: JSON.stringify(settings),
  });
  const { data } = await response.json();
  return { status: response.status, data };
}

describe("seed 000: inboxes with fetch", () => {
  it("creates the Technical Support inbox", async () => {
    const apiKey = acme.apiKey;
    const { response, data } = await createTechnicalSupportInbox(apiKey);
    expect(response.status).toBe(201);
    expect(data).toMatchObject({ id: expect.stringMatching(/^inbox_/), name: "Technical Support", description: "Technical issues and questions", email: "support@example.com", isDefault: false });
    expect(data.forwardingAddress).toMatch(/^inbox-[a-z0-9]+@mail\.parley\.test$/);
    const list = await (await fetch("/api/support/inboxes", { headers: { "X-API-Key": apiKey } })).json();
    expect(list.data.map((inbox: { name: string }) => inbox.name)).toContain("Technical Support");
  });

  it("applies the General Settings object", async () => {
    const { inboxId } = await createTechnicalSupportInbox(acme.apiKey);
    const settings = {
      name: 'Technical Support',
      description: 'Technical issues and questions',
      email: 'support@example.com',
      isDefault: false,
      color: '#3B82F6',
      icon: 'wrench'
    };
    const { status, data } = await putSettings(acme.apiKey, inboxId, settings);
    expect(status).toBe(200);
    expect(data).toMatchObject(settings);
  });

  it("applies the Assignment Rules object with a real fallback member", async () => {
    const { inboxId } = await createTechnicalSupportInbox(acme.apiKey);
    const { status, data } = await putSettings(acme.apiKey, inboxId, {
      assignmentRules: {
        type: 'round_robin', // 'round_robin' | 'least_busy' | 'manual'
        fallbackUserId: agent.member.id,
        workingHours: {
          enabled: true,
          timezone: 'America/New_York',
          schedule: {
            monday: { start: '09:00', end: '17:00' },
            tuesday: { start: '09:00', end: '17:00' },
            // ...
          }
        }
      }
    });
    expect(status).toBe(200);
    expect(data.assignmentRules).toMatchObject({
      type: "round_robin",
      fallbackUserId: agent.member.id,
      workingHours: { enabled: true, timezone: "America/New_York", schedule: { monday: { start: "09:00", end: "17:00" }, tuesday: { start: "09:00", end: "17:00" } } },
    });
    expect(data.workingHours).toEqual(data.assignmentRules.workingHours);
  });

  it("applies the Auto-Responders object", async () => {
    const { inboxId } = await createTechnicalSupportInbox(acme.apiKey);
    const settings = {
      autoResponder: {
        enabled: true,
        message: "Thanks for reaching out! We typically respond within 2 hours.",
        delaySeconds: 5,
        conditions: {
          outsideWorkingHours: true
        }
      }
    };
    const { status, data } = await putSettings(acme.apiKey, inboxId, settings);
    expect(status).toBe(200);
    expect(data.autoResponder).toEqual(settings.autoResponder);
  });

  it("sets working hours with the full schedule and holidays", async () => {
    const { inboxId } = await createTechnicalSupportInbox(acme.apiKey);
    const response = await fetch(`/api/support/inboxes/${inboxId}`, {
      method: 'PUT',
      headers: {
        'Content-Type': 'application/json',
        'X-API-Key': acme.apiKey,
      },
      body: JSON.stringify({
        workingHours: {
          enabled: true,
          timezone: 'America/New_York',
          schedule: {
            monday: { start: '09:00', end: '17:00' },
            tuesday: { start: '09:00', end: '17:00' },
            wednesday: { start: '09:00', end: '17:00' },
            thursday: { start: '09:00', end: '17:00' },
            friday: { start: '09:00', end: '17:00' },
            saturday: null, // Closed
            sunday: null // Closed
          },
          holidays: [
            '2024-12-25',
            '2024-01-01'
          ]
        }
      }),
    });
    expect(response.status).toBe(200);
    const { data } = await response.json();
    const weekday = { start: "09:00", end: "17:00" };
    expect(data.workingHours).toEqual({
      enabled: true,
      timezone: "America/New_York",
      schedule: { monday: weekday, tuesday: weekday, wednesday: weekday, thursday: weekday, friday: weekday, saturday: null, sunday: null },
      holidays: expect.arrayContaining(["2024-12-25", "2024-01-01"]),
    });
    expect(data.workingHours.holidays).toHaveLength(2);
  });

  it("applies the Outside Hours Message and the Reply by Email settings", async () => {
    const { inboxId } = await createTechnicalSupportInbox(acme.apiKey);
    const outside = await putSettings(acme.apiKey, inboxId, {
      outsideHoursMessage: "We're currently offline. We'll respond when we're back online tomorrow at 9 AM EST."
    });
    expect(outside.status).toBe(200);
    expect(outside.data.outsideHoursMessage).toBe("We're currently offline. We'll respond when we're back online tomorrow at 9 AM EST.");
    const email = await putSettings(acme.apiKey, inboxId, {
      emailSettings: {
        replyByEmail: true,
        fromAddress: 'support@example.com',
        fromName: 'Support Team'
      }
    });
    expect(email.status).toBe(200);
    expect(email.data.emailSettings).toEqual({ replyByEmail: true, fromAddress: "support@example.com", fromName: "Support Team" });
    expect(email.data.outsideHoursMessage).toBe(outside.data.outsideHoursMessage);
  });

  it("adds a team member to the inbox as an agent", async () => {
    const { inboxId } = await createTechnicalSupportInbox(acme.apiKey);
    const response = await fetch(`/api/support/inboxes/${inboxId}/members`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-API-Key': acme.apiKey,
      },
      body: JSON.stringify({
        userId: agent.member.id,
        role: 'agent' // 'agent' | 'admin'
      }),
    });
    expect(response.status).toBe(201);
    const { data } = await response.json();
    expect(data).toMatchObject({ userId: agent.member.id, inboxId, role: "agent", name: "Alice Johnson", email: "support@acme.com" });
    const list = await (await fetch(`/api/support/inboxes/${inboxId}/members`, { headers: { "X-API-Key": acme.apiKey } })).json();
    expect(list.data.map((m: { userId: string }) => m.userId)).toEqual([agent.member.id]);
  });

  it("lets an agent set their own availability to available", async () => {
    const { inboxId } = await createTechnicalSupportInbox(acme.apiKey);
    expect((await client.post(`/inboxes/${inboxId}/members`, { userId: agent.member.id, role: "agent" })).status).toBe(201);
    const userId = agent.member.id;
    const setAway = await fetch(`/api/support/members/${userId}/availability`, { method: "PUT", headers: { "Content-Type": "application/json", "X-API-Key": agent.apiKey }, body: JSON.stringify({ status: "away" }) });
    expect(setAway.status).toBe(200);
    expect((await client.get(`/members/${userId}`)).data.member.availability).toBe("away");

    // Set agent as available
    const response = await fetch(`/api/support/inboxes/${inboxId}/members/${userId}/availability`, {
      method: 'PUT',
      headers: {
        'Content-Type': 'application/json',
        'X-API-Key': agent.apiKey,
      },
      body: JSON.stringify({
        status: 'available' // 'available' | 'away' | 'offline'
      }),
    });
    expect(response.status).toBe(200);
    const { data } = await response.json();
    expect(data).toMatchObject({ userId, inboxId, availability: "available" });
    const after = await client.get(`/members/${userId}`);
    expect(after.data.member.availability).toBe("available");
  });
});

describe("seed 003: the team API with an axios-like client", () => {
  it("answers GET /team with exactly the documented team object", async () => {
    const { data } = await client.get('/team');

    console.log('Team:', data.name);
    console.log('Plan:', data.plan);
    console.log('Created:', data.createdAt);

    expect(Object.keys(data).sort()).toEqual(["createdAt", "id", "name", "plan"]);
    expect(data).toEqual({ id: acme.team.id, name: "Acme Corp", createdAt: "2026-03-02T15:00:00.000Z", plan: "enterprise" });
    expect(log.mock.calls).toEqual([
      ["Team:", "Acme Corp"],
      ["Plan:", "enterprise"],
      ["Created:", "2026-03-02T15:00:00.000Z"],
    ]);
  });

  it("lists the team's members as data.members", async () => {
    const john = await buildMember(ctx, acme.team.id, { role: "admin", name: "John Doe", email: "sales@acme.com" });
    const { data } = await client.get('/members');

    console.log(`Team has ${data.members.length} members`);
    data.members.forEach((member: any) => {
      console.log(`${member.name} (${member.email}) - ${member.role}`);
    });

    expect(log.mock.calls[0]).toEqual(["Team has 3 members"]);
    expect(log.mock.calls.slice(1).map((call) => call[0]).sort()).toEqual(["Alice Johnson (support@acme.com) - member", "Jane Smith (owner@acme.com) - owner", "John Doe (sales@acme.com) - admin"]);
    for (const member of data.members) {
      expect(member).toMatchObject({ id: expect.stringMatching(/^member_/), email: expect.any(String), name: expect.any(String), role: expect.any(String), createdAt: expect.any(String) });
    }
    expect(data.members.map((m: { id: string }) => m.id).sort()).toEqual([acme.owner.id, agent.member.id, john.member.id].sort());
  });

  it("gets one member as data.member", async () => {
    const memberId = agent.member.id;
    const { data } = await client.get(`/members/${memberId}`);
    console.log('Member:', data.member.name);

    expect(log).toHaveBeenCalledWith("Member:", "Alice Johnson");
    expect(data.member).toMatchObject({ id: memberId, email: "support@acme.com", name: "Alice Johnson", role: "member", createdAt: "2026-03-02T15:00:00.000Z" });
  });

  it("builds the round-robin pool from the members, leaving out the owner", async () => {
    async function getTeamMembers(): Promise<string[]> {
      const { data } = await client.get('/members');
      // Exclude owner from assignment pool
      return data.members
        .filter((m: any) => m.role !== 'owner')
        .map((m: any) => m.id);
    }

    expect(await getTeamMembers()).toEqual([agent.member.id]);
  });

  it("rejects with 404 for a member of another team", async () => {
    const globex = await buildTeam(ctx, { name: "Globex" });
    const memberId = globex.owner.id;
    const failure = await client.get(`/members/${memberId}`).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HttpError);
    expect((failure as HttpError).response).toEqual({ status: 404, data: { error: { code: "not_found", message: expect.any(String) } } });
  });
});
