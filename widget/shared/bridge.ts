/**
 * The postMessage protocol between the loader (on the host page) and the iframe app (on Parley's origin).
 * Every message carries `parley: 1` so either side can ignore anything else posted to it; both sides also
 * check the sender's origin and window before reading a message.
 */

/** What the widget reports about the host page; the server accepts http(s) URLs only. */
export interface PageInfo {
  url?: string;
  referrer?: string;
  title?: string;
}

/** The optional details of `Parley.setUser(id, details)`. */
export interface UserDetails {
  name?: string;
  email?: string;
  phone?: string;
  /** Hex HMAC-SHA256 of the user id with the inbox's identity secret, computed on the site's server. */
  hash?: string;
}

export type AttributeValue = string | number | boolean;

/** A `window.Parley` call, carried from the host page to the app. */
export type Command =
  | { name: "open" }
  | { name: "close" }
  | { name: "toggle" }
  | { name: "setUser"; userId: string; details: UserDetails }
  | { name: "setAttributes"; attributes: Record<string, AttributeValue> }
  | { name: "setTags"; tags: string[] }
  | { name: "reset" };

/** The events the host page can listen to with `Parley.on(name, handler)`. */
export type WidgetEventName = "ready" | "message" | "open" | "close" | "error";

export type HostToFrame =
  /** `stored`: what the app asked the host page to keep (its keys, in the host site's own storage). */
  | { parley: 1; type: "init"; page: PageInfo; mobile: boolean; stored: Record<string, string> }
  | { parley: 1; type: "command"; command: Command }
  | { parley: 1; type: "page"; page: PageInfo }
  | { parley: 1; type: "viewport"; mobile: boolean };

export type FrameToHost =
  /** The app has loaded and waits for `init`. */
  | { parley: 1; type: "boot" }
  /** The app is showing the chat (`open`) or only the bubble. */
  | { parley: 1; type: "layout"; open: boolean }
  /**
   * Keep (or with null, forget) a value in the host page's localStorage. Browsers that block storage in
   * third-party frames still let the host site keep the visitor's token, so a reload continues the chat.
   */
  | { parley: 1; type: "store"; key: string; value: string | null }
  | { parley: 1; type: "event"; name: WidgetEventName; data?: unknown };

/** The prefix of every key the widget keeps, per inbox; the loader refuses any other key. */
export function storagePrefix(websiteToken: string): string {
  return `parley:${websiteToken}:`;
}

/** Below this viewport width the open chat takes the whole screen. */
export const MOBILE_MAX_WIDTH = 480;

/** True when a posted value looks like one of ours (the sender's origin is checked separately). */
export function isBridgeMessage(value: unknown): value is { parley: 1; type: string } {
  return typeof value === "object" && value !== null && (value as { parley?: unknown }).parley === 1 && typeof (value as { type?: unknown }).type === "string";
}
