import type { ElementHandle, Frame, Page } from "puppeteer-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildTeam, TEST_PASSWORD, type BuiltTeam } from "../server/test/factories.js";
import type { TestContext } from "../server/test/test-context.js";
import { Agent } from "./support/agent.js";
import { launchFirefox, type Firefox } from "./support/firefox.js";
import { ensureBuilt, firefoxAvailable, screenshotsOnFailure, startParley } from "./support/harness.js";
import { startHostServer, type HostServer } from "./support/host-page.js";

/*
 * The dashboard and the widget in Firefox (Debian's firefox-esr, driven over WebDriver BiDi by
 * puppeteer-core): the main paths of the Chromium suites once more in the other engine. A real Parley
 * server, the dashboard signed in as the team's owner in one Firefox, and visitors using the widget on
 * another site's page in a second Firefox, so that neither is a background tab. The tests run in order.
 */

const hasFirefox = firefoxAvailable("The Firefox end-to-end tests");

const MINUTE = 60_000;
const WAIT = 10_000;

type Scope = Page | Frame;

/** The first element matching the selector whose text contains the given text, once there is one. */
async function find(scope: Scope, selector: string, text = "", timeout = WAIT): Promise<ElementHandle<Element>> {
  const handle = await scope.waitForFunction(
    (wanted: string, contains: string) => Array.from(document.querySelectorAll(wanted)).find((element) => (element.textContent ?? "").includes(contains)) ?? false,
    { timeout, polling: 50 },
    selector,
    text,
  );
  return handle as ElementHandle<Element>;
}

/** How many elements match the selector and contain the text. */
function countOf(scope: Scope, selector: string, text = ""): Promise<number> {
  return scope.evaluate((wanted: string, contains: string) => Array.from(document.querySelectorAll(wanted)).filter((element) => (element.textContent ?? "").includes(contains)).length, selector, text);
}

/** The form control labelled exactly `label` (inside `within`, when given). */
async function field(scope: Scope, label: string, within = "body"): Promise<ElementHandle<HTMLInputElement>> {
  const handle = await scope.waitForFunction(
    (name: string, root: string) => Array.from(document.querySelectorAll<HTMLLabelElement>(`${root} label`)).find((element) => element.textContent?.trim() === name)?.control ?? false,
    { timeout: WAIT, polling: 50 },
    label,
    within,
  );
  return handle as ElementHandle<HTMLInputElement>;
}

/** The button whose accessible name (aria-label, else its text) is exactly `name`. */
async function button(scope: Scope, name: string, within = "body"): Promise<ElementHandle<HTMLButtonElement>> {
  const handle = await scope.waitForFunction(
    (wanted: string, root: string) =>
      Array.from(document.querySelectorAll<HTMLElement>(`${root} button, ${root} [role=button], ${root} [role=tab]`)).find((element) => (element.getAttribute("aria-label") ?? element.textContent ?? "").trim() === wanted && element.getClientRects().length > 0) ?? false,
    { timeout: WAIT, polling: 50 },
    name,
    within,
  );
  return handle as ElementHandle<HTMLButtonElement>;
}

async function until(check: () => Promise<boolean>, what: string, timeout = WAIT): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting until ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!hasFirefox)("Parley in Firefox", { timeout: 60_000 }, () => {
  let ctx: TestContext;
  let parleyUrl: string;
  let team: BuiltTeam;
  let agent: Agent;
  let host: HostServer;
  let firefox: Firefox;
  let visitorFirefox: Firefox | undefined;
  let dashboard: Page;
  let visitor: Page | undefined;
  let phone: Page | undefined;
  let conversationId: string;

  const widget = async (page: Page): Promise<Frame> => {
    const element = await page.waitForSelector('iframe[title="Chat"]', { timeout: WAIT });
    const frame = await element!.contentFrame();
    await frame.waitForSelector(".launcher, textarea", { timeout: WAIT });
    return frame;
  };
  const openChat = async (page: Page): Promise<Frame> => {
    const frame = await widget(page);
    if (!(await frame.$('textarea[aria-label="Write a message"]'))) {
      await (await frame.waitForSelector(".launcher", { timeout: WAIT }))!.click();
    }
    await frame.waitForSelector('textarea[aria-label="Write a message"]', { visible: true, timeout: WAIT });
    return frame;
  };
  const visitorWrites = async (frame: Frame, text: string) => {
    const box = (await frame.waitForSelector('textarea[aria-label="Write a message"]', { visible: true, timeout: WAIT }))!;
    await box.type(text);
    await box.press("Enter");
  };
  const row = (page: Page, text: string) => find(page, ".conversation-row", text);
  const composer = async (page: Page) => (await page.waitForSelector("textarea.composer-input", { visible: true, timeout: WAIT }))!;
  const viewCount = (view: string) => dashboard.$eval(`[data-view="${view}"] .nav-count`, (element) => element.textContent);
  const goTo = async (page: Page, view: string) => {
    await (await page.waitForSelector(`[data-view="${view}"]`, { timeout: WAIT }))!.click();
    await until(async () => page.url().includes(`/inbox/${view}`), `the ${view} view is open`);
  };

  beforeAll(async () => {
    ensureBuilt("widget");
    ensureBuilt("dashboard");
    ({ ctx, url: parleyUrl } = await startParley());
    team = await buildTeam(ctx);
    agent = new Agent(parleyUrl, team.apiKey);
    await agent.connect();
    host = await startHostServer();
    host.snippets.set("acme", (await agent.ok("GET", `/inboxes/${team.inbox.id}`)).data.widgetSnippet);
    firefox = await launchFirefox();
    dashboard = await firefox.newPage({ width: 1280, height: 720 });
    if (process.env.E2E_DEBUG) {
      dashboard.on("console", (message) => console.log(`[dashboard ${message.type()}]`, message.text()));
      dashboard.on("pageerror", (error) => console.log("[dashboard error]", error));
    }
  }, 240_000);

  afterAll(async () => {
    agent?.close();
    await firefox?.close();
    await visitorFirefox?.close();
    await host?.close();
    await ctx?.close();
  });

  beforeEach(screenshotsOnFailure("firefox", () => ({ "": dashboard, visitor, phone })));

  describe("the dashboard", () => {
    it("signs in as the owner and lists the Unassigned view", async () => {
      ctx.clock.advance(MINUTE);
      await agent.ok("POST", "/threads", { contact: { email: "early@example.com", name: "Erin Early" }, message: { content: "Do you ship to Norway?" } });
      await dashboard.goto(`${parleyUrl}/`);
      await find(dashboard, "h1", "Sign in to Parley");
      await (await field(dashboard, "Email")).type(team.owner.email);
      await (await field(dashboard, "Password")).type(TEST_PASSWORD);
      await (await button(dashboard, "Sign in")).click();
      await find(dashboard, "h1, h2", "Unassigned");
      await until(async () => /\/inbox\/unassigned$/.test(dashboard.url()), "the Unassigned view is the address");
      await row(dashboard, "Do you ship to Norway?");
      await until(async () => (await viewCount("unassigned")) === "1", "Unassigned counts one");
    });

    it("shows a visitor's message from the widget in the list live, without a reload", async () => {
      visitorFirefox = await launchFirefox();
      visitor = await visitorFirefox.newPage();
      if (process.env.E2E_DEBUG) {
        visitor.on("console", (message) => console.log(`[visitor ${message.type()}]`, message.text()));
      }
      await dashboard.evaluate(() => {
        (globalThis as { __sameDocument?: boolean }).__sameDocument = true;
      });
      await visitor.goto(`${host.origin}/site/acme/pricing`);
      const chat = await openChat(visitor);
      await visitorWrites(chat, "Hello from Firefox, my parcel is late");
      const arrived = await row(dashboard, "Hello from Firefox, my parcel is late");
      conversationId = (await arrived.evaluate((element) => element.getAttribute("data-conversation-id")))!;
      expect(conversationId).toMatch(/^conv_/);
      expect(await dashboard.evaluate(() => (globalThis as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
      await until(async () => (await viewCount("unassigned")) === "2", "Unassigned counts two");
    });

    it("opens the conversation and replies; the visitor sees the reply", async () => {
      const arrived = await row(dashboard, "Hello from Firefox, my parcel is late");
      await (await arrived.$(".row-link"))!.click();
      await until(async () => dashboard.url().endsWith(conversationId), "the conversation is open");
      const box = await composer(dashboard);
      await box.type("Sorry about that! Let me check.");
      await box.press("Enter");
      await find(dashboard, ".message-list .msg", "Sorry about that! Let me check.");
      await find(await widget(visitor!), ".msg .bubble", "Sorry about that! Let me check.");
    });

    it("keeps a private note from the visitor", async () => {
      await (await button(dashboard, "Private note")).click();
      await find(dashboard, "body", "the visitor won't");
      const box = await composer(dashboard);
      await box.type("Carrier lost it, refund them");
      await box.press("Enter");
      await find(dashboard, ".msg.note", "Carrier lost it");
      await (await button(dashboard, "Reply")).click();
      await box.type("We will refund you today.");
      await box.press("Enter");
      const chat = await widget(visitor!);
      await find(chat, ".msg .bubble", "We will refund you today.");
      expect(await countOf(chat, "body", "Carrier lost it")).toBe(0);
      const note = async () => (await agent.ok("GET", `/threads/${conversationId}/messages`)).messages.find((message: any) => message.content === "Carrier lost it, refund them");
      await until(async () => (await note())?.private === true, "the note is stored as private");
    });

    it("closes the conversation, which moves it to Closed", async () => {
      ctx.clock.advance(MINUTE);
      await (await button(dashboard, "Close")).click();
      await button(dashboard, "Reopen");
      await until(async () => (await viewCount("closed")) === "1", "Closed counts one");
      await goTo(dashboard, "closed");
      await row(dashboard, "We will refund you today.");
      expect((await agent.ok("GET", `/threads/${conversationId}`)).thread.status).toBe("closed");
    });

    it("takes the keyboard shortcuts and the emoji picker", async () => {
      await goTo(dashboard, "unassigned");
      const first = await row(dashboard, "Do you ship to Norway?");
      const firstId = await first.evaluate((element) => element.getAttribute("data-conversation-id"));
      await dashboard.keyboard.down("Alt");
      await dashboard.keyboard.press("KeyJ");
      await dashboard.keyboard.up("Alt");
      await until(async () => dashboard.url().endsWith(`/inbox/unassigned/${firstId}`), "Alt+J opens the first conversation");
      const box = await composer(dashboard);
      await box.type("Line one");
      await dashboard.keyboard.down("Shift");
      await dashboard.keyboard.press("Enter");
      await dashboard.keyboard.up("Shift");
      await box.type("?");
      expect(await box.evaluate((element) => element.value)).toBe("Line one\n?");
      expect(await countOf(dashboard, '[role="dialog"]', "Keyboard shortcuts")).toBe(0);
      await box.evaluate((element) => element.select());
      await dashboard.keyboard.press("Backspace");
      await (await button(dashboard, "Insert emoji")).click();
      await (await button(dashboard, "thumbs up")).click();
      expect(await box.evaluate((element) => element.value)).toBe("👍");
      await box.press("Enter");
      await find(dashboard, ".message-list .msg", "👍");

      await dashboard.keyboard.down("Control");
      await dashboard.keyboard.press("KeyK");
      await dashboard.keyboard.up("Control");
      const search = (await dashboard.waitForSelector('[role="combobox"][aria-label="Search commands"]', { timeout: WAIT }))!;
      await search.type("go to all");
      await search.press("Enter");
      await until(async () => /\/inbox\/all$/.test(dashboard.url()), "the palette goes to All");
    });
  });

  describe("the widget", () => {
    let chat: Frame;
    let widgetConversation: string;

    it("opens from the bubble and sends a message the agent receives", async () => {
      // A new visitor: a browser of their own, with nothing stored.
      await visitorFirefox?.close();
      visitorFirefox = await launchFirefox();
      visitor = await visitorFirefox.newPage();
      await visitor.goto(`${host.origin}/site/acme/`);
      chat = await openChat(visitor);
      await find(chat, "body", "How can we help?");
      await visitorWrites(chat, "Is the blue jacket in stock?");
      const incoming = await agent.nextVisitorMessage((message) => message.content === "Is the blue jacket in stock?");
      widgetConversation = incoming.conversationId;
      await find(chat, ".msg .bubble", "Is the blue jacket in stock?");
      await until(async () => (await countOf(chat, "body", "Sending…")) === 0, "the message is sent");
    });

    it("shows the agent's reply without a reload, and keeps the history across a reload", async () => {
      ctx.clock.advance(MINUTE);
      await agent.ok("POST", `/threads/${widgetConversation}/messages`, { content: "Yes, in every size." });
      await find(chat, ".msg .bubble", "Yes, in every size.");
      await visitor!.reload();
      chat = await openChat(visitor!);
      await find(chat, ".msg .bubble", "Is the blue jacket in stock?");
      await find(chat, ".msg .bubble", "Yes, in every size.");
    });
  });

  describe("settings", () => {
    it("creates an inbox with the form", async () => {
      await dashboard.goto(`${parleyUrl}/settings/inboxes`);
      await find(dashboard, "h1", "Inboxes");
      await (await button(dashboard, "Create inbox")).click();
      const form = 'form[aria-label="Create inbox"]';
      await (await field(dashboard, "Name", form)).type("Firefox Support");
      await (await field(dashboard, "Description", form)).type("Questions asked from Firefox");
      await (await field(dashboard, "Email", form)).type("firefox@acme.example");
      await (await button(dashboard, "Create", form)).click();
      await find(dashboard, "h1", "Firefox Support");
      const inboxId = /\/settings\/inboxes\/([^/?]+)/.exec(dashboard.url())?.[1];
      expect(inboxId).toBeTruthy();
      const { data: stored } = await agent.ok("GET", `/inboxes/${inboxId}`);
      expect(stored).toMatchObject({ name: "Firefox Support", description: "Questions asked from Firefox", email: "firefox@acme.example" });
    });
  });

  describe("a phone-width screen", () => {
    it("lists the conversations, opens one and goes back", async () => {
      ctx.clock.advance(MINUTE);
      await agent.ok("POST", "/threads", { contact: { email: "mobile@example.com", name: "Mo Bile" }, message: { content: "Asked from a phone-width screen" } });
      phone = await firefox.newPage({ width: 390, height: 800 });
      await phone.goto(`${parleyUrl}/inbox/unassigned`);
      const listed = await row(phone, "Asked from a phone-width screen");
      const fitsWidth = () => phone!.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
      expect(await fitsWidth()).toBe(true);
      await (await listed.$(".row-link"))!.click();
      const box = await composer(phone);
      expect(await phone.$eval(".list-pane", (element) => element.getClientRects().length)).toBe(0);
      await find(phone, ".message-list .msg", "Asked from a phone-width screen");
      expect(await fitsWidth()).toBe(true);
      // The composer is on screen and works.
      const rect = await box.evaluate((element) => element.getBoundingClientRect().toJSON() as DOMRect);
      expect(rect.right).toBeLessThanOrEqual(390);
      expect(rect.bottom).toBeLessThanOrEqual(800);
      await box.type("Replied from a phone");
      await box.press("Enter");
      await find(phone, ".message-list .msg", "Replied from a phone");
      await (await button(phone, "Back to the list")).click();
      await until(async () => /\/inbox\/[a-z]+$/.test(phone!.url()), "the list is the address again");
      await phone.waitForSelector(".list-pane", { visible: true, timeout: WAIT });
      expect(await phone.$eval(".conversation-pane", (element) => element.getClientRects().length)).toBe(0);
    });
  });
});
