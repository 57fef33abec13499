import type { FastifyInstance } from "fastify";

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Requests against the app in-process (app.inject), as one caller: an API key, a session cookie, or nobody. */
export function client(app: FastifyInstance, auth: { apiKey?: string; cookie?: string; origin?: string } = {}) {
  async function send<T = any>(method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
    const response = await app.inject({
      method,
      url,
      headers: {
        ...(auth.apiKey ? { "x-api-key": auth.apiKey } : {}),
        ...(auth.cookie ? { cookie: auth.cookie } : {}),
        ...(auth.origin ? { origin: auth.origin } : {}),
        ...(payload !== undefined ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}),
    });
    const text = response.body;
    return { status: response.statusCode, body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
  }
  return {
    get: <T = any>(url: string, headers?: Record<string, string>) => send<T>("GET", url, undefined, headers),
    post: <T = any>(url: string, body?: unknown, headers?: Record<string, string>) => send<T>("POST", url, body ?? {}, headers),
    put: <T = any>(url: string, body?: unknown, headers?: Record<string, string>) => send<T>("PUT", url, body ?? {}, headers),
    patch: <T = any>(url: string, body?: unknown, headers?: Record<string, string>) => send<T>("PATCH", url, body ?? {}, headers),
    delete: <T = any>(url: string, body?: unknown, headers?: Record<string, string>) => send<T>("DELETE", url, body, headers),
  };
}

/** The `name=value` pair of the session cookie a response set, for the next request's Cookie header. */
export function sessionCookieFrom(reply: Reply): string {
  const header = reply.headers["set-cookie"];
  const cookies = Array.isArray(header) ? header : [String(header)];
  const session = cookies.find((cookie) => cookie.startsWith("parley_session="));
  if (!session) {
    throw new Error("the response set no session cookie");
  }
  return session.split(";")[0] ?? "";
}
