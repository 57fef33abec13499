import crypto from "node:crypto";
import type { Frame, FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildTeam, type BuiltTeam } from "../server/test/factories.js";
import type { TestContext } from "../server/test/test-context.js";
import { Agent } from "./support/agent.js";
import { launchChromium, type Browser } from "./support/browser.js";
import { chromiumAvailable, ensureBuilt, screenshotsOnFailure, startParley } from "./support/harness.js";
import { startHostServer, type HostServer } from "./support/host-page.js";
import { solidPng } from "./support/png.js";

/*
 * The website widget end to end: a real Chromium on a host page of another site carrying the inbox's
 * snippet, a real Parley server listening on a port, and an agent using the REST API and the agents'
 * WebSocket. The tests run in order and tell one visitor's story; later ones build on earlier ones.
 *
 * The server's clock is the test context's ManualClock: it stands still (Monday 2 March 2026, 15:00 UTC)
 * unless a test moves it, which the tests do between conversations so their times differ.
 */

const hasChromium = chromiumAvailable("The widget's end-to-end tests");

const MINUTE = 60_000;
const PNG = solidPng(2, 2, [220, 38, 38]);

describe.skipIf(!hasChromium)("website widget in a real browser", { timeout: 60_000 }, () => {
  let ctx: TestContext;
  let parleyUrl: string;
  let team: BuiltTeam;
  let agent: Agent;
  let host: HostServer;
  let browser: Browser;
  let page: Page;
  let conversationId: string;
  /** Contents of the messages the widget sent on its socket, and over HTTP. */
  const socketMessages: string[] = [];
  const httpMessages: string[] = [];
  let refuseSocketMessages = false;

  const widget = (): FrameLocator => page.frameLocator('iframe[title="Chat"]');
  const iframe = () => page.locator('iframe[title="Chat"]');
  const widgetFrame = (): Frame => {
    const found = page.frames().find((frame) => frame.url().includes("/widget/frame.html"));
    if (!found) {
      throw new Error("the widget's frame is not on the page");
    }
    return found;
  };
  const siteUrl = (key: string, rest = "") => `${host.origin}/site/${key}/${rest}`;
  const events = (name: string): Promise<any[]> => page.evaluate((wanted) => ((globalThis as any).__parleyEvents as { name: string; data: any }[]).filter((event) => event.name === wanted).map((event) => event.data), name);
  const waitForEvent = async (name: string, predicate: (data: any) => boolean = () => true) => {
    await expect.poll(async () => (await events(name)).some(predicate), { timeout: 10_000 }).toBe(true);
    return (await events(name)).find(predicate);
  };
  const openChat = async () => {
    if (await widget().getByRole("textbox", { name: "Write a message" }).isVisible()) {
      return;
    }
    await widget().getByRole("button", { name: /^Open chat/ }).click();
    await widget().getByRole("textbox", { name: "Write a message" }).waitFor();
  };
  const write = async (text: string) => {
    const box = widget().getByRole("textbox", { name: "Write a message" });
    await box.fill(text);
    await box.press("Enter");
  };
  const messageBubble = (text: string | RegExp) => widget().locator(".msg .bubble").filter({ hasText: text });

  beforeAll(async () => {
    ensureBuilt("widget");
    ({ ctx, url: parleyUrl } = await startParley());
    team = await buildTeam(ctx);
    agent = new Agent(parleyUrl, team.apiKey);
    await agent.connect();
    host = await startHostServer();
    host.snippets.set("acme", (await agent.ok("GET", `/inboxes/${team.inbox.id}`)).data.widgetSnippet);
    browser = await launchChromium();
    // The widget's socket passes through here, so a test can see the messages it carries or refuse them.
    await browser.context.routeWebSocket(/\/api\/widget\/realtime/, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((message) => {
        const frame = typeof message === "string" ? (JSON.parse(message) as { type?: string; ref?: string; content?: string }) : {};
        if (frame.type === "message") {
          socketMessages.push(frame.content ?? "");
          if (refuseSocketMessages) {
            ws.send(JSON.stringify({ type: "error", ref: frame.ref, status: 429, code: "rate_limited", message: "Too many requests; try again in 30 s." }));
            return;
          }
        }
        server.send(message);
      });
    });
    page = await browser.context.newPage();
    page.on("request", (request) => {
      if (request.method() === "POST" && request.url().endsWith("/api/widget/messages")) {
        httpMessages.push((JSON.parse(request.postData() ?? "{}") as { content?: string }).content ?? "");
      }
    });
    if (process.env.E2E_DEBUG) {
      page.on("console", (message) => console.log(`[browser ${message.type()}]`, message.text()));
      page.on("request", (request) => request.url().includes("/api/widget") && console.log(">>", request.method(), request.url(), request.headers()["x-visitor-token"]?.slice(0, 8), request.postData()?.slice(0, 200)));
      page.on("response", (response) => response.url().includes("/api/widget") && console.log("<<", response.status(), response.url()));
      page.on("websocket", (socket) => {
        socket.on("framesent", (frame) => console.log("ws>", String(frame.payload).slice(0, 120)));
        socket.on("framereceived", (frame) => console.log("ws<", String(frame.payload).slice(0, 160)));
        socket.on("close", () => console.log("ws closed"));
      });
    }
  }, 180_000);

  afterAll(async () => {
    agent?.close();
    await browser?.close();
    await host?.close();
    await ctx?.close();
  });

  beforeEach(screenshotsOnFailure("widget", () => ({ "": page })));


  it("shows the bubble in a frame the host page's styles cannot move, hide or restyle", async () => {
    await page.goto(siteUrl("acme"));
    await widget().getByRole("button", { name: "Open chat" }).waitFor();
    await waitForEvent("ready");
    const frameStyle = await iframe().evaluate((element) => {
      const style = getComputedStyle(element);
      return { position: style.position, width: style.width, height: style.height, border: style.borderTopWidth, opacity: style.opacity, display: style.display, transform: style.transform, bottom: style.bottom, right: style.right };
    });
    expect(frameStyle).toEqual({ position: "fixed", width: "96px", height: "96px", border: "0px", opacity: "1", display: "block", transform: "none", bottom: "0px", right: "0px" });
    const inside = await widgetFrame().evaluate(() => {
      const launcher = document.querySelector(".launcher") as HTMLElement;
      return { display: getComputedStyle(launcher).display, fontSize: getComputedStyle(document.body).fontSize, color: getComputedStyle(document.body).color };
    });
    expect(inside.display).not.toBe("none");
    expect(inside.fontSize).toBe("15px");
    expect(inside.color).not.toBe("rgb(255, 0, 0)");
  });

  it("lets the visitor write; the agent receives it live and replies; the visitor sees the reply without a reload", async () => {
    await openChat();
    const box = await iframe().boundingBox();
    expect(box?.width).toBe(412);
    expect(box?.height).toBe(632);
    await expect.poll(() => widget().getByText("Hi there 👋 How can we help?").isVisible()).toBe(true);
    expect(await events("open")).toHaveLength(1);

    await write("Hello, I need help with my order");
    const incoming = await agent.nextVisitorMessage((message) => message.content === "Hello, I need help with my order");
    conversationId = incoming.conversationId;
    await expect.poll(() => messageBubble("Hello, I need help with my order").count()).toBe(1);
    await expect.poll(() => widget().getByText("Sending…").count()).toBe(0);

    // Typing, both ways.
    const mark = agent.socket.frames.length;
    await widget().getByRole("textbox", { name: "Write a message" }).pressSequentially("It is", { delay: 20 });
    const typing = await agent.socket.next((frame) => frame.type === "signal" && frame.name === "typing.started", { from: mark, timeoutMs: 5000 });
    expect(typing.data.conversationId).toBe(conversationId);
    agent.socket.send({ type: "typing", conversationId, state: "started" });
    await expect.poll(() => widget().getByTestId("typing").textContent()).toContain("Jane Smith is typing…");

    ctx.clock.advance(MINUTE);
    await agent.ok("POST", `/threads/${conversationId}/messages`, { content: "Sure, what is the order number?" });
    await expect.poll(() => messageBubble("Sure, what is the order number?").count()).toBe(1);
    await expect.poll(() => widget().getByTestId("typing").count()).toBe(0);
    await expect.poll(() => widget().locator(".msg.theirs .author").filter({ hasText: "Jane Smith" }).count()).toBeGreaterThan(0);
    // The team's messages on the left, the visitor's on the right.
    const reply = await widget().locator(".msg.theirs").filter({ hasText: "Sure, what is the order number?" }).boundingBox();
    const mine = await widget().locator(".msg.mine").filter({ hasText: "Hello, I need help with my order" }).boundingBox();
    expect(reply && mine && reply.x < mine.x).toBe(true);

    // The chat is open and visible, so the reply is marked as read.
    await agent.socket.next((frame) => frame.type === "event" && frame.name === "conversation.read_by_contact" && frame.data.conversationId === conversationId, { from: mark });
    await write("It is #1042");
    await agent.nextVisitorMessage((message) => message.content === "It is #1042");
    // With its socket connected the widget writes on it, not with an HTTP request per message.
    expect(socketMessages).toContain("It is #1042");
    expect(httpMessages).not.toContain("It is #1042");
  });

  it("keeps the history across a reload", async () => {
    await page.reload();
    await openChat();
    for (const text of ["Hello, I need help with my order", "Sure, what is the order number?", "It is #1042"]) {
      await expect.poll(() => messageBubble(text).count()).toBe(1);
    }
  });

  it("sends an emoji from the picker and an image, and the agent gets both", async () => {
    await widget().getByRole("button", { name: "Insert emoji" }).click();
    await widget().getByRole("button", { name: "thumbs up" }).click();
    const box = widget().getByRole("textbox", { name: "Write a message" });
    expect(await box.inputValue()).toBe("👍");
    await box.press("End");
    await box.pressSequentially(" thanks!");
    await box.press("Enter");
    await agent.nextVisitorMessage((message) => message.content === "👍 thanks!");

    await widget().locator('input[type="file"]').setInputFiles({ name: "receipt.png", mimeType: "image/png", buffer: PNG });
    const withImage = await agent.nextVisitorMessage((message) => message.attachments.length === 1);
    expect(withImage.attachments[0]).toMatchObject({ fileName: "receipt.png", contentType: "image/png", width: 2, height: 2 });
    const listed = await agent.ok("GET", `/threads/${conversationId}/messages`);
    expect(listed.messages.some((message: any) => message.attachments[0]?.fileName === "receipt.png")).toBe(true);
    const image = widget().getByRole("img", { name: "receipt.png" });
    await expect.poll(() => image.evaluate((element) => (element as HTMLImageElement).naturalWidth)).toBe(2);
  });

  it("shows an unread badge on the closed bubble when a reply arrives, and tells the host page", async () => {
    await widget().getByRole("button", { name: "Close chat" }).click();
    await widget().getByRole("button", { name: "Open chat" }).waitFor();
    expect((await iframe().boundingBox())?.width).toBe(96);
    ctx.clock.advance(MINUTE);
    await agent.ok("POST", `/threads/${conversationId}/messages`, { content: "Got it, checking now." });
    await expect.poll(() => widget().getByTestId("unread-badge").textContent()).toBe("1");
    await widget().getByRole("button", { name: "Open chat, 1 unread message" }).waitFor();
    const message = await waitForEvent("message", (data) => data.content === "Got it, checking now.");
    expect(message).toMatchObject({ conversationId, author: { name: "Jane Smith" } });
    await openChat();
    await expect.poll(() => messageBubble("Got it, checking now.").count()).toBe(1);
    await widget().getByRole("button", { name: "Close chat" }).click();
    await expect.poll(() => widget().getByTestId("unread-badge").count()).toBe(0);
  });

  it("shows a refused message inline (429) and sends it on retry", async () => {
    await openChat();
    refuseSocketMessages = true;
    await write("Are you still there?");
    await expect.poll(() => widget().getByRole("alert").filter({ hasText: "too quickly" }).count()).toBe(1);
    expect(socketMessages.filter((content) => content === "Are you still there?")).toHaveLength(1);
    refuseSocketMessages = false;
    await widget().getByRole("alert").filter({ hasText: "too quickly" }).getByRole("button", { name: "Retry" }).click();
    await agent.nextVisitorMessage((message) => message.content === "Are you still there?");
    await expect.poll(() => widget().getByRole("alert").filter({ hasText: "too quickly" }).count()).toBe(0);
    await expect.poll(() => messageBubble("Are you still there?").count()).toBe(1);
  });

  it("asks for a rating once the agent closes the conversation, and the rating reaches the API", async () => {
    ctx.clock.advance(MINUTE);
    await agent.ok("PATCH", `/threads/${conversationId}`, { status: "closed" });
    await widget().getByTestId("csat").waitFor();
    await widget().getByRole("button", { name: "4 of 5: Good" }).click();
    await widget().getByPlaceholder("Anything to add? (optional)").fill("Quick and kind");
    await widget().getByRole("button", { name: "Send rating" }).click();
    await widget().getByTestId("csat-thanks").waitFor();
    const { thread } = await agent.ok("GET", `/threads/${conversationId}`);
    expect(thread.csat).toMatchObject({ rating: 4, comment: "Quick and kind" });

    // Asked once: not again after a reload.
    await page.reload();
    await openChat();
    await expect.poll(() => messageBubble("Are you still there?").count()).toBe(1);
    expect(await widget().getByTestId("csat").count()).toBe(0);
  });

  it("shows the outside-hours message while the inbox is closed, and still accepts messages", async () => {
    const everyDayClosed = { monday: null, tuesday: null, wednesday: null, thursday: null, friday: null, saturday: null, sunday: null };
    await agent.ok("PUT", `/inboxes/${team.inbox.id}`, { workingHours: { enabled: true, schedule: everyDayClosed }, outsideHoursMessage: "We're away until Monday 9:00 and will answer by email." });
    await page.reload();
    await openChat();
    await expect.poll(() => widget().getByTestId("outside-hours").textContent()).toContain("We're away until Monday 9:00 and will answer by email.");
    ctx.clock.advance(MINUTE);
    await write("One more question about shipping");
    const message = await agent.nextVisitorMessage((m) => m.content === "One more question about shipping");
    expect(message.conversationId).not.toBe(conversationId); // the closed one stays closed; a new conversation starts
    conversationId = message.conversationId;
    await agent.ok("PUT", `/inboxes/${team.inbox.id}`, { workingHours: { enabled: false } });
  });

  it("follows single-page-app navigation", async () => {
    await page.evaluate(() => history.pushState({}, "", "pricing?plan=pro"));
    await expect
      .poll(async () => (await ctx.database.db.selectFrom("visitors").select("page_url").where("inbox_id", "=", team.inbox.id).execute()).map((row) => row.page_url))
      .toContain(siteUrl("acme", "pricing?plan=pro"));
  });

  it("refuses setUser with a wrong hash when identity verification is on, and accepts the right one", async () => {
    const inbox = (await agent.ok("PUT", `/inboxes/${team.inbox.id}`, { widget: { identityVerification: true } })).data;
    const secret = (await agent.ok("GET", `/inboxes/${team.inbox.id}`)).data.identitySecret as string;
    expect(inbox.widget.identityVerification).toBe(true);
    const identify = (hash: string) => page.evaluate((args) => (globalThis as any).Parley.setUser("u1", { name: "Uma Visitor", email: "uma@example.com", hash: args.hash }), { hash });
    const refusals: number[] = [];
    page.on("response", (response) => {
      if (response.url().endsWith("/api/widget/identify")) {
        refusals.push(response.status());
      }
    });

    await identify("0".repeat(64));
    const error = await waitForEvent("error", (data) => data.code === "identity_not_verified");
    expect(error.command).toBe("setUser");
    expect(refusals).toContain(403);
    const contactId = (await agent.ok("GET", `/threads/${conversationId}`)).thread.contactId as string;
    const contact = () => ctx.database.db.selectFrom("contacts").select(["external_id", "name", "email"]).where("id", "=", contactId).executeTakeFirstOrThrow();
    expect((await contact()).external_id).toBeNull();

    await identify(crypto.createHmac("sha256", secret).update("u1").digest("hex"));
    await expect.poll(async () => (await contact()).external_id).toBe("u1");
    expect(await contact()).toMatchObject({ name: "Uma Visitor", email: "uma@example.com" });
    await expect.poll(() => refusals.at(-1)).toBe(200);
  });

  it("opens full screen on a narrow screen", async () => {
    await page.setViewportSize({ width: 360, height: 640 });
    await openChat();
    await expect.poll(async () => (await iframe().boundingBox())?.width).toBe(360);
    expect((await iframe().boundingBox())?.height).toBe(640);
    const panel = await widgetFrame().evaluate(() => document.querySelector(".panel")?.getBoundingClientRect().width);
    expect(panel).toBe(360);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it("starts a fresh anonymous session on reset()", async () => {
    await page.evaluate(() => (globalThis as any).Parley.reset());
    await expect.poll(() => messageBubble("One more question about shipping").count()).toBe(0);
    await page.reload();
    await openChat();
    await expect.poll(() => widget().getByText("Hi there 👋 How can we help?").isVisible()).toBe(true);
    expect(await messageBubble("One more question about shipping").count()).toBe(0);
  });

  it("asks for the pre-chat form's email, checks it inline, and explains an address that is taken", async () => {
    const other = await buildTeam(ctx, { name: "Globex" });
    const otherAgent = new Agent(parleyUrl, other.apiKey);
    await otherAgent.ok("PUT", `/inboxes/${other.inbox.id}`, { widget: { preChatForm: { enabled: true, requireEmail: true } } });
    await otherAgent.ok("POST", "/contacts", { name: "Existing customer", email: "taken@example.com" });
    host.snippets.set("globex", (await otherAgent.ok("GET", `/inboxes/${other.inbox.id}`)).data.widgetSnippet);
    const profileCalls: number[] = [];
    page.on("response", (response) => {
      if (response.url().endsWith("/api/widget/profile")) {
        profileCalls.push(response.status());
      }
    });

    // ?open=1 makes the host page call Parley.open() before the widget is ready: the call waits in the queue.
    await page.goto(`${siteUrl("globex")}?open=1`);
    const email = widget().getByRole("textbox", { name: "Email" });
    await email.fill("not-an-email");
    await widget().getByRole("button", { name: "Start chatting" }).click();
    await expect.poll(() => widget().getByRole("alert").textContent()).toContain("doesn't look like an email address");
    expect(profileCalls).toEqual([]);

    await email.fill("taken@example.com");
    await widget().getByRole("button", { name: "Start chatting" }).click();
    await expect.poll(() => widget().getByRole("alert").textContent()).toContain("We already know this email address");
    expect(profileCalls).toEqual([409]);

    await email.fill("new.visitor@example.com");
    await widget().getByRole("button", { name: "Start chatting" }).click();
    await widget().getByRole("textbox", { name: "Write a message" }).waitFor();
    expect(profileCalls).toEqual([409, 200]);
  });
});
