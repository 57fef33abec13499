import fs from "node:fs";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";
import { projectRoot } from "../lib/paths.js";

/** Where `npm run build` puts the agent dashboard (index.html and hashed files under assets/). */
export function dashboardBuildDir(): string {
  return path.join(projectRoot(), "dist", "dashboard");
}

/** Paths that belong to the server, never to the dashboard's client-side routes. */
const SERVER_PATHS = /^\/(api|widget|demo|assets|healthz)(\/|$|\?)/;

/**
 * Serves the dashboard: its fingerprinted files at /assets/ (cached for a year) and index.html for `/` and
 * every other GET that is a client-side route (/conversations/…, /settings/…, /invite/…), never cached so a
 * new release is picked up at the next load. Answers 503 until the dashboard has been built.
 */
export async function registerDashboardAssets(app: FastifyInstance, options: { dir?: string } = {}): Promise<void> {
  const dir = options.dir ?? dashboardBuildDir();
  const indexFile = path.join(dir, "index.html");
  const built = fs.existsSync(indexFile);

  if (built && fs.existsSync(path.join(dir, "assets"))) {
    await app.register(fastifyStatic, {
      root: path.join(dir, "assets"),
      prefix: "/assets/",
      decorateReply: false,
      index: false,
      setHeaders: (response) => {
        void response.header("cache-control", "public, max-age=31536000, immutable");
      },
    });
  }

  // Read at each request so a rebuild while the server runs is served at once; the file is small.
  const sendIndex = async (_request: unknown, reply: FastifyReply) => {
    let html: string;
    try {
      html = await fs.promises.readFile(indexFile, "utf8");
    } catch {
      return reply.status(503).send({ error: { code: "dashboard_not_built", message: "The dashboard has not been built; run npm run build." } });
    }
    return reply.type("text/html; charset=utf-8").header("cache-control", "no-cache, no-store, must-revalidate").send(html);
  };

  app.get("/", { schema: { hide: true } }, sendIndex);
  app.get("/*", { schema: { hide: true } }, async (request, reply) => {
    const accept = request.headers.accept ?? "";
    // Unknown server paths and non-page requests (a missing script, an API typo) keep the JSON 404.
    if (SERVER_PATHS.test(request.url) || (accept !== "" && !accept.includes("text/html") && !accept.includes("*/*"))) {
      return reply.callNotFound();
    }
    return sendIndex(request, reply);
  });
}
