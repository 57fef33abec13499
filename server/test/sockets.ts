import { WebSocket } from "ws";

export interface Frame {
  type: string;
  [key: string]: any;
}

/** A real WebSocket client that records every frame, for tests. */
export class TestSocket {
  readonly frames: Frame[] = [];
  closed: { code: number; reason: string } | undefined;
  /** WebSocket pings received from the server (answered unless the socket was opened with autoPong off). */
  pings = 0;
  private waiters: (() => void)[] = [];

  constructor(readonly ws: WebSocket) {
    ws.on("message", (data: Buffer) => {
      this.frames.push(JSON.parse(data.toString("utf8")) as Frame);
      this.wake();
    });
    ws.on("ping", () => {
      this.pings += 1;
      this.wake();
    });
    ws.on("close", (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) {
      waiter();
    }
  }

  /** Waits for the first frame (from `from` on) matching the predicate. */
  async next(predicate: (frame: Frame) => boolean, { from = 0, timeoutMs = 3000 } = {}): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.slice(from).find(predicate);
      if (found) {
        return found;
      }
      if (this.closed) {
        throw new Error(`socket closed (${this.closed.code} ${this.closed.reason}) before the expected frame`);
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`no matching frame within the time; got ${JSON.stringify(this.frames.map((f) => f.name ?? f.type))}`);
      }
      await this.nextChange(left);
    }
  }

  /** Events (type "event") received so far, optionally by name. */
  events(name?: string): Frame[] {
    return this.frames.filter((frame) => frame.type === "event" && (name === undefined || frame.name === name));
  }

  /** Waits until the server has pinged this socket `count` times in all. */
  async waitPings(count: number, timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.pings < count) {
      const left = deadline - Date.now();
      if (left <= 0 || this.closed) {
        throw new Error(`pinged ${this.pings} times, not ${count}`);
      }
      await this.nextChange(left);
    }
  }

  /** Resolves at the next frame, ping or close, or after `ms`, whichever comes first. */
  private nextChange(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  send(frame: unknown): void {
    this.ws.send(JSON.stringify(frame));
  }

  async waitClosed(timeoutMs = 3000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) {
        throw new Error("socket did not close");
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.closed;
  }

  close(): void {
    this.ws.close();
  }
}

/**
 * Opens a socket and waits for the server's hello (or a refusal, which rejects with the HTTP status).
 * `autoPong: false` makes a client that never answers the server's pings, like one whose network went away.
 */
export function openSocket(url: string, headers: Record<string, string> = {}, options: { autoPong?: boolean } = {}): Promise<TestSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, autoPong: options.autoPong ?? true });
    const socket = new TestSocket(ws);
    ws.once("unexpected-response", (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    ws.once("error", reject);
    socket
      .next((frame) => frame.type === "hello", { timeoutMs: 5000 })
      .then(() => resolve(socket))
      .catch(reject);
  });
}
