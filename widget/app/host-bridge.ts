import { isBridgeMessage, type FrameToHost, type HostToFrame } from "../shared/bridge.js";

/**
 * The app's side of postMessage: it reads only messages from the host page's origin it was given (and only
 * from its parent window), and posts only to that origin.
 */
export class HostBridge {
  constructor(
    private readonly hostOrigin: string,
    onMessage: (message: HostToFrame) => void,
  ) {
    window.addEventListener("message", (event: MessageEvent) => {
      if (event.origin === this.hostOrigin && event.source === window.parent && isBridgeMessage(event.data)) {
        onMessage(event.data as HostToFrame);
      }
    });
  }

  post(message: FrameToHost): void {
    window.parent.postMessage(message, this.hostOrigin);
  }
}

/** The `host` parameter if it is exactly an http(s) origin, else undefined. */
export function parseOrigin(value: string | null): string | undefined {
  if (!value) {
    return undefined;
  }
  try {
    const url = new URL(value);
    return /^https?:$/.test(url.protocol) && url.origin === value ? value : undefined;
  } catch {
    return undefined;
  }
}
