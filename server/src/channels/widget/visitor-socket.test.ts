import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { buildTeam, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { openSocket, TestSocket } from "../../../test/sockets.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";

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
