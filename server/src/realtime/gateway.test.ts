import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { InboxRow } from "../db/schema.js";
import { API_KEY_CACHE_MS } from "../modules/auth/api-key-cache.js";
import { buildInbox, buildMember, buildTeam, TEST_PASSWORD, type BuiltMember, type BuiltTeam } from "../../test/factories.js";
import { client, sessionCookieFrom } from "../../test/http.js";
import { openSocket, type Frame, type TestSocket } from "../../test/sockets.js";
import { createTestContext, type TestContext } from "../../test/test-context.js";
import { PRESENCE_TTL } from "./presence-tracker.js";

let ctx: TestContext;
let acme: BuiltTeam;
let sales: InboxRow;
let agent: BuiltMember;
let outsider: BuiltMember;
let base: string;
const sockets: TestSocket[] = [];

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx);
  sales = await buildInbox(ctx, acme.team.id, "Sales");
  agent = await buildMember(ctx, acme.team.id, { name: "Alice", inboxes: [{ inboxId: acme.inbox.id }] });
  outsider = await buildMember(ctx, acme.team.id, { name: "Olaf", inboxes: [{ inboxId: sales.id }] });
  await ctx.app.listen({ port: 0, host: "127.0.0.1" });
  base = `ws://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}/api/realtime`;
});
afterEach(async () => {
  for (const socket of sockets.splice(0)) {
    socket.close();
  }
  await ctx.close();
});

async function connect(apiKey: string, query = ""): Promise<TestSocket> {
  const socket = await openSocket(`${base}${query}`, { "x-api-key": apiKey });
  sockets.push(socket);
  return socket;
}

const api = () => client(ctx.app, { apiKey: acme.apiKey });

async function newConversation(inboxId: string, content = "Hello"): Promise<string> {
  const reply = await api().post("/api/support/threads", { inboxId, contact: { name: "Visitor" }, message: { content } });
  return reply.body.thread.id as string;
}

describe("who receives what", () => {
  it("sends a member the events of their inboxes, and nothing of inboxes they are not in", async () => {
    const alice = await connect(agent.apiKey);
    const olaf = await connect(outsider.apiKey);
    const id = await newConversation(acme.inbox.id, "Where is my order?");
    const created = await alice.next((f) => f.name === "message.created");
    expect(created.data.message).toMatchObject({ conversationId: id, content: "Where is my order?", direction: "incoming" });
    expect(created.inboxId).toBe(acme.inbox.id);
    await newConversation(sales.id, "for sales");
    await olaf.next((f) => f.name === "message.created");
    // Olaf got the Sales message and nothing of Support; Alice nothing of Sales.
    expect(olaf.events().every((f) => f.inboxId !== acme.inbox.id)).toBe(true);
    expect(alice.events().every((f) => f.inboxId !== sales.id)).toBe(true);
    expect(olaf.events("conversation.created")).toHaveLength(1);
  });

  it("never sends one team's events to another team", async () => {
    const globex = await buildTeam(ctx, { name: "Globex" });
    const theirs = await connect(globex.apiKey);
    const ours = await connect(acme.apiKey);
    await newConversation(acme.inbox.id);
    await ours.next((f) => f.name === "message.created");
    expect(theirs.events()).toEqual([]);
  });

  it("sends a notification only to the member it is for", async () => {
    const olafInSupport = await buildMember(ctx, acme.team.id, { name: "Bob", inboxes: [{ inboxId: acme.inbox.id }] });
    const alice = await connect(agent.apiKey);
    const bob = await connect(olafInSupport.apiKey);
    const id = await newConversation(acme.inbox.id);
    await client(ctx.app, { apiKey: olafInSupport.apiKey }).post(`/api/support/threads/${id}/messages`, { content: "@Alice have a look", private: true });
    const note = await alice.next((f) => f.name === "notification.created");
    expect(note.data).toMatchObject({ memberId: agent.member.id, kind: "mention" });
    await bob.next((f) => f.name === "message.created" && f.data.private === true);
    expect(bob.events("notification.created")).toEqual([]);
  });

  it("starts sending an inbox's events once the member is added to it, and stops when removed", async () => {
    const olaf = await connect(outsider.apiKey);
    await api().post(`/api/support/inboxes/${acme.inbox.id}/members`, { userId: outsider.member.id, role: "agent" });
    await olaf.next((f) => f.name === "inbox_member.added");
    const id = await newConversation(acme.inbox.id, "now visible");
    await olaf.next((f) => f.name === "message.created" && f.data.message.conversationId === id);
    await api().delete(`/api/support/inboxes/${acme.inbox.id}/members/${outsider.member.id}`);
    await olaf.next((f) => f.name === "inbox_member.removed");
    const hidden = await newConversation(acme.inbox.id, "hidden again");
    const alice = await connect(agent.apiKey, "");
    await api().post(`/api/support/threads/${hidden}/messages`, { content: "reply" });
    await alice.next((f) => f.name === "message.created" && f.data.message.content === "reply");
    expect(olaf.events().some((f) => f.data?.message?.conversationId === hidden)).toBe(false);
  });
});

describe("view counts", () => {
  it("pushes how the member's counts moved, per event", async () => {
    const alice = await connect(agent.apiKey);
    const id = await newConversation(acme.inbox.id);
    const created = await alice.next((f) => f.type === "counts");
    expect(created.delta).toEqual({ unassigned: 1, open: 1, all: 1 });
    const from = alice.frames.length;
    await client(ctx.app, { apiKey: agent.apiKey }).post(`/api/support/threads/${id}/messages`, { content: "mine now" });
    const taken = await alice.next((f) => f.type === "counts", { from });
    expect(taken.delta).toEqual({ unassigned: -1, mine: 1 });
  });
});

describe("resuming after a dropped connection", () => {
  it("replays exactly the missed events in order, then continues live without duplicates", async () => {
    const first = await connect(agent.apiKey);
    await newConversation(acme.inbox.id, "one");
    const seen = await first.next((f) => f.name === "message.created");
    first.close();
    await first.waitClosed();
    await newConversation(acme.inbox.id, "two");
    await newConversation(acme.inbox.id, "three");
    const stored = await ctx.database.db.selectFrom("events").select("seq").where("team_id", "=", acme.team.id).where("seq", ">", seen.seq).orderBy("seq").execute();

    const again = await connect(agent.apiKey, `?lastSeq=${seen.seq}`);
    const replayed = again.frames.filter((f) => f.type === "event").map((f) => f.seq);
    expect(replayed).toEqual(stored.map((row) => row.seq).filter((seq) => seq > seen.seq));
    expect(again.events("message.created").map((f) => f.data.message.content)).toEqual(["two", "three"]);
    const hello = again.frames.find((f) => f.type === "hello");
    expect(hello?.seq).toBe(replayed.at(-1));

    await newConversation(acme.inbox.id, "four");
    await again.next((f) => f.name === "message.created" && f.data.message.content === "four");
    const seqs = again.events().map((f) => f.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  });

  it("tells a client to reload when its position is too old to replay", async () => {
    await newConversation(acme.inbox.id);
    const head = (await ctx.database.db.selectFrom("teams").select("event_seq").where("id", "=", acme.team.id).executeTakeFirstOrThrow()).event_seq;
    await ctx.database.db.deleteFrom("events").where("team_id", "=", acme.team.id).where("seq", "<", head).execute();
    const socket = await connect(agent.apiKey, "?lastSeq=1");
    const resync = socket.frames.find((f) => f.type === "resync");
    expect(resync).toMatchObject({ seq: head, reason: "too_far_behind" });
    expect(socket.events()).toEqual([]);
  });

  it("tells a client from an unknown future position to reload", async () => {
    const socket = await connect(agent.apiKey, "?lastSeq=999999");
    expect(socket.frames.find((f) => f.type === "resync")).toMatchObject({ reason: "unknown_position" });
  });
});

describe("authentication", () => {
  it("refuses a connection without credentials or with a bad key", async () => {
    await expect(openSocket(base)).rejects.toThrow("HTTP 401");
    await expect(openSocket(base, { "x-api-key": "pk_nope" })).rejects.toThrow("HTTP 401");
  });

  it("accepts the dashboard's session cookie from its own origin and refuses it from another site", async () => {
    const signin = await client(ctx.app).post("/api/auth/signin", { email: agent.member.email, password: TEST_PASSWORD });
    const cookie = sessionCookieFrom(signin);
    const own = await openSocket(base, { cookie, origin: "http://parley.test" });
    sockets.push(own);
    await expect(openSocket(base, { cookie, origin: "http://evil.test" })).rejects.toThrow("HTTP 403");
  });

  it("closes the socket of a member who is removed, and of a revoked key", async () => {
    const alice = await connect(agent.apiKey);
    const removed = await api().delete(`/api/support/members/${agent.member.id}`);
    expect(removed.status).toBe(200);
    expect((await alice.waitClosed()).code).toBe(4001);

    const keyed = await connect(acme.apiKey);
    const keys = await api().get("/api/support/api-keys");
    const other = await client(ctx.app, { apiKey: acme.apiKey }).post("/api/support/api-keys", { name: "second" });
    const second = await connect(other.body.data.secret);
    const ownerKey = keys.body.data.find((key: { prefix: string }) => acme.apiKey.startsWith(`${key.prefix}_`));
    await client(ctx.app, { apiKey: other.body.data.secret }).delete(`/api/support/api-keys/${ownerKey.id}`);
    expect((await keyed.waitClosed()).code).toBe(4001);
    expect(second.closed).toBeUndefined();
  });
});

describe("typing", () => {
  it("tells other agents who can see the conversation, not the typist", async () => {
    const colleague = await buildMember(ctx, acme.team.id, { name: "Bea", inboxes: [{ inboxId: acme.inbox.id }] });
    const id = await newConversation(acme.inbox.id);
    const alice = await connect(agent.apiKey);
    const bea = await connect(colleague.apiKey);
    const olaf = await connect(outsider.apiKey);
    alice.send({ type: "typing", conversationId: id, state: "started" });
    const signal = await bea.next((f) => f.type === "signal" && f.name.startsWith("typing."));
    expect(signal).toMatchObject({ name: "typing.started", data: { conversationId: id, member: { id: agent.member.id, name: "Alice" }, private: false } });
    bea.send({ type: "ping" });
    await bea.next((f) => f.type === "pong");
    expect(alice.frames.some((f) => f.type === "signal" && f.name.startsWith("typing."))).toBe(false);
    expect(olaf.frames.some((f) => f.type === "signal" && f.name.startsWith("typing."))).toBe(false);
  });

  it("answers a bad frame or an invisible conversation with an error frame and keeps the socket open", async () => {
    const id = await newConversation(acme.inbox.id);
    const olaf = await connect(outsider.apiKey);
    olaf.send({ type: "shout" });
    expect((await olaf.next((f) => f.type === "error")).code).toBe("invalid_frame");
    const from = olaf.frames.length;
    olaf.send({ type: "typing", conversationId: id, state: "started" });
    expect((await olaf.next((f) => f.type === "error", { from })).code).toBe("not_found");
    olaf.send({ type: "ping" });
    await olaf.next((f) => f.type === "pong");
  });
});

describe("slow consumers", () => {
  it("closes a socket that stops reading, without holding back the others", async () => {
    const slow = await connect(agent.apiKey);
    const fast = await connect(acme.apiKey);
    // The slow client stops reading from its TCP socket.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const id = await newConversation(acme.inbox.id);
    // 4-byte characters: each message is about 40 KB on the wire; 320 of them overflow the kernel's buffers too.
    const big = "😀".repeat(9_990);
    for (let i = 0; i < 320; i++) {
      await api().post(`/api/support/threads/${id}/messages`, { content: `${i} ${big}`, private: true });
    }
    await fast.next((f) => f.name === "message.created" && f.data.message.content.startsWith("319 "), { timeoutMs: 20_000 });
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    expect((await slow.waitClosed(10_000)).code).toBe(4008);
  });
});

describe("presence", () => {
  it("tells the team when a member comes online and when their last socket closes", async () => {
    const watcher = await connect(acme.apiKey);
    const first = await connect(agent.apiKey);
    const online = await watcher.next((f) => f.type === "signal" && f.name === "presence.changed" && f.data.memberId === agent.member.id);
    expect(online.data).toEqual({ memberId: agent.member.id, online: true });
    expect((await api().get(`/api/support/members/${agent.member.id}`)).body.member.online).toBe(true);

    const second = await connect(agent.apiKey);
    first.close();
    await first.waitClosed();
    second.send({ type: "ping" });
    await second.next((f) => f.type === "pong");
    const aboutAgent = (f: Frame) => f.name === "presence.changed" && f.data?.memberId === agent.member.id;
    expect(watcher.frames.filter(aboutAgent)).toHaveLength(1);

    const from = watcher.frames.length;
    second.close();
    const offline = await watcher.next(aboutAgent, { from });
    expect(offline.data).toEqual({ memberId: agent.member.id, online: false });
    expect((await api().get("/api/support/members")).body.members.find((m: { id: string }) => m.id === agent.member.id).online).toBe(false);
  });

  it("reports a member offline once the process holding their socket stops renewing", async () => {
    const watcher = await connect(acme.apiKey);
    // Another process (that has since died) said the agent was connected until a minute from now.
    await ctx.database.db.insertInto("presence").values({ member_id: agent.member.id, team_id: acme.team.id, process_id: "dead-process", expires_at: ctx.clock.now() + 60_000 }).execute();
    expect((await api().get(`/api/support/members/${agent.member.id}`)).body.member.online).toBe(true);
    ctx.clock.advance(61_000);
    await ctx.app.realtime.beat();
    const offline = await watcher.next((f) => f.name === "presence.changed" && f.data.memberId === agent.member.id);
    expect(offline.data.online).toBe(false);
    expect((await api().get(`/api/support/members/${agent.member.id}`)).body.member.online).toBe(false);
  });
});

describe("heartbeat", () => {
  /** Waits until each socket has been pinged `count` times and the server has read what it sent back since. */
  async function pinged(count: number, ...pinged: TestSocket[]): Promise<void> {
    for (const socket of pinged) {
      await socket.waitPings(count);
      // A socket's pong goes out before the frame sent after it: once the server answers, it has read the pong.
      const from = socket.frames.length;
      socket.send({ type: "ping" });
      await socket.next((f) => f.type === "pong", { from });
    }
  }

  it("pings every socket, a slice at a time, and ends those that did not answer the last ping", async () => {
    ctx.app.realtime.heartbeatSlice = 1;
    const alice = await connect(agent.apiKey);
    const owner = await connect(acme.apiKey);
    const silent = await openSocket(base, { "x-api-key": agent.apiKey }, { autoPong: false });
    sockets.push(silent);

    await ctx.app.realtime.beat();
    await pinged(1, alice, owner, silent);
    expect(silent.closed).toBeUndefined();

    await ctx.app.realtime.beat();
    await pinged(2, alice, owner);
    expect((await silent.waitClosed()).code).toBe(1006);
    expect(alice.closed).toBeUndefined();
    expect(owner.closed).toBeUndefined();
    await vi.waitFor(async () => expect(await ctx.app.realtime.connectionCount()).toBe(2));
  });

  it("closes, every other beat, the sockets whose key or session no longer stands for their member", async () => {
    ctx.app.realtime.heartbeatSlice = 2;
    const keyed = [await connect(agent.apiKey), await connect(agent.apiKey)];
    const owner = await connect(acme.apiKey);
    const signin = await client(ctx.app).post("/api/auth/signin", { email: outsider.member.email, password: TEST_PASSWORD });
    const session = await openSocket(base, { cookie: sessionCookieFrom(signin), origin: "http://parley.test" });
    sockets.push(session);
    // Changed behind Parley's back, so that no event tells the sockets: only the heartbeat's check finds out.
    await ctx.database.db.updateTable("api_keys").set({ revoked_at: ctx.clock.now() }).where("member_id", "=", agent.member.id).execute();
    await ctx.database.db.deleteFrom("sessions").where("member_id", "=", outsider.member.id).execute();
    ctx.clock.advance(API_KEY_CACHE_MS + 1);

    await ctx.app.realtime.beat();
    await pinged(1, ...keyed, owner, session);
    expect([...keyed, owner, session].map((socket) => socket.closed)).toEqual([undefined, undefined, undefined, undefined]);

    await ctx.app.realtime.beat();
    for (const socket of [...keyed, session]) {
      expect((await socket.waitClosed()).code).toBe(4001);
    }
    await pinged(2, owner);
    expect(owner.closed).toBeUndefined();
  });

  it("renews the presence of every member held here, a statement per chunk of members", async () => {
    ctx.app.realtime.presence.renewChunk = 2;
    await connect(agent.apiKey);
    await connect(outsider.apiKey);
    await connect(acme.apiKey);
    const presence = () => ctx.database.db.selectFrom("presence").select(["member_id", "expires_at"]).execute();
    await vi.waitFor(async () => expect(await presence()).toHaveLength(3));

    ctx.clock.advance(PRESENCE_TTL / 2);
    await ctx.app.realtime.beat();
    const rows = await presence();
    expect(rows.map((row) => row.member_id).sort()).toEqual([agent.member.id, outsider.member.id, acme.owner.id].sort());
    expect(rows.every((row) => Number(row.expires_at) === ctx.clock.now() + PRESENCE_TTL)).toBe(true);
  });
});
