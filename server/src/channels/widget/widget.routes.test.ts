import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildInbox, buildTeam, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";
import { identityHash } from "../../modules/visitors/identify-visitor.js";

let ctx: TestContext;
let acme: BuiltTeam;
let api: ReturnType<typeof client>;

const IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx);
  api = client(ctx.app, { apiKey: acme.apiKey });
});
afterEach(() => ctx.close());

async function startSession(options: { visitorToken?: string; websiteToken?: string; url?: string; headers?: Record<string, string> } = {}) {
  const reply = await client(ctx.app).post(
    "/api/widget/session",
    { websiteToken: options.websiteToken ?? acme.inbox.website_token, ...(options.visitorToken ? { visitorToken: options.visitorToken } : {}), page: { url: options.url ?? "https://shop.test/help" }, language: "de-DE", timezone: "Europe/Berlin" },
    { "user-agent": IPHONE, ...options.headers },
  );
  return reply;
}

function visitor(token: string) {
  return {
    get: (url: string) => client(ctx.app).get(url, { "x-visitor-token": token }),
    post: (url: string, body?: unknown) => client(ctx.app).post(url, body ?? {}, { "x-visitor-token": token }),
  };
}

async function newVisitor() {
  const session = await startSession();
  return { token: session.body.visitorToken as string, contactId: session.body.visitor.contactId as string, as: visitor(session.body.visitorToken as string) };
}

describe("POST /api/widget/session", () => {
  it("gives a new browser a token, an anonymous contact with its device and language, and the inbox's state", async () => {
    const reply = await startSession();
    expect(reply.status).toBe(200);
    expect(reply.body.visitorToken).toMatch(/^vt_/);
    expect(reply.body.inbox).toMatchObject({ id: acme.inbox.id, name: "Support", isOpen: true, outsideHoursMessage: null, csat: true, preChatForm: { enabled: false } });
    expect(reply.body.conversations).toEqual([]);
    const contact = await api.get(`/api/support/contacts/${reply.body.visitor.contactId}`);
    expect(contact.body.data).toMatchObject({ name: null, device: "Mobile", os: "iOS 17.0", browser: "Mobile Safari 17", language: "de-DE", timezone: "Europe/Berlin" });
  });

  it("continues the same visitor with its token, and starts afresh for a token of another inbox or an unknown one", async () => {
    const first = await startSession();
    const again = await startSession({ visitorToken: first.body.visitorToken });
    expect(again.body.visitor.contactId).toBe(first.body.visitor.contactId);
    expect(again.body.visitorToken).toBe(first.body.visitorToken);
    const sales = await buildInbox(ctx, acme.team.id, "Sales");
    const elsewhere = await startSession({ visitorToken: first.body.visitorToken, websiteToken: sales.website_token });
    expect(elsewhere.body.visitor.contactId).not.toBe(first.body.visitor.contactId);
    const unknown = await startSession({ visitorToken: "vt_made_up_token_123" });
    expect(unknown.body.visitor.contactId).not.toBe(first.body.visitor.contactId);
  });

  it("answers 404 for a website token no inbox has, and 400 for a malformed body", async () => {
    expect((await startSession({ websiteToken: "nope-nope-nope" })).body.error.code).toBe("widget_not_found");
    const bad = await client(ctx.app).post("/api/widget/session", { websiteToken: acme.inbox.website_token, page: { url: "javascript:alert(1)" } });
    expect(bad.status).toBe(400);
  });

  it("takes the city and country from X-Forwarded-For only when TRUST_PROXY is on, for IPv4 and IPv6", async () => {
    const forwarded = { "x-forwarded-for": "81.2.69.142" };
    const untrusted = await startSession({ headers: forwarded });
    expect((await api.get(`/api/support/contacts/${untrusted.body.visitor.contactId}`)).body.data.location).toMatchObject({ city: null, country: null });
    const trusting = await createTestContext({ TRUST_PROXY: "true" });
    try {
      const team = await buildTeam(trusting);
      const located = async (address: string) => {
        const reply = await client(trusting.app).post("/api/widget/session", { websiteToken: team.inbox.website_token }, { "x-forwarded-for": address });
        return (await client(trusting.app, { apiKey: team.apiKey }).get(`/api/support/contacts/${reply.body.visitor.contactId}`)).body.data.location;
      };
      expect(await located("81.2.69.142")).toMatchObject({ city: "London", country: "GB" });
      expect((await located("2001:4860:4860::8888")).country).toMatch(/^[A-Z]{2}$/);
      expect(await located("10.1.2.3")).toMatchObject({ city: null, country: null });
    } finally {
      await trusting.close();
    }
  });

  it("looks nothing up with GEOIP=false", async () => {
    const off = await createTestContext({ TRUST_PROXY: "true", GEOIP: "false" });
    try {
      const team = await buildTeam(off);
      const reply = await client(off.app).post("/api/widget/session", { websiteToken: team.inbox.website_token }, { "x-forwarded-for": "81.2.69.142" });
      const contact = await client(off.app, { apiKey: team.apiKey }).get(`/api/support/contacts/${reply.body.visitor.contactId}`);
      expect(contact.body.data.location).toMatchObject({ city: null, country: null });
    } finally {
      await off.close();
    }
  });

  it("shows the outside-hours message when the inbox is closed", async () => {
    const closed = { monday: null, tuesday: null, wednesday: null, thursday: null, friday: null, saturday: null, sunday: null };
    await api.put(`/api/support/inboxes/${acme.inbox.id}`, { workingHours: { enabled: true, schedule: closed }, outsideHoursMessage: "Back on Monday" });
    const reply = await startSession();
    expect(reply.body.inbox).toMatchObject({ isOpen: false, outsideHoursMessage: "Back on Monday", opensAt: null });
  });
});

describe("visitor messages", () => {
  it("starts a widget conversation in the widget's inbox, then continues it", async () => {
    const { as, contactId } = await newVisitor();
    const first = await as.post("/api/widget/messages", { content: "Hi! 👋" });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ created: true, message: { fromVisitor: true, content: "Hi! 👋" }, conversation: { status: "open", unreadCount: 0 } });
    const second = await as.post("/api/widget/messages", { content: "Anyone there?" });
    expect(second.body.created).toBe(false);
    expect(second.body.conversation.id).toBe(first.body.conversation.id);
    const thread = await api.get(`/api/support/threads/${first.body.conversation.id}`);
    expect(thread.body.thread).toMatchObject({ channel: "widget", inboxId: acme.inbox.id, contactId, sourceUrl: "https://shop.test/help", unreadCount: 2 });
  });

  it("lets routing rules pick the inbox from the page URL", async () => {
    const sales = await buildInbox(ctx, acme.team.id, "Sales");
    await api.put("/api/support/routing-rules", { routingRules: [{ condition: { url: { contains: "/pricing" } }, inboxId: sales.id }] });
    const session = await startSession({ url: "https://shop.test/pricing" });
    const reply = await visitor(session.body.visitorToken).post("/api/widget/messages", { content: "How much?" });
    expect((await api.get(`/api/support/threads/${reply.body.conversation.id}`)).body.thread.inboxId).toBe(sales.id);
  });

  it("shows the visitor the team's replies with the agent's name, and never notes or activity lines", async () => {
    const { as } = await newVisitor();
    const id = (await as.post("/api/widget/messages", { content: "Help" })).body.conversation.id as string;
    await api.post(`/api/support/threads/${id}/messages`, { content: "internal: VIP customer", private: true });
    await api.post(`/api/support/threads/${id}/messages`, { content: "Happy to help!" });
    const messages = await as.get(`/api/widget/conversations/${id}/messages`);
    expect(messages.body.messages.map((m: { content: string; fromVisitor: boolean }) => [m.content, m.fromVisitor])).toEqual([
      ["Help", true],
      ["Happy to help!", false],
    ]);
    expect(messages.body.messages[1].author.name).toBe("Jane Smith");
    expect(JSON.stringify(messages.body)).not.toContain("VIP");
    expect(JSON.stringify(messages.body)).not.toContain("assigned");
    expect(messages.body.conversation.unreadCount).toBe(1);
  });

  it("numbers each conversation's messages in turn when visitors and agents write to several at once", async () => {
    const visitors = await Promise.all([1, 2, 3, 4].map(() => newVisitor()));
    const ids: string[] = [];
    for (const { as } of visitors) {
      ids.push((await as.post("/api/widget/messages", { content: "first" })).body.conversation.id as string);
    }
    const replies = await Promise.all(
      visitors.flatMap(({ as }, i) => [
        as.post("/api/widget/messages", { content: "visitor 1", conversationId: ids[i] }),
        as.post("/api/widget/messages", { content: "visitor 2", conversationId: ids[i] }),
        api.post(`/api/support/threads/${ids[i]}/messages`, { content: "agent" }),
      ]),
    );
    expect(replies.map((reply) => reply.status)).toEqual(replies.map(() => 201));
    for (const id of ids) {
      const messages = (await api.get(`/api/support/threads/${id}/messages`)).body.messages as { seq: number; content: string }[];
      // The agent's first reply also assigns the conversation to them, with an activity line.
      expect(messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(messages.map((m) => m.content).filter((content) => !content.includes("took this conversation")).sort()).toEqual(["agent", "first", "visitor 1", "visitor 2"]);
    }
  });

  it("refuses blank messages and unknown fields, and never shows another visitor's conversation", async () => {
    const alice = await newVisitor();
    const bob = await newVisitor();
    expect((await alice.as.post("/api/widget/messages", { content: "   " })).status).toBe(400);
    expect((await alice.as.post("/api/widget/messages", { content: "x", private: true })).status).toBe(400);
    const id = (await alice.as.post("/api/widget/messages", { content: "secret" })).body.conversation.id as string;
    expect((await bob.as.get(`/api/widget/conversations/${id}/messages`)).status).toBe(404);
    expect((await bob.as.post("/api/widget/messages", { content: "hijack", conversationId: id })).status).toBe(404);
    expect((await bob.as.get("/api/widget/conversations")).body.conversations).toEqual([]);
    expect((await client(ctx.app).get("/api/widget/conversations", { "x-visitor-token": "vt_unknown_token_000" })).status).toBe(401);
  });

  it("follows a conversation handed to another contact elsewhere since the visitor last wrote to it", async () => {
    const alice = await newVisitor();
    const bob = await newVisitor();
    const bobs = (await bob.as.post("/api/widget/messages", { content: "from bob" })).body.conversation.id as string;
    const alices = (await alice.as.post("/api/widget/messages", { content: "from alice" })).body.conversation.id as string;
    // Another process merges contacts: Bob's conversation becomes Alice's, and Alice's becomes Bob's.
    const handTo = (id: string, contactId: string) => ctx.database.db.updateTable("conversations").set({ contact_id: contactId }).where("id", "=", id).execute();
    await handTo(bobs, alice.contactId);
    await handTo(alices, bob.contactId);
    expect((await alice.as.post("/api/widget/messages", { content: "mine now", conversationId: bobs })).status).toBe(201);
    expect((await bob.as.post("/api/widget/messages", { content: "not mine any more", conversationId: bobs })).status).toBe(404);
    expect((await alice.as.post("/api/widget/messages", { content: "not mine any more", conversationId: alices })).status).toBe(404);
    expect((await bob.as.post("/api/widget/messages", { content: "mine now", conversationId: alices })).status).toBe(201);
    const previews = await ctx.database.db.selectFrom("conversations").select(["id", "last_message_preview"]).where("id", "in", [bobs, alices]).orderBy("id").execute();
    expect(Object.fromEntries(previews.map((row) => [row.id, row.last_message_preview]))).toEqual({ [bobs]: "mine now", [alices]: "mine now" });
  });

  it("knows the visitor by their token with their inbox and contact as they are now, and refuses the token once the contact is deleted", async () => {
    const alice = await newVisitor();
    await api.patch(`/api/support/contacts/${alice.contactId}`, { name: "Alice Liddell" });
    const sent = await alice.as.post("/api/widget/messages", { content: "Hello" });
    expect(sent.status).toBe(201);
    const thread = await api.get(`/api/support/threads/${sent.body.conversation.id as string}`);
    expect(thread.body.thread).toMatchObject({ inboxId: acme.inbox.id, contact: { id: alice.contactId, name: "Alice Liddell" } });
    expect((await api.delete(`/api/support/contacts/${alice.contactId}`)).status).toBe(200);
    const refused = await alice.as.get("/api/widget/conversations");
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe("unknown_visitor");
  });

  it("records that the visitor read the replies, for agents' read receipts", async () => {
    const { as } = await newVisitor();
    const id = (await as.post("/api/widget/messages", { content: "Hello" })).body.conversation.id as string;
    await api.post(`/api/support/threads/${id}/messages`, { content: "Hi there" });
    expect((await as.get("/api/widget/conversations")).body.conversations[0].unreadCount).toBe(1);
    const readAt = async () => ((await api.get(`/api/support/threads/${id}/messages`)).body.messages as { content: string; direction: string; readAt: string | null }[]).filter((message) => message.direction !== "activity").map((message) => [message.content, message.readAt]);
    expect(await readAt()).toEqual([
      ["Hello", null],
      ["Hi there", null],
    ]);
    ctx.clock.advance(5000);
    expect((await as.post(`/api/widget/conversations/${id}/read`)).status).toBe(204);
    const seen = new Date(ctx.clock.now()).toISOString();
    expect((await as.get("/api/widget/conversations")).body.conversations[0].unreadCount).toBe(0);
    expect(ctx.events.some((event) => event.name === "conversation.read_by_contact" && event.payload.conversationId === id)).toBe(true);
    ctx.clock.advance(5000);
    await api.post(`/api/support/threads/${id}/messages`, { content: "Anything else?" });
    // Agents see which replies were read, after a reload too; a reply sent since is not.
    expect(await readAt()).toEqual([
      ["Hello", null],
      ["Hi there", seen],
      ["Anything else?", null],
    ]);
  });
});

describe("visitor uploads", () => {
  async function uploadAs(token: string | undefined, bytes: Uint8Array, fileName: string) {
    const form = new FormData();
    form.append("file", new Blob([bytes], { type: "image/png" }), fileName);
    const encoded = new Response(form);
    const payload = Buffer.from(await encoded.arrayBuffer());
    const headers: Record<string, string> = { "content-type": encoded.headers.get("content-type") ?? "" };
    if (token) {
      headers["x-visitor-token"] = token;
    }
    const response = await ctx.app.inject({ method: "POST", url: "/api/widget/uploads", headers, payload });
    return { status: response.statusCode, body: response.json() };
  }
  // The smallest valid PNG: 1×1, one grey pixel.
  const PNG = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010800000000376ef9240000000a49444154789c6360000000020001e221bc330000000049454e44ae426082", "hex");

  it("takes a multipart file from a visitor and sends it with the next message, which agents see", async () => {
    const { token, as } = await newVisitor();
    const uploaded = await uploadAs(token, PNG, "photo.png");
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.upload).toMatchObject({ fileName: "photo.png", contentType: "image/png", width: 1, height: 1 });
    const sent = await as.post("/api/widget/messages", { content: "", attachmentIds: [uploaded.body.upload.id] });
    expect(sent.status).toBe(201);
    expect(sent.body.message.attachments).toHaveLength(1);
    const listed = await api.get(`/api/support/threads/${sent.body.conversation.id}/messages`);
    expect(listed.body.messages.at(-1).attachments[0]).toMatchObject({ fileName: "photo.png", contentType: "image/png" });
  });

  it("refuses an upload without a visitor token (401) or without a file part (400)", async () => {
    expect((await uploadAs(undefined, PNG, "photo.png")).status).toBe(401);
    const { token } = await newVisitor();
    const response = await ctx.app.inject({ method: "POST", url: "/api/widget/uploads", headers: { "x-visitor-token": token, "content-type": "application/json" }, payload: "{}" });
    expect(response.statusCode).toBe(415);
    expect(response.json().error.code).toBe("unsupported_media_type");
  });
});

describe("rating a conversation", () => {
  it("asks once the conversation is closed, stores one 1–5 rating with a comment, and refuses a second", async () => {
    const { as } = await newVisitor();
    const id = (await as.post("/api/widget/messages", { content: "Hello" })).body.conversation.id as string;
    expect((await as.post(`/api/widget/conversations/${id}/rating`, { rating: 5 })).body.error.code).toBe("conversation_open");
    await api.patch(`/api/support/threads/${id}`, { status: "closed" });
    expect((await as.get("/api/widget/conversations")).body.conversations[0].csat).toEqual({ requested: true, rating: null });
    expect((await as.post(`/api/widget/conversations/${id}/rating`, { rating: 6 })).status).toBe(400);
    const rated = await as.post(`/api/widget/conversations/${id}/rating`, { rating: 4, comment: "Quick and kind" });
    expect(rated.status).toBe(200);
    expect(rated.body.conversation.csat).toEqual({ requested: false, rating: 4 });
    expect((await as.post(`/api/widget/conversations/${id}/rating`, { rating: 1 })).body.error.code).toBe("already_rated");
    expect((await api.get(`/api/support/threads/${id}`)).body.thread.csat).toMatchObject({ rating: 4, comment: "Quick and kind" });
  });

  it("stops asking at once when the inbox turns ratings off, and asks again when it turns them back on", async () => {
    const { as } = await newVisitor();
    const id = (await as.post("/api/widget/messages", { content: "Hello" })).body.conversation.id as string;
    await api.patch(`/api/support/threads/${id}`, { status: "closed" });
    const asked = async () => ((await as.get("/api/widget/conversations")).body.conversations[0].csat as { requested: boolean }).requested;
    expect(await asked()).toBe(true);
    expect((await api.put(`/api/support/inboxes/${acme.inbox.id}`, { widget: { csat: false } })).status).toBe(200);
    expect(await asked()).toBe(false);
    expect((await as.post("/api/widget/messages", { content: "One more thing", conversationId: id })).body.conversation.csat).toEqual({ requested: false, rating: null });
    expect((await api.put(`/api/support/inboxes/${acme.inbox.id}`, { widget: { csat: true } })).status).toBe(200);
    await api.patch(`/api/support/threads/${id}`, { status: "closed" });
    expect(await asked()).toBe(true);
  });
});

describe("who the visitor is", () => {
  it("fills in the pre-chat form on the visitor's own contact, with inline-checkable errors", async () => {
    const { as, contactId } = await newVisitor();
    expect((await as.post("/api/widget/profile", { email: "not-an-email" })).status).toBe(400);
    const saved = await as.post("/api/widget/profile", { name: "Bob", email: "Bob@Example.com", attributes: { plan: "pro" }, tags: ["trial"] });
    expect(saved.body.visitor).toEqual({ contactId, name: "Bob", email: "bob@example.com" });
    const contact = (await api.get(`/api/support/contacts/${contactId}`)).body.data;
    expect(contact).toMatchObject({ attributes: { plan: "pro" }, tags: ["trial"] });
    const other = await newVisitor();
    expect((await other.as.post("/api/widget/profile", { email: "bob@example.com" })).body.error.code).toBe("email_taken");
  });

  it("without identity verification, never links a browser to another visitor's history", async () => {
    const first = await newVisitor();
    const id = (await first.as.post("/api/widget/messages", { content: "my private order" })).body.conversation.id as string;
    await first.as.post("/api/widget/identify", { userId: "u-42", name: "Real User" });
    const impostor = await newVisitor();
    const reply = await impostor.as.post("/api/widget/identify", { userId: "u-42", name: "Impostor" });
    expect(reply.status).toBe(200);
    expect(reply.body.visitor.contactId).toBe(impostor.contactId);
    expect((await impostor.as.get("/api/widget/conversations")).body.conversations).toEqual([]);
    expect((await impostor.as.get(`/api/widget/conversations/${id}/messages`)).status).toBe(404);
  });

  it("with identity verification, refuses a missing or wrong hash and links a proven user across browsers", async () => {
    await api.put(`/api/support/inboxes/${acme.inbox.id}`, { widget: { identityVerification: true } });
    const secret = (await api.get(`/api/support/inboxes/${acme.inbox.id}`)).body.data.identitySecret as string;
    const laptop = await newVisitor();
    const id = (await laptop.as.post("/api/widget/messages", { content: "from my laptop" })).body.conversation.id as string;
    expect((await laptop.as.post("/api/widget/identify", { userId: "u-7" })).body.error.code).toBe("identity_not_verified");
    expect((await laptop.as.post("/api/widget/identify", { userId: "u-7", hash: "0".repeat(64) })).status).toBe(403);
    expect((await laptop.as.post("/api/widget/identify", { userId: "u-7", hash: identityHash(secret, "u-7"), name: "Uma" })).status).toBe(200);

    const phone = await newVisitor();
    const phoneId = (await phone.as.post("/api/widget/messages", { content: "from my phone" })).body.conversation.id as string;
    const linked = await phone.as.post("/api/widget/identify", { userId: "u-7", hash: identityHash(secret, "u-7") });
    expect(linked.body.visitor.contactId).toBe(laptop.contactId);
    const ids = (await phone.as.get("/api/widget/conversations")).body.conversations.map((c: { id: string }) => c.id).sort();
    expect(ids).toEqual([id, phoneId].sort());
    expect((await api.get(`/api/support/threads/${phoneId}`)).body.thread.contactId).toBe(laptop.contactId);
  });
});

describe("limits", () => {
  it("refuses a visitor posting too fast with 429 in the error envelope", async () => {
    const { as } = await newVisitor();
    let last;
    for (let i = 0; i < 31; i++) {
      last = await as.post("/api/widget/messages", { content: `msg ${i}` });
    }
    expect(last?.status).toBe(429);
    expect(last?.body.error.code).toBe("rate_limited");
    expect(last?.headers["retry-after"]).toBeDefined();
  });
});
