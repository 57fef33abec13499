import { openSocket, type TestSocket } from "../../server/test/sockets.js";

/** A support agent without the dashboard: the team's REST API with an API key, and the agents' WebSocket. */
export class Agent {
  socket!: TestSocket;

  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  async connect(): Promise<void> {
    this.socket = await openSocket(`${this.baseUrl.replace(/^http/, "ws")}/api/realtime`, { "x-api-key": this.apiKey });
  }

  async request<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.baseUrl}/api/support${path}`, {
      method,
      headers: { "x-api-key": this.apiKey, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** Like request(), but fails the test unless the answer is 2xx. */
  async ok<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const reply = await this.request<T>(method, path, body);
    if (reply.status >= 300) {
      throw new Error(`${method} ${path} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    }
    return reply.body;
  }

  /** Waits for the live message.created of an incoming message matching the predicate. */
  async nextVisitorMessage(predicate: (message: any) => boolean, timeoutMs = 10_000): Promise<any> {
    const frame = await this.socket.next((f) => f.type === "event" && f.name === "message.created" && f.data.message.direction === "incoming" && predicate(f.data.message), { timeoutMs });
    return frame.data.message;
  }

  close(): void {
    this.socket?.close();
  }
}
