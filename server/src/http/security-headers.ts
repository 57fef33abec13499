import type { FastifyInstance } from "fastify";
import helmet, { type HelmetOptions } from "helmet";

/** Helmet's defaults with our Content-Security-Policy: the dashboard's images may be data: and blob: URLs. */
const options: HelmetOptions = {
  contentSecurityPolicy: {
    directives: { "img-src": ["'self'", "data:", "blob:"], "style-src": ["'self'", "'unsafe-inline'"], "script-src": ["'self'"] },
  },
};

/**
 * The headers helmet sets with these options. None of them depends on the request (no nonces, no function
 * directives), so they are worked out once by running helmet's middleware against a recorder.
 */
export function securityHeaderValues(helmetOptions: HelmetOptions = options): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  helmet(helmetOptions)({} as never, recorder as never, (error?: unknown) => {
    failure = error;
  });
  if (failure instanceof Error) {
    throw failure;
  }
  if (failure) {
    throw new Error("helmet refused the security header options");
  }
  return headers;
}

/**
 * Sets the security headers on every reply. @fastify/helmet built helmet's middleware anew for each
 * request (parsing the CSP directives every time): about 4% of a message's CPU on the ingest benchmark.
 */
export function installSecurityHeaders(app: FastifyInstance): void {
  const headers = securityHeaderValues();
  app.addHook("onRequest", (_request, reply, done) => {
    void reply.headers(headers);
    done();
  });
}
