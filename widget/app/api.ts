import type { Attachment, SessionReply, VisitorConversation, VisitorInfo, VisitorMessage } from "./types.js";
import type { PageInfo } from "../shared/bridge.js";

/** A refused or failed request: the server's error code and message, or `network_error`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** What to tell the visitor about a failed request. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === "network_error") {
      return "You seem to be offline. Check your connection and try again.";
    }
    if (error.code === "rate_limited") {
      return `You're sending messages too quickly. ${error.message}`;
    }
    if (error.status >= 500) {
      return "Something went wrong on our side. Please try again.";
    }
    return error.message;
  }
  return "Something went wrong. Please try again.";
}

/** The widget's HTTP API (`/api/widget`), relative to where the frame is served. */
export class WidgetApi {
  /** The visitor's token once the session has started. */
  token: string | undefined;

  constructor(private readonly base: URL) {}

  private async request<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (this.token) {
      headers["x-visitor-token"] = this.token;
    }
    let payload: BodyInit | undefined;
    if (body instanceof FormData) {
      payload = body;
    } else if (body !== undefined) {
      headers["content-type"] = "application/json";
      payload = JSON.stringify(body);
    }
    let response: Response;
    try {
      response = await fetch(new URL(`api/widget${path}`, this.base), { method, headers, body: payload, credentials: "omit" });
    } catch {
      throw new ApiError(0, "network_error", "The network request failed.");
    }
    if (response.status === 204) {
      return undefined as T;
    }
    const json = (await response.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined;
    if (!response.ok) {
      throw new ApiError(response.status, json?.error?.code ?? "http_error", json?.error?.message ?? `HTTP ${response.status}`);
    }
    return json as T;
  }

  session(body: { websiteToken: string; visitorToken?: string; page?: PageInfo; language?: string; timezone?: string }): Promise<SessionReply> {
    return this.request("POST", "/session", body);
  }

  page(page: PageInfo): Promise<void> {
    return this.request("POST", "/page", page);
  }

  identify(body: { userId: string; name?: string; email?: string; phone?: string; hash?: string }): Promise<{ visitor: VisitorInfo }> {
    return this.request("POST", "/identify", body);
  }

  profile(body: { name?: string; email?: string; attributes?: Record<string, string | number | boolean>; tags?: string[] }): Promise<{ visitor: VisitorInfo }> {
    return this.request("POST", "/profile", body);
  }

  conversations(): Promise<{ conversations: VisitorConversation[] }> {
    return this.request("GET", "/conversations");
  }

  messages(conversationId: string): Promise<{ conversation: VisitorConversation; messages: VisitorMessage[] }> {
    return this.request("GET", `/conversations/${encodeURIComponent(conversationId)}/messages?limit=50`);
  }

  send(body: { content: string; attachmentIds?: string[]; conversationId?: string }): Promise<{ message: VisitorMessage; conversation: VisitorConversation; created: boolean }> {
    return this.request("POST", "/messages", body);
  }

  markRead(conversationId: string): Promise<void> {
    return this.request("POST", `/conversations/${encodeURIComponent(conversationId)}/read`);
  }

  rate(conversationId: string, rating: number, comment?: string): Promise<{ conversation: VisitorConversation }> {
    return this.request("POST", `/conversations/${encodeURIComponent(conversationId)}/rating`, comment ? { rating, comment } : { rating });
  }

  upload(file: File): Promise<{ upload: Attachment }> {
    const form = new FormData();
    form.append("file", file, file.name);
    return this.request("POST", "/uploads", form);
  }
}
