/**
 * The script of the embed snippet: `<script src="…/widget/loader.js" data-website-token="…" async>`.
 * It adds one iframe (the bubble and the chat live inside it, on Parley's origin, so no style crosses either
 * way), sizes it when the app asks, reports the page (single-page-app navigation too) and exposes
 * `window.Parley`. Calls made before the app is ready wait in a queue.
 */
import { MOBILE_MAX_WIDTH, isBridgeMessage, storagePrefix, type AttributeValue, type Command, type FrameToHost, type HostToFrame, type PageInfo, type UserDetails, type WidgetEventName } from "../shared/bridge.js";

type Handler = (data?: unknown) => void;

export interface ParleyApi {
  open(): void;
  close(): void;
  toggle(): void;
  setUser(userId: string, details?: UserDetails): void;
  setAttributes(attributes: Record<string, AttributeValue>): void;
  setTags(tags: string[]): void;
  reset(): void;
  /** Listens to `ready`, `message`, `open`, `close` or `error`; returns a function that stops listening. */
  on(event: WidgetEventName, handler: Handler): () => void;
  off(event: WidgetEventName, handler: Handler): void;
}

declare global {
  interface Window {
    Parley?: ParleyApi & { version?: string };
  }
}

const LOADER_PATH = /\/widget\/loader\.js(?:[?#]|$)/;
const log = (...args: unknown[]) => console.error("[Parley]", ...args);

/** The snippet's own script element. */
function findScript(): HTMLScriptElement | undefined {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && LOADER_PATH.test(current.src)) {
    return current;
  }
  return Array.from(document.querySelectorAll<HTMLScriptElement>("script[src]")).find((script) => LOADER_PATH.test(script.src));
}

const httpUrl = (value: string) => (/^https?:\/\//i.test(value) ? value.slice(0, 2000) : undefined);

/** The page as the server accepts it: http(s) URLs only, bounded lengths. */
function currentPage(withReferrer: boolean): PageInfo {
  const page: PageInfo = { title: document.title.slice(0, 500) };
  const url = httpUrl(location.href);
  if (url) {
    page.url = url;
  }
  if (withReferrer) {
    page.referrer = httpUrl(document.referrer) ?? "";
  }
  return page;
}

/** The widget's keys in the host site's localStorage (none when storage is blocked). */
function storedValues(prefix: string): Record<string, string> {
  const values: Record<string, string> = {};
  try {
    for (let index = 0; index < localStorage.length; index += 1) {
      const key = localStorage.key(index);
      const value = key?.startsWith(prefix) ? localStorage.getItem(key) : null;
      if (key && value !== null) {
        values[key] = value;
      }
    }
  } catch {
    // storage blocked: the app falls back to its own, or to memory
  }
  return values;
}

function store(key: string, value: string | null): void {
  try {
    if (value === null) {
      localStorage.removeItem(key);
    } else {
      localStorage.setItem(key, value);
    }
  } catch {
    // storage blocked or full
  }
}

/** Inline declarations, each !important, so the host page's stylesheets cannot move or hide the frame. */
function css(declarations: Record<string, string>): string {
  return Object.entries(declarations)
    .map(([property, value]) => `${property}:${value} !important`)
    .join(";");
}

const BASE_STYLE = {
  all: "initial",
  position: "fixed",
  "z-index": "2147483000",
  display: "block",
  visibility: "visible",
  opacity: "1",
  border: "0",
  margin: "0",
  padding: "0",
  background: "transparent",
  "color-scheme": "normal",
  "box-sizing": "border-box",
  "max-width": "100%",
  "max-height": "100%",
  bottom: "0",
  right: "0",
  top: "auto",
  left: "auto",
  overflow: "hidden",
  transform: "none",
  filter: "none",
  "pointer-events": "auto",
};

function start(): void {
  if (window.Parley?.version) {
    return; // the snippet was pasted twice
  }
  const script = findScript();
  const websiteToken = script?.dataset.websiteToken;
  if (!script || !websiteToken) {
    log("the loader script needs a data-website-token attribute; copy the snippet again from the inbox settings.");
    return;
  }
  if (location.origin === "null") {
    log("the chat widget needs a page served over http(s).");
    return;
  }
  const scriptUrl = new URL(script.src, location.href);
  const parleyOrigin = scriptUrl.origin;
  const frameUrl = new URL("frame.html", scriptUrl);
  frameUrl.search = new URLSearchParams({ websiteToken, host: location.origin }).toString();

  const iframe = document.createElement("iframe");
  iframe.title = "Chat";
  iframe.setAttribute("allow", "autoplay");
  iframe.src = frameUrl.href;

  const handlers = new Map<WidgetEventName, Set<Handler>>();
  const queue: Command[] = [];
  let ready = false;
  let open = false;
  const mobileQuery = window.matchMedia(`(max-width: ${MOBILE_MAX_WIDTH}px)`);

  const layout = () => {
    const size = !open
      ? { width: "96px", height: "96px" }
      : mobileQuery.matches
        ? { width: "100%", height: "100%", top: "0", left: "0" }
        : { width: "412px", height: "632px" };
    iframe.style.cssText = css({ ...BASE_STYLE, ...size });
  };
  layout();

  const post = (message: HostToFrame) => iframe.contentWindow?.postMessage(message, parleyOrigin);
  const emit = (name: WidgetEventName, data?: unknown) => {
    for (const handler of handlers.get(name) ?? []) {
      try {
        handler(data);
      } catch (error) {
        log(`a "${name}" handler threw`, error);
      }
    }
  };
  const command = (entry: Command) => {
    if (ready) {
      post({ parley: 1, type: "command", command: entry });
    } else {
      queue.push(entry);
    }
  };

  window.addEventListener("message", (event: MessageEvent) => {
    if (event.origin !== parleyOrigin || event.source !== iframe.contentWindow || !isBridgeMessage(event.data)) {
      return;
    }
    const message = event.data as FrameToHost;
    if (message.type === "boot") {
      ready = false;
      post({ parley: 1, type: "init", page: currentPage(true), mobile: mobileQuery.matches, stored: storedValues(storagePrefix(websiteToken)) });
    } else if (message.type === "store") {
      if (typeof message.key === "string" && message.key.startsWith(storagePrefix(websiteToken)) && (message.value === null || typeof message.value === "string")) {
        store(message.key, message.value === null ? null : message.value.slice(0, 4096));
      }
    } else if (message.type === "layout") {
      open = message.open;
      layout();
    } else if (message.type === "event") {
      if (message.name === "ready") {
        ready = true;
        for (const entry of queue.splice(0)) {
          post({ parley: 1, type: "command", command: entry });
        }
      }
      if (message.name === "error") {
        log((message.data as { message?: string } | undefined)?.message ?? "error", message.data);
      }
      emit(message.name, message.data);
    }
  });

  mobileQuery.addEventListener("change", () => {
    layout();
    post({ parley: 1, type: "viewport", mobile: mobileQuery.matches });
  });

  // Single-page apps change the URL without loading a page: follow pushState, replaceState, back and forward.
  let lastUrl = location.href;
  const pageChanged = () => {
    // Routers usually set the title just after the URL.
    setTimeout(() => {
      if (location.href !== lastUrl) {
        lastUrl = location.href;
        post({ parley: 1, type: "page", page: currentPage(false) });
      }
    }, 50);
  };
  for (const method of ["pushState", "replaceState"] as const) {
    const original = history[method].bind(history);
    history[method] = (...args: Parameters<History["pushState"]>) => {
      original(...args);
      pageChanged();
    };
  }
  window.addEventListener("popstate", pageChanged);
  window.addEventListener("hashchange", pageChanged);

  window.Parley = {
    version: "1",
    open: () => command({ name: "open" }),
    close: () => command({ name: "close" }),
    toggle: () => command({ name: "toggle" }),
    setUser: (userId, details = {}) => command({ name: "setUser", userId: String(userId), details: { ...details } }),
    setAttributes: (attributes) => command({ name: "setAttributes", attributes: { ...attributes } }),
    setTags: (tags) => command({ name: "setTags", tags: Array.from(tags, String) }),
    reset: () => command({ name: "reset" }),
    on(event, handler) {
      let set = handlers.get(event);
      if (!set) {
        set = new Set();
        handlers.set(event, set);
      }
      set.add(handler);
      if (event === "ready" && ready) {
        setTimeout(() => handler());
      }
      return () => window.Parley?.off(event, handler);
    },
    off(event, handler) {
      handlers.get(event)?.delete(handler);
    },
  };

  const mount = () => document.body.appendChild(iframe);
  if (document.body) {
    mount();
  } else {
    document.addEventListener("DOMContentLoaded", mount, { once: true });
  }
}

start();
