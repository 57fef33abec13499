import type { FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildMember, buildTeam, TEST_PASSWORD, type BuiltTeam } from "../server/test/factories.js";
import type { TestContext } from "../server/test/test-context.js";
import { Agent } from "./support/agent.js";
import { launchChromium, type Browser } from "./support/browser.js";
import { chromiumAvailable, ensureBuilt, screenshotsOnFailure, startParley } from "./support/harness.js";
import { startHostServer, type HostServer } from "./support/host-page.js";
import { solidPng } from "./support/png.js";

/*
 * The agent dashboard end to end: a real Parley server, the dashboard in Chromium signed in as the team's
 * owner, and a visitor on another site's page using the chat widget in a second tab. The tests run in order
 * and follow one support day; later ones build on earlier ones.
 */

const hasChromium = chromiumAvailable("The dashboard's end-to-end tests");

const MINUTE = 60_000;

describe.skipIf(!hasChromium)("agent dashboard in a real browser", { timeout: 60_000 }, () => {
  let ctx: TestContext;
  let parleyUrl: string;
  let team: BuiltTeam;
  let agent: Agent;
  let host: HostServer;
  let browser: Browser;
  let visitorBrowser: Browser;
  let dashboard: Page;
  let visitor: Page;
  let conversationId: string;
  let billingInboxId: string;

  const widget = (): FrameLocator => visitor.frameLocator('iframe[title="Chat"]');
  const visitorWrites = async (text: string) => {
    const box = widget().getByRole("textbox", { name: "Write a message" });
    await box.fill(text);
    await box.press("Enter");
  };
  const visitorSees = (text: string | RegExp) => widget().locator(".msg .bubble").filter({ hasText: text });
  const row = (text: string | RegExp) => dashboard.locator(".conversation-row").filter({ hasText: text });
  const count = (view: string) => dashboard.locator(`[data-view="${view}"] .nav-count`);
  const composer = () => dashboard.getByRole("textbox", { name: /Write a (reply|private note)/ });
  const agentBubble = (text: string | RegExp) => dashboard.locator(".message-list .msg").filter({ hasText: text });
  const goTo = async (view: string) => {
    await dashboard.locator(`[data-view="${view}"]`).click();
    await dashboard.waitForURL(new RegExp(`/inbox/${view}`));
  };
  const signIn = async (email: string) => {
    await dashboard.getByLabel("Email").fill(email);
    await dashboard.getByLabel("Password").fill(TEST_PASSWORD);
    await dashboard.getByRole("button", { name: "Sign in" }).click();
    await dashboard.getByRole("navigation", { name: "Conversations" }).waitFor();
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
    browser = await launchChromium();
    dashboard = browser.context.pages()[0] ?? (await browser.context.newPage());
    // Counts the chimes: every one starts two oscillators.
    await dashboard.addInitScript(() => {
      const target = globalThis as any;
      target.__oscillators = 0;
      const prototype = AudioContext.prototype as any;
      const original = prototype.createOscillator;
      prototype.createOscillator = function (this: AudioContext) {
        target.__oscillators += 1;
        return original.call(this);
      };
    });
    // The visitor has a browser of their own, so neither page is a throttled background tab.
    visitorBrowser = await launchChromium();
    visitor = visitorBrowser.context.pages()[0] ?? (await visitorBrowser.context.newPage());
    if (process.env.E2E_DEBUG) {
      dashboard.on("console", (message) => console.log(`[dashboard ${message.type()}]`, message.text()));
      dashboard.on("pageerror", (error) => console.log("[dashboard error]", error));
    }
  }, 240_000);

  afterAll(async () => {
    agent?.close();
    await browser?.close();
    await visitorBrowser?.close();
    await host?.close();
    await ctx?.close();
  });

  beforeEach(screenshotsOnFailure("dashboard", () => ({ "": dashboard, visitor })));


  it("signs in and lands on Unassigned", async () => {
    await dashboard.goto(`${parleyUrl}/`);
    await dashboard.getByRole("heading", { name: "Sign in to Parley" }).waitFor();
    await dashboard.getByLabel("Email").fill(team.owner.email);
    await dashboard.getByLabel("Password").fill("wrong password");
    await dashboard.getByRole("button", { name: "Sign in" }).click();
    await dashboard.getByRole("alert").waitFor();
    await signIn(team.owner.email);
    await dashboard.waitForURL(/\/inbox\/unassigned$/);
    await dashboard.getByRole("heading", { name: "Unassigned" }).waitFor();
    await expect.poll(() => count("unassigned").textContent()).toBe("0");
    expect(await dashboard.title()).toBe("Parley");
    const availability = dashboard.getByRole("combobox", { name: "My availability" });
    await availability.selectOption("away");
    await expect.poll(async () => (await agent.ok("GET", `/members/${team.owner.id}`)).member.availability).toBe("away");
    await availability.selectOption("available");
    await expect.poll(async () => (await agent.ok("GET", `/members/${team.owner.id}`)).member.availability).toBe("available");
  });

  it("shows a visitor's message in Unassigned within a second, without a reload, with a chime and the title count", async () => {
    await visitor.goto(`${host.origin}/site/acme/pricing`);
    await widget().getByRole("button", { name: /^Open chat/ }).click();
    await widget().getByRole("textbox", { name: "Write a message" }).waitFor();
    const chimesBefore = await dashboard.evaluate(() => (globalThis as any).__oscillators as number);
    const sent = Date.now();
    await visitorWrites("Hello, my parcel has not arrived");
    await row("Hello, my parcel has not arrived").waitFor({ timeout: 5000 });
    const elapsed = Date.now() - sent;
    expect(elapsed).toBeLessThan(1000);
    await expect.poll(() => count("unassigned").textContent()).toBe("1");
    await expect.poll(() => dashboard.title()).toBe("(1) Parley");
    await expect.poll(() => dashboard.evaluate(() => (globalThis as any).__oscillators as number)).toBeGreaterThan(chimesBefore);
    conversationId = (await row("Hello, my parcel has not arrived").getAttribute("data-conversation-id"))!;
    expect(conversationId).toMatch(/^conv_/);
  });

  it("replying to an unassigned conversation assigns it to me and moves it to Mine", async () => {
    await row("Hello, my parcel has not arrived").locator(".row-link").click();
    await dashboard.getByRole("region", { name: /^Conversation with/ }).waitFor();
    await expect.poll(() => dashboard.title()).toBe("Parley");
    await composer().fill("Sorry to hear that! Let me check.");
    await composer().press("Enter");
    await agentBubble("Sorry to hear that! Let me check.").waitFor();
    await visitorSees("Sorry to hear that! Let me check.").waitFor();
    // The chat is open on the visitor's screen: the reply shows as seen, and their typing shows live.
    await agentBubble("Sorry to hear that! Let me check.").locator(".read-state").filter({ hasText: "Seen" }).waitFor();
    await widget().getByRole("textbox", { name: "Write a message" }).pressSequentially("It was order", { delay: 30 });
    await dashboard.getByTestId("contact-typing").waitFor();
    await widget().getByRole("textbox", { name: "Write a message" }).fill("");
    await expect.poll(() => count("mine").textContent()).toBe("1");
    await expect.poll(() => count("unassigned").textContent()).toBe("0");
    await expect.poll(() => row("Hello, my parcel").count()).toBe(0);
    await goTo("mine");
    await row("Sorry to hear that").locator(".row-link").click();
    await dashboard.getByRole("button", { name: "Assigned: Jane Smith" }).waitFor();
    // The draft of another conversation survives switching and reloading.
    await composer().fill("half-written answer");
    await dashboard.reload();
    await expect.poll(() => composer().inputValue()).toBe("half-written answer");
    await composer().fill("");
  });

  it("keeps a private note from the visitor", async () => {
    await dashboard.getByRole("tab", { name: "Private note" }).click();
    await dashboard.getByText("the visitor won't").waitFor();
    await composer().fill("Carrier says it is lost, refund them");
    await composer().press("Enter");
    await dashboard.locator(".msg.note").filter({ hasText: "Carrier says it is lost" }).getByText("Private note").waitFor();
    await dashboard.getByRole("tab", { name: "Reply" }).click();
    await composer().fill("We will refund you today.");
    await composer().press("Enter");
    await visitorSees("We will refund you today.").waitFor();
    expect(await visitorSees("Carrier says it is lost").count()).toBe(0);
    expect(await widget().getByText("Carrier says it is lost").count()).toBe(0);
  });

  it("suggests teammates after @ in a note, and the mention reaches them", async () => {
    const { member: alice } = await buildMember(ctx, team.team.id, { name: "Alice Johnson", inboxes: [{ inboxId: team.inbox.id }] });
    await dashboard.reload();
    await dashboard.getByRole("tab", { name: "Private note" }).click();
    await composer().pressSequentially("@Ali", { delay: 20 });
    const options = dashboard.getByRole("listbox", { name: "Mention a teammate" }).getByRole("option");
    await expect.poll(() => options.allTextContents()).toEqual(["@Alice Johnson"]);
    await composer().press("Enter");
    expect(await composer().inputValue()).toBe("@Alice Johnson ");
    await composer().pressSequentially("can you check the carrier?");
    await composer().press("Enter");
    await dashboard.locator(".msg.note").filter({ hasText: "can you check the carrier?" }).waitFor();
    await dashboard.getByRole("tab", { name: "Reply" }).click();
    // The note shows at once; the server may store it a moment later.
    const mentionsOfNote = async () => {
      const { messages } = await agent.ok("GET", `/threads/${conversationId}/messages`);
      return messages.find((message: any) => message.content === "@Alice Johnson can you check the carrier?")?.mentions;
    };
    await expect.poll(mentionsOfNote).toEqual([alice.id]);
  });

  it("shows a reply that could not be sent as failed, and Retry sends it once", async () => {
    let failures = 1;
    await dashboard.route(`**/api/support/threads/${conversationId}/messages`, async (route) => {
      if (route.request().method() === "POST" && failures > 0) {
        failures -= 1;
        await route.abort("connectionreset");
        return;
      }
      await route.fallback();
    });
    await composer().fill("Are you still there?");
    await composer().press("Enter");
    await dashboard.getByText(/^Not sent/).waitFor();
    await dashboard.getByRole("button", { name: "Retry" }).click();
    await visitorSees("Are you still there?").waitFor();
    await expect.poll(() => dashboard.getByText(/^Not sent/).count()).toBe(0);
    await expect.poll(() => agentBubble("Are you still there?").count()).toBe(1);
    await dashboard.unroute(`**/api/support/threads/${conversationId}/messages`);
  });

  it("offers to take over a conversation assigned to someone else before replying", async () => {
    const alice = (await agent.ok("GET", "/members")).members.find((member: any) => member.name === "Alice Johnson");
    await agent.ok("PATCH", `/threads/${conversationId}`, { assignedToMemberId: alice.id });
    await dashboard.getByRole("button", { name: "Assigned: Alice Johnson" }).waitFor();
    await composer().fill("I'll take it from here.");
    await composer().press("Enter");
    await dashboard.getByRole("alertdialog", { name: "Assign to me?" }).getByRole("button", { name: "Assign to me and send" }).click();
    await visitorSees("I'll take it from here.").waitFor();
    await dashboard.getByRole("button", { name: "Assigned: Jane Smith" }).waitFor();
    expect((await agent.ok("GET", `/threads/${conversationId}`)).thread.assignedToMemberId).toBe(team.owner.id);
  });

  it("inserts a quick reply by typing / and searching", async () => {
    await agent.ok("POST", "/quick-replies", { shortcut: "thanks", title: "Thank you", content: "Thanks for your patience! 🙏" });
    await agent.ok("POST", "/quick-replies", { shortcut: "refund", title: "Refund timing", content: "Refunds reach your card within 5 business days." });
    await composer().pressSequentially("/ref", { delay: 30 });
    const options = dashboard.getByRole("listbox", { name: "Quick replies" }).getByRole("option");
    await expect.poll(() => options.count()).toBe(1);
    expect(await options.first().textContent()).toContain("/refund");
    await composer().press("Enter");
    expect(await composer().inputValue()).toBe("Refunds reach your card within 5 business days.");
    await composer().press("Enter");
    await visitorSees("Refunds reach your card within 5 business days.").waitFor();
  });

  it("sends an emoji from the picker and an attachment", async () => {
    await dashboard.getByRole("button", { name: "Insert emoji" }).click();
    await dashboard.getByRole("button", { name: "thumbs up" }).click();
    expect(await composer().inputValue()).toBe("👍");
    await dashboard.locator('input[type="file"]').setInputFiles({ name: "receipt.png", mimeType: "image/png", buffer: solidPng(40, 30, [37, 99, 235]) });
    await dashboard.locator(".file-chip.ready").waitFor();
    await dashboard.getByRole("button", { name: "Send", exact: true }).click();
    await dashboard.locator(".message-list .msg.outgoing img[alt='receipt.png']").waitFor();
    await visitorSees("👍").waitFor();
    const { messages } = await agent.ok("GET", `/threads/${conversationId}/messages`);
    const sent = messages.find((message: any) => message.content === "👍");
    expect(sent.attachments).toEqual([expect.objectContaining({ fileName: "receipt.png", contentType: "image/png" })]);
  });

  it("transfers the conversation to another inbox", async () => {
    billingInboxId = (await agent.ok("POST", "/inboxes", { name: "Billing" })).data.id;
    await dashboard.getByRole("button", { name: "Transfer" }).click();
    await dashboard.getByRole("dialog", { name: "Transfer" }).getByRole("button", { name: "Billing" }).click();
    await dashboard.locator(".pane-title").getByText(/Billing/).waitFor();
    await dashboard.locator(".msg.activity").filter({ hasText: /Billing/ }).waitFor();
    expect((await agent.ok("GET", `/threads/${conversationId}`)).thread.inboxId).toBe(billingInboxId);
  });

  it("closing moves the conversation to Closed and the visitor is asked for a rating", async () => {
    ctx.clock.advance(MINUTE);
    await dashboard.getByRole("button", { name: "Close", exact: true }).click();
    await dashboard.getByRole("button", { name: "Reopen" }).waitFor();
    await expect.poll(() => count("mine").textContent()).toBe("0");
    await expect.poll(() => count("closed").textContent()).toBe("1");
    await goTo("closed");
    await row("Hello").or(row("👍")).first().waitFor();
    await widget().getByTestId("csat").waitFor();
  });

  it("blocking a contact moves their conversation to Spam", async () => {
    ctx.clock.advance(MINUTE);
    await goTo("unassigned");
    await visitorWrites("One more question, please");
    await row("One more question, please").locator(".row-link").click();
    await dashboard.getByRole("button", { name: "More actions" }).click();
    await dashboard.getByRole("button", { name: "Block contact" }).click();
    await expect.poll(() => row("One more question").count()).toBe(0);
    await expect.poll(() => count("spam").textContent()).not.toBe("0");
    await goTo("spam");
    await row("One more question, please").waitFor();
  });

  it("filters the list, loads more as it scrolls, and assigns, tags and closes several conversations at once", async () => {
    await agent.ok("POST", "/tags", { name: "bulk" });
    const made: string[] = [];
    for (let index = 0; index < 35; index++) {
      ctx.clock.advance(1000);
      made.push((await agent.ok("POST", "/threads", { contact: { email: `many${index}@example.com`, name: `Many ${index}` }, message: { content: `Batch question ${index}` } })).thread.id);
    }
    await goTo("unassigned");
    await row("Batch question 34").waitFor();
    // 30 a page: the oldest of the batch arrive when the list is scrolled down.
    await expect.poll(() => row(/Batch question/).count()).toBe(30);
    await dashboard.locator(".list-pane").evaluate((element) => element.scrollTo(0, element.scrollHeight));
    await expect.poll(() => row(/Batch question/).count()).toBe(35);

    for (const index of [34, 33, 32]) {
      await row(`Batch question ${index}`).getByRole("checkbox").check();
    }
    const bulk = dashboard.getByRole("toolbar", { name: "Bulk actions" });
    await bulk.getByText("3 selected").waitFor();
    await bulk.getByRole("combobox", { name: "Tag selected" }).selectOption("bulk");
    await expect.poll(async () => (await Promise.all(made.slice(32).map((id) => agent.ok("GET", `/threads/${id}`)))).every(({ thread }) => thread.tags.includes("bulk"))).toBe(true);
    for (const index of [34, 33]) {
      await row(`Batch question ${index}`).getByRole("checkbox").check();
    }
    await bulk.getByRole("combobox", { name: "Assign selected to" }).selectOption({ label: "Jane Smith" });
    await expect.poll(() => row("Batch question 34").count()).toBe(0);
    await expect.poll(() => row("Batch question 33").count()).toBe(0);
    await row("Batch question 32").getByRole("checkbox").check();
    await row("Batch question 31").getByRole("checkbox").check();
    await bulk.getByRole("button", { name: "Close" }).click();
    await expect.poll(() => row("Batch question 31").count()).toBe(0);
    await expect.poll(async () => (await agent.ok("GET", `/threads/${made[31]}`)).thread.status).toBe("closed");

    // Filters: by tag in the sidebar, then by assignee in the list's filters.
    await goTo("all");
    await dashboard.getByRole("link", { name: "Tag bulk" }).click();
    await dashboard.waitForURL(/tag=bulk/);
    await expect.poll(() => row(/Batch question/).allTextContents().then((rows) => rows.length)).toBe(3);
    await dashboard.getByRole("button", { name: /^Filters/ }).click();
    await dashboard.getByRole("combobox", { name: "Filter by status" }).selectOption("closed");
    await expect.poll(() => row(/Batch question/).count()).toBe(1);
    await dashboard.getByRole("button", { name: "Clear filters" }).click();
    await dashboard.waitForURL(/\/inbox\/all$/);
    // Closed by date: the server's clock says 2 March 2026.
    await goTo("closed");
    await row("Batch question 31").waitFor();
    await dashboard.getByLabel("Closed from").fill("2026-03-03");
    await expect.poll(() => row("Batch question 31").count()).toBe(0);
    await dashboard.getByLabel("Closed from").fill("2026-03-02");
    await dashboard.getByLabel("to", { exact: true }).fill("2026-03-02");
    await row("Batch question 31").waitFor();
    await dashboard.getByRole("button", { name: "Clear filters" }).click();
    await goTo("all");
  });

  it("snoozes a conversation and tags it from its header", async () => {
    await row("Batch question 30").locator(".row-link").click();
    await dashboard.getByRole("button", { name: "Tags" }).click();
    await dashboard.getByRole("dialog", { name: "Tags" }).getByRole("checkbox", { name: "bulk" }).click();
    await dashboard.getByRole("button", { name: "Tags (1)" }).waitFor();
    await dashboard.keyboard.press("Escape");
    await dashboard.getByRole("button", { name: "Snooze" }).click();
    await dashboard.getByRole("dialog", { name: "Snooze" }).getByRole("button", { name: "Tomorrow 9:00" }).click();
    await dashboard.getByRole("button", { name: "Snoozed" }).waitFor();
    const conversation = dashboard.url().split("/").at(-1);
    await expect.poll(async () => (await agent.ok("GET", `/threads/${conversation}`)).thread).toMatchObject({ status: "snoozed", tags: ["bulk"] });
    const { thread } = await agent.ok("GET", `/threads/${conversation}`);
    expect(Date.parse(thread.snoozedUntil)).toBeGreaterThan(Date.now());
  });

  it("attaches a pasted file, and gives every control an accessible name", async () => {
    await composer().focus();
    await dashboard.evaluate(() => {
      const data = new DataTransfer();
      data.items.add(new File(["order 1042, 2 items"], "invoice.txt", { type: "text/plain" }));
      document.querySelector("textarea.composer-input")!.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    });
    await dashboard.locator(".file-chip.ready").filter({ hasText: "invoice.txt" }).waitFor();
    await dashboard.getByRole("button", { name: "Send", exact: true }).click();
    await dashboard.locator(".message-list a.attachment-file").filter({ hasText: "invoice.txt" }).waitFor();
    // And one dropped on the composer.
    await dashboard.evaluate(() => {
      const data = new DataTransfer();
      data.items.add(new File(["%PDF-1.4 dropped"], "label.pdf", { type: "application/pdf" }));
      const composer = document.querySelector(".composer")!;
      composer.dispatchEvent(new DragEvent("dragover", { dataTransfer: data, bubbles: true, cancelable: true }));
      composer.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    await dashboard.locator(".file-chip").filter({ hasText: "label.pdf" }).waitFor();
    await expect.poll(() => dashboard.locator(".file-chip.uploading").count()).toBe(0);
    await dashboard.locator(".file-chip").filter({ hasText: "label.pdf" }).getByRole("button", { name: "Remove label.pdf" }).click();

    await dashboard.getByRole("button", { name: "Assign", exact: false }).first().click();
    const unnamed = await dashboard.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>("button, a[href], input, select, textarea, [role=option], [role=tab]"))
        .filter((element) => element.getClientRects().length > 0 || (element as HTMLInputElement).type === "file")
        .filter((element) => {
          const labelled = element.getAttribute("aria-label") || element.getAttribute("aria-labelledby") || element.getAttribute("title");
          const labels = (element as HTMLInputElement).labels;
          return !labelled && !(labels && labels.length > 0 && labels[0]?.textContent?.trim()) && !element.textContent?.trim();
        })
        .map((element) => element.outerHTML.slice(0, 120)),
    );
    expect(unnamed).toEqual([]);
    await dashboard.keyboard.press("Escape");
  });

  it("edits the contact in the details panel", async () => {
    const details = dashboard.getByRole("complementary", { name: "Details" });
    await details.getByRole("button", { name: "Edit" }).click();
    await details.getByLabel("Phone").fill("+44 20 7946 0000");
    await details.getByLabel("City").fill("London");
    await details.getByRole("button", { name: "Save" }).click();
    await details.getByText("+44 20 7946 0000").waitFor();
    await details.getByRole("textbox", { name: "Attribute name" }).fill("plan");
    await details.getByRole("textbox", { name: "Attribute value" }).fill("pro");
    await details.getByRole("button", { name: "Set" }).click();
    await details.getByRole("button", { name: "Remove attribute plan" }).waitFor();
    const { thread } = await agent.ok("GET", `/threads/${dashboard.url().split("/").at(-1)}`);
    await expect.poll(async () => (await agent.ok("GET", `/contacts/${thread.contactId}`)).data).toMatchObject({ phone: "+44 20 7946 0000", location: { city: "London" }, attributes: { plan: "pro" } });
  });

  it("moves, closes and navigates by keyboard, without firing shortcuts while typing", async () => {
    await goTo("unassigned");
    ctx.clock.advance(MINUTE);
    const older = (await agent.ok("POST", "/threads", { contact: { email: "kim@example.com", name: "Kim Keys" }, message: { content: "First by keyboard" } })).thread.id;
    ctx.clock.advance(MINUTE);
    const newer = (await agent.ok("POST", "/threads", { contact: { email: "lee@example.com", name: "Lee Keys" }, message: { content: "Second by keyboard" } })).thread.id;
    await row("Second by keyboard").waitFor();
    await row("First by keyboard").waitFor();

    await dashboard.locator("body").press("?");
    await dashboard.getByRole("dialog", { name: "Keyboard shortcuts" }).waitFor();
    await dashboard.keyboard.press("Escape");
    await expect.poll(() => dashboard.getByRole("dialog", { name: "Keyboard shortcuts" }).count()).toBe(0);

    await dashboard.keyboard.press("Alt+J");
    await dashboard.waitForURL(new RegExp(`/inbox/unassigned/${newer}`));
    await composer().fill("Let me see");
    await composer().press("?");
    expect(await dashboard.getByRole("dialog", { name: "Keyboard shortcuts" }).count()).toBe(0);
    await composer().press("Alt+J");
    await dashboard.waitForURL(new RegExp(`/inbox/unassigned/${older}`));
    expect(await composer().inputValue()).toBe("");
    await composer().press("Alt+K");
    await dashboard.waitForURL(new RegExp(`/inbox/unassigned/${newer}`));
    await expect.poll(() => composer().inputValue()).toBe("Let me see?");
    await composer().fill("");

    await composer().press("Alt+E");
    await expect.poll(() => row("Second by keyboard").count()).toBe(0);
    await expect.poll(async () => (await agent.ok("GET", `/threads/${newer}`)).thread.status).toBe("closed");

    await dashboard.keyboard.press("Control+K");
    const search = dashboard.getByRole("combobox", { name: "Search commands" });
    await search.fill("go to closed");
    await search.press("Enter");
    await dashboard.waitForURL(/\/inbox\/closed$/);
    await row("Second by keyboard").waitFor();
  });

  it("says when live updates are interrupted and when they are back, and catches up on what it missed", async () => {
    await goTo("unassigned");
    await browser.context.setOffline(true);
    for (const client of (ctx.app as any).websocketServer.clients) {
      client.terminate();
    }
    await dashboard.getByText("Live updates interrupted").waitFor();
    await agent.ok("POST", "/threads", { contact: { email: "late@example.com", name: "Lena Late" }, message: { content: "Written while you were away" } });
    await browser.context.setOffline(false);
    await dashboard.getByText("Live updates are back").waitFor();
    await row("Written while you were away").waitFor();
    await expect.poll(() => dashboard.getByText("Live updates interrupted").count()).toBe(0);
  });

  it("never shows a member the conversations of an inbox they do not belong to", async () => {
    const { member } = await buildMember(ctx, team.team.id, { name: "Bob Billing", inboxes: [{ inboxId: billingInboxId }] });
    await agent.ok("POST", "/threads", { contact: { email: "support-only@example.com", name: "Sally Support" }, message: { content: "A question for support" } });
    await dashboard.getByRole("button", { name: "Sign out" }).click();
    await dashboard.getByRole("heading", { name: "Sign in to Parley" }).waitFor();
    await signIn(member.email);
    // Blocking the visitor sent both of their conversations to Spam; Bob sees only the one in Billing.
    await goTo("spam");
    await dashboard.locator(`.conversation-row[data-conversation-id="${conversationId}"]`).waitFor();
    await expect.poll(() => dashboard.locator(".conversation-row").count()).toBe(1);
    await goTo("all");
    // Live, too: a new conversation in Billing appears, one in the default inbox never does.
    await agent.ok("POST", "/threads", { inboxId: team.inbox.id, contact: { email: "hidden@example.com", name: "Hidden Harry" }, message: { content: "Support inbox only" } });
    await agent.ok("POST", "/threads", { inboxId: billingInboxId, contact: { email: "payer@example.com", name: "Paula Payer" }, message: { content: "Invoice question" } });
    await row("Invoice question").waitFor();
    expect(await row("Support inbox only").count()).toBe(0);
    expect(await row("A question for support").count()).toBe(0);
    expect(await row("One more question").count()).toBe(0);
    await goTo("unassigned");
    await row("Invoice question").waitFor();
    expect(await row("Support inbox only").count()).toBe(0);
    await expect.poll(() => count("unassigned").textContent()).toBe("1");
  });
});

describe.skipIf(!hasChromium)("first run and invites in a real browser", { timeout: 60_000 }, () => {
  let ctx: TestContext;
  let parleyUrl: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ensureBuilt("widget");
    ensureBuilt("dashboard");
    ({ ctx, url: parleyUrl } = await startParley());
    browser = await launchChromium();
    page = await browser.context.newPage();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await ctx?.close();
  });

  beforeEach(screenshotsOnFailure("dashboard", () => ({ "": page })));


  it("sets up the team on a fresh install, then shows the widget snippet", async () => {
    await page.goto(`${parleyUrl}/`);
    await page.getByRole("heading", { name: "Set up Parley" }).waitFor();
    await page.getByLabel("Team or company name").fill("Globex");
    await page.getByLabel("Your name").fill("Hank Scorpio");
    await page.getByLabel("Email").fill("hank@globex.test");
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create team" }).click();
    // The browser's own check stops a short password; a long one goes through.
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Create team" }).click();
    await page.getByRole("heading", { name: "Globex is ready" }).waitFor();
    const snippet = await page.getByLabel("Widget snippet").textContent();
    expect(snippet).toContain("/widget/loader.js");
    expect(snippet).toMatch(/data-website-token="[^"]+"/);
    await page.getByRole("button", { name: "Go to the inbox" }).click();
    await page.getByRole("heading", { name: "Unassigned" }).waitFor();
    // Setup happens once: afterwards / is the sign-in page.
    const fresh = await browser.context.browser()?.newContext();
    if (fresh) {
      const other = await fresh.newPage();
      await other.goto(`${parleyUrl}/`);
      await other.getByRole("heading", { name: "Sign in to Parley" }).waitFor();
      await fresh.close();
    }
  });

  it("lets an invited member choose a password from the link and signs them in", async () => {
    const invited = await page.evaluate(async () => {
      const response = await fetch("/api/support/members", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "marge@globex.test", name: "Marge" }) });
      return (await response.json()) as { inviteUrl: string };
    });
    expect(invited.inviteUrl).toContain("/invite/");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in to Parley" }).waitFor();
    await page.goto(invited.inviteUrl);
    await page.getByRole("heading", { name: "Join Globex" }).waitFor();
    await page.getByLabel("Your name").fill("Marge Simpson");
    await page.getByLabel("Password", { exact: true }).fill(TEST_PASSWORD);
    await page.getByLabel("Repeat the password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Join the team" }).click();
    await page.getByRole("heading", { name: "Unassigned" }).waitFor();
    await page.getByText("Marge Simpson").waitFor();
    // The link works once.
    await page.goto(invited.inviteUrl);
    await page.getByRole("heading", { name: "This invite link does not work" }).waitFor();
  });
});
