import type { AddressInfo, Socket } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { buildTeam, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { redisForTests } from "../../../test/services.js";
import { openSocket, TestSocket } from "../../../test/sockets.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";
import { MAX_WAITING_MESSAGES } from "./visitor-socket.js";

const redisUrl = await redisForTests();

let ctx: TestContext;
let acme: BuiltTeam;
let api: ReturnType<typeof client>;
let base: string;
const sockets: TestSocket[] = [];

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx);
  api = client(ctx.app, { apiKey: acme.apiKey });
  await ctx.app.listen({ port: 0, host: "127.0.0.1" });
  base = `ws://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  for (const socket of sockets.splice(0)) {
    socket.close();
  }
  await ctx.close();
});

async function newVisitor() {
  const session = await client(ctx.app).post("/api/widget/session", { websiteToken: acme.inbox.website_token });
  const token = session.body.visitorToken as string;
  const post = (url: string, body: unknown) => client(ctx.app).post(url, body, { "x-visitor-token": token });
  return { token, contactId: session.body.visitor.contactId as string, post };
}

/** A visitor's socket, authenticated (and waiting for hello). */
async function visitorSocket(token: string, lastSeq?: number): Promise<TestSocket> {
  const ws = new WebSocket(`${base}/api/widget/realtime`);
  const socket = new TestSocket(ws);
  sockets.push(socket);
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  socket.send({ type: "auth", visitorToken: token, ...(lastSeq !== undefined ? { lastSeq } : {}) });
  await socket.next((frame) => frame.type === "hello");
  return socket;
}

describe("the visitor's live feed", () => {
  it("brings the team's replies and the closing of the conversation, never notes or other visitors' conversations", async () => {
    const alice = await newVisitor();
    const bob = await newVisitor();
    const aliceSocket = await visitorSocket(alice.token);
    const bobSocket = await visitorSocket(bob.token);
    const id = (await alice.post("/api/widget/messages", { content: "Hello?" })).body.conversation.id as string;
    const own = await aliceSocket.next((f) => f.name === "message.created");
    expect(own.data.message).toMatchObject({ conversationId: id, fromVisitor: true, content: "Hello?" });

    await api.post(`/api/support/threads/${id}/messages`, { content: "secret note", private: true });
    await api.post(`/api/support/threads/${id}/messages`, { content: "We're here!" });
    const reply = await aliceSocket.next((f) => f.name === "message.created" && !f.data.message.fromVisitor);
    expect(reply.data.message).toMatchObject({ content: "We're here!", author: { name: "Jane Smith" } });
    expect(JSON.stringify(reply.data)).not.toContain("member_");

    await api.patch(`/api/support/threads/${id}`, { status: "closed" });
    const closed = await aliceSocket.next((f) => f.name === "conversation.updated" && f.data.conversation.status === "closed");
    expect(closed.data.conversation).toEqual({ id, status: "closed" });
    expect(aliceSocket.frames.some((f) => JSON.stringify(f).includes("secret note"))).toBe(false);
    expect(aliceSocket.frames.some((f) => JSON.stringify(f).includes("closed this"))).toBe(false);
    expect(bobSocket.frames.filter((f) => f.type === "event")).toEqual([]);
  });

  it("shows the agent typing (not in note mode) and tells agents when the visitor types", async () => {
    const alice = await newVisitor();
    const id = (await alice.post("/api/widget/messages", { content: "Hi" })).body.conversation.id as string;
    const visitorFeed = await visitorSocket(alice.token);
    const agent = await openSocket(`${base}/api/realtime`, { "x-api-key": acme.apiKey });
    sockets.push(agent);
    agent.send({ type: "typing", conversationId: id, state: "started", private: true });
    agent.send({ type: "typing", conversationId: id, state: "started" });
    const typing = await visitorFeed.next((f) => f.type === "signal");
    expect(typing).toMatchObject({ name: "typing.started", data: { conversationId: id, agent: { name: "Jane Smith" } } });
    expect(visitorFeed.frames.filter((f) => f.type === "signal")).toHaveLength(1);

    visitorFeed.send({ type: "typing", conversationId: id, state: "started" });
    const fromVisitor = await agent.next((f) => f.type === "signal" && f.data.contact !== undefined);
    expect(fromVisitor.data).toMatchObject({ conversationId: id, contactId: alice.contactId });
  });

  it("resumes from the last sequence number with exactly what was missed", async () => {
    const alice = await newVisitor();
    const id = (await alice.post("/api/widget/messages", { content: "first" })).body.conversation.id as string;
    const socket = await visitorSocket(alice.token);
    await api.post(`/api/support/threads/${id}/messages`, { content: "reply one" });
    const seen = await socket.next((f) => f.name === "message.created");
    socket.close();
    await socket.waitClosed();
    await api.post(`/api/support/threads/${id}/messages`, { content: "reply two" });
    await api.post(`/api/support/threads/${id}/messages`, { content: "internal", private: true });
    await api.post(`/api/support/threads/${id}/messages`, { content: "reply three" });
    const again = await visitorSocket(alice.token, seen.seq);
    expect(again.frames.filter((f) => f.type === "event").map((f) => f.data.message.content)).toEqual(["reply two", "reply three"]);
  });

  it("closes a socket that authenticates with an unknown token, and answers frames before auth with an error", async () => {
    const ws = new WebSocket(`${base}/api/widget/realtime`);
    const socket = new TestSocket(ws);
    sockets.push(socket);
    await new Promise((resolve) => ws.once("open", resolve));
    socket.send({ type: "ping" });
    expect((await socket.next((f) => f.type === "error")).code).toBe("unauthenticated");
    socket.send({ type: "auth", visitorToken: "vt_not_a_real_token" });
    expect((await socket.waitClosed()).code).toBe(4001);
  });

  it("keeps a socket to one visitor when two auth frames arrive at once, and answers the other with an error", async () => {
    const alice = await newVisitor();
    const bob = await newVisitor();
    const ws = new WebSocket(`${base}/api/widget/realtime`);
    const socket = new TestSocket(ws);
    sockets.push(socket);
    await new Promise((resolve) => ws.once("open", resolve));
    socket.send({ type: "auth", visitorToken: alice.token });
    socket.send({ type: "auth", visitorToken: bob.token });
    const hello = await socket.next((f) => f.type === "hello");
    expect([alice.contactId, bob.contactId]).toContain(hello.contactId);
    expect((await socket.next((f) => f.type === "error")).code).toBe("already_authenticated");
    socket.send({ type: "ping" });
    await socket.next((f) => f.type === "pong");
    expect(socket.frames.filter((f) => f.type === "hello")).toHaveLength(1);
  });

  it("tells the visitor when someone on the team has read the conversation", async () => {
    const alice = await newVisitor();
    const id = (await alice.post("/api/widget/messages", { content: "Did you see this?" })).body.conversation.id as string;
    const feed = await visitorSocket(alice.token);
    await api.post(`/api/support/threads/${id}/read`);
    const seen = await feed.next((f) => f.name === "conversation.seen");
    expect(seen.data).toEqual({ conversationId: id, seenAt: new Date(ctx.clock.now()).toISOString() });
    const list = await client(ctx.app).get("/api/widget/conversations", { "x-visitor-token": alice.token });
    expect(list.body.conversations[0].seenAt).toBe(new Date(ctx.clock.now()).toISOString());
  });
});

describe("writing on the visitor's socket", () => {
  const agentSocket = async () => {
    const agent = await openSocket(`${base}/api/realtime`, { "x-api-key": acme.apiKey });
    sockets.push(agent);
    return agent;
  };

  it("stores the message and answers it under its ref as POST /api/widget/messages answers; the agent gets it live", async () => {
    const alice = await newVisitor();
    const socket = await visitorSocket(alice.token);
    const agent = await agentSocket();
    socket.send({ type: "message", ref: "r-1", content: "Hello from the socket" });
    const first = await socket.next((f) => f.type === "message.sent");
    expect(first).toMatchObject({ ref: "r-1", created: true, message: { content: "Hello from the socket", fromVisitor: true }, conversation: { status: "open" } });
    const id = first.conversation.id as string;
    const live = await agent.next((f) => f.name === "message.created");
    expect(live.data.message).toMatchObject({ conversationId: id, content: "Hello from the socket", direction: "incoming" });

    socket.send({ type: "message", ref: "r-2", content: "And a second one", conversationId: id });
    const second = await socket.next((f) => f.type === "message.sent" && f.ref === "r-2");
    expect(second).toMatchObject({ created: false, conversation: { id }, message: { conversationId: id, content: "And a second one" } });
    // The same answer as the HTTP request's, field for field.
    const overHttp = await alice.post("/api/widget/messages", { content: "over HTTP", conversationId: id });
    expect(overHttp.status).toBe(201);
    expect(Object.keys(second).sort()).toEqual(["type", "ref", ...Object.keys(overHttp.body)].sort());
    expect(Object.keys(second.message).sort()).toEqual(Object.keys(overHttp.body.message).sort());
    expect(Object.keys(second.conversation).sort()).toEqual(Object.keys(overHttp.body.conversation).sort());
    const stored = await api.get(`/api/support/threads/${id}/messages`);
    expect(stored.body.messages.map((m: { content: string }) => m.content)).toEqual(["Hello from the socket", "And a second one", "over HTTP"]);
  });

  it("stores one socket's messages in the order they were sent", async () => {
    const alice = await newVisitor();
    const socket = await visitorSocket(alice.token);
    socket.send({ type: "message", ref: "open", content: "first" });
    const id = (await socket.next((f) => f.type === "message.sent")).conversation.id as string;
    for (let i = 0; i < 12; i++) {
      socket.send({ type: "message", ref: `m${i}`, content: `number ${i}`, ...(i % 2 === 0 ? { conversationId: id } : {}) });
    }
    await socket.next((f) => f.type === "message.sent" && f.ref === "m11", { timeoutMs: 10_000 });
    expect(socket.frames.filter((f) => f.type === "message.sent").map((f) => f.ref)).toEqual(["open", ...Array.from({ length: 12 }, (_, i) => `m${i}`)]);
    const stored = await api.get(`/api/support/threads/${id}/messages?limit=50`);
    expect(stored.body.messages.map((m: { content: string }) => m.content)).toEqual(["first", ...Array.from({ length: 12 }, (_, i) => `number ${i}`)]);
  });

  it("refuses a message that breaks a rule under its ref, with the HTTP request's status and code, and stores nothing", async () => {
    const alice = await newVisitor();
    const bob = await newVisitor();
    const bobConversation = (await bob.post("/api/widget/messages", { content: "Bob's" })).body.conversation.id as string;
    const other = await buildTeam(ctx, { name: "Globex" });
    const otherConversation = (await client(ctx.app, { apiKey: other.apiKey }).post("/api/support/threads", { contact: { name: "Theirs" }, message: { content: "theirs" } })).body.thread.id as string;
    const socket = await visitorSocket(alice.token);
    const refusal = async (frame: Record<string, unknown>) => {
      const ref = `bad-${Math.random().toString(36).slice(2)}`;
      socket.send({ type: "message", ref, ...frame });
      return socket.next((f) => f.type === "error" && f.ref === ref);
    };
    expect(await refusal({ content: "x".repeat(20_001) })).toMatchObject({ status: 400, code: "validation_failed", details: [{ path: "content" }] });
    expect(await refusal({ content: "hi", sneaky: true })).toMatchObject({ status: 400, code: "validation_failed", details: [{ path: "sneaky", message: "unknown field" }] });
    expect(await refusal({ content: "nul \u0000 inside" })).toMatchObject({ status: 400, code: "validation_failed", details: [{ path: "content" }] });
    expect(await refusal({ content: "   " })).toMatchObject({ status: 400, code: "validation_failed" });
    expect(await refusal({ content: "to Bob's", conversationId: bobConversation })).toMatchObject({ status: 404, code: "not_found" });
    expect(await refusal({ content: "to another team's", conversationId: otherConversation })).toMatchObject({ status: 404, code: "not_found" });
    expect(await refusal({ content: "with someone else's file", attachmentIds: ["att_not_mine"] })).toMatchObject({ status: 400 });
    // Without a usable ref a frame cannot be answered as a message.
    socket.send({ type: "message", content: "no ref" });
    expect((await socket.next((f) => f.type === "error" && f.ref === undefined)).code).toBe("invalid_frame");
    expect((await client(ctx.app).get("/api/widget/conversations", { "x-visitor-token": alice.token })).body.conversations).toEqual([]);
    expect((await api.get(`/api/support/threads/${bobConversation}/messages`)).body.messages).toHaveLength(1);
    expect((await client(ctx.app, { apiKey: other.apiKey }).get(`/api/support/threads/${otherConversation}/messages`)).body.messages).toHaveLength(1);
    expect(socket.frames.some((f) => f.type === "message.sent")).toBe(false);
  });

  it("answers a message sent before the auth frame with an error under its ref", async () => {
    const ws = new WebSocket(`${base}/api/widget/realtime`);
    const socket = new TestSocket(ws);
    sockets.push(socket);
    await new Promise((resolve) => ws.once("open", resolve));
    socket.send({ type: "message", ref: "early", content: "anyone?" });
    expect(await socket.next((f) => f.type === "error")).toMatchObject({ ref: "early", code: "unauthenticated" });
  });

  it("counts messages on the socket and over HTTP against one budget a minute", async () => {
    const alice = await newVisitor();
    const socket = await visitorSocket(alice.token);
    for (let i = 0; i < 15; i++) {
      expect((await alice.post("/api/widget/messages", { content: `http ${i}` })).status).toBe(201);
    }
    for (let i = 0; i < 15; i++) {
      socket.send({ type: "message", ref: `s${i}`, content: `socket ${i}` });
    }
    await socket.next((f) => f.ref === "s14");
    expect(socket.frames.filter((f) => f.type === "message.sent")).toHaveLength(15);
    socket.send({ type: "message", ref: "one-too-many", content: "31st" });
    expect(await socket.next((f) => f.ref === "one-too-many")).toMatchObject({ type: "error", status: 429, code: "rate_limited" });
    const overHttp = await alice.post("/api/widget/messages", { content: "32nd" });
    expect(overHttp.status).toBe(429);
    expect(overHttp.headers["retry-after"]).toBeDefined();
  });

  it("refuses messages beyond those a socket may have waiting, and stores the rest", async () => {
    const alice = await newVisitor();
    const socket = await visitorSocket(alice.token);
    // Every frame in one write, so the server reads them before the first is stored.
    const tcp = (socket.ws as unknown as { _socket: Socket })._socket;
    tcp.cork();
    for (let i = 0; i < MAX_WAITING_MESSAGES + 5; i++) {
      socket.send({ type: "message", ref: `w${i}`, content: `burst ${i}` });
    }
    tcp.uncork();
    await socket.next((f) => f.ref === `w${MAX_WAITING_MESSAGES - 1}` && f.type === "message.sent", { timeoutMs: 10_000 });
    const answers = socket.frames.filter((f) => typeof f.ref === "string");
    expect(answers.filter((f) => f.type === "error").map((f) => [f.ref, f.code])).toEqual(Array.from({ length: 5 }, (_, i) => [`w${MAX_WAITING_MESSAGES + i}`, "rate_limited"]));
    expect(answers.filter((f) => f.type === "message.sent")).toHaveLength(MAX_WAITING_MESSAGES);
  });
});

describe.skipIf(!redisUrl)("the message budget in Redis", () => {
  it("is shared by the socket and HTTP when REDIS_URL is set", async () => {
    const redisCtx = await createTestContext({ REDIS_URL: redisUrl!, WIDGET_MESSAGES_PER_MINUTE: "3" });
    try {
      const team = await buildTeam(redisCtx);
      await redisCtx.app.listen({ port: 0, host: "127.0.0.1" });
      const session = await client(redisCtx.app).post("/api/widget/session", { websiteToken: team.inbox.website_token });
      const token = session.body.visitorToken as string;
      const ws = new WebSocket(`ws://127.0.0.1:${(redisCtx.app.server.address() as AddressInfo).port}/api/widget/realtime`);
      const socket = new TestSocket(ws);
      sockets.push(socket);
      await new Promise((resolve) => ws.once("open", resolve));
      socket.send({ type: "auth", visitorToken: token });
      await socket.next((f) => f.type === "hello");
      expect((await client(redisCtx.app).post("/api/widget/messages", { content: "one" }, { "x-visitor-token": token })).status).toBe(201);
      socket.send({ type: "message", ref: "two", content: "two" });
      socket.send({ type: "message", ref: "three", content: "three" });
      socket.send({ type: "message", ref: "four", content: "four" });
      expect(await socket.next((f) => f.ref === "four")).toMatchObject({ type: "error", status: 429, code: "rate_limited" });
      expect(socket.frames.filter((f) => f.type === "message.sent").map((f) => f.ref)).toEqual(["two", "three"]);
      expect((await client(redisCtx.app).post("/api/widget/messages", { content: "five" }, { "x-visitor-token": token })).status).toBe(429);
    } finally {
      await redisCtx.close();
    }
  });
});
