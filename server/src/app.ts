import fastifyCookie from "@fastify/cookie";
import fastifyWebsocket from "@fastify/websocket";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import qs from "qs";
import type { AppContext } from "./context.js";
import { installErrorHandler } from "./http/error-handler.js";
import { registerOpenApi } from "./http/openapi.js";
import { rejectNulCharacters } from "./http/reject-nul.js";
import { installSecurityHeaders } from "./http/security-headers.js";
import { actorOf, resolveActor, setSessionCookie } from "./http/request-auth.js";
import { apiKeysRoutes } from "./modules/api-keys/api-keys.routes.js";
import { authRoutes } from "./modules/auth/auth.routes.js";
import { inboxMembersRoutes } from "./modules/inboxes/inbox-members.routes.js";
import { inboxesRoutes } from "./modules/inboxes/inboxes.routes.js";
import { membersRoutes } from "./modules/members/members.routes.js";
import { quickRepliesRoutes } from "./modules/quick-replies/quick-replies.routes.js";
import { routingRulesRoutes } from "./modules/routing/routing-rules.routes.js";
import { memberRoutingRoutes } from "./modules/routing/member-routing.routes.js";
import { tagsRoutes } from "./modules/tags/tags.routes.js";
import { teamsRoutes } from "./modules/teams/teams.routes.js";
import { conversationsRoutes } from "./modules/conversations/conversations.routes.js";
import { messagesRoutes } from "./modules/messages/messages.routes.js";
import { notificationsRoutes } from "./modules/notifications/notifications.routes.js";
import { attachmentsRoutes } from "./modules/attachments/attachments.routes.js";
import { signedAttachmentsRoutes } from "./modules/attachments/signed-attachments.routes.js";
import { contactsRoutes } from "./modules/contacts/contacts.routes.js";
import { searchRoutes } from "./modules/search/search.routes.js";
import { registerDashboardAssets } from "./http/dashboard-assets.js";
import { RealtimeGateway } from "./realtime/gateway.js";
import { registerWidgetChannel } from "./channels/widget/index.js";
import { registerWidgetAssets } from "./channels/widget/assets.js";

declare module "fastify" {
  interface FastifyInstance {
    /** The agents' WebSocket gateway. */
    realtime: RealtimeGateway;
  }
}

/** The Fastify app without listen(): main.ts serves it, tests inject into it. */
export async function buildApp(context: AppContext): Promise<FastifyInstance> {
  const fastifyLogger: FastifyBaseLogger = context.logger;
  const app = Fastify({
    loggerInstance: fastifyLogger,
    // One log line per request only when debugging; errors are always logged.
    logController: new LogController({ disableRequestLogging: context.config.logLevel !== "debug" && context.config.logLevel !== "trace" }),
    trustProxy: context.config.trustProxy,
    bodyLimit: 1024 * 1024,
    // Seed 003's filters use bracket syntax: filter[assignedToMemberIds][0]=…
    routerOptions: { querystringParser: (query: string) => qs.parse(query, { depth: 4, arrayLimit: 200, parameterLimit: 500 }) },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  rejectNulCharacters(app);
  app.decorateRequest("actor", null);
  app.decorateRequest("renewedSessionToken", null);
  // A session in use keeps its cookie alive as long as the session itself.
  app.addHook("onSend", async (request, reply) => {
    if (request.renewedSessionToken && !reply.hasHeader("set-cookie")) {
      setSessionCookie(context, reply, request.renewedSessionToken);
    }
  });

  await app.register(fastifyCookie);
  installSecurityHeaders(app);
  await registerOpenApi(app, context.config.publicUrl);
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });
  const realtime = new RealtimeGateway(context);
  app.decorate("realtime", realtime);
  app.addHook("onClose", () => realtime.close());
  realtime.register(app);
  await registerWidgetChannel(app, context, realtime);
  await registerWidgetAssets(app, context);

  app.get("/healthz", { schema: { hide: true } }, async () => {
    await context.database.db.selectFrom("teams").select("id").limit(1).execute();
    return { ok: true };
  });
  await registerDashboardAssets(app);
  await app.register(signedAttachmentsRoutes(context));

  await app.register(
    async (api) => {
      api.addHook("onRequest", async (request) => {
        request.actor = await resolveActor(context, request);
      });
      await api.register(authRoutes(context));
    },
    { prefix: "/api/auth" },
  );

  await app.register(
    async (api) => {
      api.addHook("onRequest", async (request) => {
        request.actor = await resolveActor(context, request);
        actorOf(request);
      });
      for (const routes of [teamsRoutes, membersRoutes, apiKeysRoutes, inboxesRoutes, inboxMembersRoutes, routingRulesRoutes, memberRoutingRoutes, tagsRoutes, quickRepliesRoutes, conversationsRoutes, messagesRoutes, notificationsRoutes, attachmentsRoutes, contactsRoutes, searchRoutes]) {
        await api.register(routes(context));
      }
    },
    { prefix: "/api/support" },
  );

  return app;
}
