import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { tooManyRequests } from "../../errors.js";

/** Whose budget a visitor's requests and messages count against. */
export const visitorLimitKey = (visitorToken: string) => `visitor:${visitorToken}`;

/** What a visitor's next message may do under WIDGET_MESSAGES_PER_MINUTE. */
export type MessageAllowance = { allowed: true; limit: number; remaining: number; resetSeconds: number } | { allowed: false; limit: number; retryAfterSeconds: number };

/** Counts one message against a visitor's budget (`key` names the visitor) and says whether it may go. */
export type MessageLimiter = (key: string) => Promise<MessageAllowance>;

/** The rate-limit plugin's limiters take a request; this one is called with the key it should count. */
interface KeyedCall {
  limitKey: string;
  routeOptions: { config: Record<string, never> };
}

/**
 * One budget for a visitor's messages, however they arrive (`POST /api/widget/messages` or the widget's
 * socket), kept in the rate-limit plugin's store of `scope` (memory, or Redis when REDIS_URL is set, so
 * every process counts the same minute). Counting fails open like the plugin's other limits.
 */
export function messageLimiter(scope: FastifyInstance, perMinute: number): MessageLimiter {
  const check = scope.createRateLimit({ max: perMinute, timeWindow: 60_000, keyGenerator: (request) => (request as unknown as KeyedCall).limitKey });
  return async (key) => {
    const call: KeyedCall = { limitKey: key, routeOptions: { config: {} } };
    const verdict = await check(call as unknown as FastifyRequest);
    if (verdict.isAllowed) {
      return { allowed: true, limit: perMinute, remaining: perMinute, resetSeconds: 60 };
    }
    if (verdict.isExceeded) {
      return { allowed: false, limit: verdict.max, retryAfterSeconds: Math.max(1, verdict.ttlInSeconds) };
    }
    return { allowed: true, limit: verdict.max, remaining: verdict.remaining, resetSeconds: verdict.ttlInSeconds };
  };
}

/** The refusal both ways of sending give: 429 `rate_limited`, with Retry-After. */
export function messagesRefused(retryAfterSeconds: number) {
  return tooManyRequests(`Too many requests; try again in ${retryAfterSeconds} s.`, retryAfterSeconds);
}

/** The HTTP side: an onRequest hook that counts the message and sets the rate-limit headers the plugin would. */
export function limitMessageRequests(limiter: MessageLimiter, keyOf: (request: FastifyRequest) => string) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const allowance = await limiter(keyOf(request));
    if (!allowance.allowed) {
      void reply.header("x-ratelimit-limit", allowance.limit).header("x-ratelimit-remaining", 0).header("x-ratelimit-reset", allowance.retryAfterSeconds);
      throw messagesRefused(allowance.retryAfterSeconds);
    }
    void reply.header("x-ratelimit-limit", allowance.limit).header("x-ratelimit-remaining", allowance.remaining).header("x-ratelimit-reset", allowance.resetSeconds);
  };
}
