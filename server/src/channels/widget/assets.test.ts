import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildTeam } from "../../../test/factories.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";
import { widgetBuildDir, WIDGET_CSP } from "./assets.js";

let ctx: TestContext;

beforeEach(async () => {
  ctx = await createTestContext();
});
afterEach(() => ctx.close());

describe("the widget's files and demo page", () => {
  it("lets any site frame the widget and load its script, which the rest of Parley does not allow", async () => {
    const widget = await ctx.app.inject({ method: "GET", url: "/widget/frame.html" });
    expect(widget.headers["x-frame-options"]).toBeUndefined();
    expect(widget.headers["content-security-policy"]).toBe(WIDGET_CSP);
    expect(widget.headers["cross-origin-resource-policy"]).toBe("cross-origin");
    if (fs.existsSync(path.join(widgetBuildDir(), "frame.html"))) {
      expect(widget.statusCode).toBe(200);
    } else {
      expect(widget.json()).toMatchObject({ error: { code: "widget_not_built" } });
    }
    const docs = await ctx.app.inject({ method: "GET", url: "/api/docs/" });
    expect(docs.headers["x-frame-options"]).toBe("SAMEORIGIN");
  });

  it("shows the default inbox's widget on the demo page once a team exists", async () => {
    const empty = await ctx.app.inject({ method: "GET", url: "/demo" });
    expect(empty.body).toContain("Create your team first");
    const acme = await buildTeam(ctx, { name: "Acme <Corp>" });
    const page = await ctx.app.inject({ method: "GET", url: "/demo" });
    expect(page.headers["content-type"]).toContain("text/html");
    expect(page.body).toContain(`data-website-token="${acme.inbox.website_token}"`);
    expect(page.body).toContain("Acme &#60;Corp&#62;");
    expect(page.body).not.toContain("Acme <Corp>");
  });
});
