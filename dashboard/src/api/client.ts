/** One field's complaint from a 400 validation_failed answer. */
export interface FieldError {
  path: string;
  message: string;
}

/** A failed request, carrying the server's error envelope `{ error: { code, message, details? } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** The message to show a person, with the fields it names. */
  describe(): string {
    if (this.fields.length === 0) {
      return this.message;
    }
    return `${this.message} ${this.fields.map((field) => (field.path ? `${field.path}: ${field.message}` : field.message)).join("; ")}`;
  }
}

function fieldsOf(details: unknown): FieldError[] {
  if (!Array.isArray(details)) {
    return [];
  }
  return details.flatMap((entry: unknown) => {
    if (typeof entry !== "object" || entry === null) {
      return [];
    }
    const record = entry as { path?: unknown; message?: unknown; field?: unknown };
    const path = Array.isArray(record.path) ? record.path.join(".") : typeof record.path === "string" ? record.path : typeof record.field === "string" ? record.field : "";
    return typeof record.message === "string" ? [{ path, message: record.message }] : [];
  });
}

type Listener = (error: ApiError) => void;
const unauthorizedListeners = new Set<Listener>();

/** Called when any request answers 401: the session has ended. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  query?: Record<string, string | number | boolean | undefined | null | readonly string[]>;
}

/** Builds a query string, arrays in the API's bracket syntax: filter[tags][0]=a&filter[tags][1]=b. */
export function queryString(query: RequestOptions["query"]): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === "") {
      continue;
    }
    if (Array.isArray(value)) {
      (value as readonly string[]).forEach((item, index) => params.append(`${key}[${index}]`, item));
    } else {
      params.append(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** Sends a request to the server with the session cookie; resolves to the JSON body, throws ApiError. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const isForm = typeof FormData !== "undefined" && options.body instanceof FormData;
  const headers: Record<string, string> = { accept: "application/json", ...options.headers };
  if (options.body !== undefined && !isForm) {
    headers["content-type"] = "application/json";
  }
  let response: Response;
  try {
    response = await fetch(path + queryString(options.query), {
      method,
      credentials: "same-origin",
      headers,
      body: options.body === undefined ? undefined : isForm ? (options.body as FormData) : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (caught) {
    if (caught instanceof DOMException && caught.name === "AbortError") {
      throw caught;
    }
    throw new ApiError(0, "network_error", "Parley cannot be reached. Check your connection and try again.");
  }
  const text = await response.text();
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  if (!response.ok) {
    const envelope = (body as { error?: { code?: string; message?: string; details?: unknown; fields?: unknown } } | undefined)?.error;
    const error = new ApiError(response.status, envelope?.code ?? `http_${response.status}`, envelope?.message ?? `The server answered ${response.status}.`, fieldsOf(envelope?.details ?? envelope?.fields));
    if (response.status === 401) {
      unauthorizedListeners.forEach((listener) => listener(error));
    }
    throw error;
  }
  return body as T;
}

const SUPPORT = "/api/support";

/** The team API at /api/support, as the signed-in member. */
export const api = {
  get: <T>(path: string, query?: RequestOptions["query"], signal?: AbortSignal) => request<T>("GET", SUPPORT + path, { query, signal }),
  post: <T>(path: string, body?: unknown, headers?: Record<string, string>) => request<T>("POST", SUPPORT + path, { body: body ?? {}, headers }),
  patch: <T>(path: string, body: unknown) => request<T>("PATCH", SUPPORT + path, { body }),
  put: <T>(path: string, body: unknown) => request<T>("PUT", SUPPORT + path, { body }),
  delete: <T>(path: string) => request<T>("DELETE", SUPPORT + path),
  /** Uploads one file (multipart, field `file`). */
  upload: <T>(file: File) => {
    const form = new FormData();
    form.append("file", file, file.name);
    return request<T>("POST", `${SUPPORT}/attachments`, { body: form });
  },
};

/** Sign-in, setup and invites at /api/auth. */
export const auth = {
  get: <T>(path: string) => request<T>("GET", `/api/auth${path}`),
  post: <T>(path: string, body?: unknown) => request<T>("POST", `/api/auth${path}`, { body: body ?? {} }),
};

/** A message for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    return error.describe();
  }
  return error instanceof Error ? error.message : String(error);
}
