import fastifyRateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { createRequire } from "node:module";
import type { Redis as RedisClient } from "ioredis";
import type { AppContext } from "../../context.js";
import { HOUR } from "../../lib/time.js";
import { getInstanceSecret } from "../../modules/attachments/instance-secrets.js";
import { SIGNING_SECRET_NAME, signedAttachmentPath } from "../../modules/attachments/signed-url.js";
import type { RealtimeGateway } from "../../realtime/gateway.js";
import { messageLimiter, visitorLimitKey, type MessageLimiter } from "./message-limit.js";
import { registerVisitorSocket } from "./visitor-socket.js";
import { widgetRoutes } from "./widget.routes.js";

/** How long the attachment links the widget shows keep working. */
export const VISITOR_LINK_TTL = HOUR;

// Requests a visitor (by token, else by address) may make per minute, and messages they may post, are
// settings (WIDGET_REQUESTS_PER_MINUTE, WIDGET_MESSAGES_PER_MINUTE).

const visitorKey = (request: FastifyRequest) => {
  const token = request.headers["x-visitor-token"];
  return typeof token === "string" && token !== "" ? visitorLimitKey(token) : `address:${request.ip}`;
};

/** The website widget's channel: its API under /api/widget, rate-limited per visitor and per address, and its socket. */
export async function registerWidgetChannel(app: FastifyInstance, context: AppContext, gateway: RealtimeGateway): Promise<void> {
  const { config, clock, database } = context;
  const secret = await getInstanceSecret(database.db, SIGNING_SECRET_NAME, clock.now());
  const linkFor = (attachmentId: string) => `${config.publicUrl}${signedAttachmentPath(secret, attachmentId, clock.now(), VISITOR_LINK_TTL).path}`;
  // ioredis is loaded only when Redis is configured (as in events/bus.ts).
  const redis = config.redisUrl ? new (createRequire(import.meta.url)("ioredis") as { Redis: typeof RedisClient }).Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false }) : undefined;
  if (redis) {
    redis.on("error", (error) => context.logger.warn({ err: error }, "Redis connection error (rate limits)"));
    app.addHook("onClose", async () => {
      await redis.quit().catch(() => undefined);
    });
    // Counting fails open while Redis is away, so give it a moment to connect before the first visitor.
    await redisReady(redis, 3000);
  }

  // Messages count against one budget per visitor whether they come over HTTP or the socket.
  let limitMessages: MessageLimiter | undefined;
  await app.register(
    async (scope) => {
      await scope.register(fastifyRateLimit, {
        max: config.widgetRequestsPerMinute,
        timeWindow: 60_000,
        keyGenerator: visitorKey,
        ...(redis ? { redis, nameSpace: "parley-rate:" } : {}),
        // Counting fails open when Redis is away: better a visitor unthrottled for a moment than one refused.
        skipOnError: true,
        errorResponseBuilder: (_request, context) => ({ statusCode: 429, code: "rate_limited", message: `Too many requests; try again in ${Math.ceil(context.ttl / 1000)} s.` }),
      });
      limitMessages = messageLimiter(scope, config.widgetMessagesPerMinute);
      await scope.register(widgetRoutes(context, linkFor, limitMessages, visitorKey));
    },
    { prefix: "/api/widget" },
  );
  if (!limitMessages) {
    throw new Error("the widget's message limit was not set up");
  }
  registerVisitorSocket(app, context, gateway, linkFor, limitMessages);
}

/** Resolves once `redis` is connected, or after `withinMs` (the limits then fail open until it is). */
function redisReady(redis: RedisClient, withinMs: number): Promise<void> {
  if (redis.status === "ready") {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(done, withinMs);
    function done() {
      clearTimeout(timer);
      redis.off("ready", done);
      resolve();
    }
    redis.once("ready", done);
  });
}
