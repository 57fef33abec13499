/** A failure the client can act on; turned into `{ error: { code, message, details? } }` with `status`. */
export class AppError extends Error {
  override name = "AppError";

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

/** The detail of one rejected field: where it is and what is wrong with it. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** 400: the request is well-formed JSON but a value breaks a rule. */
export function invalid(message: string, details?: FieldProblem[]): AppError {
  return new AppError(400, "validation_failed", message, details);
}

/** 400 for one field: the path names it the way the request spelled it. */
export function invalidField(path: string, message: string): AppError {
  return invalid(`${path}: ${message}`, [{ path, message }]);
}

/** 401: no credentials, or credentials that do not (or no longer) work. */
export function unauthenticated(message = "Sign in or send a valid X-API-Key header."): AppError {
  return new AppError(401, "unauthenticated", message);
}

/** 403: the caller is known but may not do this. */
export function forbidden(message = "You do not have permission to do this."): AppError {
  return new AppError(403, "forbidden", message);
}

/** 404: nothing with this id that the caller may see; another team's ids answer the same. */
export function notFound(what: string): AppError {
  return new AppError(404, "not_found", `${what} not found.`);
}

/** 409: the request conflicts with the current state. */
export function conflict(code: string, message: string, details?: unknown): AppError {
  return new AppError(409, code, message, details);
}

/** A write refused by a unique index or primary key, on either database. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

/** 429: too many attempts; `retryAfterSeconds` goes into Retry-After. */
export function tooManyRequests(message: string, retryAfterSeconds: number): AppError {
  return new AppError(429, "rate_limited", message, undefined, { "retry-after": String(Math.max(1, Math.ceil(retryAfterSeconds))) });
}
