import type { Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildInbox, buildMember, buildTeam, TEST_PASSWORD, type BuiltMember, type BuiltTeam } from "../server/test/factories.js";
import type { TestContext } from "../server/test/test-context.js";
import { Agent } from "./support/agent.js";
import { launchChromium, type Browser } from "./support/browser.js";
import { chromiumAvailable, ensureBuilt, screenshotsOnFailure, startParley } from "./support/harness.js";

/*
 * The dashboard's settings pages end to end: a real Parley server on a free port and the built dashboard in
 * Chromium, signed in as the team's owner (and, last, as a plain member). What the forms store is checked
 * through the REST API with the owner's key. The tests run in order; later ones build on earlier ones.
 */

const hasChromium = chromiumAvailable("The dashboard settings' end-to-end tests");

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

describe.skipIf(!hasChromium)("dashboard settings in a real browser", { timeout: 60_000 }, () => {
  let ctx: TestContext;
  let parleyUrl: string;
  let team: BuiltTeam;
  let agent: Agent;
  let browser: Browser;
  let page: Page;
  let inboxId: string;

  const open = async (route: string, heading: string | RegExp) => {
    await page.goto(`${parleyUrl}${route}`);
    await page.getByRole("heading", { level: 1, name: heading }).waitFor();
  };
  const signIn = async (email: string) => {
    await page.getByRole("heading", { name: "Sign in to Parley" }).waitFor();
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
  };
  const settingsNav = () => page.getByRole("navigation", { name: "Settings" });

  beforeAll(async () => {
    ensureBuilt("dashboard");
    ({ ctx, url: parleyUrl } = await startParley());
    team = await buildTeam(ctx);
    agent = new Agent(parleyUrl, team.apiKey);
    browser = await launchChromium();
    page = await browser.context.newPage();
    if (process.env.E2E_DEBUG) {
      page.on("console", (message) => console.log(`[dashboard ${message.type()}]`, message.text()));
      page.on("pageerror", (error) => console.log("[dashboard error]", error));
    }
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await ctx?.close();
  });

  beforeEach(screenshotsOnFailure("settings", () => ({ "": page })));


  it("creates an inbox through the form and stores its working hours exactly", async () => {
    await page.goto(`${parleyUrl}/settings/inboxes`);
    await signIn(team.owner.email);
    await page.getByRole("heading", { level: 1, name: "Inboxes" }).waitFor();
    await expect.poll(() => settingsNav().getByRole("link").allTextContents()).toEqual(["Settings", "Inboxes", "Routing rules", "Team members", "Quick replies", "Tags", "API keys", "← Back to the inbox"]);

    // Seed 000's dashboard steps: Create Inbox, then name, description and email, then Create.
    await page.getByRole("button", { name: "Create inbox" }).click();
    const form = page.getByRole("form", { name: "Create inbox" });
    await form.getByLabel("Name").fill("Technical Support");
    await form.getByLabel("Description").fill("Technical issues and questions");
    await form.getByLabel("Email").fill("support@tech.example");
    await form.getByRole("button", { name: "Create" }).click();
    await page.getByRole("heading", { level: 1, name: "Technical Support" }).waitFor();
    inboxId = /\/settings\/inboxes\/([^/?]+)/.exec(page.url())![1]!;

    await page.getByRole("checkbox", { name: "Use working hours" }).check();
    await page.getByRole("searchbox", { name: "Filter time zones" }).fill("berlin");
    await page.getByRole("combobox", { name: "Time zone" }).selectOption("Europe/Berlin");
    for (const day of WEEKDAYS) {
      await page.getByRole("checkbox", { name: day, exact: true }).check();
      await page.getByLabel(`${day} start`).fill("09:00");
      await page.getByLabel(`${day} end`).fill("17:00");
    }
    for (const day of ["Saturday", "Sunday"]) {
      await page.getByRole("checkbox", { name: day, exact: true }).uncheck();
      await expect.poll(() => page.getByLabel(`${day} start`).count()).toBe(0);
    }
    await page.getByLabel("Holiday date").fill("2026-12-25");
    await page.getByRole("button", { name: "Add holiday" }).click();
    await page.getByRole("button", { name: "Remove holiday 2026-12-25" }).waitFor();
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByRole("status").filter({ hasText: "Saved Technical Support." }).waitFor();

    const stored = (await agent.ok("GET", `/inboxes/${inboxId}`)).data;
    expect(stored).toMatchObject({ name: "Technical Support", description: "Technical issues and questions", email: "support@tech.example", isDefault: false });
    const nineToFive = { start: "09:00", end: "17:00" };
    expect(stored.workingHours).toEqual({
      enabled: true,
      timezone: "Europe/Berlin",
      schedule: { monday: nineToFive, tuesday: nineToFive, wednesday: nineToFive, thursday: nineToFive, friday: nineToFive, saturday: null, sunday: null },
      holidays: ["2026-12-25"],
    });
    await expect.poll(() => page.getByText("All changes saved").isVisible()).toBe(true);
  });

  it("shows an end before the start next to the day and saves nothing; shows the server's field errors next to their fields", async () => {
    const before = (await agent.ok("GET", `/inboxes/${inboxId}`)).data;
    await page.getByLabel("Monday end").fill("08:00");
    await page.getByRole("button", { name: "Save settings" }).click();
    const monday = page.locator('[data-day="monday"]');
    await monday.getByText("The end must be after the start (09:00).").waitFor();
    expect(await page.getByLabel("Monday end").getAttribute("aria-invalid")).toBe("true");
    await page.getByRole("alert").filter({ hasText: "before saving" }).waitFor();
    expect((await agent.ok("GET", `/inboxes/${inboxId}`)).data).toEqual(before);

    // Put Monday right, and let the server refuse a malformed sender address.
    await page.getByLabel("Monday end").fill("17:00");
    await page.getByLabel("From address").fill("not an address");
    await page.getByRole("button", { name: "Save settings" }).click();
    const fromAddress = page.getByLabel("From address");
    await expect.poll(() => fromAddress.getAttribute("aria-invalid")).toBe("true");
    const noteId = await fromAddress.getAttribute("aria-describedby");
    expect(await page.locator(`[id="${noteId}"]`).getAttribute("class")).toBe("field-error");
    expect(await monday.locator(".field-error").count()).toBe(0);
    expect((await agent.ok("GET", `/inboxes/${inboxId}`)).data).toEqual(before);

    await page.getByRole("button", { name: "Discard changes" }).click();
    expect(await fromAddress.inputValue()).toBe("");
  });

  it("replaces the identity secret after a confirmation and shows the new one", async () => {
    const before = (await agent.ok("GET", `/inboxes/${inboxId}`)).data.identitySecret as string;
    await page.getByRole("button", { name: "Replace secret" }).click();
    await page.getByRole("dialog", { name: "Replace the identity secret?" }).getByRole("button", { name: "Replace secret" }).click();
    const after = () => agent.ok("GET", `/inboxes/${inboxId}`).then((reply) => reply.data.identitySecret as string);
    await expect.poll(after).not.toBe(before);
    await expect.poll(() => page.getByLabel("Identity secret", { exact: true }).textContent()).toBe(await after());
  });

  it("reorders routing rules with the move buttons and stores the new order", async () => {
    const billing = await buildInbox(ctx, team.team.id, "Billing");
    await agent.ok("PUT", "/routing-rules", {
      routingRules: [
        { condition: { url: { contains: "/pricing" } }, inboxId: billing.id },
        { condition: { userAttribute: { key: "plan", value: "enterprise" } }, inboxId: inboxId },
        { condition: { message: { contains: ["invoice", "refund"] } }, inboxId: billing.id },
      ],
    });
    await settingsNav().getByRole("link", { name: "Routing rules" }).click();
    await page.getByRole("heading", { level: 1, name: "Routing rules" }).waitFor();
    await page.getByLabel("Keywords of rule 3").waitFor();
    expect(await page.getByLabel("Keywords of rule 3").inputValue()).toBe("invoice, refund");

    await page.getByRole("button", { name: "Move rule 3 up" }).click();
    // Focus follows the moved rule, so the keyboard can carry on moving it.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Move rule 2 up");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByLabel("Keywords of rule 1").inputValue()).toBe("invoice, refund");
    expect(await page.getByLabel("Page URL text of rule 2").inputValue()).toBe("/pricing");
    await page.getByRole("button", { name: "Save routing rules" }).click();
    await page.getByRole("status").filter({ hasText: "Routing rules saved." }).waitFor();

    const stored = (await agent.ok("GET", "/routing-rules")).data;
    expect(stored.map((rule: any) => rule.condition)).toEqual([{ message: { contains: ["invoice", "refund"] } }, { url: { contains: "/pricing" } }, { userAttribute: { key: "plan", value: "enterprise" } }]);

    // Dragging by the handle does the same: the attribute rule goes first.
    await page.locator('li[aria-label="Rule 3"] .drag-handle').dragTo(page.locator('li[aria-label="Rule 1"]'));
    await expect.poll(() => page.getByLabel("Attribute name of rule 1").count()).toBe(1);
    await page.getByRole("button", { name: "Save routing rules" }).click();
    await expect.poll(async () => (await agent.ok("GET", "/routing-rules")).data.map((rule: any) => Object.keys(rule.condition)[0])).toEqual(["userAttribute", "message", "url"]);
  });

  it("invites a member and shows the one-time link to copy", async () => {
    await settingsNav().getByRole("link", { name: "Team members" }).click();
    await page.getByRole("heading", { level: 1, name: "Team members" }).waitFor();
    await page.getByRole("button", { name: "Invite member" }).click();
    const form = page.getByRole("form", { name: "Invite member" });
    await form.getByLabel("Name").fill("Bob Stone");
    await form.getByLabel("Email").fill("bob@acme.test");
    await form.getByLabel("Role").selectOption("member");
    await form.getByRole("button", { name: "Create invite link" }).click();

    const region = page.getByRole("region", { name: "Invite link" });
    const link = await region.locator("code").textContent();
    expect(link).toMatch(new RegExp(`^${parleyUrl.replaceAll(".", "\\.")}/invite/\\S+$`));
    await region.getByRole("button", { name: "Copy invite link" }).waitFor();
    await page.locator('[data-member="bob@acme.test"]').getByText("Invite pending").waitFor();

    const members = (await agent.ok("GET", "/members")).members;
    expect(members.find((member: any) => member.email === "bob@acme.test")).toMatchObject({ name: "Bob Stone", role: "member", invitationPending: true });
    const invite = await fetch(`${parleyUrl}/api/auth/invites/${link!.split("/invite/")[1]}`);
    expect(invite.status).toBe(200);
  });

  it("creates an API key whose secret is shown once, and revokes it", async () => {
    await settingsNav().getByRole("link", { name: "API keys" }).click();
    await page.getByRole("heading", { level: 1, name: "API keys" }).waitFor();
    await page.getByRole("button", { name: "Create API key" }).click();
    await page.getByLabel("Key name").fill("Zapier");
    await page.getByLabel("Key role").selectOption("member");
    await page.getByRole("button", { name: "Create key" }).click();

    const region = page.getByRole("region", { name: "New API key" });
    const secret = (await region.getByLabel("API key secret").textContent())!.trim();
    await region.getByText("This is the only time the key is shown").waitFor();
    await region.getByRole("button", { name: "Copy API key" }).waitFor();
    const withKey = await fetch(`${parleyUrl}/api/support/team`, { headers: { "x-api-key": secret } });
    expect(withKey.status).toBe(200);

    await region.getByRole("button", { name: "I have saved the key" }).click();
    await open("/settings/api-keys", "API keys");
    const row = page.getByRole("row").filter({ hasText: "Zapier" });
    await row.waitFor();
    expect(await row.textContent()).toContain(`${secret.split("_").slice(0, 2).join("_")}_…`);
    expect(await page.content()).not.toContain(secret);
    const listed = (await agent.ok("GET", "/api-keys")).data.find((key: any) => key.name === "Zapier");
    expect(listed).toMatchObject({ role: "member", memberId: team.owner.id });
    expect(secret.startsWith(`${listed.prefix}_`)).toBe(true);

    await row.getByRole("button", { name: "Revoke Zapier" }).click();
    await page.getByRole("dialog", { name: "Revoke Zapier?" }).getByRole("button", { name: "Revoke key" }).click();
    await expect.poll(() => page.getByRole("row").filter({ hasText: "Zapier" }).count()).toBe(0);
    expect((await fetch(`${parleyUrl}/api/support/team`, { headers: { "x-api-key": secret } })).status).toBe(401);
  });

  it("shows a member only what they may see, and inbox settings read-only", async () => {
    const alice: BuiltMember = await buildMember(ctx, team.team.id, { role: "member", name: "Alice Johnson", inboxes: [{ inboxId, role: "agent" }] });
    await page.evaluate(() => fetch("/api/auth/signout", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }));
    await page.goto(`${parleyUrl}/settings`);
    await signIn(alice.member.email);
    await page.getByRole("heading", { level: 1, name: "Settings" }).waitFor();
    await expect.poll(() => settingsNav().getByRole("link").allTextContents()).toEqual(["Settings", "Inboxes", "Team members", "Quick replies", "Tags", "← Back to the inbox"]);
    expect(await page.getByRole("main").getByRole("link", { name: /Routing rules|API keys/ }).count()).toBe(0);

    await open("/settings/api-keys", "API keys");
    await page.getByText("Only owners and admins can see and change these settings.").waitFor();
    expect(await page.getByRole("button", { name: "Create API key" }).count()).toBe(0);

    await open("/settings/inboxes", "Inboxes");
    expect(await page.getByRole("button", { name: "Create inbox" }).count()).toBe(0);
    await page.getByRole("main").getByRole("link", { name: "Technical Support", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Technical Support" }).waitFor();
    await page.getByText("only inbox admins and team admins can change them").waitFor();
    expect(await page.getByLabel("Name", { exact: true }).isDisabled()).toBe(true);
    expect(await page.getByLabel("Monday start").isDisabled()).toBe(true);
    expect(await page.getByRole("button", { name: "Save settings" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Delete inbox" }).count()).toBe(0);
    expect(await page.getByText("Identity secret").count()).toBe(0);

    await open("/settings/members", "Team members");
    await page.locator('[data-member="bob@acme.test"]').waitFor();
    expect(await page.getByRole("button", { name: "Invite member" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: /^Remove / }).count()).toBe(0);
  });
});
