import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { installErrorHandler } from "./error-handler.js";
import { registerDashboardAssets } from "./dashboard-assets.js";

let dir: string;
let app: FastifyInstance;

async function appServing(folder: string): Promise<FastifyInstance> {
  const made = Fastify();
  installErrorHandler(made);
  made.get("/api/support/team", async () => ({ id: "team_1" }));
  await registerDashboardAssets(made, { dir: folder });
  await made.ready();
  return made;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "parley-dashboard-"));
});
afterEach(async () => {
  await app?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("serving the dashboard", () => {
  it("answers 503 with the error envelope until the dashboard is built", async () => {
    app = await appServing(path.join(dir, "missing"));
    for (const url of ["/", "/conversations/conv_1"]) {
      const response = await app.inject({ method: "GET", url, headers: { accept: "text/html" } });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual({ error: { code: "dashboard_not_built", message: expect.any(String) } });
    }
  });

  it("serves index.html uncached at / and at client routes, and hashed files cached for a year", async () => {
    fs.mkdirSync(path.join(dir, "assets"));
    fs.writeFileSync(path.join(dir, "index.html"), "<!doctype html><title>Parley</title>");
    fs.writeFileSync(path.join(dir, "assets", "index-abc123.js"), "console.log(1)");
    app = await appServing(dir);

    for (const url of ["/", "/views/mine", "/conversations/conv_1?x=1", "/settings/inboxes", "/invite/secret-token"]) {
      const page = await app.inject({ method: "GET", url, headers: { accept: "text/html,application/xhtml+xml" } });
      expect(page.statusCode, url).toBe(200);
      expect(page.headers["content-type"]).toContain("text/html");
      expect(page.headers["cache-control"]).toContain("no-cache");
      expect(page.body).toContain("<title>Parley</title>");
    }
    const script = await app.inject({ method: "GET", url: "/assets/index-abc123.js" });
    expect(script.statusCode).toBe(200);
    expect(script.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
  });

  it("leaves server paths and non-page requests to the JSON 404", async () => {
    fs.writeFileSync(path.join(dir, "index.html"), "<!doctype html>");
    app = await appServing(dir);
    expect((await app.inject({ method: "GET", url: "/api/support/team" })).json()).toEqual({ id: "team_1" });
    for (const url of ["/api/support/nothing", "/api/nothing", "/assets/missing.js", "/widget/x.js", "/demo/x"]) {
      const response = await app.inject({ method: "GET", url, headers: { accept: "text/html" } });
      expect(response.statusCode, url).toBe(404);
      expect(response.json().error.code).toBe("not_found");
    }
    const image = await app.inject({ method: "GET", url: "/favicon.ico", headers: { accept: "image/avif,image/webp" } });
    expect(image.statusCode).toBe(404);
  });
});
