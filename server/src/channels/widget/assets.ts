import fs from "node:fs";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../../context.js";
import { projectRoot } from "../../lib/paths.js";
import { widgetSnippet } from "../../modules/inboxes/inbox.presenter.js";

/** Where `npm run build` puts the widget's loader and iframe app. */
export function widgetBuildDir(): string {
  return path.join(projectRoot(), "dist", "widget");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** The widget's iframe runs inside customers' pages: any site may frame it, and it talks only to us. */
export const WIDGET_CSP =
  "default-src 'self'; img-src 'self' data: blob:; media-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors *; base-uri 'self'; form-action 'self'; object-src 'none'";

/** Serves the widget's files at /widget/ and the demo page at /demo. */
export async function registerWidgetAssets(app: FastifyInstance, context: AppContext): Promise<void> {
  const dir = widgetBuildDir();
  app.addHook("onSend", async (request, reply) => {
    if (request.url.startsWith("/widget/")) {
      reply.removeHeader("x-frame-options");
      void reply.header("content-security-policy", WIDGET_CSP);
      void reply.header("cross-origin-resource-policy", "cross-origin");
    }
  });
  if (fs.existsSync(dir)) {
    await app.register(fastifyStatic, {
      root: dir,
      prefix: "/widget/",
      decorateReply: false,
      // The loader keeps its name across releases, so browsers check it again often; the app's files are fingerprinted.
      setHeaders: (response, filePath) => {
        void response.header("cache-control", filePath.endsWith("loader.js") || filePath.endsWith(".html") ? "public, max-age=300" : "public, max-age=31536000, immutable");
        void response.header("cross-origin-resource-policy", "cross-origin");
      },
    });
  } else {
    app.get("/widget/*", { schema: { hide: true } }, async (_request, reply) =>
      reply.status(503).send({ error: { code: "widget_not_built", message: "The widget has not been built; run npm run build." } }),
    );
  }

  app.get("/demo", { schema: { hide: true } }, async (_request, reply) => {
    const inbox = await context.database.db
      .selectFrom("inboxes")
      .innerJoin("teams", "teams.id", "inboxes.team_id")
      .select(["inboxes.name", "inboxes.website_token", "teams.name as team_name"])
      .where("inboxes.is_default", "=", 1)
      .orderBy("teams.created_at")
      .limit(1)
      .executeTakeFirst();
    const body = inbox
      ? `<h1>${escapeHtml(inbox.team_name)} — widget demo</h1>
<p>This page carries the chat widget of the inbox <strong>${escapeHtml(inbox.name)}</strong>. Open the bubble in the corner and write;
answer from another tab through the API or the dashboard. Open this page in a second tab to see the same visitor's history.</p>
<p>The snippet on this page (paste it into any site):</p>
<pre>${escapeHtml(widgetSnippet(context.config.publicUrl, inbox.website_token))}</pre>
${widgetSnippet(context.config.publicUrl, inbox.website_token)}`
      : `<h1>Widget demo</h1><p>Create your team first (POST /api/auth/signup or <code>npx parley team create</code>), then reload this page.</p>`;
    return reply.type("text/html; charset=utf-8").send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Parley widget demo</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem;color:#1f2937}pre{background:#f3f4f6;padding:1rem;border-radius:8px;white-space:pre-wrap;word-break:break-all}</style>
</head><body>${body}</body></html>`);
  });
}
