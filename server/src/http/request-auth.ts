import type { FastifyReply, FastifyRequest } from "fastify";
import type { AppContext } from "../context.js";
import { AppError, unauthenticated } from "../errors.js";
import { DAY } from "../lib/time.js";
import { ApiKeyCache } from "../modules/auth/api-key-cache.js";
import { actorFromApiKey, actorFromSession } from "../modules/auth/authenticate.js";
import type { Actor } from "../modules/members/actor.js";

export const SESSION_COOKIE = "parley_session";

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor | null;
    /** A session token whose expiry just moved: the response sends the cookie again. */
    renewedSessionToken: string | null;
  }
}

const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The request's actor; 401 when it has none. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) {
    throw unauthenticated();
  }
  return request.actor;
}

/**
 * Refuses a state-changing browser request that comes from another site. SameSite cookies already stop most,
 * and this covers older browsers and same-site subdomains: the Origin (or Sec-Fetch-Site) must be our own.
 */
export function assertSameOrigin(request: FastifyRequest, publicUrl: string): void {
  if (!unsafeMethods.has(request.method)) {
    return;
  }
  const origin = request.headers.origin;
  if (origin !== undefined) {
    const allowed = new Set([new URL(publicUrl).origin, `${request.protocol}://${request.host}`]);
    if (!allowed.has(origin)) {
      throw new AppError(403, "cross_site_request", "This request came from another site and was refused.");
    }
    return;
  }
  const site = request.headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin" && site !== "none") {
    throw new AppError(403, "cross_site_request", "This request came from another site and was refused.");
  }
}

/** Session lifetime in milliseconds. */
export function sessionTtl(context: AppContext): number {
  return context.config.sessionDays * DAY;
}

/** A credential a request (or an open socket) presents. */
export type Credential = { kind: "api_key"; secret: string } | { kind: "session"; secret: string };

/** The credential of a request: X-API-Key wins over the session cookie. */
export function credentialOf(request: FastifyRequest): Credential | undefined {
  const apiKey = request.headers["x-api-key"];
  if (typeof apiKey === "string" && apiKey !== "") {
    return { kind: "api_key", secret: apiKey };
  }
  const token = request.cookies[SESSION_COOKIE];
  return token ? { kind: "session", secret: token } : undefined;
}

const apiKeyCaches = new WeakMap<AppContext, ApiKeyCache>();

/** The process's cache of API key actors (one per context, listening to its bus). */
function apiKeyCacheOf(context: AppContext): ApiKeyCache {
  let cache = apiKeyCaches.get(context);
  if (!cache) {
    cache = new ApiKeyCache(context.bus, context.clock);
    apiKeyCaches.set(context, cache);
  }
  return cache;
}

/** The actor behind a credential now, or undefined when it no longer works; `renewed` as actorFromSession. */
export async function actorFromCredential(context: AppContext, credential: Credential): Promise<{ actor: Actor; renewed: boolean } | undefined> {
  const now = context.clock.now();
  if (credential.kind === "api_key") {
    const actor = await apiKeyCacheOf(context).actorOf(credential.secret, (secret) => actorFromApiKey(context.database.db, secret, now));
    return actor ? { actor, renewed: false } : undefined;
  }
  return actorFromSession(context.database.db, credential.secret, now, sessionTtl(context));
}

/** Resolves X-API-Key or the session cookie into request.actor (null when neither is present). */
export async function resolveActor(context: AppContext, request: FastifyRequest): Promise<Actor | null> {
  const credential = credentialOf(request);
  if (!credential) {
    return null;
  }
  const found = await actorFromCredential(context, credential);
  if (credential.kind === "api_key") {
    if (!found) {
      throw unauthenticated("This API key is not valid or has been revoked.");
    }
    return found.actor;
  }
  if (!found) {
    return null;
  }
  assertSameOrigin(request, context.config.publicUrl);
  if (found.renewed) {
    request.renewedSessionToken = credential.secret;
  }
  return found.actor;
}

/** Sets the session cookie: httpOnly, SameSite=Lax, Secure when Parley is served over https. */
export function setSessionCookie(context: AppContext, reply: FastifyReply, token: string): void {
  void reply.setCookie(SESSION_COOKIE, token, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: context.config.publicUrl.startsWith("https://"),
    maxAge: context.config.sessionDays * 24 * 60 * 60,
  });
}

/** Removes the session cookie. */
export function clearSessionCookie(reply: FastifyReply): void {
  void reply.clearCookie(SESSION_COOKIE, { path: "/" });
}
