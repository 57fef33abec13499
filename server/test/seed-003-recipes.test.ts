import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { buildMember, buildTeam, type BuiltMember, type BuiltTeam } from "./factories.js";
import { client as inject } from "./http.js";
import { createTestContext, type TestContext } from "./test-context.js";

// Seed 003's "Common Patterns" recipes, pasted as written and run against a live server with the axios-like
// client the seed assumes. Only the placeholder ids ('member_sales', …) are replaced by real members' ids.

let ctx: TestContext;
let acme: BuiltTeam;
let sales: BuiltMember;
let support: BuiltMember;
let partnerships: BuiltMember;
let baseUrl = "";
let log: MockInstance<typeof console.log>;

class HttpError extends Error {
  constructor(readonly response: { status: number; data: any }) {
    super(`Request failed with status code ${response.status}`);
  }
}

/** Axios as the seed uses it: base URL /api/support, X-API-Key, params through URLSearchParams, `{ data }`, throws on non-2xx. */
function makeClient(apiKey: string) {
  async function request(method: string, path: string, params: Record<string, unknown> = {}, body?: unknown): Promise<{ data: any }> {
    const query = new URLSearchParams(Object.entries(params).map(([key, value]): [string, string] => [key, String(value)])).toString();
    const response = await globalThis.fetch(`${baseUrl}/api/support${path}${query ? `?${query}` : ""}`, {
      method,
      headers: { "X-API-Key": apiKey, ...(body !== undefined ? { "Content-Type": "application/json" } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    const data = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      throw new HttpError({ status: response.status, data });
    }
    return { data };
  }
  return {
    get: (path: string, config: { params?: Record<string, unknown> } = {}) => request("GET", path, config.params),
    patch: (path: string, body?: unknown) => request("PATCH", path, {}, body),
  };
}

let client: ReturnType<typeof makeClient>;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx, { name: "Acme Corp", ownerEmail: "owner@acme.com" });
  // Seed 003's members, in the default inbox so that threads there can be assigned to them.
  const inboxes = [{ inboxId: acme.inbox.id }];
  sales = await buildMember(ctx, acme.team.id, { role: "admin", name: "John Doe", email: "sales@acme.com", inboxes });
  support = await buildMember(ctx, acme.team.id, { role: "member", name: "Alice Johnson", email: "support@acme.com", inboxes });
  partnerships = await buildMember(ctx, acme.team.id, { role: "member", name: "Paul Partner", email: "partners@acme.com", inboxes });
  await ctx.app.listen({ port: 0, host: "127.0.0.1" });
  baseUrl = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  client = makeClient(acme.apiKey);
  log = vi.spyOn(console, "log").mockImplementation(() => undefined);
});
afterEach(async () => {
  log.mockRestore();
  await ctx.close();
});

/** A new thread from a contact, through the API (not part of the recipes). */
async function newThread(content: string): Promise<string> {
  const reply = await inject(ctx.app, { apiKey: acme.apiKey }).post("/api/support/threads", { contact: { email: `c${Math.random().toString(36).slice(2)}@example.com` }, message: { content } });
  expect(reply.status).toBe(201);
  return reply.body.thread.id;
}

async function assigneeOf(threadId: string): Promise<string | null> {
  return (await client.get(`/threads/${threadId}`)).data.thread.assignedToMemberId;
}

/** The non-owner members in the order GET /members lists them: the recipes' pool. */
async function pool(): Promise<string[]> {
  const { data } = await client.get("/members");
  return data.members.filter((m: any) => m.role !== "owner").map((m: any) => m.id);
}

describe("seed 003: Thread Assignment and Filter by Assignee", () => {
  it("assigns, filters by assignee and by noAssignee, and unassigns as written", async () => {
    const threadId = await newThread("hello");
    const other = await newThread("unassigned one");
    const member_sales = sales.member.id;

    // Assign a thread to a member
    await client.patch(`/threads/${threadId}`, {
      assignedToMemberId: member_sales
    });
    // Get threads assigned to a specific member
    const { data } = await client.get('/threads', {
      params: {
        'filter[assignedToMemberIds][0]': member_sales
      }
    });
    // Get unassigned threads
    const { data: unassigned } = await client.get('/threads', {
      params: {
        'filter[noAssignee]': true
      }
    });
    expect(data.threads.map((t: any) => t.id)).toEqual([threadId]);
    expect(unassigned.threads.map((t: any) => t.id)).toEqual([other]);

    // Unassign a thread
    await client.patch(`/threads/${threadId}`, {
      assignedToMemberId: null
    });
    expect(await assigneeOf(threadId)).toBeNull();
  });
});

describe("seed 003: Round-Robin Assignment", () => {
  it("hands new threads to the non-owner members in turn", async () => {
    async function getTeamMembers(): Promise<string[]> {
      const { data } = await client.get('/members');
      // Exclude owner from assignment pool
      return data.members
        .filter((m: any) => m.role !== 'owner')
        .map((m: any) => m.id);
    }

    class RoundRobinAssigner {
      private members: string[] = [];
      private currentIndex = 0;

      async initialize() {
        this.members = await getTeamMembers();
      }

      next(): string {
        const memberId = this.members[this.currentIndex];
        this.currentIndex = (this.currentIndex + 1) % this.members.length;
        return memberId!; // `!`: the seed's code under noUncheckedIndexedAccess
      }
    }

    // Usage
    const assigner = new RoundRobinAssigner();
    await assigner.initialize();

    async function assignNewThread(threadId: string) {
      const memberId = assigner.next();
      await client.patch(`/threads/${threadId}`, {
        assignedToMemberId: memberId
      });
      console.log(`Assigned thread to ${memberId}`);
    }

    const order = await pool();
    expect([...order].sort()).toEqual([sales.member.id, support.member.id, partnerships.member.id].sort());
    const threads: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      const threadId = await newThread(`question ${i}`);
      threads.push(threadId);
      await assignNewThread(threadId);
    }
    const assignees = await Promise.all(threads.map(assigneeOf));
    expect(assignees).toEqual(threads.map((_, i) => order[i % 3]));
    expect(assignees).not.toContain(acme.owner.id);
    expect(log).toHaveBeenCalledTimes(7);
  });
});

describe("seed 003: Workload-Based Assignment", () => {
  async function getMemberWorkloads(): Promise<Map<string, number>> {
    const { data: membersData } = await client.get('/members');
    const workloads = new Map<string, number>();

    for (const member of membersData.members) {
      // eslint-disable-next-line curly -- the seed's code, as written
      if (member.role === 'owner') continue;

      const { data: threadsData } = await client.get('/threads', {
        params: {
          'filter[assignedToMemberIds][0]': member.id,
          inboxView: 'default',
          limit: 1  // We just need the count
        }
      });

      workloads.set(member.id, threadsData.threads.length);
    }

    return workloads;
  }

  async function assignToLeastBusy(threadId: string) {
    const workloads = await getMemberWorkloads();

    // Find member with lowest workload
    let minMember = '';
    let minCount = Infinity;

    for (const [memberId, count] of workloads) {
      if (count < minCount) {
        minCount = count;
        minMember = memberId;
      }
    }

    if (minMember) {
      await client.patch(`/threads/${threadId}`, {
        assignedToMemberId: minMember
      });
      console.log(`Assigned to ${minMember} (${minCount} threads)`);
    }
  }

  async function give(memberId: string, count: number, status?: string) {
    for (let i = 0; i < count; i += 1) {
      await client.patch(`/threads/${await newThread("work")}`, { assignedToMemberId: memberId, ...(status ? { status } : {}) });
    }
  }

  it("assigns to the member with no open threads, not counting closed or pending ones", async () => {
    await give(sales.member.id, 2);
    await give(support.member.id, 1);
    await give(partnerships.member.id, 3, "closed");
    await give(partnerships.member.id, 1, "pending");
    const threadId = await newThread("who takes this?");
    await assignToLeastBusy(threadId);
    expect(await assigneeOf(threadId)).toBe(partnerships.member.id);
    expect(log).toHaveBeenCalledWith(`Assigned to ${partnerships.member.id} (0 threads)`);
  });

  it("counts each member's open threads as at most 1 (limit: 1), so when everyone has work the first member wins", async () => {
    const order = await pool();
    await give(order[0]!, 3);
    await give(order[1]!, 1);
    await give(order[2]!, 1);
    const workloads = await getMemberWorkloads();
    expect([...workloads.entries()]).toEqual(order.map((id) => [id, 1]));
    const threadId = await newThread("who takes this?");
    await assignToLeastBusy(threadId);
    expect(await assigneeOf(threadId)).toBe(order[0]);
  });
});

describe("seed 003: Role-Based Routing", () => {
  it("assigns each thread to the member whose keywords its message contains", async () => {
    interface RoutingConfig {
      memberId: string;
      keywords: string[];
    }

    const routingRules: RoutingConfig[] = [
      {
        memberId: sales.member.id,
        keywords: ['pricing', 'demo', 'quote', 'buy', 'purchase']
      },
      {
        memberId: support.member.id,
        keywords: ['help', 'issue', 'problem', 'bug', 'error', 'not working']
      },
      {
        memberId: partnerships.member.id,
        keywords: ['partner', 'integration', 'affiliate', 'collaborate']
      }
    ];

    async function routeByContent(threadId: string, messageText: string) {
      const text = messageText.toLowerCase();

      for (const rule of routingRules) {
        if (rule.keywords.some(k => text.includes(k))) {
          await client.patch(`/threads/${threadId}`, {
            assignedToMemberId: rule.memberId
          });
          console.log(`Routed to ${rule.memberId} based on keywords`);
          return rule.memberId;
        }
      }

      // Default: round-robin if no keywords match
      return null;
    }

    const cases: [string, string | null][] = [
      ["Could I get a QUOTE for 50 seats?", sales.member.id],
      ["The export is Not Working since Monday", support.member.id],
      ["We would like to become an affiliate", partnerships.member.id],
      ["Can you help me with pricing?", sales.member.id],
      ["Hello there 👋", null],
    ];
    for (const [message, expected] of cases) {
      const threadId = await newThread(message);
      expect(await routeByContent(threadId, message), message).toBe(expected);
      expect(await assigneeOf(threadId), message).toBe(expected);
    }
    const { data } = await client.get('/threads', { params: { 'filter[assignedToMemberIds][0]': sales.member.id } });
    expect(data.threads).toHaveLength(2);
  });
});

describe("seed 003: Member Performance Metrics", () => {
  it("counts each member's open threads and the threads closed today", async () => {
    interface MemberMetrics {
      memberId: string;
      name: string;
      openThreads: number;
      closedToday: number;
      avgResponseTime?: number;
    }

    async function getTeamMetrics(): Promise<MemberMetrics[]> {
      const { data: membersData } = await client.get('/members');
      const metrics: MemberMetrics[] = [];

      const todayStart = new Date();
      todayStart.setHours(0, 0, 0, 0);

      for (const member of membersData.members) {
        // Count open threads
        const { data: openData } = await client.get('/threads', {
          params: {
            'filter[assignedToMemberIds][0]': member.id,
            inboxView: 'default'
          }
        });

        // Count archived today (approximation)
        const { data: archivedData } = await client.get('/threads', {
          params: {
            'filter[assignedToMemberIds][0]': member.id,
            inboxView: 'archived'
          }
        });

        metrics.push({
          memberId: member.id,
          name: member.name,
          openThreads: openData.threads.length,
          closedToday: archivedData.threads.filter(
            (t: any) => new Date(t.updatedAt) >= todayStart
          ).length
        });

        await new Promise(r => setTimeout(r, 100));  // Rate limit
      }

      return metrics;
    }

    // The recipe reads the real clock; the server's clock is set to match it.
    const todayStart = new Date();
    todayStart.setHours(0, 0, 0, 0);
    const work = async (memberId: string, status?: string) => {
      const threadId = await newThread("work");
      await client.patch(`/threads/${threadId}`, { assignedToMemberId: memberId, ...(status ? { status } : {}) });
    };
    ctx.clock.set(todayStart.getTime() - 3 * 3_600_000);
    await work(sales.member.id, "closed"); // yesterday
    ctx.clock.set(Date.now());
    await work(sales.member.id);
    await work(sales.member.id);
    await work(sales.member.id, "closed");
    await work(support.member.id);
    await work(partnerships.member.id, "closed");
    await work(partnerships.member.id, "closed");
    await work(partnerships.member.id, "pending");
    await work(acme.owner.id);

    const metrics = await getTeamMetrics();
    const byId = new Map(metrics.map((m) => [m.memberId, m]));
    expect(metrics).toHaveLength(4);
    expect(byId.get(acme.owner.id)).toEqual({ memberId: acme.owner.id, name: "Jane Smith", openThreads: 1, closedToday: 0 });
    expect(byId.get(sales.member.id)).toEqual({ memberId: sales.member.id, name: "John Doe", openThreads: 2, closedToday: 1 });
    expect(byId.get(support.member.id)).toEqual({ memberId: support.member.id, name: "Alice Johnson", openThreads: 1, closedToday: 0 });
    expect(byId.get(partnerships.member.id)).toEqual({ memberId: partnerships.member.id, name: "Paul Partner", openThreads: 0, closedToday: 2 });
  });
});
